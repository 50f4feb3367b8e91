import asyncio
from concurrent.futures import ThreadPoolExecutor

import aiohttp
import pytest

from govmedia.monitoring.engine import netguard
from govmedia.monitoring.engine.linkhosts import Guard, GuardedResolver, HostGate, HostQueue, host_key


@pytest.mark.parametrize(("url", "key"), [
    ("http://Example.org/a", "example.org:80"),
    ("https://example.org/a", "example.org:443"),
    ("http://127.0.0.1:8080/", "127.0.0.1:8080"),
    ("http://[bad/", "http://[bad/"),
])
def test_a_host_is_its_name_and_port(url, key):
    assert host_key(url) == key


def queue_of(items: list[tuple[str, str]], per_host: int) -> HostQueue[str]:
    queue: HostQueue[str] = HostQueue(per_host)
    for host, item in items:
        queue.add(host, item)
    return queue


def test_the_queue_hands_hosts_out_round_robin_and_at_most_per_host_at_once():
    async def scenario():
        queue = queue_of([("a", f"a{i}") for i in range(4)] + [("b", "b1"), ("b", "b2")], per_host=2)
        taken = [await queue.take() for _ in range(4)]
        assert taken == [("a", "a0"), ("b", "b1"), ("a", "a1"), ("b", "b2")]
        waiting = asyncio.ensure_future(queue.take())
        await asyncio.sleep(0.01)
        assert not waiting.done()  # a's two slots are taken and b has nothing left
        await queue.done("a")
        assert await waiting == ("a", "a2")
        for host in ("a", "b", "b", "a"):
            await queue.done(host)
        assert await queue.take() == ("a", "a3")
        assert await queue.take() is None

    asyncio.run(scenario())


def test_an_item_waiting_for_a_retry_frees_its_slot_and_comes_back_first_when_due():
    async def scenario():
        queue = queue_of([("a", "a0"), ("a", "a1"), ("a", "a2")], per_host=1)
        assert await queue.take() == ("a", "a0")
        await queue.retry_later("a", "a0", "a", 0.1)
        assert await queue.take() == ("a", "a1")  # the slot a0 held is free at once
        await asyncio.sleep(0.15)
        await queue.done("a")
        assert await queue.take() == ("a", "a0")  # due by now, so ahead of a2
        await queue.done("a")
        assert await queue.take() == ("a", "a2")
        await queue.done("a")
        assert await queue.take() is None

    asyncio.run(scenario())


def test_a_worker_with_nothing_else_to_do_waits_for_the_retry_instead_of_stopping():
    async def scenario():
        queue = queue_of([("a", "a0")], per_host=1)
        loop = asyncio.get_running_loop()
        await queue.take()
        started = loop.time()
        await queue.retry_later("a", "a0", "b", 0.2)
        assert await queue.take() == ("b", "a0")
        return loop.time() - started

    assert asyncio.run(scenario()) >= 0.19


def test_retry_after_holds_back_every_request_to_the_host():
    async def scenario():
        gate = HostGate(per_host=4, interval=0.0)
        loop = asyncio.get_running_loop()
        gate.hold_off(0.2)
        started = loop.time()
        async with gate.slot():
            return loop.time() - started

    assert asyncio.run(scenario()) >= 0.19


def test_the_resolver_refuses_a_name_that_resolves_to_loopback(link_server):
    """A connection to a name goes through the resolver, so the guard holds even without the pre-check."""
    async def scenario():
        with ThreadPoolExecutor(2) as executor:
            guard = Guard(allow_private=False, executor=executor, dns_timeout=2)
            connector = aiohttp.TCPConnector(resolver=GuardedResolver(guard), use_dns_cache=False)
            async with aiohttp.ClientSession(connector=connector) as session:
                await session.get(link_server.url("/ok", host="localhost"))

    with pytest.raises(netguard.BlockedAddress):
        asyncio.run(scenario())
    assert link_server.requests == []
