"""The link checker: one verdict per link per day, from an async client that is polite to every host.

    checker = LinkChecker(cache=MemoryCache())                 # production defaults
    verdicts = checker.check_many(urls, today=clock.today())   # {url as given: LinkVerdict}

A verdict's `url` is the normalized link (see `normalize_url`), the key of the cache.

How a link is judged:
- Each hop is requested with HEAD first. A HEAD answered with a 4xx (other than 408/429) is taken as the
  server not supporting HEAD, and GET decides; a GET body is read to at most 64 KiB, then the connection
  is dropped rather than the body downloaded.
- Connection errors, 408, 429, 500, 502, 503 and 504 are retried `retries` times with exponential
  backoff and jitter, timeouts `timeout_retries` times (default once: each try of a hanging page costs a
  full `timeout`, and the page is checked again the next day); a link waiting for its retry gives its worker back. Retry-After is
  obeyed, for every request to that host, when it asks for at most `max_retry_after` seconds; a longer
  wait is not worth a link check, so the answer stands (429 is then a client_error).
- Redirects are followed by hand, at most `max_redirects`, so each hop passes the SSRF guard
  (netguard) and the host limits of its own host. Too many redirects, or a loop, is a client_error.
- Limits: `concurrency` requests in all, `per_host` at once per `host:port`, and request starts to one host
  at least `host_interval` seconds apart. The defaults (64, 8, 0.1 s) suit production; a benchmark that
  serves every link from one local port is one host, so it sets `per_host` and `host_interval` itself.
- Environment proxies are ignored: a proxy would resolve names itself, past the guard.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import ssl
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Protocol
from urllib.parse import urljoin, urlsplit, urlunsplit

import aiohttp

from govmedia.monitoring.engine import netguard
from govmedia.monitoring.engine.linkhosts import Guard, GuardedResolver, HostGates, HostQueue, host_key
from govmedia.monitoring.engine.types import LinkVerdict

DEFAULT_USER_AGENT = "Mozilla/5.0 (compatible; govmedia-linkcheck/1.0)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
BODY_PEEK = 64 * 1024
DNS_THREADS = 32
CLOSE = {"Connection": "close"}
# Errors a check can end in; anything else is a bug and should surface.
CHECK_ERRORS = (netguard.BlockedAddress, netguard.UnresolvableHost, aiohttp.ClientError, TimeoutError,
                OSError, ValueError)


class VerdictCache(Protocol):
    """Where verdicts are kept per day. `check_many` calls it outside the event loop, so it may block."""

    def get(self, url: str, day: date) -> LinkVerdict | None: ...

    def put(self, url: str, day: date, verdict: LinkVerdict) -> None: ...


class MemoryCache:
    """Verdicts of the latest day only: the first verdict of a new day drops the older days', so a
    long-running worker does not grow without end. A verdict for a day older than the latest is ignored."""

    def __init__(self) -> None:
        self._day: date | None = None
        self._verdicts: dict[str, LinkVerdict] = {}

    def get(self, url: str, day: date) -> LinkVerdict | None:
        return self._verdicts.get(url) if day == self._day else None

    def put(self, url: str, day: date, verdict: LinkVerdict) -> None:
        if self._day is None or day > self._day:
            self._day, self._verdicts = day, {}
        if day == self._day:
            self._verdicts[url] = verdict


def normalize_url(url: str) -> str:
    """The form a link is checked and cached under: no fragment, scheme and host in lower case, no default
    port, '/' for an empty path. A URL that does not parse is only stripped; its check reports it."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url.partition("#")[0]
    scheme = parts.scheme.lower()
    if not parts.hostname:
        return urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = (f"{userinfo}@" if userinfo else "") + host
    if port is not None and port != {"http": 80, "https": 443}.get(scheme):
        netloc += f":{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After in seconds from now (it may be a number or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def classify_error(error: BaseException, *, timeout: float) -> tuple[str, str]:
    """The verdict and a Chinese detail for a request that got no HTTP answer."""
    match error:
        case netguard.BlockedAddress():
            return "blocked", str(error)
        case netguard.UnresolvableHost():
            return "dns_failure", str(error)
        case aiohttp.ClientConnectorDNSError():
            return "dns_failure", f"域名解析失败：{error}"
        case aiohttp.ClientSSLError() | ssl.SSLError() | aiohttp.ServerFingerprintMismatch():
            return "tls_error", f"TLS/证书错误：{error}"
        case TimeoutError():
            return "timeout", f"{timeout:g} 秒内未得到响应"
        case ValueError():
            return "client_error", f"链接格式无效：{error}"
        case _:
            return "connection_error", f"无法连接：{error or type(error).__name__}"


def status_verdict(status: int) -> str:
    if status >= 500:
        return "server_error"
    if status >= 400:
        return "client_error"
    return "ok"


@dataclass(slots=True)
class _Link:
    """A link being checked: where it has got to, so a retry can wait without a worker and resume."""

    url: str
    trail: list[str]  # every URL requested, the link first: a failure after redirects says where it was
    method: str = "HEAD"
    attempt: int = 0  # tries of the current hop


class LinkChecker:
    def __init__(self, *, allow_private: bool = False, cache: VerdictCache | None = None,
                 concurrency: int = 64, per_host: int = 8, host_interval: float = 0.1,
                 timeout: float = 10.0, retries: int = 2, timeout_retries: int = 1, backoff: float = 0.5,
                 max_backoff: float = 8.0,
                 max_retry_after: float = 30.0, max_redirects: int = 5,
                 user_agent: str = DEFAULT_USER_AGENT, rng: random.Random | None = None) -> None:
        if concurrency < 1 or per_host < 1:
            raise ValueError(f"并发数须至少为 1：concurrency={concurrency}，per_host={per_host}")
        self.allow_private = allow_private
        self.cache: VerdictCache = cache if cache is not None else MemoryCache()
        self.concurrency = concurrency
        self.per_host = per_host
        self.host_interval = host_interval
        self.timeout = timeout
        self.retries = retries
        self.timeout_retries = timeout_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        self._rng = rng or random.Random()

    def check_many(self, urls: Iterable[str], *, today: date | None = None) -> dict[str, LinkVerdict]:
        """A verdict for every URL given (keys as given). Links with a verdict cached for `today` are not
        requested; each distinct link (fragments aside) is requested once. Runs its own event loop."""
        day = today or date.today()
        links, found, missing = self._look_up(urls, day)
        if missing:
            found |= self._store(asyncio.run(self._check_uncached(missing)), day)
        return {url: found[normal] for url, normal in links.items()}

    async def check_many_async(self, urls: Iterable[str], *,
                               today: date | None = None) -> dict[str, LinkVerdict]:
        """`check_many` inside a running loop. The cache is called in the loop here, so it must not block
        (the in-memory one is fine; a database one belongs with `check_many`)."""
        day = today or date.today()
        links, found, missing = self._look_up(urls, day)
        if missing:
            found |= self._store(await self._check_uncached(missing), day)
        return {url: found[normal] for url, normal in links.items()}

    def retry_delay(self, attempt: int) -> float:
        """Exponential backoff after the `attempt`-th try, with jitter so many links' retries spread out."""
        return min(self.max_backoff, self.backoff * 2 ** (attempt - 1) * self._rng.uniform(0.5, 1.5))

    def _look_up(self, urls: Iterable[str],
                 day: date) -> tuple[dict[str, str], dict[str, LinkVerdict], list[str]]:
        links = {url: normalize_url(url) for url in urls}
        found: dict[str, LinkVerdict] = {}
        missing: list[str] = []
        for normal in dict.fromkeys(links.values()):
            verdict = self.cache.get(normal, day)
            if verdict is None:
                missing.append(normal)
            else:
                found[normal] = verdict
        return links, found, missing

    def _store(self, verdicts: dict[str, LinkVerdict], day: date) -> dict[str, LinkVerdict]:
        for url, verdict in verdicts.items():
            self.cache.put(url, day, verdict)
        return verdicts

    async def _check_uncached(self, urls: list[str]) -> dict[str, LinkVerdict]:
        """Check distinct normalized URLs with a fixed pool of workers, so memory stays bounded however
        many links there are: at most `concurrency` links are being worked on at once."""
        queue: HostQueue[_Link] = HostQueue(self.per_host)
        for url in urls:
            queue.add(host_key(url), _Link(url, [url]))
        results: dict[str, LinkVerdict] = {}
        executor = ThreadPoolExecutor(max_workers=DNS_THREADS, thread_name_prefix="linkcheck-dns")
        guard = Guard(allow_private=self.allow_private, executor=executor, dns_timeout=self.timeout)
        connector = aiohttp.TCPConnector(limit=self.concurrency, limit_per_host=0, use_dns_cache=False,
                                         resolver=GuardedResolver(guard))
        session = aiohttp.ClientSession(
            connector=connector, timeout=aiohttp.ClientTimeout(total=self.timeout),
            headers={"User-Agent": self.user_agent}, cookie_jar=aiohttp.DummyCookieJar(), trust_env=False,
            # Real sites send long cookies and CSP headers; the defaults would call them broken.
            max_line_size=32 * 1024, max_field_size=32 * 1024)
        run = _Run(self, session, guard, HostGates(self.per_host, self.host_interval), queue)

        async def worker() -> None:
            while (taken := await queue.take()) is not None:
                host, link = taken
                outcome = await run.advance(link)
                if isinstance(outcome, LinkVerdict):
                    results[link.url] = outcome
                    await queue.done(host)
                else:
                    await queue.retry_later(host, link, host_key(link.trail[-1]), outcome)

        try:
            async with session:
                await asyncio.gather(*(worker() for _ in range(min(self.concurrency, len(urls)))))
        finally:
            # A lookup stuck in the resolver must not hold the batch up; its thread ends on its own.
            executor.shutdown(wait=False, cancel_futures=True)
        return results


class _Run:
    """One batch's checking: the session, guard, host gates and queue the workers share."""

    def __init__(self, checker: LinkChecker, session: aiohttp.ClientSession, guard: Guard,
                 gates: HostGates, queue: HostQueue[_Link]) -> None:
        self.checker = checker
        self.session = session
        self.guard = guard
        self.gates = gates
        self.queue = queue

    async def advance(self, link: _Link) -> LinkVerdict | float:
        """Take `link` as far as it goes: its verdict, or the seconds to wait before its next try.

        HEAD switches to GET for good after anything but an answer below 400: GET is what a reader's
        browser does, so it has the last word.
        """
        checker = self.checker
        try:
            while True:
                current = link.trail[-1]
                await self.guard.check_url(current)
                link.attempt += 1
                try:
                    status, location, retry_after = await self._send(link.method, current)
                except CHECK_ERRORS as error:
                    verdict, detail = classify_error(error, timeout=checker.timeout)
                    allowed = checker.timeout_retries if verdict == "timeout" else checker.retries
                    if verdict not in ("timeout", "connection_error") or link.attempt > allowed:
                        return self._failed(link, verdict, detail)
                    link.method = "GET"
                    return checker.retry_delay(link.attempt)
                if status in RETRY_STATUSES:
                    if link.attempt <= checker.retries and (retry_after or 0) <= checker.max_retry_after:
                        if retry_after is not None:
                            self.gates[host_key(current)].hold_off(retry_after)
                        link.method = "GET"
                        return checker.retry_delay(link.attempt)
                elif link.method == "HEAD" and status >= 400:
                    link.method, link.attempt = "GET", link.attempt - 1  # HEAD unsupported: not a try
                    continue
                if status not in REDIRECT_STATUSES or not location:
                    return self._verdict(link, status)
                target = urljoin(current, location).partition("#")[0]
                hops = len(link.trail) - 1
                problem = ("重定向循环：回到 " + target[:200] if target in link.trail
                           else f"重定向超过 {checker.max_redirects} 次" if hops == checker.max_redirects
                           else "")
                if problem:
                    return LinkVerdict(link.url, "client_error", http_status=status, final_url=current,
                                       detail=problem)
                link.trail.append(target)
                link.method, link.attempt = "HEAD", 0
        except CHECK_ERRORS as error:  # refused by the guard, or a Location that is no URL
            verdict, detail = classify_error(error, timeout=checker.timeout)
            return self._failed(link, verdict, detail)

    @staticmethod
    def _failed(link: _Link, verdict: str, detail: str) -> LinkVerdict:
        if link.attempt > 1:
            detail += f"（共尝试 {link.attempt} 次）"
        return LinkVerdict(link.url, verdict, final_url=_final_url(link), detail=detail)

    @staticmethod
    def _verdict(link: _Link, status: int) -> LinkVerdict:
        verdict, hops = status_verdict(status), len(link.trail) - 1
        if verdict == "ok":
            detail = f"经 {hops} 次重定向" if hops else ""
            verdict = "redirect" if hops else "ok"
        else:
            detail = f"HTTP {status}"
        if link.attempt > 1:
            detail += f"（共尝试 {link.attempt} 次）" if detail else f"共尝试 {link.attempt} 次"
        return LinkVerdict(link.url, verdict, http_status=status, final_url=_final_url(link), detail=detail)

    async def _send(self, method: str, url: str) -> tuple[int, str | None, float | None]:
        host = host_key(url)
        # Idle connections count against no limit, so keeping one to every host of a batch with thousands
        # of hosts would run out of file descriptors: a host with no more links waiting is told to close.
        headers = None if self.queue.has_pending(host) else CLOSE
        async with self.gates[host].slot(), self.session.request(method, url, allow_redirects=False,
                                                                 headers=headers) as response:
            await _peek(response)
            return (response.status, response.headers.get("Location"),
                    retry_after_seconds(response.headers.get("Retry-After")))


def _final_url(link: _Link) -> str:
    return link.trail[-1] if len(link.trail) > 1 else ""


async def _peek(response: aiohttp.ClientResponse) -> None:
    """Read at most BODY_PEEK bytes of the body, so a short body leaves the connection reusable and a long
    one is cut off by closing the connection instead of being downloaded."""
    read = 0
    while read < BODY_PEEK:
        chunk = await response.content.read(BODY_PEEK)
        if not chunk:
            return
        read += len(chunk)
    if not response.content.at_eof():
        response.close()
