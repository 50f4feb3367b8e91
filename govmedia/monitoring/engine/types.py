"""What the engine's parts hand each other: a source reading, a post, a link verdict, a finding."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

ORIGINAL, REPOST = "original", "repost"

# Source health. A broken source says nothing about whether the account published.
OK, BROKEN, NOT_MODIFIED = "ok", "broken", "not_modified"

# Why a source is broken: stable codes, with Chinese labels for the UI.
BROKEN_REASONS: dict[str, str] = {
    "http_client_error": "HTTP 4xx 错误",
    "http_server_error": "HTTP 5xx 错误",
    "rate_limited": "请求过快被限流",
    "cookies_expired": "登录凭据（Cookie）已过期",
    "captcha": "遇到验证码页",
    "login_page": "遇到登录页",
    "empty": "页面为空",
    "parse_error": "内容无法解析",
    "timeout": "请求超时",
    "too_large": "响应体超过上限",
    "connection_error": "无法连接",
    "dns_failure": "域名解析失败",
    "tls_error": "TLS/证书错误",
    "blocked_address": "目标为内网或本机地址，已按安全策略拒绝",
    "too_many_redirects": "重定向次数过多",
}


@dataclass(slots=True)
class FetchedPost:
    """One post as a source presents it. Text and HTML are untrusted; `html` is already sanitized."""

    post_id: str  # the platform's id (guid), else the link, else a content hash: the dedupe key
    url: str = ""
    title: str = ""
    published: datetime | None = None  # None when the source gives no time: never 'now'
    text: str = ""
    html: str = ""
    kind: str = ORIGINAL
    repost_source: str = ""  # the source a repost names, "" when it names none
    links: list[str] = field(default_factory=list)
    media_count: int = 0
    author: str = ""
    reads: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    content_hash: str = ""


@dataclass(slots=True)
class SourceReading:
    """The result of reading one source once."""

    status: str  # OK, BROKEN or NOT_MODIFIED
    reason: str = ""  # a BROKEN_REASONS code when broken
    detail: str = ""  # human-readable evidence (status line, what was seen)
    http_status: int | None = None
    posts: list[FetchedPost] = field(default_factory=list)
    etag: str = ""
    last_modified: str = ""
    followers: int | None = None


# Link verdicts. `redirect` ends at a working page; `blocked` is the SSRF guard refusing a private target,
# which says nothing about the link, so it is not counted as broken.
LINK_VERDICTS: dict[str, str] = {
    "ok": "正常",
    "redirect": "重定向",
    "client_error": "客户端错误（4xx）",
    "server_error": "服务器错误（5xx）",
    "dns_failure": "域名解析失败",
    "timeout": "超时",
    "tls_error": "TLS/证书错误",
    "connection_error": "无法连接",
    "blocked": "内网地址，未检查",
}
BROKEN_VERDICTS = frozenset({"client_error", "server_error", "dns_failure", "timeout", "tls_error",
                             "connection_error"})


@dataclass(slots=True)
class LinkVerdict:
    url: str
    verdict: str  # one of linkcheck.VERDICTS
    http_status: int | None = None
    final_url: str = ""
    detail: str = ""

    @property
    def is_broken(self) -> bool:
        return self.verdict in BROKEN_VERDICTS


@dataclass(slots=True)
class PostFinding:
    """A problem in one post. `start`/`end` are offsets into the post's text when the problem is in it."""

    code: str
    category: str
    text: str = ""
    start: int | None = None
    end: int | None = None
    detail: str = ""
    severity: str = ""
    suggestion: str = ""
    lexicon_version: str = ""
    url: str = ""
    http_status: int | None = None

    def key(self) -> str:
        """What makes the same problem found again the same finding."""
        return f"{self.code}|{self.start}|{self.end}|{self.text}|{self.url}"


@dataclass(slots=True)
class AccountFinding:
    """A problem of an account over a window (silence, no originals, overdue repost, followers)."""

    code: str
    detail: str
    key: str  # what makes it the same finding when found again, e.g. the silent stretch's first day
    evidence: dict = field(default_factory=dict)
