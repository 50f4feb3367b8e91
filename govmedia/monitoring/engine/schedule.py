"""How often sources are read: default intervals per platform, and the retry delay after a failure."""

from __future__ import annotations

import random
from datetime import timedelta

# Minutes between two reads when neither the source nor its platform says otherwise. Weibo accounts
# publish several times a day and their posts are the likeliest to need a same-day correction; WeChat
# accounts publish once or twice a day; video platforms and other feeds less; websites, apps and mini
# programs are crawled pages, dearer to read.
DEFAULT_INTERVAL_MINUTES = 60
INTERVAL_BY_PLATFORM: dict[str, int] = {
    "weibo": 30,
    "wechat-service": 60,
    "wechat-subscription": 60,
    "wechat-channels": 60,
    "douyin": 60,
    "kuaishou": 60,
    "toutiao": 60,
    "bilibili": 90,
    "wechat-miniprogram": 120,
    "app": 120,
    "website": 120,
}
# A crawled page (kind "web") of a platform the table does not know is read as seldom as a website.
WEB_INTERVAL_MINUTES = 120

# The first retries come soon whatever the interval (a source that failed once is most often back a
# minute later), then double: 1, 2, 4, 8… minutes, never later than the regular interval.
FIRST_RETRY_MINUTES = 1
JITTER = 0.2  # ±20 %, so sources that failed together are not retried together


def default_interval_minutes(platform_code: str, kind: str) -> int:
    """The interval for a platform without a configured schedule."""
    if platform_code in INTERVAL_BY_PLATFORM:
        return INTERVAL_BY_PLATFORM[platform_code]
    return WEB_INTERVAL_MINUTES if kind == "web" else DEFAULT_INTERVAL_MINUTES


def retry_delay(failures: int, interval_minutes: int, *, rng: random.Random | None = None) -> timedelta:
    """How long to wait after the `failures`-th failure in a row before reading the source again."""
    doublings = min(max(failures - 1, 0), 30)  # 2**30 minutes is past any interval already
    spread = (rng or random).uniform(1 - JITTER, 1 + JITTER)
    return timedelta(minutes=min(FIRST_RETRY_MINUTES * 2**doublings * spread, interval_minutes))
