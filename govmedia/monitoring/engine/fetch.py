"""One HTTP GET for every connector, inside a budget, with every failure named.

The addresses come from users and from ingested posts, so each hop of a redirect chain passes the SSRF
guard, and the connection itself goes to the address the guard approved (a name that resolves to a
public address for the check and a private one for the connection gets nowhere). The body is streamed
and counted as it is decompressed, so neither a huge page nor a gzip bomb is ever held whole. One
attempt only: retrying with backoff is the scheduler's decision.

A failure is returned, not raised: a `SourceReading(status=BROKEN, reason=…, detail=…)` whose detail is
Chinese evidence (the status line, what the page said). A page that answers 200 but is a captcha, a
login form or blank is a failure too: the account did not go silent, the source stopped showing it.
"""

from __future__ import annotations

import functools
import re
import ssl
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from . import netguard
from .sanitize import html_to_text
from .types import BROKEN, NOT_MODIFIED, SourceReading

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 15.0
DEADLINE = 30.0  # the whole fetch, redirects included: a server dripping one byte a second stops here
USER_AGENT = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/126.0 Safari/537.36 govmedia-monitor/0.1 (government new-media supervision)")
ACCEPT_ANY = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ACCEPT_FEED = ("application/rss+xml,application/atom+xml,application/feed+json,application/json;q=0.9,"
               "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5")
_DETAIL_CHARS = 500
MAX_ETAG_CHARS, MAX_LAST_MODIFIED_CHARS = 300, 100
_EVIDENCE_BYTES = 64 * 1024  # read of an error page, for what it says
_SNIFF_BYTES = 256 * 1024  # looked at for captcha, login and blank pages
_SHORT_PAGE = 300  # visible characters: a challenge or login page says little; an article says more
_CHALLENGE_CHARS = 15  # "安全验证", "人机验证 - 抖音": a challenge's title is the challenge
_REDIRECTS = {301, 302, 303, 307, 308}

_CAPTCHA_WORDS = re.compile(r"验证码|安全验证|人机验证|滑块|拖动.{0,6}验证|请完成.{0,4}验证|访问验证|captcha"
                            r"|verify you are human|are you a robot", re.IGNORECASE)
# Markup of the challenge pages in use (Douyin/ByteDance WAF, GeeTest, Tencent and Aliyun sliders, Sina's
# visitor system): names in scripts and ids, never in prose.
_CAPTCHA_CODE = re.compile(r"_wafchallengeid|byted_acrawler|bdturing|verifycenter|verify\.snssdk\.com|geetest"
                           r"|tcaptcha|nc_1_n1z|slide-?verify|slider-?captcha|captcha\.js|Sina Visitor System",
                           re.IGNORECASE)
_LOGIN_TITLE = re.compile(r"(?:^|[\s_|\-—–·:：])(?:用户|账号|帐号|会员|统一身份认证|微博)?(?:登录|登入|log\s?in|sign\s?in)"
                          r"(?:$|[\s_|\-—–·:：])", re.IGNORECASE)
_LOGIN_URL = re.compile(r"passport\.|/login|/signin|/sso/", re.IGNORECASE)
_PASSWORD_INPUT = re.compile(r"""<input[^>]+type\s*=\s*["']?password""", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
# RSSHub's error page shows the upstream failure in <code class="… details">.
_RSSHUB_MESSAGE = re.compile(r"""<code[^>]*class=["'][^"']*\bdetails\b[^"']*["'][^>]*>(.*?)</code>""",
                             re.IGNORECASE | re.DOTALL)
_UPSTREAM_432 = re.compile(r"\b432\b|cookies? expired|WEIBO_COOKIES", re.IGNORECASE)
_UPSTREAM_LIMITED = re.compile(r"\b(?:418|429)\b|too many requests|-352\b|rate limit", re.IGNORECASE)


@dataclass(slots=True, frozen=True)
class FetchResponse:
    """A 2xx answer whose body was read whole (within the cap) and is not a captcha, login or blank page."""

    url: str  # where the body came from, after redirects
    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    # Validators too long to store are dropped: the next request is then simply unconditional.
    @property
    def etag(self) -> str:
        value = self.headers.get("etag", "")
        return value if len(value) <= MAX_ETAG_CHARS else ""

    @property
    def last_modified(self) -> str:
        value = self.headers.get("last-modified", "")
        return value if len(value) <= MAX_LAST_MODIFIED_CHARS else ""

    @property
    def text(self) -> str:
        return decode(self.body, self.headers.get("content-type", ""))


def decode(data: bytes, content_type: str = "") -> str:
    """The declared charset, else UTF-8, else GB18030 (much of the Chinese web), never an exception."""
    declared = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    for encoding in ([declared.group(1)] if declared else []) + ["utf-8-sig", "gb18030"]:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")


def broken(reason: str, detail: str, http_status: int | None = None) -> SourceReading:
    return SourceReading(status=BROKEN, reason=reason, detail=detail[:_DETAIL_CHARS], http_status=http_status)


class _GuardedBackend(httpcore.NetworkBackend):
    """Connects only to the addresses the SSRF guard approved for the host, at connection time."""

    def __init__(self, allow_private: bool):
        self._inner = httpcore.SyncBackend()
        self._allow_private = allow_private

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = netguard.check_host(host, port, allow_private=self._allow_private)
        failure: Exception | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                               socket_options=socket_options)
            except httpcore.ConnectError as error:  # refused on this address: the next may answer
                failure = error
        raise failure or httpcore.ConnectError(f"{host} 没有可连接的地址")

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise httpcore.ConnectError("不支持本地套接字")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()  # loading the CA bundle takes tens of ms: once per process


@contextmanager
def borrowed(fetcher: Fetcher | None, *, allow_private: bool) -> Iterator[Fetcher]:
    """The caller's fetcher (its own allow_private rules), or a fresh one closed afterwards."""
    if fetcher is not None:
        yield fetcher
        return
    with Fetcher(allow_private=allow_private) as own:
        yield own


class Fetcher:
    """A connection pool for many fetches (one source's listing and articles, or a cycle's feeds).

    Thread-safe. Environment proxies are ignored: behind a proxy the guard would check the proxy, not the
    target."""

    def __init__(self, *, allow_private: bool = False, connect_timeout: float = CONNECT_TIMEOUT,
                 timeout: float = READ_TIMEOUT, max_connections: int = 20):
        self.allow_private = allow_private
        self.connect_timeout, self.timeout = connect_timeout, timeout
        transport = httpx.HTTPTransport(verify=_ssl_context(), trust_env=False)
        # httpx has no public hook for the network backend, which is where the connection address is chosen.
        transport._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(), network_backend=_GuardedBackend(allow_private),
            max_connections=max_connections, max_keepalive_connections=max_connections, keepalive_expiry=5.0,
        )
        self._client = httpx.Client(
            transport=transport, trust_env=False, follow_redirects=False,
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            headers={"User-Agent": USER_AGENT, "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
                     "Accept-Encoding": "gzip"},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def fetch(self, url: str, *, etag: str = "", last_modified: str = "", accept: str = ACCEPT_ANY,
              max_bytes: int = DEFAULT_MAX_BYTES, deadline: float = DEADLINE) -> FetchResponse | SourceReading:
        """GET `url` once: a FetchResponse, or a SourceReading that is NOT_MODIFIED (304) or BROKEN."""
        started = time.monotonic()
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current, until = url, started + deadline
        for _hop in range(MAX_REDIRECTS + 1):
            # Each wait is bounded by what is left of the deadline too, so a chain of slow hops stops in time.
            left = until - time.monotonic()
            if left <= 0:
                return broken("timeout", f"超过总时限 {deadline:g} 秒，停在 {current[:200]}")
            wait = min(self.timeout, left)
            try:
                netguard.check_url(current, allow_private=self.allow_private)
                request = self._client.build_request(
                    "GET", current, headers=headers, timeout=httpx.Timeout(wait, connect=min(self.connect_timeout, left)))
                response = self._client.send(request, stream=True)
            except Exception as error:  # classified; anything unknown is re-raised there
                return self._failure(error, current, wait)
            try:
                location = response.headers.get("location", "")
                if response.status_code in _REDIRECTS and location:
                    current = urljoin(str(response.url), location.strip())
                    continue
                return self._answer(response, etag, last_modified, max_bytes, until, deadline)
            except Exception as error:
                return self._failure(error, current, wait)
            finally:
                response.close()
        return broken("too_many_redirects", f"重定向超过 {MAX_REDIRECTS} 次，最后指向 {current[:200]}")

    def _answer(self, response: httpx.Response, etag: str, last_modified: str, max_bytes: int, until: float,
                deadline: float) -> FetchResponse | SourceReading:
        status = response.status_code
        if status == 304:
            return SourceReading(status=NOT_MODIFIED, http_status=304,
                                 etag=response.headers.get("etag", etag),
                                 last_modified=response.headers.get("last-modified", last_modified))
        if status >= 400:
            evidence = _read(response, _EVIDENCE_BYTES, until, deadline, truncate=True)
            return _http_error(response, evidence if isinstance(evidence, bytes) else b"")
        if not 200 <= status < 300:
            return broken("http_client_error", f"服务器返回 HTTP {status}，既不是内容也不是有效的重定向", status)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            return broken("too_large", f"响应体 {int(declared)} 字节，超过上限 {_size(max_bytes)}，未读取", status)
        body = _read(response, max_bytes, until, deadline)
        if isinstance(body, SourceReading):
            return body
        problem = page_problem(body, response.headers.get("content-type", ""), str(response.url))
        if problem:
            return broken(*problem, http_status=status)
        return FetchResponse(url=str(response.url), status=status, headers=response.headers, body=body)

    def _failure(self, error: Exception, url: str, wait: float) -> SourceReading:
        host = urlsplit(url).netloc or url[:100]
        if isinstance(error, netguard.BlockedAddress):
            return broken("blocked_address", str(error))
        if isinstance(error, netguard.UnresolvableHost):
            return broken("dns_failure", str(error))
        if isinstance(error, httpx.ConnectTimeout):
            return broken("timeout", f"连接 {host} 超时（{self.connect_timeout:g} 秒内未建立连接）")
        if isinstance(error, httpx.TimeoutException):
            return broken("timeout", f"{host} 在 {wait:g} 秒内没有响应数据")
        if isinstance(error, httpx.InvalidURL | httpx.UnsupportedProtocol):
            return broken("connection_error", f"链接格式无效：{url[:200]}")
        tls = _cause(error, ssl.SSLError)
        if tls is not None:
            return broken("tls_error", f"与 {host} 的 TLS 握手失败：{getattr(tls, 'reason', None) or tls}")
        if _cause(error, ConnectionRefusedError) is not None:
            return broken("connection_error", f"{host} 拒绝连接（端口未开放或服务未运行）")
        if isinstance(error, httpx.RemoteProtocolError):
            return broken("connection_error", f"{host} 中途断开连接或响应不符合 HTTP 协议：{error}")
        if isinstance(error, httpx.TransportError):
            return broken("connection_error", f"无法连接 {host}：{error or type(error).__name__}")
        raise error


def _cause(error: BaseException, kind: type) -> BaseException | None:
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, kind):
            return error
        error, seen = error.__cause__ or error.__context__, seen + 1
    return None


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:g} MB" if count >= 1024 * 1024 else f"{count} 字节"


def _read(response: httpx.Response, cap: int, until: float, deadline: float, *,
          truncate: bool = False) -> bytes | SourceReading:
    """The decoded body, counting every decompressed byte against `cap`; over it, too_large (or, for
    evidence, the first `cap` bytes) without reading the rest."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding in ("gzip", "x-gzip", "deflate"):
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, detected
    elif encoding in ("", "identity"):
        inflater = None
    else:
        return broken("parse_error", f"服务器使用了未请求的压缩编码 {encoding[:40]}", response.status_code)
    body = bytearray()
    try:
        for raw in response.iter_raw():  # as the network gives it: a chunk size would wait to fill it
            pending = raw
            while pending:
                if inflater is None:
                    body += pending
                    pending = b""
                else:
                    body += inflater.decompress(pending, cap - len(body) + 1)
                    pending = inflater.unconsumed_tail
                if len(body) > cap:
                    if truncate:
                        return bytes(body[:cap])
                    return broken("too_large", f"响应体超过上限 {_size(cap)}，已在读到上限时停止", response.status_code)
            if time.monotonic() > until:
                return broken("timeout", f"读取响应体超过总时限 {deadline:g} 秒", response.status_code)
    except zlib.error:
        return broken("parse_error", "压缩数据损坏，无法解压", response.status_code)
    return bytes(body)


def _http_error(response: httpx.Response, evidence: bytes) -> SourceReading:
    status = response.status_code
    line = f"服务器返回 HTTP {status} {response.reason_phrase}".rstrip()
    text = decode(evidence, response.headers.get("content-type", ""))
    rsshub = _RSSHUB_MESSAGE.search(text)
    said = html_to_text(rsshub.group(1)) if rsshub else _gist(text)
    retry = response.headers.get("retry-after", "")
    if status == 432:
        return broken("cookies_expired", f"{line}：微博登录凭据（Cookie）已过期，需更新", status)
    if status in (418, 429):
        return broken("rate_limited", f"{line}：请求过快被限流" + (f"，建议 {retry[:20]} 秒后再试" if retry else ""),
                      status)
    if rsshub and _UPSTREAM_432.search(said):
        return broken("cookies_expired", f"{line}，RSSHub 报告上游登录凭据（Cookie）已过期：{said}", status)
    if rsshub and _UPSTREAM_LIMITED.search(said):
        return broken("rate_limited", f"{line}，RSSHub 报告上游限流：{said}", status)
    reason = "http_client_error" if status < 500 else "http_server_error"
    return broken(reason, f"{line}：{said}" if said else line, status)


def _gist(text: str) -> str:
    """The first words a page shows, for evidence."""
    if "<" in text[:2000]:
        text = html_to_text(text)
    return " ".join(text.split())[:200]


def _looks_like_html(head: str, content_type: str) -> bool:
    start = head.lstrip("\ufeff \t\r\n").lower()
    if start.startswith(("<?xml", "<rss", "<feed", "<rdf", "<urlset", "<sitemapindex", "{", "[")):
        return False
    return start.startswith(("<!doctype html", "<html", "<head", "<body")) or "html" in content_type.lower()


def page_problem(body: bytes, content_type: str, url: str) -> tuple[str, str] | None:
    """(reason, detail) when a 200 answer is a blank page, a captcha or a login form instead of content."""
    if not body.strip():
        return "empty", f"服务器返回了空白内容（{len(body)} 字节）"
    head = decode(body[:_SNIFF_BYTES], content_type)
    if not _looks_like_html(head, content_type):
        return None
    found = _TITLE.search(head)
    title = " ".join(html_to_text(found.group(1)).split()) if found else ""
    shown = html_to_text(head)
    if title and shown.startswith(title):
        shown = shown[len(title):]
    shown = " ".join(shown.split())
    short = len(shown) < _SHORT_PAGE
    # Only a short page with a short title can be a challenge: an article warning of 验证码 fraud, or a
    # notice titled 关于启用短信验证码登录的通知, says more.
    challenge = _CAPTCHA_CODE.search(head) or (len(title) <= _CHALLENGE_CHARS and (
        _CAPTCHA_WORDS.search(title) or (len(shown) <= 4 * _CHALLENGE_CHARS and _CAPTCHA_WORDS.search(shown))))
    if short and challenge:
        return "captcha", f"返回的是验证码/人机验证页（标题“{title[:60]}”）：{shown[:120]}"
    if (len(title) <= 40 and _LOGIN_TITLE.search(title)) or (
            short and (_PASSWORD_INPUT.search(head) or _LOGIN_URL.search(urlsplit(url).netloc + urlsplit(url).path))):
        return "login_page", f"返回的是登录页而不是内容（标题“{title[:60]}”，地址 {url[:150]}）"
    if not shown:
        return "empty", f"页面没有任何可见文字（{len(body)} 字节，标题“{title[:60]}”）"
    return None


def fetch(url: str, *, etag: str = "", last_modified: str = "", allow_private: bool = False,
          accept: str = ACCEPT_ANY, connect_timeout: float = CONNECT_TIMEOUT, timeout: float = READ_TIMEOUT,
          deadline: float = DEADLINE, max_bytes: int = DEFAULT_MAX_BYTES) -> FetchResponse | SourceReading:
    """One GET with its own connection pool; see `Fetcher.fetch`."""
    with Fetcher(allow_private=allow_private, connect_timeout=connect_timeout, timeout=timeout) as fetcher:
        return fetcher.fetch(url, etag=etag, last_modified=last_modified, accept=accept, max_bytes=max_bytes,
                             deadline=deadline)
