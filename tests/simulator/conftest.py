from datetime import datetime

import pytest

from govmedia.simulator import Options, demo_world, sample_accounts, serving
from govmedia.simulator.world import CN

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=CN)
SLOW_SECONDS = 1.0
HUGE_BYTES = 2 * 1024 * 1024


def sample_world(seed: int = 7, **kwargs):
    return demo_world(sample_accounts(), seed=seed, now=NOW, **kwargs)


@pytest.fixture(scope="module")
def world():
    """The standalone demo world at a fixed now; tests that publish build their own."""
    return sample_world()


@pytest.fixture(scope="module")
def base_url(world):
    with serving(world, options=Options(slow_seconds=SLOW_SECONDS, huge_bytes=HUGE_BYTES)) as url:
        yield url


def account_with(world, **wanted):
    """The first account whose attributes (source, activity, platform, ...) match `wanted`."""
    for account in world.accounts.values():
        if all((value in account.plants) if name == "plant" else getattr(account, name) == value
               for name, value in wanted.items()):
            return account
    raise LookupError(wanted)
