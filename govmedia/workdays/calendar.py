"""China's official working-day calendar, holidays and make-up working days (调休) included.

The packaged calendar (`chinese-calendar`) carries the State Council's notices up to the year it
was released for; an admin enters later years as `CalendarDay` rows. A day in a year that neither
source covers is judged on weekends only and marked provisional: deadlines never raise.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import chinese_calendar

MAX_SCAN_DAYS = 3660  # a bound on loops; no deadline in the measures is longer than a few weeks


@dataclass(frozen=True)
class Deadline:
    date: date
    provisional: bool = False


def packaged_years() -> range:
    # The same table the package checks its own answers against: outside it, it raises NotImplementedError.
    years = sorted({d.year for d in chinese_calendar.holidays})
    return range(years[0], years[-1] + 1)


_PACKAGED = packaged_years()


def first_uncovered_year() -> int:
    """The first year the installed `chinese-calendar` release knows nothing about: from here on, deadlines
    are provisional until an admin enters the year. Moves forward with every package upgrade."""
    return _PACKAGED.stop


@cache
def _packaged_is_workday(d: date) -> bool:
    # chinese_calendar scans its whole table on every call; the answer for a date never changes.
    return chinese_calendar.is_workday(d)


@dataclass
class WorkCalendar:
    overrides: dict[date, bool]
    complete_years: frozenset[int] = frozenset()

    def day(self, d: date) -> tuple[bool, bool]:
        """(is_working_day, provisional) for one date."""
        if d in self.overrides:
            return self.overrides[d], False
        if d.year in _PACKAGED:
            return _packaged_is_workday(d), False
        return d.weekday() < 5, d.year not in self.complete_years

    def is_working_day(self, d: date) -> bool:
        return self.day(d)[0]

    def add_working_days(self, start: date, n: int) -> Deadline:
        """The n-th working day after `start` (start itself is not counted)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        current, provisional, counted = start, False, 0
        for _ in range(MAX_SCAN_DAYS):
            if counted == n:
                return Deadline(current, provisional)
            current += timedelta(days=1)
            working, uncertain = self.day(current)
            provisional |= uncertain
            counted += working
        raise ValueError("working-day scan exceeded its bound")

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many working days have passed since `start` by `end`."""
        if end <= start:
            return -self.working_days_between(end, start) if end < start else 0
        total, current = 0, start
        while current < end:
            current += timedelta(days=1)
            total += self.is_working_day(current)
        return total
