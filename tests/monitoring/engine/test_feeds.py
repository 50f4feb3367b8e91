import json
from datetime import UTC, datetime

import pytest

from govmedia.monitoring.engine.feeds import parse_feed, read_feed
from govmedia.monitoring.engine.posts import content_hash
from govmedia.monitoring.engine.types import BROKEN, NOT_MODIFIED, OK, ORIGINAL, REPOST
from tests.monitoring.local_server import Reply

RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}

# As RSSHub's /weibo/user/:uid writes it: an original with pictures (each also as a hidden 0×0 copy at the
# top), a retweet of 人民日报, <stats>, and a guid that is the post's link.
WEIBO = """<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
<channel>
<title>青岛西海岸发布的微博</title>
<link>https://weibo.com/5617179316/</link>
<description>青岛西海岸发布的微博 - Powered by RSSHub</description>
<generator>RSSHub</generator>
<followers_count>1523000</followers_count>
<lastBuildDate>Mon, 02 Mar 2026 03:00:00 GMT</lastBuildDate>
<item>
<title>【关注】西海岸新区2026年春季植树活动启动</title>
<description><![CDATA[<img width="0" height="0" hidden="true" src="https://wx1.sinaimg.cn/large/a1.jpg">【关注】3月2日，西海岸新区2026年春季义务植树活动在藏马山启动，干部群众500余人参加。详情见<a href="https://www.xihaian.gov.cn/xwzx/202603/t20260302_101.html">新区官网</a>。<br><img style="" src="https://wx1.sinaimg.cn/large/a1.jpg"><img style="" src="https://wx2.sinaimg.cn/large/a2.jpg">]]></description>
<link>https://weibo.com/5617179316/PdNvC1a2b</link>
<guid isPermaLink="false">https://weibo.com/5617179316/PdNvC1a2b</guid>
<pubDate>Mon, 02 Mar 2026 02:15:00 GMT</pubDate>
<author>青岛西海岸发布</author>
<stats><reposts_count>35</reposts_count><comments_count>12</comments_count><attitudes_count>208</attitudes_count></stats>
</item>
<item>
<title>转发微博</title>
<description><![CDATA[转发微博<br><blockquote> - 转发 <a href="https://weibo.com/2803301701" target="_blank">@人民日报</a>:&ensp;【#全国两会# 政府工作报告全文】十四届全国人大四次会议开幕。<br><img style="" src="https://wx3.sinaimg.cn/large/r1.jpg"></blockquote>]]></description>
<link>https://weibo.com/5617179316/PdNvD3c4d</link>
<guid isPermaLink="false">https://weibo.com/5617179316/PdNvD3c4d</guid>
<pubDate>Mon, 02 Mar 2026 01:30:00 GMT</pubDate>
<stats><reposts_count>2</reposts_count><comments_count>0</comments_count><attitudes_count>9</attitudes_count></stats>
</item>
<item>
<title>【提醒】明起部分路段交通管制</title>
<description><![CDATA[因道路施工，3月3日至3月10日长江西路部分路段实行交通管制，请绕行。]]></description>
<link>https://weibo.com/5617179316/PdNvE5e6f</link>
<guid isPermaLink="false">https://weibo.com/5617179316/PdNvE5e6f</guid>
</item>
<item>
<title>【关注】西海岸新区2026年春季植树活动启动</title>
<description><![CDATA[重复出现的同一条微博]]></description>
<link>https://weibo.com/5617179316/PdNvC1a2b</link>
<guid isPermaLink="false">https://weibo.com/5617179316/PdNvC1a2b</guid>
</item>
</channel>
</rss>"""

# A WeChat-to-RSS bridge writing Atom: full article HTML as <content type="html">, with the source named.
WECHAT_ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>西海岸新区教体局</title>
<link href="https://mp.weixin.qq.com/"/>
<id>urn:wechat:xhajtj</id>
<updated>2026-03-02T08:00:00+08:00</updated>
<entry>
<title>转载｜教育部：2026年全国中小学春季开学工作要求</title>
<link href="https://mp.weixin.qq.com/s/Qx1Yz2Ab3Cd"/>
<id>https://mp.weixin.qq.com/s/Qx1Yz2Ab3Cd</id>
<published>2026-03-01T19:30:00+08:00</published>
<updated>2026-03-02T07:00:00+08:00</updated>
<content type="html">&lt;section style="color:red"&gt;&lt;p&gt;各地教育部门要做好开学准备工作。&lt;/p&gt;&lt;img src="https://mmbiz.qpic.cn/1.jpg" onerror="alert(1)"&gt;&lt;script&gt;steal()&lt;/script&gt;&lt;p&gt;&lt;a href="javascript:alert(1)"&gt;阅读原文&lt;/a&gt;&lt;/p&gt;&lt;p&gt;来源：教育部政务新媒体“微言教育”&lt;/p&gt;&lt;/section&gt;</content>
</entry>
<entry>
<title>区教体局召开2026年全区教育工作会议</title>
<link href="https://mp.weixin.qq.com/s/Zz9Yy8Xx7"/>
<id>https://mp.weixin.qq.com/s/Zz9Yy8Xx7</id>
<updated>2026-02-27T10:00:00Z</updated>
<content type="html">&lt;p&gt;2月26日，区教体局召开全区教育工作会议。&lt;/p&gt;</content>
</entry>
</feed>"""

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "灵山卫街道 的抖音",
    "home_page_url": "https://www.douyin.com/user/MS4wLjABAAAA",
    "_stats": {"followers_count": "1.2万"},
    "items": [
        {"id": "7340000000000000001", "url": "https://www.douyin.com/video/7340000000000000001",
         "title": "灵山卫街道开展防溺水安全宣传", "content_html": '<p>暑期将至，街道走进社区开展防溺水宣传。</p>'
         '<video src="https://v.douyin.example/1.mp4" poster="https://p.douyin.example/1.jpg"></video>',
         "date_published": "2026-03-01T12:00:00.000Z", "authors": [{"name": "灵山卫街道"}],
         "attachments": [{"url": "https://v.douyin.example/1.mp4", "mime_type": "video/mp4"}],
         "_stats": {"reposts_count": 4, "comments_count": 7, "attitudes_count": 56, "reads_count": "10万+"}},
        {"url": "https://www.douyin.com/video/7340000000000000002", "title": "转自人民网",
         "content_text": "转自人民网：春季防火知识问答", "date_published": "2026-02-28 18:00:00"},
        {"title": "无链接无编号的动态", "content_text": "今日街道开展环境整治。"},
        {"title": "无链接无编号的动态", "content_text": "今日街道开展环境整治。"},
    ],
}


def _by_title(reading):
    return {post.title: post for post in reading.posts}


def test_an_rsshub_weibo_feed_gives_posts_with_times_stats_and_media():
    reading = parse_feed(WEIBO.encode(), url="https://rsshub.example/weibo/user/5617179316")

    assert reading.status == OK and reading.followers == 1523000
    post = _by_title(reading)["【关注】西海岸新区2026年春季植树活动启动"]
    assert post.post_id == post.url == "https://weibo.com/5617179316/PdNvC1a2b"
    assert post.published == datetime(2026, 3, 2, 2, 15, tzinfo=UTC)
    assert (post.shares, post.comments, post.likes, post.reads) == (35, 12, 208, None)
    assert post.media_count == 2  # the hidden copy is the same picture
    assert post.links == ["https://www.xihaian.gov.cn/xwzx/202603/t20260302_101.html"]
    assert post.kind == ORIGINAL and post.author == "青岛西海岸发布"
    assert post.text.startswith("【关注】3月2日，西海岸新区") and "<" not in post.text


def test_a_weibo_retweet_is_a_repost_naming_the_quoted_author():
    post = _by_title(parse_feed(WEIBO.encode()))["转发微博"]

    assert (post.kind, post.repost_source) == (REPOST, "人民日报")
    assert "政府工作报告全文" in post.text


def test_an_item_without_a_date_is_published_none_never_now():
    post = _by_title(parse_feed(WEIBO.encode()))["【提醒】明起部分路段交通管制"]

    assert post.published is None


def test_an_item_repeated_in_the_feed_is_read_once_the_first_time():
    reading = parse_feed(WEIBO.encode())

    assert [post.post_id for post in reading.posts] == [
        "https://weibo.com/5617179316/PdNvC1a2b", "https://weibo.com/5617179316/PdNvD3c4d",
        "https://weibo.com/5617179316/PdNvE5e6f"]
    assert "重复" not in reading.posts[0].text


def test_atom_html_content_is_sanitized_and_its_named_source_makes_it_a_repost():
    reading = parse_feed(WECHAT_ATOM.encode())

    post = _by_title(reading)["转载｜教育部：2026年全国中小学春季开学工作要求"]
    assert post.published == datetime(2026, 3, 1, 11, 30, tzinfo=UTC)  # <published>, not <updated>
    assert "<script" not in post.html and "onerror" not in post.html and "javascript" not in post.html
    assert "style=" not in post.html and "steal" not in post.text
    assert '<img src="https://mmbiz.qpic.cn/1.jpg">' in post.html
    assert (post.kind, post.repost_source) == (REPOST, "教育部政务新媒体微言教育")


def test_atom_updated_stands_in_for_a_missing_published():
    post = _by_title(parse_feed(WECHAT_ATOM.encode()))["区教体局召开2026年全区教育工作会议"]

    assert post.published == datetime(2026, 2, 27, 10, tzinfo=UTC)
    assert post.kind == ORIGINAL


def test_a_json_feed_gives_posts_with_ids_times_media_and_counters():
    reading = parse_feed(json.dumps(JSON_FEED, ensure_ascii=False).encode(), content_type="application/feed+json")

    assert reading.status == OK and reading.followers == 12000
    video, repost, silent = reading.posts
    assert video.post_id == "7340000000000000001" and video.author == "灵山卫街道"
    assert video.published == datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert video.media_count == 1  # the video, also an attachment, with its poster
    assert (video.shares, video.comments, video.likes, video.reads) == (4, 7, 56, 100_000)
    assert repost.post_id == "https://www.douyin.com/video/7340000000000000002"
    assert repost.published == datetime(2026, 2, 28, 10, tzinfo=UTC)  # a zoneless time is Beijing time
    assert (repost.kind, repost.repost_source) == (REPOST, "人民网")
    assert silent.post_id == content_hash("无链接无编号的动态", "今日街道开展环境整治。")


def test_a_json_feed_1_0_with_a_single_author_is_read():
    feed = {"version": "https://jsonfeed.org/version/1", "title": "区水务局", "items": [
        {"id": 42, "content_html": "<p>关于停水的通知</p>", "author": {"name": "区水务局"}}]}

    (post,) = parse_feed(json.dumps(feed).encode()).posts

    assert (post.post_id, post.author, post.published) == ("42", "区水务局", None)


def test_a_feed_with_no_items_is_a_silent_account_not_a_broken_source():
    reading = parse_feed('<?xml version="1.0"?><rss version="2.0"><channel><title>区供水公司</title>'
                         '<link>https://weibo.com/1</link></channel></rss>'.encode())

    assert reading.status == OK and reading.posts == []


@pytest.mark.parametrize("body", [
    b"<!DOCTYPE html><html><head><title>RSSHub</title></head><body><p>Welcome to RSSHub!</p></body></html>",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"<rss version='2.0'><channel><item><description>",
    b'{"status": "error", "message": "route not found"}',
    b"[1, 2, 3]",
    b"{not json",
])
def test_a_body_that_is_not_a_feed_is_a_parse_error(body):
    reading = parse_feed(body)

    assert (reading.status, reading.reason) == (BROKEN, "parse_error")
    assert "不是 RSS、Atom 或 JSON Feed" in reading.detail


def test_a_feed_cut_short_keeps_the_items_before_the_cut():
    reading = parse_feed(WEIBO.encode()[:WEIBO.encode().index("【提醒】".encode())])

    assert reading.status == OK and len(reading.posts) == 2


def test_an_empty_body_is_empty_not_a_silent_feed():
    assert parse_feed(b" \n").reason == "empty"


def test_read_feed_fetches_parses_and_returns_the_validators(local_server):
    local_server.routes["/weibo/user/5617179316"] = Reply(body=WEIBO, headers={**RSS, "ETag": 'W/"abc"'})

    reading = read_feed(local_server.url("/weibo/user/5617179316"), allow_private=True)

    assert reading.status == OK and len(reading.posts) == 3
    assert reading.etag == 'W/"abc"' and reading.http_status == 200
    assert "application/rss+xml" in local_server.requests[0].headers["accept"]


def test_read_feed_asks_conditionally_and_a_304_is_not_modified(local_server):
    local_server.routes["/feed"] = lambda seen: (
        Reply(304) if seen.headers.get("if-none-match") == '"7"' else Reply(body=WEIBO, headers={**RSS, "ETag": '"7"'}))

    first = read_feed(local_server.url("/feed"), allow_private=True)
    again = read_feed(local_server.url("/feed"), etag=first.etag, allow_private=True)

    assert again.status == NOT_MODIFIED and again.posts == []


def test_read_feed_reports_a_broken_source_with_its_reason(local_server):
    local_server.routes["/weibo/user/1"] = Reply(432, "")

    reading = read_feed(local_server.url("/weibo/user/1"), allow_private=True)

    assert (reading.status, reading.reason, reading.http_status) == (BROKEN, "cookies_expired", 432)


def test_read_feed_refuses_loopback_unless_allowed(local_server):
    local_server.routes["/feed"] = Reply(body=WEIBO, headers=RSS)

    assert read_feed(local_server.url("/feed")).reason == "blocked_address"


def test_a_wechat_bridge_rss_with_content_encoded_a_zoneless_time_and_relative_links():
    feed = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>西海岸水务</title><link>https://mp.weixin.qq.com/</link>
<item>
<title>关于3月5日部分区域临时停水的通知</title>
<link>https://mp.weixin.qq.com/s/Tz7Xk2</link>
<description>摘要：因管网维修临时停水</description>
<content:encoded><![CDATA[<p>因供水管网维修，3月5日8:00至18:00部分区域临时停水。</p><p><a href="/s/Other">往期通知</a></p>]]></content:encoded>
<pubDate>2026-03-02 09:30:00</pubDate>
<stats><reads_count>10万+</reads_count><likes_count>1,024</likes_count></stats>
</item>
</channel></rss>"""

    (post,) = parse_feed(feed.encode(), url="https://wechat2rss.example/feed/xhasw.xml").posts

    assert post.url == "https://mp.weixin.qq.com/s/Tz7Xk2"
    assert post.published == datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
    assert post.text.startswith("因供水管网维修") and "摘要" not in post.text
    assert post.links == ["https://mp.weixin.qq.com/s/Other"]
    assert (post.reads, post.likes) == (100_000, 1024)


def test_a_json_feed_item_with_a_malformed_url_loses_its_link_not_the_reading():
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "t", "home_page_url": "http://a.example/",
                       "items": [{"id": "1", "url": "http://[zz/1", "content_html": '<a href="http://[q">一</a>'},
                                 {"id": "2", "url": "http://a.example/2", "content_text": "二"}]}).encode()
    reading = parse_feed(body, url="http://a.example/feed", content_type="application/feed+json")
    assert reading.status == OK and [(p.post_id, p.url, p.links) for p in reading.posts] == [
        ("1", "", []), ("2", "http://a.example/2", [])]
