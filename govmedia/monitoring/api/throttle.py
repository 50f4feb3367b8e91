"""A per-token request budget for the push API: a fixed one-minute window counted in Django's cache.

With the default per-process cache each server process counts on its own (N processes allow N times the
rate); a shared cache (Redis, via CACHES) makes the count exact across processes and machines.
"""

from datetime import datetime

from django.core.cache import cache

REQUESTS_PER_MINUTE = 60


def seconds_to_wait(token_id: int, *, now: datetime, bucket: str = "push-rate") -> int:
    """0 when this request is within the token's budget, else the seconds until the next window opens.
    `bucket` keeps kinds of token apart (the user API's tokens are numbered apart from the push tokens)."""
    second = int(now.timestamp())
    key = f"govmedia:{bucket}:{token_id}:{second // 60}"
    cache.add(key, 0, timeout=120)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens the window
        cache.set(key, 1, timeout=120)
        used = 1
    if used <= REQUESTS_PER_MINUTE:
        return 0
    return 60 - second % 60
