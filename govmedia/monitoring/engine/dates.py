"""Publish times as sources write them, made aware and UTC. A time without a zone is Beijing time: the
accounts, their bridges and their web sites are all in China. A source that gives no time gives None."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")

# A zone at the end: Z, +08:00, +0800, or a name such as GMT, UTC, CST.
_ZONE = re.compile(r"(?:[zZ]|[+-]\d{2}:?\d{2}|\b[A-Za-z]{1,5})\s*$")
# 2026-03-02, 2026/3/2, 2026.03.02, 2026年3月2日, each with an optional 09:30 or 09:30:15.
LOCAL_DATETIME = re.compile(
    r"(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:(?:\s|&nbsp;|T)*(\d{1,2})\s*[:：时]\s*(\d{2})(?:\s*[:：分]\s*(\d{2}))?)?"
)


def _local(naive: datetime) -> datetime:
    return naive.replace(tzinfo=BEIJING).astimezone(UTC)


def from_struct(parsed: time.struct_time, raw: str) -> datetime:
    """feedparser's UTC struct_time; it reads a zoneless string as UTC, so such a string is re-read as Beijing."""
    moment = datetime(*parsed[:6], tzinfo=UTC)
    if raw and not _ZONE.search(raw.strip()):
        return _local(moment.replace(tzinfo=None))
    return moment


def match_to_datetime(match: re.Match) -> datetime | None:
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    try:
        return _local(datetime(year, month, day, hour, minute, second))
    except (ValueError, OverflowError):  # 2026-02-30, 25:00; 0001-01-01 00:00 Beijing is before year 1 in UTC
        return None


def parse(raw: str) -> datetime | None:
    """An ISO 8601 / RFC 3339, RFC 822 or Chinese-style date-time string; None when it is none of these, or
    when it is out of range once in UTC (a feed's 9999-12-31T23:59:59-14:00 must not stop the whole read)."""
    try:
        return _parse(raw)
    except OverflowError:
        return None


def _parse(raw: str) -> datetime | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        pass
    else:
        return _local(moment) if moment.tzinfo is None else moment.astimezone(UTC)
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        pass
    else:
        if moment.tzinfo is None:  # email.utils marks "-0000" (UTC) and a missing zone alike as naive
            return moment.replace(tzinfo=UTC) if _ZONE.search(raw) else _local(moment)
        return moment.astimezone(UTC)
    found = LOCAL_DATETIME.search(raw)
    return match_to_datetime(found) if found else None
