"""Web sites and apps' web pages: a listing page (栏目页) or a sitemap gives the article links, the newest
few are fetched, and trafilatura extracts title, publish date and text.

The listing decides the source's health: when it fails, the source is broken. One article page failing
is noted and skipped; all of them failing breaks the source too, since the account would otherwise look
silent when the site only stopped showing its articles.
"""

from __future__ import annotations

import re
import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urldefrag, urljoin, urlsplit

import trafilatura
from lxml import etree
from lxml.html import tostring
from trafilatura.htmlprocessing import convert_to_html

from . import dates
from .fetch import DEFAULT_MAX_BYTES, Fetcher, FetchResponse, borrowed, broken
from .posts import build_post
from .types import OK, FetchedPost, SourceReading

DEFAULT_LIMIT = 20
SITE_DEADLINE = 120.0  # all pages of one reading; what is left is read next time
MAX_CHILD_SITEMAPS = 3
_NOT_ARTICLES = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|wps|zip|rar|7z|jpe?g|png|gif|webp|mp4|mp3|apk|exe|css|js)$",
                           re.IGNORECASE)
_INDEX_PAGE = re.compile(r"^(?:index|list|default|more)(?:_\d+)?(?:\.\w+)?$", re.IGNORECASE)
_PAGING = re.compile(r"(?:^|&)(?:page|pageindex|pageno|pagenum|p)=", re.IGNORECASE)
# Dates in article paths: t20260302_101.html, /2026-03/02/, /art/2026/3/2/art_1_2.html.
_PATH_DATE = re.compile(r"(?<!\d)(20\d{2})(?:(\d{2})(\d{2})|[-/_](\d{1,2})[-/_](\d{1,2}))(?!\d)")
# Chinese government pages label their date, sometimes with tags between label and value.
_LABELLED = re.compile(r"(?:发布时间|发布日期|发表时间|发文日期|成文日期|日期|时间)\s*[:：]?(?:\s|&nbsp;|<[^<>]{0,200}>)*(?=\d{4})")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


@dataclass(slots=True)
class _Candidate:
    url: str
    order: int
    when: tuple[int, int, int] | None


def _same_host(url: str, host: str) -> bool:
    return (urlsplit(url).hostname or "").lower() == host


def _path_date(url: str) -> tuple[int, int, int] | None:
    found = _PATH_DATE.search(urlsplit(url).path)
    if not found:
        return None
    year, month, day = found.group(1), found.group(2) or found.group(4), found.group(3) or found.group(5)
    return int(year), int(month), int(day)


def _looks_like_article(url: str, listing: str) -> bool:
    parts = urlsplit(url)
    last = parts.path.rstrip("/").rsplit("/", 1)[-1]
    return (url != listing and bool(re.search(r"\d{4}", parts.path)) and not _INDEX_PAGE.match(last)
            and not _NOT_ARTICLES.search(parts.path) and not _PAGING.search(parts.query))


def listing_links(page: str, base_url: str) -> list[str]:
    """Article links of a listing page, same host, newest first (by the date in the path, else page order)."""
    host = (urlsplit(base_url).hostname or "").lower()
    root = etree.fromstring(_XML_DECLARATION.sub("", page, count=1) or "<html/>",
                            etree.HTMLParser(recover=True, no_network=True, remove_comments=True))
    listing = urldefrag(base_url)[0]
    found: dict[str, _Candidate] = {}
    for anchor in root.iter("a") if root is not None else ():
        url = urldefrag(urljoin(base_url, (anchor.get("href") or "").strip()))[0]
        if urlsplit(url).scheme in ("http", "https") and _same_host(url, host) and _looks_like_article(url, listing):
            found.setdefault(url, _Candidate(url, len(found), _path_date(url)))
    return _newest_first(found.values())


def _newest_first(candidates) -> list[str]:
    ordered = sorted(candidates, key=lambda c: (c.when is None, tuple(-n for n in c.when or ()), c.order))
    return [c.url for c in ordered]


def _sitemap_entries(body: bytes) -> tuple[list[tuple[str, datetime | None]], bool] | None:
    """(entries, is_index) of a sitemap or sitemap index; None when the body is not one."""
    head = body[:2048]
    if b"<urlset" not in head and b"<sitemapindex" not in head:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return None
    if root is None or etree.QName(root).localname not in ("urlset", "sitemapindex"):
        return None
    entries = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        loc = node.find("{*}loc")
        lastmod = node.find("{*}lastmod")
        if loc is not None and loc.text:
            entries.append((loc.text.strip(), dates.parse(lastmod.text or "") if lastmod is not None else None))
    return entries, etree.QName(root).localname == "sitemapindex"


def _by_lastmod(entries: list[tuple[str, datetime | None]]) -> list[str]:
    ordered = sorted(enumerate(entries), key=lambda e: (e[1][1] is None, -e[1][1].timestamp() if e[1][1] else 0, e[0]))
    return [url for _, (url, _) in ordered]


def sitemap_links(fetcher: Fetcher, body: bytes, base_url: str, *,
                  max_bytes: int) -> list[str] | SourceReading | None:
    """Same-host article URLs of a sitemap, by <lastmod>, newest first; of a sitemap index, those of its
    newest few sitemaps (the first failure when none of them can be read). None when it is no sitemap."""
    read = _sitemap_entries(body)
    if read is None:
        return None
    entries, is_index = read
    host = (urlsplit(base_url).hostname or "").lower()
    if is_index:
        children = [url for url in _by_lastmod(entries) if _same_host(url, host)][:MAX_CHILD_SITEMAPS]
        entries, failure = [], None
        for child in children:
            answer = fetcher.fetch(child, max_bytes=max_bytes)
            if isinstance(answer, FetchResponse):
                entries += (_sitemap_entries(answer.body) or ([], False))[0]
            else:
                failure = failure or answer
        if failure and not entries:
            return failure
    # Column pages are listed too, and their lastmod moves with every new article: articles only.
    return [url for url in _by_lastmod(entries) if urlsplit(url).scheme in ("http", "https")
            and _same_host(url, host) and _looks_like_article(url, base_url)]


def _publish_time(found: str | None, page: str) -> datetime | None:
    """trafilatura's date (a day), with the time of day when the page prints one beside that day; else the
    date the page labels 发布时间 (htmldate's strict search does not read 2026年03月01日)."""
    head = page[:500_000]
    day = dates.parse(found or "")
    if day is None:
        label = _LABELLED.search(head)
        match = dates.LOCAL_DATETIME.match(head, label.end()) if label else None
        return dates.match_to_datetime(match) if match else None
    local = day.astimezone(dates.BEIJING)
    for match in dates.LOCAL_DATETIME.finditer(head):
        if match.group(4) and tuple(int(g) for g in match.groups()[:3]) == (local.year, local.month, local.day):
            return dates.match_to_datetime(match) or day
    return day


def extract_article(page: str, url: str, *, now: datetime) -> FetchedPost | None:
    """Title, publish time and text of one article page; None when trafilatura finds no article in it."""
    # htmldate refuses dates after max_date; a server in UTC would otherwise refuse today's Beijing date.
    # Its extensive search took seconds on a plain article and guessed 2026-01-01 there: the strict one only.
    latest = (now.astimezone(dates.BEIJING) + timedelta(days=1)).strftime("%Y-%m-%d")
    document = trafilatura.bare_extraction(
        page, url=url, with_metadata=True, include_links=True, include_images=True, include_comments=False,
        date_extraction_params={"original_date": True, "extensive_search": False, "max_date": latest},
    )
    if document is None or document.body is None:
        return None
    body = tostring(convert_to_html(document.body), encoding="unicode")
    return build_post(guid=url, link=url, title=document.title or "", html=body, base_url=url,
                      published=_publish_time(document.date, page), author=document.author or "")


def read_site(url: str, *, etag: str = "", last_modified: str = "", allow_private: bool = False,
              limit: int = DEFAULT_LIMIT, skip: Collection[str] = (), now: datetime | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES, deadline: float = SITE_DEADLINE,
              fetcher: Fetcher | None = None) -> SourceReading:
    """Read a listing page or sitemap and its `limit` newest articles; those in `skip` (article URLs already
    read) are not fetched again. `now` bounds the dates trafilatura accepts (default: the real time)."""
    with borrowed(fetcher, allow_private=allow_private) as client:
        return _read_site(client, url, etag=etag, last_modified=last_modified, limit=limit, skip=skip,
                          now=now or datetime.now(UTC), max_bytes=max_bytes, until=time.monotonic() + deadline)


def _read_site(fetcher: Fetcher, url: str, *, etag, last_modified, limit, skip, now, max_bytes,
               until) -> SourceReading:
    answer = fetcher.fetch(url, etag=etag, last_modified=last_modified, max_bytes=max_bytes)
    if not isinstance(answer, FetchResponse):
        return answer
    candidates = sitemap_links(fetcher, answer.body, answer.url, max_bytes=max_bytes)
    if isinstance(candidates, SourceReading):
        return candidates
    if candidates is None:
        candidates = listing_links(answer.text, answer.url)
        if not candidates:
            return broken("parse_error", f"栏目页 {answer.url[:200]} 上没有找到本站文章链接，"
                                         "请改用站点地图（sitemap.xml）或订阅源", answer.status)
    posts: list[FetchedPost] = []
    failures: list[tuple[str, SourceReading]] = []
    unread = 0
    for article_url in [c for c in candidates[:limit] if c not in skip]:
        if time.monotonic() > until:
            unread += 1
            continue
        post = _read_article(fetcher, article_url, now=now, max_bytes=max_bytes)
        if isinstance(post, SourceReading):
            failures.append((article_url, post))
        else:
            posts.append(post)
    if failures and not posts and not unread:
        first_url, first = failures[0]
        return broken(first.reason, f"栏目页正常，但 {len(failures)} 篇文章页全部读取失败，"
                                    f"如 {first_url[:150]}：{first.detail}", first.http_status)
    notes = [f"{len(failures)} 篇文章页读取失败，如 {failures[0][0][:150]}：{failures[0][1].detail}"] if failures else []
    if unread:
        notes.append(f"超过本次读取时限，{unread} 篇文章留待下次读取")
    # Validators only for a complete reading: otherwise a 304 next time would hide what is still unread.
    complete = not notes
    return SourceReading(status=OK, posts=posts, detail="；".join(notes)[:500], http_status=answer.status,
                         etag=answer.etag if complete else "", last_modified=answer.last_modified if complete else "")


def _read_article(fetcher: Fetcher, url: str, *, now: datetime, max_bytes: int) -> FetchedPost | SourceReading:
    answer = fetcher.fetch(url, max_bytes=max_bytes)
    if not isinstance(answer, FetchResponse):
        return answer
    post = extract_article(answer.text, url, now=now)
    if post is None:
        return broken("parse_error", "页面中没有可提取的正文", answer.status)
    return post
