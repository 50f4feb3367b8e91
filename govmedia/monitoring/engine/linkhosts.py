"""How the link checker shares hosts out: which link a worker takes next, how fast each host is asked, and
which addresses a connection may reach.

A host here is `host:port`, so a benchmark serving every link from one local port is one host, and
links spread over several names or ports are several.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import socket
from collections import deque
from collections.abc import AsyncIterator
from concurrent.futures import Executor
from contextlib import asynccontextmanager
from functools import partial
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult

from govmedia.monitoring.engine import netguard


def host_key(url: str) -> str:
    """`host:port` of a URL (default port filled in); the URL itself when it does not parse (its check
    fails without a request, so it needs no host of its own)."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return url
    return f"{parts.hostname or ''}:{port}"


class HostQueue[T]:
    """Work items (links) grouped by host and handed out round robin, at most `per_host` at a time per host;
    an item can come back to wait for a retry without keeping a worker.

    Round robin means a batch dominated by one host keeps the other hosts' links moving instead of every
    worker queueing on the busy host's limit. Waiting outside the workers matters because a retry waits
    seconds while a normal link takes milliseconds: 3 % of links retrying would otherwise keep most
    workers asleep.
    """

    def __init__(self, per_host: int) -> None:
        self._per_host = per_host
        self._pending: dict[str, deque[T]] = {}
        self._taken: dict[str, int] = {}
        # Invariant: a host is in `_ready` exactly when it has pending items and fewer than per_host taken.
        self._ready: deque[str] = deque()
        self._waiting: list[tuple[float, int, str, T]] = []  # heap of (due, tie-breaker, host, item)
        self._order = itertools.count()
        self._left = 0  # items not handed out: pending or waiting
        self._changed = asyncio.Condition()

    def add(self, host: str, item: T) -> None:
        """Queue an item before the workers start."""
        self._put(host, item)
        self._left += 1

    def has_pending(self, host: str) -> bool:
        return bool(self._pending.get(host))

    async def take(self) -> tuple[str, T] | None:
        """The next (host, item) to work on, or None when nothing is left to hand out."""
        loop = asyncio.get_running_loop()
        async with self._changed:
            while True:
                while self._waiting and self._waiting[0][0] <= loop.time():
                    _, _, host, item = heapq.heappop(self._waiting)
                    self._put(host, item, first=True)
                if self._ready:
                    break
                if not self._left:
                    return None
                wake = self._waiting[0][0] - loop.time() if self._waiting else None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), wake)
            host = self._ready.popleft()
            item = self._pending[host].popleft()
            self._left -= 1
            self._taken[host] += 1
            if self._pending[host] and self._taken[host] < self._per_host:
                self._ready.append(host)
            if not self._left:
                self._changed.notify_all()  # nothing left to wait for: the waiters may stop
            elif self._ready:
                self._changed.notify(1)  # more work is ready (e.g. several retries fell due): pass it on
            return host, item

    async def done(self, host: str) -> None:
        async with self._changed:
            self._free(host)

    async def retry_later(self, host: str, item: T, next_host: str, delay: float) -> None:
        """Give back an item taken from `host`, to be handed out again for `next_host` after `delay` s."""
        async with self._changed:
            self._free(host)
            due = asyncio.get_running_loop().time() + delay
            heapq.heappush(self._waiting, (due, next(self._order), next_host, item))
            self._left += 1
            self._changed.notify(1)  # a waiter may be sleeping past this item's due time

    def _put(self, host: str, item: T, *, first: bool = False) -> None:
        links = self._pending.get(host)
        if links is None:
            links = self._pending[host] = deque()
            self._taken[host] = 0
        if not links and self._taken[host] < self._per_host:
            self._ready.append(host)
        # A retried link goes first, so the batch does not end on a tail of links still being retried.
        if first:
            links.appendleft(item)
        else:
            links.append(item)

    def _free(self, host: str) -> None:
        self._taken[host] -= 1
        if self._pending[host]:
            if self._taken[host] == self._per_host - 1:
                self._ready.append(host)
            # One slot came free, so one waiter can use it: waking them all would cost a wake-up per
            # waiting worker for every finished link.
            self._changed.notify(1)


class HostGate:
    """Per-host concurrency limit and politeness interval, passed by every request, including retries and
    redirect hops to other hosts.

    The interval is the minimum time between two request starts to the host; a server's Retry-After pushes
    the next start back for every request to that host, not just the one that was told.
    """

    def __init__(self, per_host: int, interval: float) -> None:
        self._slots = asyncio.Semaphore(per_host)
        self._interval = interval
        self._next_start = 0.0

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._slots:
            loop = asyncio.get_running_loop()
            now = loop.time()
            start = max(now, self._next_start)
            self._next_start = start + self._interval
            if start > now:
                await asyncio.sleep(start - now)
            yield

    def hold_off(self, seconds: float) -> None:
        self._next_start = max(self._next_start, asyncio.get_running_loop().time() + seconds)


class HostGates:
    def __init__(self, per_host: int, interval: float) -> None:
        self._per_host = per_host
        self._interval = interval
        self._gates: dict[str, HostGate] = {}

    def __getitem__(self, host: str) -> HostGate:
        gate = self._gates.get(host)
        if gate is None:
            gate = self._gates[host] = HostGate(self._per_host, self._interval)
        return gate


class _Memo:
    """Each key's guard lookup runs once in `executor`; concurrent and later askers share its outcome."""

    def __init__(self, executor: Executor, timeout: float) -> None:
        self._executor = executor
        self._timeout = timeout
        self._futures: dict[tuple, asyncio.Future] = {}

    async def get(self, key: tuple, call, host: str):
        future = self._futures.get(key)
        if future is None:
            future = asyncio.get_running_loop().run_in_executor(self._executor, partial(_outcome, call))
            self._futures[key] = future
        if not future.done():
            try:
                # Shielded: one asker giving up must not cancel the lookup the others share.
                await asyncio.wait_for(asyncio.shield(future), self._timeout)
            except TimeoutError as error:
                raise netguard.UnresolvableHost(f"域名 {host} 解析超时（{self._timeout:g} 秒）") from error
        value, error = future.result()
        if error is not None:
            # A fresh exception per asker: re-raising one instance would grow its traceback each time.
            raise type(error)(str(error))
        return value


def _outcome(call):
    """The guard's answer as a value, so a lookup nobody waits for any more is not logged as lost."""
    try:
        return call(), None
    except (netguard.BlockedAddress, netguard.UnresolvableHost) as error:
        return None, error


class Guard:
    """The SSRF guard for one batch: every hop's URL is checked before it is requested (aiohttp skips the
    resolver for address literals), and the resolver hands connections only addresses the guard passed."""

    def __init__(self, *, allow_private: bool, executor: Executor, dns_timeout: float) -> None:
        self.allow_private = allow_private
        self._urls = _Memo(executor, dns_timeout)
        self._hosts = _Memo(executor, dns_timeout)

    async def check_url(self, url: str) -> None:
        """Raise netguard.BlockedAddress or UnresolvableHost when `url` may not be fetched."""
        parts = urlsplit(url)
        call = partial(netguard.check_url, url, allow_private=self.allow_private)
        await self._urls.get((parts.scheme, parts.netloc.lower()), call, parts.hostname or "")

    async def addresses(self, host: str, port: int) -> list[str]:
        call = partial(netguard.check_host, host, port, allow_private=self.allow_private)
        return await self._hosts.get((host, port), call, host)


class GuardedResolver(AbstractResolver):
    """aiohttp's resolver: only the addresses the guard checked, so a name re-resolving to an internal
    address between the check and the connection (DNS rebinding) cannot slip through."""

    def __init__(self, guard: Guard) -> None:
        self._guard = guard

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        return [{"hostname": host, "host": address, "port": port,
                 "family": socket.AF_INET6 if ":" in address else socket.AF_INET,
                 "proto": 0, "flags": socket.AI_NUMERICHOST}
                for address in await self._guard.addresses(host, port)]

    async def close(self) -> None:
        pass
