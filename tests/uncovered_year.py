"""Dates in the first year the installed `chinese-calendar` does not cover, whatever its release.

Tests about provisional deadlines take their dates from here instead of naming a year: a release that
learns that year's holidays moves `YEAR` on, and the tests with it. Without the holidays, the calendar
counts Monday to Friday as working days, which `weekdays` lists independently of the code under test.
"""

from datetime import date, timedelta

import chinese_calendar

from govmedia.workdays import calendar as calendar_module
from govmedia.workdays.calendar import first_uncovered_year

YEAR = first_uncovered_year()
LAST_COVERED_DAY = date(YEAR - 1, 12, 31)


def weekdays(count: int, year: int = YEAR) -> list[date]:
    """The first `count` Mondays to Fridays of `year`."""
    found, day = [], date(year, 1, 1)
    while len(found) < count:
        if day.weekday() < 5:
            found.append(day)
        day += timedelta(days=1)
    return found


FIRST_WEEKDAY = weekdays(1)[0]  # New Year's Day when it falls on a weekday: the day an admin enters first
FIRST_SATURDAY = date(YEAR, 1, 1) + timedelta(days=(5 - date(YEAR, 1, 1).weekday()) % 7)


def install_a_release_that_knows_the_year(monkeypatch) -> None:
    """From now until the test ends, the package covers `YEAR`, with `FIRST_WEEKDAY` a holiday."""
    monkeypatch.setitem(chinese_calendar.holidays, FIRST_WEEKDAY, chinese_calendar.Holiday.new_years_day.value)
    # Answers cached for `YEAR` agree with this table, and are never asked for once the test has ended.
    monkeypatch.setattr(calendar_module, "_PACKAGED", calendar_module.packaged_years())
