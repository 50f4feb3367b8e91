"""Required reposts (art. 11): whether a post carries out a repost task the district office issued.

A post completes a task by link when it links to the task's notice (the URL compared without scheme, host
case, default port, trailing slash, fragment and tracking parameters), or by title when its title or first
line contains the task's title or one of its match phrases (compared without width, case, spaces, quotes
and punctuation).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from .types import FetchedPost

# A phrase shorter than this, once normalised, would match unrelated posts (通知, 转发), so it is not used.
MIN_PHRASE = 4
# Share and analytics parameters platforms append to the same page (WeChat, Weibo, Toutiao, Bilibili, UTM).
TRACKING_PARAMS = frozenset({
    "spm", "from", "scene", "srcid", "chksm", "sharer_sharetime", "sharer_shareid", "sharer_shareinfo",
    "sharer_shareinfo_first", "isappinstalled", "clicktime", "enterid", "mpshare", "wxfrom", "share_token",
    "share_source", "share_medium", "share_from", "share_plat", "share_tag", "tt_from", "vd_source",
    "from_source", "timestamp", "ts", "exportkey", "pass_ticket", "wx_header", "ascene", "devicetype",
    "version", "lang", "nettype", "fontscale", "sessionid", "subscene", "poc_token", "key", "uin",
})
_URL_RE = re.compile(r"https?://[^\s<>\"'，。；、）】》]+", re.IGNORECASE)
_NOISE_RE = re.compile(r"[\W_]+")

Completion = Literal["link", "title"]


@dataclass(frozen=True, slots=True)
class RepostTaskFacts:
    title: str
    url: str = ""  # the notice to repost
    phrases: tuple[str, ...] = ()  # further phrases whose presence in a title counts as the repost


def normalize_url(url: str) -> str:
    """The URL as compared: host and path, and the query without tracking parameters, sorted."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return ""
    if not host:
        return ""
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = unquote(parts.path).rstrip("/")
    query = sorted((name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True)
                   if name.lower() not in TRACKING_PARAMS and not name.lower().startswith("utm_"))
    return f"{netloc}{path}" + (f"?{urlencode(query)}" if query else "")


def normalize_title(text: str) -> str:
    return _NOISE_RE.sub("", unicodedata.normalize("NFKC", text).casefold())


def _first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


def completion(task: RepostTaskFacts, post: FetchedPost) -> Completion | None:
    """How `post` carries out `task`: "link", "title", or None when it does not."""
    target = normalize_url(task.url) if task.url else ""
    if target:
        candidates = [*post.links, post.url, *_URL_RE.findall(post.text)]
        if any(normalize_url(candidate) == target for candidate in candidates if candidate):
            return "link"
    phrases = [key for phrase in (task.title, *task.phrases) if len(key := normalize_title(phrase)) >= MIN_PHRASE]
    heads = [normalize_title(post.title), normalize_title(_first_line(post.text))]
    if any(phrase in head for phrase in phrases for head in heads):
        return "title"
    return None
