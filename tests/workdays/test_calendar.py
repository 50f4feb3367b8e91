"""The official working-day calendar: holidays, make-up working days (调休) and working-day arithmetic.

Expected dates are the State Council's published arrangements (国办发明电〔2024〕12号 for 2025,
国办发明电〔2025〕7号 for 2026), not whatever the packaged calendar happens to say.
"""

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govmedia.workdays.calendar import Deadline, WorkCalendar, first_uncovered_year, packaged_years
from tests.uncovered_year import FIRST_WEEKDAY, LAST_COVERED_DAY, YEAR, weekdays

OFFICIAL = WorkCalendar(overrides={})


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# (holiday period, make-up working days on a weekend)
ARRANGEMENTS = {
    "2025 Spring Festival": (days(date(2025, 1, 28), date(2025, 2, 4)), [date(2025, 1, 26), date(2025, 2, 8)]),
    "2025 National Day and Mid-autumn": (days(date(2025, 10, 1), date(2025, 10, 8)),
                                         [date(2025, 9, 28), date(2025, 10, 11)]),
    "2026 New Year": (days(date(2026, 1, 1), date(2026, 1, 3)), [date(2026, 1, 4)]),
    "2026 Spring Festival": (days(date(2026, 2, 15), date(2026, 2, 23)), [date(2026, 2, 14), date(2026, 2, 28)]),
    "2026 Labour Day": (days(date(2026, 5, 1), date(2026, 5, 5)), [date(2026, 5, 9)]),
    "2026 Mid-autumn": (days(date(2026, 9, 25), date(2026, 9, 27)), []),
    "2026 National Day": (days(date(2026, 10, 1), date(2026, 10, 7)), [date(2026, 9, 20), date(2026, 10, 10)]),
}


@pytest.mark.parametrize("name", ARRANGEMENTS)
def test_official_holidays_are_days_off(name):
    holidays, _ = ARRANGEMENTS[name]
    assert [d for d in holidays if OFFICIAL.is_working_day(d)] == []


@pytest.mark.parametrize("name", [n for n, (_, makeup) in ARRANGEMENTS.items() if makeup])
def test_make_up_days_on_weekends_are_working_days(name):
    _, makeup = ARRANGEMENTS[name]
    assert all(d.weekday() >= 5 for d in makeup)  # they really are weekends
    assert all(OFFICIAL.is_working_day(d) for d in makeup)


def test_ordinary_weekdays_work_and_ordinary_weekends_rest():
    assert OFFICIAL.is_working_day(date(2026, 3, 2))  # Monday
    assert not OFFICIAL.is_working_day(date(2026, 3, 7))  # Saturday
    assert not OFFICIAL.is_working_day(date(2026, 3, 8))  # Sunday


def test_2026_holidays_end_on_the_day_the_notice_says():
    # The days just outside the periods are ordinary working days, so the periods are not longer either.
    assert OFFICIAL.is_working_day(date(2026, 2, 24))
    assert OFFICIAL.is_working_day(date(2026, 10, 8))
    assert OFFICIAL.is_working_day(date(2025, 10, 9))


def test_the_first_uncovered_year_is_where_the_package_stops_answering():
    year = first_uncovered_year()
    assert 2025 in packaged_years() and 2026 in packaged_years()
    assert year not in packaged_years() and year - 1 in packaged_years()
    chinese_calendar.is_workday(date(year - 1, 12, 31))
    with pytest.raises(NotImplementedError):  # which is why the calendar never asks the package about that year
        chinese_calendar.is_workday(date(year, 1, 4))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 3, 2), 7, date(2026, 3, 11)),  # an ordinary fortnight: weekends skipped
        (date(2025, 1, 24), 3, date(2025, 2, 5)),  # Sunday 1-26 works, 1-28..2-4 off
        (date(2025, 9, 26), 5, date(2025, 10, 10)),  # Sunday 9-28 works, 10-01..10-08 off
        (date(2025, 9, 30), 7, date(2025, 10, 16)),  # Saturday 10-11 works
        (date(2026, 2, 13), 2, date(2026, 2, 24)),  # Saturday 2-14 works, 2-15..2-23 off
        (date(2025, 12, 31), 1, date(2026, 1, 4)),  # New Year's make-up Sunday
        (date(2026, 9, 25), 15, date(2026, 10, 22)),  # a closure notice over National Day 2026
        (date(2020, 9, 10), 20, date(2020, 10, 14)),  # art. 19 legacy filing over National Day 2020
    ],
)
def test_add_working_days_follows_the_official_arrangement(start, n, expected):
    assert OFFICIAL.add_working_days(start, n) == Deadline(expected, provisional=False)


def test_the_start_day_itself_is_not_counted():
    assert OFFICIAL.add_working_days(date(2026, 3, 2), 1).date == date(2026, 3, 3)
    assert OFFICIAL.add_working_days(date(2026, 3, 2), 0).date == date(2026, 3, 2)


def test_a_negative_number_of_days_is_refused():
    with pytest.raises(ValueError):
        OFFICIAL.add_working_days(date(2026, 3, 2), -1)


def test_a_deadline_crossing_into_an_uncovered_year_counts_weekdays_only_and_is_provisional():
    # New Year's Day is unknown there, so it counts as a working day when it is a weekday.
    assert OFFICIAL.add_working_days(LAST_COVERED_DAY, 5) == Deadline(weekdays(5)[-1], provisional=True)


def test_a_deadline_far_into_uncovered_years_never_raises():
    deadline = OFFICIAL.add_working_days(date(YEAR - 1, 6, 1), 600)
    assert deadline.provisional
    assert deadline.date.year == YEAR + 1


def test_a_deadline_that_ends_before_the_uncovered_year_is_not_provisional():
    deadline = OFFICIAL.add_working_days(date(YEAR - 1, 12, 1), 5)
    assert deadline.date.year == YEAR - 1
    assert not deadline.provisional


def test_overrides_take_precedence_over_the_packaged_calendar():
    corrected = WorkCalendar(overrides={date(2026, 3, 3): False})
    assert not corrected.is_working_day(date(2026, 3, 3))
    assert corrected.add_working_days(date(2026, 3, 2), 1).date == date(2026, 3, 4)


def test_override_days_in_an_uncovered_year_are_certain_but_the_rest_of_the_year_is_not():
    calendar = WorkCalendar(overrides={FIRST_WEEKDAY: False})
    assert calendar.day(FIRST_WEEKDAY) == (False, False)
    assert calendar.day(weekdays(2)[1]) == (True, True)


def test_a_complete_year_is_judged_on_weekends_without_being_provisional():
    calendar = WorkCalendar(overrides={}, complete_years=frozenset({YEAR}))
    assert calendar.add_working_days(LAST_COVERED_DAY, 5) == Deadline(weekdays(5)[-1], provisional=False)


def test_working_days_between_counts_the_working_days_after_start_up_to_end():
    assert OFFICIAL.working_days_between(date(2025, 9, 30), date(2025, 10, 10)) == 2  # 10-09, 10-10
    assert OFFICIAL.working_days_between(date(2025, 9, 26), date(2025, 9, 28)) == 1  # the make-up Sunday
    assert OFFICIAL.working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0


def test_working_days_between_is_negative_when_end_is_before_start():
    assert OFFICIAL.working_days_between(date(2025, 10, 10), date(2025, 9, 30)) == -2


@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 11, 30)),
    n=st.integers(min_value=0, max_value=40),
)
def test_working_days_between_undoes_add_working_days(start, n):
    deadline = OFFICIAL.add_working_days(start, n)
    assert OFFICIAL.working_days_between(start, deadline.date) == n
    assert n == 0 or OFFICIAL.is_working_day(deadline.date)
