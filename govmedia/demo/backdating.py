"""Acting a past story out now, then ageing it.

The services stamp the real date and time. A story that happened weeks ago is therefore acted out
now, and what each service stamped is moved back to the day the story says (`Backdating.dated`):
what is overdue is overdue on whatever day the demo is loaded. Days are counted in working days
from today, on the real work calendar.
"""

import random
import re
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from govmedia import clock
from govmedia.registry import services
from govmedia.registry.models import (
    Account,
    Application,
    ApplicationState,
    ClosureNotice,
    Filing,
    FilingEvent,
    LifecycleEvent,
)
from govmedia.workdays.selectors import work_calendar

NOTICE_DATE_FORMATS = ("%Y年%m月%d日", "%Y-%m-%d")
ACCOUNT_DATE_FIELDS = ("live_on", "host_opinion_on", "competent_opinion_on", "provincial_filed_on")


class Backdating:
    """Working days counted back from today, office-hours moments, and services run now but dated then."""

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

    @staticmethod
    def at_ten(day: date) -> datetime:
        """10:00 on `day`, for services that take the time as an argument (no draw from the random source)."""
        return timezone.make_aware(datetime.combine(day, time(10, 0)))

    def moment(self, day: date) -> datetime:
        """A plausible office-hours time on `day`, later than every earlier moment of that day."""
        if day in self.minutes:
            self.minutes[day] += self.rng.randint(2, 25)
        else:
            self.minutes[day] = self.rng.choice((9, 10, 11, 14, 15, 16)) * 60 + self.rng.randint(0, 45)
        return timezone.make_aware(datetime.combine(day, time()) + timedelta(minutes=self.minutes[day]))

    def dated(self, day: date, service, **kwargs):
        """Call a service now, then move what it stamped with the current date and time back to `day`:
        event and application timestamps, the dates it wrote on the account, filing triggers with
        their working-day deadlines, and notice periods (whose text quotes the dates).

        Only govmedia.clock is trusted here (tests may freeze it); Django's auto_now fields follow the
        real time, so the account touched is found from the service's result, not by updated_at."""
        started, real_today = clock.now(), clock.today()
        result = service(**kwargs)
        at = self.moment(day)
        LifecycleEvent.objects.filter(at__gte=started).update(at=at)
        FilingEvent.objects.filter(at__gte=started).update(at=at)
        touched = set()  # every service here acts on one account, named by its result or arguments
        if isinstance(result, Application):
            touched.add(result.account_id)
        if "filing" in kwargs:
            touched.add(kwargs["filing"].account_id)
        if service is services.closures_take_effect:
            touched.update(notice.account_id for notice in result)
            ClosureNotice.objects.filter(took_effect_at__gte=started).update(took_effect_at=at)
        for row in Account.objects.filter(pk__in=touched).values("pk", *ACCOUNT_DATE_FIELDS):
            moved = {name: day for name in ACCOUNT_DATE_FIELDS if row[name] == real_today}
            if service is services.open_application_submit:
                moved["created_at"] = at
            Account.objects.filter(pk=row["pk"]).update(updated_at=at, **moved)
        if isinstance(result, Application):  # the services hand back the application as stored
            moved = {name: at for name in ("submitted_at", "decided_at")
                     if getattr(result, name) and getattr(result, name) >= started}
            if moved:
                Application.objects.filter(pk=result.pk).update(**moved)
            if result.state == ApplicationState.APPROVED and "decided_at" in moved:  # carried out just now
                for filing in Filing.objects.filter(application=result, triggered_on=real_today):
                    deadline = self.calendar.add_working_days(day, services.FILING_WORKING_DAYS)
                    Filing.objects.filter(pk=filing.pk).update(
                        triggered_on=day, due_on=deadline.date, due_is_provisional=deadline.provisional)
                for notice in ClosureNotice.objects.filter(application=result, published_on=real_today):
                    self._republish(notice, day)
        return result

    def _republish(self, notice: ClosureNotice, day: date) -> None:
        old_end = self.calendar.add_working_days(notice.published_on, services.NOTICE_WORKING_DAYS).date
        end = self.calendar.add_working_days(day, services.NOTICE_WORKING_DAYS)
        effective = end.date + timedelta(days=1)
        moves = {}
        for fmt in NOTICE_DATE_FORMATS:
            for old, new in ((notice.published_on, day), (old_end, end.date), (notice.effective_on, effective)):
                moves[old.strftime(fmt)] = new.strftime(fmt)
        pattern = re.compile("|".join(re.escape(k) for k in moves))

        def swap(text: str) -> str:  # one pass, so a new date is never mistaken for an old one
            return pattern.sub(lambda m: moves[m.group(0)], text)

        ClosureNotice.objects.filter(pk=notice.pk).update(
            published_on=day, effective_on=effective, effective_is_provisional=end.provisional,
            body=swap(notice.body))
        for event in LifecycleEvent.objects.filter(application_id=notice.application_id,
                                                   action=LifecycleEvent.Action.NOTICE):
            LifecycleEvent.objects.filter(pk=event.pk).update(comment=swap(event.comment))
