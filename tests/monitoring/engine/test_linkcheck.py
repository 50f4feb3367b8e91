import asyncio
import time
from datetime import date, timedelta

import pytest

from govmedia.monitoring.engine.linkcheck import (
    LinkChecker,
    MemoryCache,
    normalize_url,
    retry_after_seconds,
)
from govmedia.monitoring.engine.types import LinkVerdict

DAY = date(2026, 3, 2)


def checker(**overrides) -> LinkChecker:
    """A checker for the local server: guard lifted for loopback, short waits so tests stay fast."""
    settings = {"allow_private": True, "host_interval": 0.0, "timeout": 2.0, "backoff": 0.01}
    return LinkChecker(**settings | overrides)


def check(url: str, **overrides) -> LinkVerdict:
    return checker(**overrides).check_many([url], today=DAY)[url]


def test_a_working_link_is_ok_after_a_single_head(link_server):
    verdict = check(link_server.url("/ok"))
    assert (verdict.verdict, verdict.http_status, verdict.final_url) == ("ok", 200, "")
    assert link_server.hits("/ok") == ["HEAD"]


def test_404_is_a_client_error(link_server):
    verdict = check(link_server.url("/status/404"))
    assert (verdict.verdict, verdict.http_status) == ("client_error", 404)
    assert verdict.is_broken


def test_500_that_persists_through_the_retries_is_a_server_error(link_server):
    verdict = check(link_server.url("/status/500"), retries=2)
    assert (verdict.verdict, verdict.http_status) == ("server_error", 500)
    assert len(link_server.hits("/status/500")) == 3
    assert "共尝试 3 次" in verdict.detail


def test_a_503_then_200_link_is_ok_thanks_to_the_retry(link_server):
    verdict = check(link_server.url("/flaky/2/a"), retries=2)
    assert (verdict.verdict, verdict.http_status) == ("ok", 200)
    assert link_server.hits("/flaky/2/a") == ["HEAD", "GET", "GET"]


def test_a_link_waiting_to_retry_does_not_hold_up_the_others(link_server):
    flaky, other = link_server.url("/flaky/1/a"), link_server.url("/ok")
    verdicts = checker(concurrency=1, backoff=0.4).check_many([flaky, other], today=DAY)
    assert {v.verdict for v in verdicts.values()} == {"ok"}
    order = [(method, path) for _, method, path in sorted(link_server.requests)]
    assert order == [("HEAD", "/flaky/1/a"), ("HEAD", "/ok"), ("GET", "/flaky/1/a")]


def test_429_waits_as_long_as_retry_after_says_then_succeeds(link_server):
    started = time.monotonic()
    verdict = check(link_server.url("/limited/1/a"))
    assert verdict.verdict == "ok"
    assert time.monotonic() - started >= 1.0


def test_429_asking_for_more_than_the_cap_is_not_waited_for(link_server):
    started = time.monotonic()
    verdict = check(link_server.url("/limited/60/a"), max_retry_after=5)
    assert (verdict.verdict, verdict.http_status) == ("client_error", 429)
    assert len(link_server.hits("/limited/60/a")) == 1
    assert time.monotonic() - started < 5


def test_a_link_slower_than_the_timeout_is_a_timeout(link_server):
    started = time.monotonic()
    verdict = check(link_server.url("/slow/5"), timeout=0.3, retries=1)
    assert verdict.verdict == "timeout"
    assert len(link_server.hits("/slow/5")) == 2
    assert time.monotonic() - started < 3


def test_a_hanging_page_is_tried_timeout_retries_times_not_retries_times(link_server):
    # Each try of a hanging page costs a whole timeout; other failures are cheap to retry.
    verdict = check(link_server.url("/slow/5"), timeout=0.3, retries=3, timeout_retries=1)
    assert verdict.verdict == "timeout" and len(link_server.hits("/slow/5")) == 2


def test_a_redirect_chain_ending_at_a_page_is_a_redirect_with_its_final_url(link_server):
    verdict = check(link_server.url("/redirect/3"))
    assert (verdict.verdict, verdict.http_status) == ("redirect", 200)
    assert verdict.final_url == link_server.url("/redirect/0")
    assert not verdict.is_broken


def test_a_redirect_to_a_missing_page_is_a_client_error_naming_where_it_ended(link_server):
    verdict = check(link_server.url("/moved/404"))
    assert (verdict.verdict, verdict.http_status) == ("client_error", 404)
    assert verdict.final_url == link_server.url("/status/404")


def test_more_redirects_than_allowed_is_a_client_error(link_server):
    verdict = check(link_server.url("/redirect/7"), max_redirects=5)
    assert verdict.verdict == "client_error"
    assert "重定向超过 5 次" in verdict.detail
    assert len(link_server.requests) == 6


def test_a_redirect_loop_is_a_client_error_saying_so(link_server):
    verdict = check(link_server.url("/loop"))
    assert verdict.verdict == "client_error"
    assert "重定向循环" in verdict.detail
    assert len(link_server.requests) == 1


def test_a_redirect_to_something_that_is_not_a_url_is_a_client_error(link_server):
    verdict = check(link_server.url("/badredirect"))
    assert verdict.verdict == "client_error"
    assert "链接格式无效" in verdict.detail


def test_a_server_refusing_head_is_checked_with_get(link_server):
    verdict = check(link_server.url("/nohead"))
    assert (verdict.verdict, verdict.http_status) == ("ok", 200)
    assert link_server.hits("/nohead") == ["HEAD", "GET"]


def test_a_huge_body_is_not_downloaded(link_server):
    verdict = check(link_server.url("/huge"))
    assert verdict.verdict == "ok"
    assert link_server.huge_bytes_sent < 32 << 20


def test_a_name_that_does_not_resolve_is_a_dns_failure():
    verdict = check("http://nonexistent.invalid/page")
    assert verdict.verdict == "dns_failure"
    assert "nonexistent.invalid" in verdict.detail


def test_https_to_a_plain_http_port_is_a_tls_error(link_server):
    verdict = check(link_server.url("/ok", scheme="https"))
    assert verdict.verdict == "tls_error"


def test_a_self_signed_certificate_is_a_tls_error(self_signed_server):
    verdict = check(self_signed_server.url("/ok"))
    assert verdict.verdict == "tls_error"
    assert self_signed_server.requests == []


def test_a_closed_port_is_a_connection_error(link_server):
    url = link_server.url("/ok")
    link_server.__exit__()
    assert check(url, retries=1).verdict == "connection_error"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_is_blocked_and_never_requested_unless_allowed(link_server, host):
    verdict = check(link_server.url("/ok", host=host), allow_private=False)
    assert verdict.verdict == "blocked"
    assert not verdict.is_broken
    assert link_server.requests == []


def test_a_non_http_link_is_blocked():
    assert check("ftp://example.org/file").verdict == "blocked"


def test_no_more_than_per_host_requests_reach_one_host_at_once(link_server):
    urls = [link_server.url(f"/hold/0.05/l{i}") for i in range(30)]
    verdicts = checker(concurrency=64, per_host=3).check_many(urls, today=DAY)
    assert {v.verdict for v in verdicts.values()} == {"ok"}
    assert link_server.max_in_flight == 3


def test_no_more_than_concurrency_requests_run_at_once_over_all_hosts(link_server):
    hosts = ["127.0.0.1", "localhost"]
    urls = [link_server.url(f"/hold/0.05/l{i}", host=hosts[i % 2]) for i in range(30)]
    verdicts = checker(concurrency=4, per_host=8).check_many(urls, today=DAY)
    assert {v.verdict for v in verdicts.values()} == {"ok"}
    assert link_server.max_in_flight == 4


def test_request_starts_to_one_host_are_spaced_by_the_politeness_interval(link_server):
    urls = [link_server.url(f"/hold/0/l{i}") for i in range(5)]
    checker(host_interval=0.2).check_many(urls, today=DAY)
    starts = sorted(started for started, _, _ in link_server.requests)
    assert len(starts) == 5
    assert min(b - a for a, b in zip(starts, starts[1:], strict=False)) >= 0.19


def test_a_busy_host_does_not_hold_up_another_hosts_links(link_server):
    slow = [link_server.url(f"/hold/0.2/s{i}") for i in range(8)]
    quick = link_server.url("/ok", host="localhost")
    checker(concurrency=4, per_host=2).check_many([*slow, quick], today=DAY)
    starts = [path for _, _, path in sorted(link_server.requests)]
    # Two slow links at a time: the quick one goes in the first wave, not after the eight slow ones.
    assert starts.index("/ok") < 3


def test_one_connection_serves_a_hosts_links_and_is_closed_after_its_last(link_server):
    urls = [link_server.url(f"/hold/0/l{i}") for i in range(5)]
    checker(concurrency=1).check_many(urls, today=DAY)
    assert len({port for port, _ in link_server.connections}) == 1
    assert [header for _, header in link_server.connections] == ["", "", "", "", "close"]


def test_a_cached_verdict_means_no_request(link_server):
    url = link_server.url("/ok")
    cache = MemoryCache()
    cache.put(url, DAY, LinkVerdict(url, "client_error", http_status=404))
    assert checker(cache=cache).check_many([url], today=DAY)[url].verdict == "client_error"
    assert link_server.requests == []


def test_the_same_link_is_checked_once_a_day_and_again_the_next_day(link_server):
    url = link_server.url("/ok")
    same = checker(cache=MemoryCache())
    same.check_many([url], today=DAY)
    same.check_many([url], today=DAY)
    assert len(link_server.requests) == 1
    same.check_many([url], today=DAY + timedelta(days=1))
    assert len(link_server.requests) == 2


def test_a_link_repeated_in_a_batch_is_requested_once_and_answered_under_each_spelling(link_server):
    spellings = [link_server.url("/ok"), link_server.url("/ok#top"),
                 f"HTTP://127.0.0.1:{link_server.port}/ok#x"]
    verdicts = checker().check_many(spellings, today=DAY)
    assert set(verdicts) == set(spellings)
    assert {v.verdict for v in verdicts.values()} == {"ok"}
    assert len(link_server.requests) == 1


def test_the_async_variant_runs_inside_a_running_loop(link_server):
    url = link_server.url("/status/410")
    verdicts = asyncio.run(checker().check_many_async([url], today=DAY))
    assert verdicts[url].verdict == "client_error"


@pytest.mark.parametrize(("given", "normal"), [
    ("HTTP://Example.ORG:80/a?b=1#frag", "http://example.org/a?b=1"),
    ("https://example.org", "https://example.org/"),
    ("https://example.org:8443/x", "https://example.org:8443/x"),
    ("http://[::1]:8080/#", "http://[::1]:8080/"),
    ("  http://example.org/a  ", "http://example.org/a"),
    ("http://[broken/x#y", "http://[broken/x"),
])
def test_urls_are_normalized_for_caching(given, normal):
    assert normalize_url(given) == normal


def test_retry_after_accepts_seconds_and_http_dates():
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert retry_after_seconds("soon") is None


def test_the_memory_cache_keeps_only_the_latest_day():
    cache = MemoryCache()
    verdict = LinkVerdict("http://a/", "ok")
    cache.put("http://a/", DAY, verdict)
    cache.put("http://b/", DAY + timedelta(days=1), verdict)
    assert cache.get("http://a/", DAY) is None
    assert cache.get("http://b/", DAY + timedelta(days=1)) is verdict
