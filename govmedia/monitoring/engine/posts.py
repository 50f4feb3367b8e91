"""From an item's raw parts (as a feed, a web page or a pushing system gives them) to a FetchedPost: the
HTML sanitized, its text, links and media, repost or original, the counters, and the dedupe key."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from . import reposts
from .sanitize import html_to_text, read_content
from .types import FetchedPost

MAX_ID_CHARS = 300
MAX_TITLE_CHARS = 500
MAX_LINKS = 500  # of one post
MAX_LINK_CHARS = 2000  # what a LinkCheck row holds
COUNTERS = ("reads", "likes", "comments", "shares")
_COUNT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(万|亿|w|k)?\+?\s*$", re.IGNORECASE)
_SCALE = {"万": 10_000, "w": 10_000, "亿": 100_000_000, "k": 1_000}


def count(value) -> int | None:
    """A counter as platforms print it: 1234, "1,234", "1.2万", "10万+" (WeChat's cap); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value) if value >= 0 else None
    found = _COUNT.match(str(value or "").replace(",", ""))
    if not found:
        return None
    return int(float(found.group(1)) * _SCALE.get((found.group(2) or "").lower(), 1))


def content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()


def web_url(url: str, base: str = "") -> str:
    """`url` made absolute against `base`, or "" when it is not http(s)."""
    if not (url or "").strip():
        return ""
    try:
        absolute = urljoin(base, url.strip())
        return absolute if urlsplit(absolute).scheme in ("http", "https") else ""
    except ValueError:  # "http://[x": an untrusted item must not fail its whole reading
        return ""


def bounded_id(value: str, limit: int = MAX_ID_CHARS) -> str:
    """The platform's id as given, or, when longer than `limit`, "sha256:" and its digest: stable, and two
    long ids sharing a prefix never merge as a cut would merge them."""
    return value if len(value) <= limit else "sha256:" + hashlib.sha256(value.encode()).hexdigest()


def build_post(*, guid: str = "", link: str = "", title: str = "", html: str = "", base_url: str = "",
               published: datetime | None = None, author: str = "", media: Iterable[str] = (),
               counters: dict | None = None) -> FetchedPost:
    """A FetchedPost from one item: `html` is untrusted, `media` are enclosure/attachment URLs, `counters`
    maps reads/likes/comments/shares to raw values. post_id is the guid, else the link, else the hash."""
    url = web_url(link, base_url)
    content = read_content(html, base_url=url or base_url, own_url=url)
    if "<" in title:
        title = html_to_text(title)
    title = " ".join(title.split())[:MAX_TITLE_CHARS]
    kind, source = reposts.detect(title=title, text=content.text, html=content.html)
    digest = content_hash(title, content.text)
    counters = counters or {}
    return FetchedPost(
        post_id=bounded_id(guid.strip() or url or digest), url=url, title=title, published=published,
        text=content.text, html=content.html, kind=kind, repost_source=source, links=content.links,
        media_count=len({*content.media, *(web_url(m, url or base_url) for m in media)} - {""}),
        author=" ".join(author.split())[:200], content_hash=digest,
        **{name: count(counters.get(name)) for name in COUNTERS},
    )
