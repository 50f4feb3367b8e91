"""Whether an account keeps publishing (art. 10 and attachment 2): over a window of days [start, as_of].

- `no_update_2_weeks`: nothing published in the 14 days ending on `as_of` (the national inspection's veto);
- `not_weekly`: a calendar week (Monday to Sunday) lying wholly inside the window without an update, one
  finding per such week;
- `no_original_2_weeks`: 14 days or more of the window without an original post, one finding per maximal
  stretch;
- `sleeping` / `zombie`: no update for `policy.sleeping_days` / `policy.zombie_days` before `as_of`; a
  zombie is not reported as sleeping as well.

Only what is known counts: a post without a publish time is no evidence of activity, and before the
window's first day the absence of posts is ignorance, not silence.

Source health comes first. These rules judge what an account published from what its sources returned, so
they must not run on an account none of whose sources could be read (`activity_known`): a broken source
says nothing about whether the account published, and an account whose only feed fails is not silent.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from . import codes
from .dates import BEIJING
from .types import NOT_MODIFIED, OK, ORIGINAL, AccountFinding

# The district's day: a post at 23:30 Beijing time belongs to that day, whatever zone the source wrote.
DEFAULT_WINDOW_DAYS = 28
VETO_DAYS = 14
ORIGINAL_DAYS = 14


@dataclass(frozen=True, slots=True)
class ActivityPolicy:
    sleeping_days: int = 30
    zombie_days: int = 90

    def __post_init__(self) -> None:
        if not 0 < self.sleeping_days < self.zombie_days:
            raise ValueError(f"休眠天数（{self.sleeping_days}）须大于 0 且小于僵尸天数（{self.zombie_days}）")


@dataclass(frozen=True, slots=True)
class PostFacts:
    published: datetime | None  # None: the source gave no time
    kind: str = ORIGINAL


def local_day(moment: datetime) -> date:
    """The district's calendar day of a publish time; a naive time is taken as already local."""
    return moment.astimezone(BEIJING).date() if moment.tzinfo else moment.date()


def activity_known(source_statuses: Iterable[str]) -> bool:
    """Whether an account's activity may be judged: at least one of its sources was read (ok, or not
    modified since a successful read). Callers skip `account_findings` otherwise."""
    return any(status in (OK, NOT_MODIFIED) for status in source_statuses)


def account_findings(posts: Iterable[PostFacts], *, as_of: date, policy: ActivityPolicy,
                     window_start: date | None = None) -> list[AccountFinding]:
    """The activity findings of one account on `as_of`, over [window_start, as_of].

    `window_start` defaults to four weeks ending on `as_of`. Pass no day earlier than the first day the
    account's posts are known from (when monitoring began, or the oldest item a feed still lists): weeks
    before it would otherwise look silent. Keys are the first day of the silence or of the week, so a
    problem that persists from one check to the next keeps its key.

    Run only when `activity_known` holds for the account's sources.
    """
    start = as_of - timedelta(days=DEFAULT_WINDOW_DAYS - 1) if window_start is None else window_start
    if start > as_of:
        raise ValueError(f"监测窗口起始日 {start} 晚于截止日 {as_of}")
    unknown = 0
    days: set[date] = set()
    originals: set[date] = set()
    for post in posts:
        if post.published is None:
            unknown += 1
            continue
        day = local_day(post.published)
        if day <= as_of:
            days.add(day)
            if post.kind == ORIGINAL:
                originals.add(day)
    window = _Window(start, as_of, sorted(days), sorted(originals),
                     f"；另有 {unknown} 条信息发布时间未知，未计入" if unknown else "")
    return [*window.silence(policy), *window.weeks(), *window.original_gaps()]


@dataclass(slots=True)
class _Window:
    start: date
    as_of: date
    days: list[date]  # sorted days with an update, up to as_of, including days before the window
    originals: list[date]
    unknown_note: str

    def last_before(self, days: list[date], day: date) -> date | None:
        i = bisect_left(days, day)
        return days[i - 1] if i else None

    def since(self, days: list[date], day: date, what: str) -> str:
        last = self.last_before(days, day)
        return f"最近一次{what} {last}" if last else f"自 {self.start} 起无{what}记录"

    def finding(self, code: str, detail: str, key: date, **evidence) -> AccountFinding:
        evidence = {name: value.isoformat() if isinstance(value, date) else value
                    for name, value in evidence.items()}
        return AccountFinding(code, detail + self.unknown_note, key.isoformat(), evidence)

    def silence(self, policy: ActivityPolicy) -> list[AccountFinding]:
        """The silence up to as_of: the veto, and sleeping or zombie."""
        last = self.days[-1] if self.days else None
        silent_from = last + timedelta(days=1) if last else self.start
        silent_days = (self.as_of - silent_from).days + 1
        last_text = self.since(self.days, self.as_of + timedelta(days=1), "更新")
        found = []
        if silent_days >= VETO_DAYS:
            first = self.as_of - timedelta(days=VETO_DAYS - 1)
            found.append(self.finding(codes.NO_UPDATE_2_WEEKS, f"{first} 至 {self.as_of} 无更新（{last_text}）",
                                      silent_from, silent_from=silent_from, to=self.as_of, last_update=last))
        for code, threshold, label in ((codes.ZOMBIE, policy.zombie_days, "僵尸"),
                                       (codes.SLEEPING, policy.sleeping_days, "休眠")):
            if silent_days >= threshold:
                found.append(self.finding(
                    code, f"自 {silent_from} 起连续 {silent_days} 天未更新（{last_text}），"
                          f"达到{label}账号标准（{threshold} 天）",
                    silent_from, silent_from=silent_from, silent_days=silent_days, last_update=last))
                break
        return found

    def weeks(self) -> list[AccountFinding]:
        found = []
        monday = self.start + timedelta(days=-self.start.weekday() % 7)
        while (sunday := monday + timedelta(days=6)) <= self.as_of:
            if bisect_right(self.days, sunday) == bisect_left(self.days, monday):
                found.append(self.finding(
                    codes.NOT_WEEKLY,
                    f"{monday} 至 {sunday} 当周无更新（{self.since(self.days, monday, '更新')}）",
                    monday, week_start=monday, week_end=sunday))
            monday += timedelta(days=7)
        return found

    def original_gaps(self) -> list[AccountFinding]:
        """Each maximal stretch without an original that covers at least ORIGINAL_DAYS days of the window,
        keyed by its first day: the day after the last original when one is known, else the window's start."""
        found = []
        inside = self.originals[bisect_left(self.originals, self.start):]
        previous = self.last_before(self.originals, self.start)
        for ends_with in [*inside, None]:
            first = previous + timedelta(days=1) if previous else self.start
            last = ends_with - timedelta(days=1) if ends_with else self.as_of
            if (last - max(first, self.start)).days + 1 >= ORIGINAL_DAYS:
                since = f"最近一次原创 {previous}" if previous else f"自 {self.start} 起无原创记录"
                found.append(self.finding(
                    codes.NO_ORIGINAL_2_WEEKS,
                    f"{first} 至 {last} 共 {(last - first).days + 1} 天无原创信息（{since}）",
                    first, stretch_start=first, stretch_end=last, last_original=previous))
            previous = ends_with
        return found
