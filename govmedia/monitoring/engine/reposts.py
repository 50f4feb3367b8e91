"""Reposts (art. 11): is a post a repost and which outlet does it name (`detect`), and does a post carry
out a repost task the district office issued (`completion`)?

Is it a repost? Signs, strongest first:
- a Weibo retweet as RSSHub renders it: a <blockquote> opening with the quoted author's "@name" link;
- the source named in the text: 来源：新华社, （来源：人民网）, 转自人民日报, 转载自“学习强国”, 摘自《求是》,
  source: Xinhua;
- a Weibo repost chain: 转发理由//@人民日报:…;
- a post that calls itself a repost without naming anyone: 【转载】, 转发微博, 转载：….

"欢迎转发", "转载请注明出处" and "资金来源：" are not signs: they invite sharing, claim originality or name
where money or data come from. Only the words "来源" and "转自" standing as a label count.

Does it carry out a task? By link when it links to the task's notice (the URL compared without scheme,
host case, default port, trailing slash, fragment and tracking parameters), or by title when its title or
first line contains the task's title or one of its match phrases (compared without width, case, spaces,
quotes and punctuation).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from .types import ORIGINAL, REPOST, FetchedPost

MAX_SOURCE_CHARS = 40
_CJK = r"\u3400-\u9fff"
# The label may follow these words (信息来源, 本文转自); any other Chinese character before it makes it
# part of another word (资金来源, 运转自如).
_LABEL_PREFIX = rf"(?:(?<![{_CJK}])|(?<=信息|文章|稿件|新闻|内容|本文|消息|原文|转载|素材))"
_NAMED = re.compile(
    rf"{_LABEL_PREFIX}(?:来源|出处)\s*[:：丨|｜]\s*(?P<a>[^\n]+)"
    rf"|{_LABEL_PREFIX}(?:转载自|转载于|转自|摘自|摘编自)\s*[:：]?\s*(?P<b>[^\n]+)"
    r"|(?<![A-Za-z])source\s*[:：]\s*(?P<c>[^\n]+)",
    re.IGNORECASE,
)
# Where a named outlet ends: punctuation, a bracket (its ID follows, or the label's closes), a link, or a
# space that is not between two Latin words ("新华社 记者：张三" ends at the space, "Xinhua News Agency" does not).
_NAME_END = re.compile(r"[，。；;,、！!？?|｜丨（(【\[<>)）】\]〕]|https?:|(?<![A-Za-z])\s|\s(?![A-Za-z])")
_QUOTES = re.compile(r"[\"'“”‘’《》〈〉「」『』]")  # decoration: 《人民日报》 and 人民日报 are one outlet
_EDGES = "【】[]()（）<> \t:：·-—"
_CHAIN = re.compile(r"//\s*@([^:：\s/]{1,30})\s*[:：]")
_MARKER = re.compile(r"^\s*(?:[【\[〔(（]\s*(?:转载|转发|转)\s*[】\]〕)）]|(?:转载|转发)\s*[:：|｜丨])|转发微博|^\s*Repost\b",
                     re.IGNORECASE)
# RSSHub weibo: <blockquote> - 转发 <a href="https://weibo.com/1234">@人民日报</a>:&ensp;…
_QUOTED_AUTHOR = re.compile(
    r"<blockquote[^>]*>\s*(?:-\s*转发\s*)?(?:<(?!/?a\b)[^>]*>\s*)*<a\b[^>]*>\s*(?:<[^>]+>\s*)*@([^<]{1,40}?)\s*<",
    re.IGNORECASE,
)
_DELETED_ORIGINAL = "原微博不可访问"


def normalize_source(name: str) -> str:
    """An outlet's name as compared against the approved list: NFKC, no quotes or brackets, one space."""
    name = unicodedata.normalize("NFKC", name).strip()
    end = _NAME_END.search(name, 1)
    if end:
        name = name[:end.start()]
    name = " ".join(_QUOTES.sub("", name).split()).strip(_EDGES)
    return name[:MAX_SOURCE_CHARS]


def detect(*, title: str, text: str, html: str = "") -> tuple[str, str]:
    """(ORIGINAL or REPOST, the named source or ""). `html` is the sanitized HTML, `text` its text."""
    quoted = _QUOTED_AUTHOR.search(html) if html else None
    if quoted:
        name = normalize_source(quoted.group(1))
        return REPOST, "" if _DELETED_ORIGINAL in name else name
    for where in (title, text):
        for found in _NAMED.finditer(where):
            name = normalize_source(found.group("a") or found.group("b") or found.group("c") or "")
            if name:
                return REPOST, name
    chain = _CHAIN.findall(text)
    if chain:
        return REPOST, normalize_source(chain[-1])  # the last link of the chain is nearest the original
    if _MARKER.search(title) or _MARKER.search(text):
        return REPOST, ""
    return ORIGINAL, ""


# -- repost tasks ---------------------------------------------------------------------------------------

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


def page_key(url: str) -> str:
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


def title_key(text: str) -> str:
    return _NOISE_RE.sub("", unicodedata.normalize("NFKC", text).casefold())


def _first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


def completion(task: RepostTaskFacts, post: FetchedPost) -> Completion | None:
    """How `post` carries out `task`: "link", "title", or None when it does not."""
    target = page_key(task.url) if task.url else ""
    if target:
        candidates = [*post.links, post.url, *_URL_RE.findall(post.text)]
        if any(page_key(candidate) == target for candidate in candidates if candidate):
            return "link"
    phrases = [key for phrase in (task.title, *task.phrases) if len(key := title_key(phrase)) >= MIN_PHRASE]
    heads = [title_key(post.title), title_key(_first_line(post.text))]
    if any(phrase in head for phrase in phrases for head in heads):
        return "title"
    return None
