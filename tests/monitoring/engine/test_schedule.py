import random
from datetime import timedelta

import pytest

from govmedia.monitoring.engine.schedule import default_interval_minutes, retry_delay


def test_weibo_is_read_more_often_than_wechat_and_websites_least_often():
    assert default_interval_minutes("weibo", "feed") < default_interval_minutes("wechat-subscription", "feed")
    assert default_interval_minutes("wechat-subscription", "feed") < default_interval_minutes("app", "web")


def test_a_crawled_page_of_an_unknown_platform_is_read_as_seldom_as_a_website():
    assert default_interval_minutes("gov-portal", "web") == default_interval_minutes("website", "web")
    assert default_interval_minutes("gov-portal", "feed") < default_interval_minutes("gov-portal", "web")


@pytest.mark.parametrize(("failures", "minutes"), [(1, 1), (2, 2), (3, 4), (4, 8), (5, 16)])
def test_retries_start_at_a_minute_and_double_with_each_failure(failures, minutes):
    delay = retry_delay(failures, interval_minutes=120, rng=random.Random(failures))
    assert timedelta(minutes=minutes * 0.8) <= delay <= timedelta(minutes=minutes * 1.2)


def test_the_first_retry_is_soon_even_for_a_source_read_every_two_hours():
    assert retry_delay(1, interval_minutes=120) <= timedelta(minutes=1.2)


def test_a_retry_is_never_later_than_the_regular_interval():
    for failures in (6, 7, 50, 10**6):
        assert retry_delay(failures, interval_minutes=30) <= timedelta(minutes=30)


def test_sources_that_failed_together_are_not_retried_together():
    delays = {retry_delay(3, interval_minutes=60, rng=random.Random(seed)) for seed in range(20)}
    assert len(delays) == 20
