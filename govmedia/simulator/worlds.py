"""The worlds the simulator ships: the demo district's, a standalone sample of it, and the benchmark's.

The demo district's accounts live in govmedia/demo/district.py, which imports Django, and their account ids
are drawn while the demo loads; so the simulator takes the list from its caller: `demo_world(pairs)`, or
`--accounts-file` on the command line (a JSON list of {key, platform[, name, activity, source, plants,
skips_reposts]}). Without a list it builds `sample_accounts()`, with the same number of accounts per
platform as the demo district, so it runs standalone.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from .platforms import CAPTION, FEED, platform
from .world import (
    ACTIVE,
    BENCH_LINKS,
    SILENT,
    SOURCE_FAILURES,
    SOURCE_PLATFORMS,
    ZOMBIE,
    Account,
    World,
)

# How many accounts of the demo world get each planted problem (one per source failure mode).
DEMO_PLAN: dict[str, int] = {
    SILENT: 3, ZOMBIE: 2,
    "typo": 3, "expression_error": 2, "advertising": 2, "secret_marking": 2,
    "broken_link": 4, "repost_without_source": 2, "repost_unapproved_source": 2,
    "skips_reposts": 8,
}
# The demo district's accounts per platform (govmedia/demo/district.py), for the standalone sample.
DEMO_PROFILE = {"weibo": 34, "douyin": 32, "wechat-subscription": 31, "toutiao": 14, "wechat-service": 9,
                "wechat-channels": 8, "kuaishou": 8, "wechat-miniprogram": 5, "app": 3, "xiaohongshu": 3,
                "bilibili": 2, "meipian": 2, "yidian": 1, "baijiahao": 1, "zhihu": 1, "weishi": 1, "huoshan": 1,
                "jianshu": 1}
SAMPLE_NAMES = ("西海岸发布", "西海岸教体", "西海岸公安", "西海岸卫健", "西海岸人社", "西海岸文旅", "西海岸交通",
                "西海岸水务", "西海岸生态环境", "西海岸市场监管", "灵山卫街道发布", "魅力薛家岛", "辛安发布", "魅力王台")
BENCH_PLATFORMS = ("weibo", "wechat-subscription", "wechat-service", "bilibili", "zhihu", "baijiahao", "jianshu")
_PINNABLE = ("name", "activity", "source", "plants", "skips_reposts", "posts_per_day")


def demo_world(accounts: Iterable, *, seed: int = 0, days: int = 30, now: datetime | None = None) -> World:
    """The demo world over the given accounts, with DEMO_PLAN's problems and one account per source failure.

    `accounts` holds (key, platform) or (key, platform, name) tuples, or dicts with "key" and "platform"
    (platform: a govmedia Platform code or name) and optionally any of name, activity, source, plants,
    skips_reposts, posts_per_day, which pin that account's behaviour. Problems are given to accounts that
    pin nothing, in an order drawn from `seed`; an account gets at most one, so each shows one problem, and
    at most a third of the accounts get one (source failures first), so a small world stays mostly healthy.
    """
    built, free = [], []
    for entry in accounts:
        spec = dict(entry) if isinstance(entry, dict) else dict(zip(("key", "platform", "name"), entry, strict=False))
        pinned = {k: spec[k] for k in _PINNABLE if k in spec and k != "name"}
        account = Account(spec["key"], spec["platform"], spec.get("name", ""), **pinned)
        built.append(account)
        if not pinned:
            free.append(account)
    random.Random(f"{seed}|demo").shuffle(free)
    pinned_sources = {a.source for a in built}
    healthy_left = len(built) - len(built) // 3

    def give(suits, apply) -> None:
        if len(free) <= healthy_left:
            return
        for account in free:
            if suits(account):
                apply(account)
                free.remove(account)
                return

    def feed(account: Account) -> bool:
        return account.route.kind == FEED

    for mode in SOURCE_FAILURES:
        if mode not in pinned_sources:
            preferred = SOURCE_PLATFORMS[mode]
            suits = (lambda a, p=preferred: a.platform in p) if any(a.platform in preferred for a in free) else feed
            give(suits, lambda a, m=mode: setattr(a, "source", m))
    for kind, count in DEMO_PLAN.items():
        for _ in range(count):
            if kind in (SILENT, ZOMBIE):
                give(feed, lambda a, k=kind: setattr(a, "activity", k))
            elif kind == "skips_reposts":
                give(lambda a: True, lambda a: setattr(a, "skips_reposts", True))
            else:
                give(_suits(kind), lambda a, k=kind: setattr(a, "plants", frozenset({k})))
    return World(built, seed=seed, days=days, now=now)


def _suits(kind: str):
    if kind in ("broken_link", "repost_without_source", "repost_unapproved_source"):
        return lambda account: account.route.text != CAPTION  # posts with text and links
    return lambda account: True


def sample_accounts() -> list[tuple[str, str, str]]:
    """157 accounts shaped like the demo district's (same platforms and counts), keyed <platform>-<n>."""
    rows = []
    for code, count in DEMO_PROFILE.items():
        for n in range(1, count + 1):
            rows.append((f"{code}-{n:03d}", code, SAMPLE_NAMES[(n - 1) % len(SAMPLE_NAMES)]))
    return rows


def load_accounts(path: str | Path) -> list[dict]:
    """Read an --accounts-file: a JSON list of {"key", "platform", ...} objects."""
    try:
        rows = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"无法读取账号文件 {path}：{error}") from error
    if not isinstance(rows, list):
        raise ValueError(f"账号文件 {path} 应为 JSON 数组，每项形如 {{\"key\": …, \"platform\": …}}")
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not {"key", "platform"} <= row.keys():
            raise ValueError(f"账号文件 {path} 第 {i} 项缺少 key 或 platform：{row!r}")
        platform(row["platform"])
    return rows


def bench_world(accounts: int = 1000, *, days: int = 30, seed: int = 0, now: datetime | None = None) -> World:
    """`accounts` text accounts posting once a day with ~3.5 links a post (about 5 % of links broken),
    so 1,000 accounts × 30 days ≈ 30,000 posts and 100,000 links; a few accounts carry each other problem."""
    rng = random.Random(f"{seed}|bench")
    modes = list(SOURCE_FAILURES)
    built = []
    for i in range(accounts):
        code = BENCH_PLATFORMS[i % len(BENCH_PLATFORMS)]
        draw = rng.random()
        activity = SILENT if draw < 0.02 else ZOMBIE if draw < 0.03 else ACTIVE
        source = modes[i // 100 % len(modes)] if i % 100 == 99 else "ok"
        plants = frozenset(k for k, rate in (("typo", 0.05), ("expression_error", 0.03), ("advertising", 0.02),
                                             ("secret_marking", 0.01), ("repost_without_source", 0.02),
                                             ("repost_unapproved_source", 0.02)) if rng.random() < rate)
        built.append(Account(f"bench{i:05d}", code, SAMPLE_NAMES[i % len(SAMPLE_NAMES)], activity=activity,
                             source=source, plants=plants, skips_reposts=rng.random() < 0.05, posts_per_day=1.0,
                             link_mix=BENCH_LINKS))
    return World(built, seed=seed, days=days, now=now)
