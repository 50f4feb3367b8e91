"""The demo's calendar: working days counted back from today, and office-hours moments on them.

Every story happened some working days before the day the demo is loaded, so what is overdue is
overdue on whatever day that is. The services are told when they act (`now=`), so they stamp each
event, application, filing and notice with that moment, and the audit trail records every write.
"""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from govmedia import clock
from govmedia.workdays.selectors import work_calendar


@contextmanager
def clock_at(moment: datetime) -> Iterator[datetime]:
    """The one clock (govmedia.clock) reads `moment` inside the block, for the services that stamp their
    writes with clock.now() rather than take `now=` (publishing's review engine): a draft written, reviewed
    and published weeks ago is stamped then, through the same rules as today's."""
    original = clock.now
    clock.now = lambda: moment
    try:
        yield moment
    finally:
        clock.now = original


class Timeline:
    """Working days counted back from today, and office-hours moments on a given day."""

    def __init__(self, rng: random.Random):
        self.today = clock.today()
        self.calendar = work_calendar()
        self.rng = rng  # the loader's: one seeded sequence, so the moments are the same every time
        self.minutes: dict[date, int] = {}
        self._working: dict[date, bool] = {}

    def working_days_ago(self, n: int) -> date:
        return self.before(self.today, n)

    def before(self, day: date, n: int) -> date:
        """The n-th working day before `day`."""
        counted = 0
        while counted < n:
            day -= timedelta(days=1)
            counted += self.is_working_day(day)
        return day

    def is_working_day(self, day: date) -> bool:
        if day not in self._working:
            self._working[day] = self.calendar.is_working_day(day)
        return self._working[day]

    def after(self, day: date, n: int) -> date:
        return self.calendar.add_working_days(day, n).date

    def workday_from(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def moment(self, day: date) -> datetime:
        """A plausible office-hours time on `day`, later than every earlier moment of that day."""
        if day in self.minutes:
            self.minutes[day] += self.rng.randint(2, 25)
        else:
            self.minutes[day] = self.rng.choice((9, 10, 11, 14, 15, 16)) * 60 + self.rng.randint(0, 45)
        return timezone.make_aware(datetime.combine(day, time()) + timedelta(minutes=self.minutes[day]))
