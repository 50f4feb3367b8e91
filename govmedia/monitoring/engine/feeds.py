"""Feeds as RSSHub and the WeChat-to-RSS bridges write them: RSS 2.0 and Atom (feedparser), JSON Feed 1.0
and 1.1 (read here: feedparser does not know it).

Each item becomes a FetchedPost: its id is the guid, else the link, else a hash of title and text, and a
feed repeating an item yields it once. An item without a time has `published=None`, never 'now'. HTML is
sanitized (feedparser's own sanitizer and URL resolution are turned off: nh3 does both, faster). RSSHub's
non-standard `<stats>` (reposts_count, comments_count, attitudes_count) fill shares, comments and likes.

A feed with no items is a silent account, not a broken source; a page that is not a feed is a parse error.
"""

from __future__ import annotations

import html as html_lib
import json

import feedparser

from . import dates
from .fetch import ACCEPT_FEED, DEFAULT_MAX_BYTES, Fetcher, FetchResponse, borrowed, broken
from .posts import build_post, count, web_url
from .types import OK, FetchedPost, SourceReading

# Where a bridge puts a counter: RSSHub's <stats> children, the same names under JSON Feed's "_stats".
_COUNTERS = {
    "shares": ("reposts_count", "shares_count", "forwards_count"),
    "comments": ("comments_count",),
    "likes": ("attitudes_count", "likes_count"),
    "reads": ("reads_count", "read_count", "views_count"),
}
_FOLLOWERS = ("followers_count", "fans_count", "subscribers_count")
# Not errors of the feed: a charset declared wrongly, or an XML feed served as text/html.
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


def _counters(raw: dict) -> dict:
    found = {}
    for name, keys in _COUNTERS.items():
        for key in keys:
            if raw.get(key) not in (None, ""):
                found[name] = raw[key]
                break
    return found


def _dedupe(posts: list[tuple[str, FetchedPost]]) -> list[FetchedPost]:
    """By guid, then (for items without one) link, then (without either) content hash; the first stays."""
    guids, links, hashes, ids, kept = set(), set(), set(), set(), []
    for guid, post in posts:
        if guid:
            duplicate = guid in guids
        elif post.url:
            duplicate = post.url in links
        else:
            duplicate = post.content_hash in hashes
        # One item's guid may be another's link: the ids handed on stay unique all the same.
        duplicate = duplicate or post.post_id in ids
        guids.add(guid)
        ids.add(post.post_id)
        links.add(post.url)
        hashes.add(post.content_hash)
        if not duplicate:
            kept.append(post)
    return kept


def _has_content(post: FetchedPost) -> bool:
    return bool(post.url or post.title or post.text or post.media_count)


def _plain(text: str) -> str:
    return "<p>" + html_lib.escape(text).replace("\n", "<br>") + "</p>"


def _entry_html(entry) -> str:
    """The fullest body: <content> / <content:encoded> before <description> / <summary>."""
    for part in entry.get("content") or ():
        if "html" in (part.get("type") or "html"):
            return part.get("value") or ""
    for part in entry.get("content") or ():
        return _plain(part.get("value") or "")
    detail = entry.get("summary_detail") or {}
    summary = entry.get("summary") or ""
    return summary if "html" in (detail.get("type") or "html") else _plain(summary)


def _entry_time(entry):
    for key in ("published", "updated", "created"):
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return dates.from_struct(parsed, entry.get(key, ""))
        if entry.get(key):  # a format feedparser does not know, e.g. 2026年3月2日 09:30
            moment = dates.parse(entry[key])
            if moment:
                return moment
    return None


def _parse_xml(body: bytes, url: str, content_type: str) -> SourceReading:
    parsed = feedparser.parse(body, response_headers={"content-type": content_type or "application/xml",
                                                      "content-location": url},
                              sanitize_html=False, resolve_relative_uris=False)
    if not parsed.version:
        return _not_a_feed(body)
    channel_link = web_url(parsed.feed.get("link", ""), url) or url
    items = []
    for entry in parsed.entries:
        media = [web_url(e.get("href") or e.get("url") or "", channel_link)
                 for e in [*entry.get("enclosures", ()), *entry.get("media_content", ())]]
        post = build_post(guid=entry.get("id") or "", link=entry.get("link") or "", title=entry.get("title") or "",
                          html=_entry_html(entry), base_url=channel_link, published=_entry_time(entry),
                          author=entry.get("author") or "", media=media, counters=_counters(entry))
        items.append((entry.get("id") or "", post))
    items = [(guid, post) for guid, post in items if guid or _has_content(post)]
    problem = parsed.get("bozo_exception")
    # A feed cut short keeps the items before the cut; one that breaks before any item is not read at all.
    if not items and problem and not isinstance(problem, _HARMLESS):
        return _not_a_feed(body)
    followers = next((count(parsed.feed[k]) for k in _FOLLOWERS if parsed.feed.get(k) not in (None, "")), None)
    return SourceReading(status=OK, posts=_dedupe(items), followers=followers)


def _parse_json(body: bytes, url: str) -> SourceReading:
    try:
        feed = json.loads(body)
    except (ValueError, RecursionError):
        return _not_a_feed(body)
    if not (isinstance(feed, dict) and str(feed.get("version", "")).startswith("https://jsonfeed.org/version/")
            and isinstance(feed.get("items", []), list)):
        return _not_a_feed(body)
    home = web_url(feed.get("home_page_url") or "", url) or url
    items = []
    for item in feed.get("items") or []:
        if not isinstance(item, dict):
            continue
        if item.get("content_html"):
            raw_html = str(item["content_html"])
        else:
            raw_html = _plain(str(item.get("content_text") or item.get("summary") or ""))
        authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        author = next((str(a.get("name") or "") for a in authors if isinstance(a, dict)), "")
        attachments = [a.get("url") for a in item.get("attachments") or () if isinstance(a, dict)]
        media = [web_url(str(m), home) for m in [item.get("image"), item.get("banner_image"), *attachments] if m]
        extra = item.get("_extra") if isinstance(item.get("_extra"), dict) else {}
        stats = item.get("_stats") or extra.get("stats") or {}
        guid = str(item.get("id") or "")
        post = build_post(guid=guid, link=str(item.get("url") or item.get("external_url") or ""),
                          title=str(item.get("title") or ""), html=raw_html, base_url=home,
                          published=dates.parse(str(item.get("date_published") or item.get("date_modified") or "")),
                          author=author, media=media, counters=_counters(stats if isinstance(stats, dict) else {}))
        items.append((guid, post))
    items = [(guid, post) for guid, post in items if guid or _has_content(post)]
    stats = feed.get("_stats") if isinstance(feed.get("_stats"), dict) else {}
    followers = next((count(stats[k]) for k in _FOLLOWERS if stats.get(k) not in (None, "")), None)
    return SourceReading(status=OK, posts=_dedupe(items), followers=followers)


def _not_a_feed(body: bytes) -> SourceReading:
    start = " ".join(body[:300].decode("utf-8", errors="replace").split())[:80]
    return broken("parse_error", f"内容不是 RSS、Atom 或 JSON Feed，开头为“{start}”")


def parse_feed(body: bytes, *, url: str = "", content_type: str = "") -> SourceReading:
    """Read a feed's bytes: OK with its posts (maybe none), or BROKEN (empty, parse_error)."""
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        return broken("empty", "订阅源内容为空")
    if stripped[:1] in (b"{", b"[") or "json" in content_type.lower():
        return _parse_json(body, url)
    return _parse_xml(body, url, content_type)


def read_feed(url: str, *, etag: str = "", last_modified: str = "", allow_private: bool = False,
              max_bytes: int = DEFAULT_MAX_BYTES, fetcher: Fetcher | None = None) -> SourceReading:
    """Fetch a feed (conditionally) and parse it. The reading carries the new etag and last_modified."""
    with borrowed(fetcher, allow_private=allow_private) as client:
        answer = client.fetch(url, etag=etag, last_modified=last_modified, accept=ACCEPT_FEED, max_bytes=max_bytes)
    if not isinstance(answer, FetchResponse):
        return answer
    reading = parse_feed(answer.body, url=answer.url, content_type=answer.headers.get("content-type", ""))
    reading.http_status = answer.status
    if reading.status == OK:
        reading.etag, reading.last_modified = answer.etag, answer.last_modified
    return reading
