"""Accounts of the platform simulator (govmedia.simulator) mirrored in the registry, for the tests that read
real feeds: `serve(accounts, now=…)` in a module fixture, `mirror(base_url, accounts)` in the test."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime

from govmedia.monitoring.models import Source
from govmedia.simulator import Account as SimulatedAccount
from govmedia.simulator import Options, World, feed_url, serving, source_kind
from tests.factories import AccountFactory, platform

# Post links spread over 16 more loopback addresses, as real links spread over many sites: the link
# checker's politeness per site would otherwise space every link of a test out by 0.1 s.
LINK_HOSTS = tuple(f"127.0.0.{i}" for i in range(2, 18))


@contextmanager
def serve(accounts: Iterable[SimulatedAccount], *, now: datetime | None = None,
          options: Options | None = None, days: int = 30) -> Iterator[tuple[str, World]]:
    """The simulator on a free port of 127.0.0.1, in a thread: (base URL, its world)."""
    world = World(list(accounts), now=now, days=days)
    options = replace(options or Options(), link_hosts=LINK_HOSTS)
    with serving(world, options=options) as base_url:
        yield base_url, world


def mirror(base_url: str, accounts: Iterable[SimulatedAccount], **account_values) -> list[Source]:
    """A registry account (account ID = the simulator's key) with one source on the simulator for each."""
    sources = []
    for simulated in accounts:
        account = AccountFactory(account_id=simulated.key, name=simulated.name,
                                 platform=platform(simulated.platform), **account_values)
        sources.append(Source.objects.create(account=account, kind=source_kind(simulated.platform),
                                             url=feed_url(base_url, simulated.platform, simulated.key)))
    return sources
