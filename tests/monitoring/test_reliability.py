"""Reliability of the reading cycle against a real local server: sources that are down, slow, garbled or
huge are reported and retried, never crash a cycle; a source is never read by two readers at once."""

import os
import socket
import time
from datetime import datetime, timedelta

import pytest

from govmedia.monitoring.engine.types import BROKEN, OK
from govmedia.monitoring.models import Post, Source, SourceHealth
from govmedia.monitoring.services import cycle
from tests.conftest import BEIJING
from tests.monitoring.factories import SourceFactory
from tests.monitoring.local_server import Reply
from tests.threads import at_once

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=BEIJING)
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>西海岸发布</title><link>https://weibo.com/u/1234567890</link>
<item><title>区政府召开常务会议</title><link>https://weibo.com/1234567890/P1</link><guid>P1</guid>
<description>研究部署冬季安全生产工作。</description><pubDate>Mon, 02 Mar 2026 01:00:00 GMT</pubDate></item>
<item><title>西海岸新区举行招聘会</title><link>https://weibo.com/1234567890/P2</link><guid>P2</guid>
<description>提供岗位三千余个。</description><pubDate>Sun, 01 Mar 2026 09:00:00 GMT</pubDate></item>
</channel></rss>"""
HUGE = 40 * 1024 * 1024


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"  # nothing listens there any more


@pytest.fixture
def troubled(local_server, frozen_clock, settings):
    """One good source and four bad ones, each on its own account."""
    settings.GOVMEDIA_MONITOR_ALLOW_PRIVATE = True
    settings.GOVMEDIA_MONITOR_TIMEOUT_SECONDS = 0.5
    local_server.routes["/good.xml"] = Reply(body=FEED, headers=RSS)
    local_server.routes["/slow.xml"] = Reply(body=FEED, headers=RSS, delay=5)
    local_server.routes["/garbage.xml"] = Reply(body=os.urandom(4000), headers=RSS)
    local_server.routes["/huge.xml"] = Reply(body=b"<rss><channel>" + b"x" * HUGE, headers=RSS,
                                             content_length=False, chunk_size=256 * 1024)
    urls = {"good": local_server.url("/good.xml"), "down": closed_port_url(), "slow": local_server.url("/slow.xml"),
            "garbage": local_server.url("/garbage.xml"), "huge": local_server.url("/huge.xml")}
    return {name: SourceFactory(url=url) for name, url in urls.items()}


@pytest.mark.django_db
def test_bad_sources_are_reported_with_their_reason_and_retried_soon_and_the_good_one_is_read(
        troubled, local_server, frozen_clock):
    started = time.monotonic()
    summary = cycle.run_cycle(now=NOW)
    assert time.monotonic() - started < 10  # the slow one did not hold up the run beyond its timeout
    assert (summary.sources_read, summary.count(OK), summary.count(BROKEN), summary.errors) == (5, 1, 4, 0)

    sources = {name: Source.objects.get(pk=source.pk) for name, source in troubled.items()}
    reasons = {name: source.health_reason for name, source in sources.items() if source.health == SourceHealth.BROKEN}
    assert reasons == {"down": "connection_error", "slow": "timeout", "garbage": "parse_error", "huge": "too_large"}
    assert all(sources[name].health_detail for name in reasons)
    assert Post.objects.filter(source=sources["good"]).count() == 2
    assert not Post.objects.exclude(source=sources["good"]).exists()
    [huge] = local_server.requests_to("/huge.xml")
    huge.finished.wait(5)
    assert huge.sent < HUGE  # the reader stopped at its cap

    for name in reasons:  # retried within about a minute, the good source after its interval
        assert timedelta(seconds=48) <= sources[name].next_due_at - NOW <= timedelta(seconds=72)
    assert sources["good"].next_due_at == NOW + timedelta(minutes=30)

    later = frozen_clock.set(NOW + timedelta(minutes=2))
    again = cycle.run_cycle(now=later)
    assert sorted(r.source_id for r in again.read) == sorted(sources[name].pk for name in reasons)
    for name in reasons:
        source = Source.objects.get(pk=sources[name].pk)
        assert source.consecutive_failures == 2 and source.broken_since == NOW
        assert timedelta(seconds=96) <= source.next_due_at - later <= timedelta(seconds=144)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_readers_at_once_read_a_source_once(local_server, frozen_clock, settings):
    settings.GOVMEDIA_MONITOR_ALLOW_PRIVATE = True
    local_server.routes["/feed.xml"] = Reply(body=FEED, headers=RSS, delay=0.5)
    source = SourceFactory(url=local_server.url("/feed.xml"))

    def reader():
        return lambda: cycle.read_source_now(source.pk, now=NOW)

    results = at_once(reader, reader)
    assert sorted(r.status for r in results) == [OK, cycle.SKIPPED], results
    assert len(local_server.requests_to("/feed.xml")) == 1
    assert Post.objects.filter(source=source).count() == 2
    assert Source.objects.get(pk=source.pk).lease_token == ""
