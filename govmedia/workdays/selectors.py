from datetime import date

from govmedia.workdays.calendar import Deadline, WorkCalendar
from govmedia.workdays.models import CalendarDay, CalendarYear


def work_calendar() -> WorkCalendar:
    """The calendar in force: packaged official arrangements plus every admin override."""
    return WorkCalendar(
        overrides=dict(CalendarDay.objects.values_list("date", "is_working_day")),
        complete_years=frozenset(CalendarYear.objects.filter(is_complete=True).values_list("year", flat=True)),
    )


def add_working_days(start: date, n: int, *, calendar: WorkCalendar | None = None) -> Deadline:
    return (calendar or work_calendar()).add_working_days(start, n)


def working_days_between(start: date, end: date, *, calendar: WorkCalendar | None = None) -> int:
    return (calendar or work_calendar()).working_days_between(start, end)
