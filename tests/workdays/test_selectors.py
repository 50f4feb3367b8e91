"""The calendar in force: the packaged arrangements plus what an admin entered (CalendarDay, CalendarYear)."""

from datetime import date

import pytest

from govmedia.workdays.calendar import Deadline
from govmedia.workdays.selectors import add_working_days, work_calendar, working_days_between
from tests.factories import CalendarDayFactory, CalendarYearFactory
from tests.uncovered_year import FIRST_SATURDAY, FIRST_WEEKDAY, LAST_COVERED_DAY, YEAR, weekdays

pytestmark = pytest.mark.django_db



def test_without_admin_entries_a_deadline_in_the_uncovered_year_counts_weekdays_only_and_is_provisional():
    assert add_working_days(LAST_COVERED_DAY, 5) == Deadline(weekdays(5)[-1], provisional=True)


def test_holidays_an_admin_enters_for_the_uncovered_year_move_the_deadline():
    for day in weekdays(2):
        CalendarDayFactory(date=day, is_working_day=False, name="元旦")
    assert add_working_days(LAST_COVERED_DAY, 5).date == weekdays(7)[-1]


def test_a_make_up_working_day_an_admin_enters_counts():
    CalendarDayFactory(date=FIRST_SATURDAY, is_working_day=True, name="调休上班")
    assert add_working_days(LAST_COVERED_DAY, 5).date == sorted([*weekdays(5), FIRST_SATURDAY])[4]


def test_entered_days_alone_leave_the_deadline_provisional():
    CalendarDayFactory(date=FIRST_WEEKDAY, is_working_day=False, name="元旦")
    assert add_working_days(LAST_COVERED_DAY, 5).provisional


def test_a_year_marked_complete_makes_its_deadlines_final():
    CalendarDayFactory(date=FIRST_WEEKDAY, is_working_day=False, name="元旦")
    CalendarYearFactory(year=YEAR, is_complete=True)
    assert add_working_days(LAST_COVERED_DAY, 5) == Deadline(weekdays(6)[-1], provisional=False)


def test_a_year_recorded_but_not_marked_complete_stays_provisional():
    CalendarYearFactory(year=YEAR, is_complete=False)
    assert add_working_days(LAST_COVERED_DAY, 5).provisional


def test_an_admin_correction_overrides_the_packaged_calendar():
    CalendarDayFactory(date=date(2026, 3, 3), is_working_day=False, name="临时调整")
    assert add_working_days(date(2026, 3, 2), 1).date == date(2026, 3, 4)
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 4)) == 1


def test_the_calendar_in_force_carries_every_entry():
    CalendarDayFactory(date=date(2027, 1, 1), is_working_day=False)
    CalendarYearFactory(year=2027, is_complete=True)
    CalendarYearFactory(year=2028, is_complete=False)
    calendar = work_calendar()
    assert calendar.overrides == {date(2027, 1, 1): False}
    assert calendar.complete_years == frozenset({2027})
