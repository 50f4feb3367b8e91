"""Follower anomalies (possibly bought followers): a day's growth far above the account's own history that no
popular post explains.

The history is the median daily growth over the previous HISTORY_DAYS days: the median, not the mean, so
one earlier spike does not raise the bar for the next. A day is anomalous when its growth is at least
`min_growth` and more than `growth_factor` times that median, and no popular post (the caller's
`popular_days`, e.g. days with a post read more than the policy's threshold) appeared that day or the day
before. Between snapshots some days apart, the growth is spread evenly over the days.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, timedelta
from statistics import median

from . import codes
from .types import AccountFinding

HISTORY_DAYS = 30
MIN_HISTORY = 7  # fewer days of history than this say nothing about what is normal for the account


def follower_anomalies(snapshots: Iterable[tuple[date, int]], popular_days: Collection[date], *,
                       growth_factor: float, min_growth: int) -> list[AccountFinding]:
    """Anomalous days among `snapshots` ((day, followers) pairs, in any order; the last of a day counts)."""
    counts = sorted(dict(snapshots).items())
    steps = []  # (day, previous day, growth, daily growth)
    for (before, earlier), (day, followers) in zip(counts, counts[1:], strict=False):
        growth = followers - earlier
        steps.append((day, before, growth, growth / (day - before).days))
    found = []
    for i, (day, before, growth, daily) in enumerate(steps):
        history = [rate for past, _, _, rate in steps[:i] if past >= day - timedelta(days=HISTORY_DAYS)]
        if len(history) < MIN_HISTORY:
            continue
        usual = median(history)
        if daily < min_growth or daily <= growth_factor * max(usual, 0):
            continue
        if any(before <= popular <= day for popular in popular_days):
            continue
        span = f"{day}" if (day - before).days == 1 else f"{before} 至 {day}（日均 {daily:.0f}）"
        found.append(AccountFinding(
            codes.FOLLOWER_ANOMALY,
            f"{span} 粉丝增加 {growth}，超过此前 {HISTORY_DAYS} 天日增长中位数 {usual:.0f} 的 {growth_factor:g} 倍，"
            f"且当天及前一天无阅读量突出的信息",
            day.isoformat(),
            {"day": day.isoformat(), "previous_day": before.isoformat(), "growth": growth,
             "daily_growth": round(daily, 1), "usual_daily_growth": round(usual, 1)},
        ))
    return found
