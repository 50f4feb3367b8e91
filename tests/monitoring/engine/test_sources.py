from datetime import UTC, datetime

import pytest

from govmedia.monitoring.engine import feeds
from govmedia.monitoring.engine.sources import read_source
from govmedia.monitoring.engine.types import BROKEN, NOT_MODIFIED, OK
from govmedia.simulator import Account as SimulatedAccount
from govmedia.simulator import World, feed_url, serving

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def simulator():
    world = World([SimulatedAccount("1234567890", "weibo", "西海岸发布"),
                   SimulatedAccount("xhaapp", "app", "西海岸新闻")], now=NOW)
    with serving(world) as base_url:
        yield base_url


def test_a_feed_source_is_read_as_a_feed_with_its_posts_and_validators(simulator):
    reading = read_source("feed", feed_url(simulator, "weibo", "1234567890"), allow_private=True)
    assert reading.status == OK, reading.detail
    assert reading.posts and all(post.post_id for post in reading.posts)
    assert reading.etag

    again = read_source("feed", feed_url(simulator, "weibo", "1234567890"), etag=reading.etag, allow_private=True)
    assert again.status == NOT_MODIFIED


def test_a_web_source_is_read_as_a_listing_and_skips_the_articles_already_stored(simulator):
    url = feed_url(simulator, "app", "xhaapp")
    reading = read_source("web", url, allow_private=True, now=NOW)
    assert reading.status == OK, reading.detail
    known = {post.url for post in reading.posts}
    assert known

    again = read_source("web", url, allow_private=True, skip=known, now=NOW)
    assert not {post.url for post in again.posts} & known


def test_the_ssrf_guard_holds_unless_lifted(simulator):
    reading = read_source("feed", feed_url(simulator, "weibo", "1234567890"))
    assert (reading.status, reading.reason) == (BROKEN, "blocked_address")


def test_a_source_kind_that_is_not_read_on_a_schedule_is_a_broken_reading_not_an_error():
    reading = read_source("push", "")
    assert (reading.status, reading.reason) == (BROKEN, "parse_error")
    assert "push" in reading.detail


def test_a_connector_that_raises_gives_a_broken_reading_naming_the_exception(local_server, monkeypatch):
    # The connectors report every failure they foresee; this stands for one nobody foresaw.
    def crash(url, **kwargs):
        raise RecursionError("maximum recursion depth exceeded while parsing")

    monkeypatch.setattr(feeds, "read_feed", crash)
    reading = read_source("feed", local_server.url("/feed.xml"), allow_private=True)
    assert (reading.status, reading.reason) == (BROKEN, "parse_error")
    assert "RecursionError" in reading.detail and "maximum recursion" in reading.detail
