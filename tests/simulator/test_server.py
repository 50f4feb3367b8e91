import asyncio
import json
import time
import xml.etree.ElementTree as ET
from urllib.parse import unquote

import aiohttp
import feedparser
import httpx
import pytest
import trafilatura

from govmedia.simulator import Options, feed_url, manifest, serving, start_in_thread
from govmedia.simulator.render import Urls
from tests.simulator.conftest import HUGE_BYTES, SLOW_SECONDS, account_with, sample_world


def get(url: str, **kwargs) -> httpx.Response:
    return httpx.get(url, timeout=10, **kwargs)


async def _fetch_all(urls: list[str], concurrency: int) -> list[int]:
    limit = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def one(url):
            async with limit, session.get(url, allow_redirects=False) as response:
                await response.read()
                return response.status
        return await asyncio.gather(*(one(url) for url in urls))


def url_of(base_url, account) -> str:
    return feed_url(base_url, account.platform, account.key)


def test_a_weibo_feed_is_valid_rss_with_every_post_and_rsshub_stats(base_url, world):
    account = account_with(world, source="ok", activity="active", platform="weibo")
    response = get(url_of(base_url, account))
    assert response.headers["content-type"].startswith("application/rss+xml")
    parsed = feedparser.parse(response.content)
    posts = world.posts(account.key)
    assert not parsed.bozo and parsed.version == "rss20"
    assert [e.id for e in parsed.entries] == [p.id for p in posts]
    first = parsed.entries[0]
    assert first.title == posts[0].title and first.link == f"{base_url}/a/{posts[0].id}"
    assert first.published_parsed and first.author == account.name and first.tags[0].term in ("原创", "转载")
    stats = ET.fromstring(response.content).find("channel/item/stats")
    assert int(stats.find("attitudes_count").text) == posts[0].stats["likes"]
    assert stats.find("reposts_count") is not None and stats.find("comments_count") is not None


def test_the_same_feed_is_valid_atom_and_valid_json_feed(base_url, world):
    account = account_with(world, source="ok", activity="active", platform="wechat-subscription")
    posts = world.posts(account.key)
    parsed = feedparser.parse(get(url_of(base_url, account) + "?format=atom").content)
    assert not parsed.bozo and parsed.version == "atom10"
    assert [e.title for e in parsed.entries] == [p.title for p in posts]
    assert parsed.entries[0].content[0].type == "text/html"
    # feedparser 6.0 does not read JSON Feed: the required members of JSON Feed 1.1 are checked here.
    response = get(url_of(base_url, account) + "?format=json")
    assert response.headers["content-type"].startswith("application/feed+json")
    feed = response.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1" and feed["title"]
    assert [item["id"] for item in feed["items"]] == [p.id for p in posts]
    assert all(item["content_html"] and item["date_published"] for item in feed["items"])


def test_caption_platforms_have_no_links_and_kuaishou_items_sometimes_no_link_guid_or_time(base_url, world):
    douyin = account_with(world, source="ok", activity="active", platform="douyin")
    entries = feedparser.parse(get(url_of(base_url, douyin)).content).entries
    assert entries and all("<a " not in e.description for e in entries)
    kuaishou = account_with(world, source="ok", activity="active", platform="kuaishou")
    entries = feedparser.parse(get(url_of(base_url, kuaishou)).content).entries
    linkless = [e for e in entries if "link" not in e]
    assert linkless and all("id" not in e for e in linkless)
    assert any("published" not in e for e in linkless)
    # Atom and JSON Feed require an id: there a linkless item's id is made of its title, as RSSHub does it.
    atom = feedparser.parse(get(url_of(base_url, kuaishou) + "?format=atom").content).entries
    atom_linkless = [e for e in atom if not any(link.rel == "alternate" for link in e.links)]
    assert {unquote(e.id.rpartition(":")[2]) for e in atom_linkless} == {e.title for e in linkless}
    assert any("published" not in e for e in atom)
    items = get(url_of(base_url, kuaishou) + "?format=json").json()["items"]
    assert all(item["id"] for item in items) and any("date_published" not in item for item in items)


def test_a_repeated_request_with_the_etag_or_the_date_gets_304(base_url, world):
    url = url_of(base_url, account_with(world, source="ok", activity="active", platform="weibo"))
    first = get(url)
    assert get(url, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    assert get(url, headers={"If-Modified-Since": first.headers["last-modified"]}).status_code == 304
    assert get(url, headers={"If-None-Match": '"stale"'}).status_code == 200
    assert get(url, headers={"If-Modified-Since": "Sat, 01 Mar 2025 00:00:00 GMT"}).status_code == 200


def test_a_published_post_appears_in_the_feed_and_changes_its_etag():
    world = sample_world()
    account = account_with(world, source="ok", activity="active", platform="weibo")
    with serving(world) as base_url:
        url = url_of(base_url, account)
        etag = get(url).headers["etag"]
        answer = httpx.post(f"{base_url}/_publish", json={"account": account.key, "title": "限时抢购通知",
                                                          "text": "新品上架限时抢购。", "links": [f"{base_url}/link/missing/p1"],
                                                          "repost_source": ""})
        assert answer.status_code == 201
        assert get(url, headers={"If-None-Match": etag}).status_code == 200
        first = feedparser.parse(get(url).content).entries[0]
        assert first.id == answer.json()["id"] and first.title == "限时抢购通知"
        assert "【转载】" in first.description and f"{base_url}/link/missing/p1" in first.description
        assert answer.json()["id"] in manifest(world, Urls(base_url))["accounts"][account.key]["published"]
        refused = httpx.post(f"{base_url}/_publish", json={"account": "nobody", "title": "x", "text": "y"})
        assert refused.status_code == 400 and "nobody" in refused.json()["error"]


@pytest.mark.parametrize(("mode", "status", "marker"), [
    ("cookies_expired", 432, "Cookie"), ("rate_limited", 418, "频繁"), ("captcha", 200, "验证"),
    ("http_server_error", 500, "Error"), ("http_client_error", 404, "不存在"),
])
def test_a_broken_source_answers_as_its_mode_says(base_url, world, mode, status, marker):
    response = get(url_of(base_url, account_with(world, source=mode)))
    assert response.status_code == status and marker in response.text


def test_a_source_gone_to_login_redirects_to_a_login_page(base_url, world):
    url = url_of(base_url, account_with(world, source="login_page"))
    assert get(url).status_code == 302
    followed = get(url, follow_redirects=True)
    assert followed.url.path == "/_login" and "登录" in followed.text and "<form" in followed.text


def test_an_empty_source_answers_200_with_no_body_and_a_garbled_one_with_no_feed(base_url, world):
    empty = get(url_of(base_url, account_with(world, source="empty")))
    assert empty.status_code == 200 and empty.content == b""
    garbled = get(url_of(base_url, account_with(world, source="parse_error")))
    assert garbled.status_code == 200 and garbled.headers["content-type"].startswith("application/rss+xml")
    assert feedparser.parse(garbled.content).entries == []


def test_a_huge_source_streams_more_than_its_size_without_content_length(base_url, world):
    with httpx.stream("GET", url_of(base_url, account_with(world, source="too_large")), timeout=10) as response:
        assert "content-length" not in response.headers
        received = sum(len(chunk) for chunk in response.iter_raw())
    assert received > HUGE_BYTES


def test_a_timing_out_source_answers_only_after_slow_seconds(base_url, world):
    url = url_of(base_url, account_with(world, source="timeout"))
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(url, timeout=SLOW_SECONDS / 4)


@pytest.mark.parametrize(("kind", "get_status", "head_status"), [
    ("ok", 200, 200), ("missing", 404, 404), ("gone", 410, 410), ("error", 500, 500), ("nohead", 200, 405),
    ("redirect", 302, 302),
])
def test_link_targets_answer_get_and_head_with_their_status(base_url, kind, get_status, head_status):
    assert get(f"{base_url}/link/{kind}/n1").status_code == get_status
    assert httpx.head(f"{base_url}/link/{kind}/n1").status_code == head_status


def test_a_redirect_link_ends_on_an_ok_page_and_a_flaky_one_fails_once(base_url):
    final = get(f"{base_url}/link/redirect/n2", follow_redirects=True)
    assert final.status_code == 200 and final.url.path == "/link/ok/n2"
    assert [get(f"{base_url}/link/flaky/n3").status_code for _ in range(3)] == [503, 200, 200]


def test_a_slow_link_takes_slow_seconds(base_url):
    with pytest.raises(httpx.ReadTimeout):
        httpx.head(f"{base_url}/link/slow/n4", timeout=SLOW_SECONDS / 4)


def test_every_post_link_in_a_feed_answers_as_the_manifest_expects(base_url, world):
    listed = manifest(world, Urls(base_url))
    expected = {kind: entry["status"] for kind, entry in listed["link_kinds"].items()}
    account = account_with(world, plant="broken_link")
    html = "".join(e.description for e in feedparser.parse(get(url_of(base_url, account)).content).entries)
    links = {href for href in html.split('"') if "/link/" in href and "/slow/" not in href}
    assert any("/missing/" in link or "/error/" in link or "/gone/" in link for link in links)
    links = sorted(links)
    assert asyncio.run(_fetch_all(links, 50)) == [expected[link.split("/")[4]] for link in links]


def test_article_pages_and_web_listings_give_trafilatura_title_time_and_text(base_url, world):
    account = account_with(world, source="ok", activity="active", platform="app")
    listing = get(url_of(base_url, account))
    post = world.posts(account.key)[0]
    article_url = f"{base_url}/site/{account.key}/{post.id}.html"
    assert article_url in listing.text
    assert article_url in get(f"{base_url}/site/{account.key}/sitemap.xml").text
    extracted = trafilatura.bare_extraction(get(article_url).text, url=article_url, with_metadata=True)
    assert extracted.title == post.title and extracted.date == post.published.date().isoformat()
    assert post.paragraphs[-1] in extracted.text
    assert post.title in get(f"{base_url}/a/{post.id}").text


def test_the_district_notice_of_a_repost_task_is_served_at_its_url(base_url, world):
    task = manifest(world, Urls(base_url))["repost_tasks"][0]
    assert task["title"] in get(task["url"]).text


def test_unknown_accounts_other_platforms_routes_and_formats_are_refused(base_url, world):
    weibo = account_with(world, source="ok", platform="weibo")
    assert get(f"{base_url}/weibo/user/nobody").status_code == 404
    assert get(f"{base_url}/douyin/user/{weibo.key}").status_code == 404
    assert get(url_of(base_url, weibo) + "?format=yaml").status_code == 400
    assert get(f"{base_url}/a/nothing-20260301-0").status_code == 404


def test_the_index_page_lists_every_account_with_its_feed(base_url, world):
    page = get(f"{base_url}/").text
    assert all(url_of(base_url, account) in page for account in world.accounts.values())


def test_the_manifest_over_http_is_the_worlds_manifest(base_url, world):
    assert get(f"{base_url}/_manifest").json() == json.loads(json.dumps(manifest(world, Urls(base_url)),
                                                                        ensure_ascii=False))


def test_latency_delays_every_request_without_holding_up_the_others():
    with serving(sample_world(), options=Options(latency_ms=200)) as base_url:
        started = time.perf_counter()
        assert get(f"{base_url}/link/ok/1").status_code == 200
        assert time.perf_counter() - started >= 0.2
        started = time.perf_counter()
        statuses = asyncio.run(_fetch_all([f"{base_url}/link/ok/{i}" for i in range(50)], 50))
        assert statuses == [200] * 50 and time.perf_counter() - started < 1.0


def test_two_thousand_requests_with_20_ms_latency_finish_in_a_few_seconds():
    world = sample_world()
    keys = [a for a in world.accounts.values() if a.source == "ok"][:100]
    with serving(world, options=Options(latency_ms=20)) as base_url:
        urls = [url_of(base_url, keys[i % 100]) if i % 5 == 0 else f"{base_url}/link/ok/{i}" for i in range(2000)]
        started = time.perf_counter()
        statuses = asyncio.run(_fetch_all(urls, 100))
        elapsed = time.perf_counter() - started
    assert statuses == [200] * 2000
    assert elapsed < 10, elapsed  # one at a time would take 40 s


def test_links_can_be_spread_over_several_loopback_hosts():
    world = sample_world()
    account = account_with(world, source="ok", activity="active", platform="weibo")
    with serving(world, options=Options(link_hosts=("127.0.0.2",))) as base_url:
        html = "".join(e.description for e in feedparser.parse(get(url_of(base_url, account)).content).entries)
        hosts = {httpx.URL(href).host for href in html.split('"') if "/link/" in href}
        assert hosts == {"127.0.0.1", "127.0.0.2"}
        port = httpx.URL(base_url).port
        assert get(f"http://127.0.0.2:{port}/link/ok/1").status_code == 200


def test_a_server_that_cannot_bind_its_port_raises_in_the_caller(base_url, world):
    with pytest.raises(OSError):
        start_in_thread(world, port=httpx.URL(base_url).port)
