"""Provisional dates counted again once the holiday calendar learns their year.

A filing deadline or a notice's date of effect that runs into a year neither the packaged calendar
nor an admin has covered is counted on weekends only and marked 暂定. When a supervisor enters that
year's holidays in the back office, or a `chinese-calendar` upgrade brings them, every such date
still open is counted again: the row is updated (audited), a LifecycleEvent says old → new and why,
and a notice's public text is regenerated. Dates already done with (a filing made, a closure that
took effect) stay as they were.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q

from govmedia.audit.services import audited_update
from govmedia.orgs.models import User
from govmedia.registry.models import ClosureNotice, Filing, LifecycleEvent
from govmedia.registry.services.events import _event
from govmedia.registry.services.filings import filing_deadline
from govmedia.registry.services.notice_text import PROVISIONAL, NoticePeriod, notice_body, notice_period
from govmedia.workdays.calendar import WorkCalendar, first_uncovered_year
from govmedia.workdays.selectors import work_calendar

DEFAULT_REASON = "节假日安排更新后重新计算"


@dataclass
class DateChange:
    """One stored date that moved or became firm."""

    row: Filing | ClosureNotice
    old: date
    new: date
    was_provisional: bool
    is_provisional: bool

    def describe(self) -> str:
        return (f"{self.old:%Y-%m-%d}{PROVISIONAL if self.was_provisional else ''} → "
                f"{self.new:%Y-%m-%d}{PROVISIONAL if self.is_provisional else ''}")


@dataclass
class Recomputed:
    filings: list[DateChange] = field(default_factory=list)
    notices: list[DateChange] = field(default_factory=list)


def _depends_on_entered_days(date_field: str, flag_field: str) -> Q:
    # A date in a year the package does not cover rests on what an admin entered, which a later correction
    # can still change after the year was marked complete; counting it again costs nothing when nothing moved.
    return Q(**{flag_field: True}) | Q(**{f"{date_field}__gte": date(first_uncovered_year(), 1, 1)})


def recompute_filing_deadlines(*, now: datetime, by: User | None = None, reason: str = DEFAULT_REASON,
                               calendar: WorkCalendar | None = None) -> list[DateChange]:
    calendar = calendar or work_calendar()
    changes = []
    candidates = (Filing.objects.select_related("account", "application")
                  .filter(filed_on__isnull=True).filter(_depends_on_entered_days("due_on", "due_is_provisional")))
    for filing in candidates:
        deadline = filing_deadline(filing.kind, filing.triggered_on, calendar=calendar)
        change = DateChange(filing, filing.due_on, deadline.date, filing.due_is_provisional, deadline.provisional)
        if (change.old, change.was_provisional) == (change.new, change.is_provisional):
            continue
        # Conditional UPDATE: a filing recorded meanwhile keeps the deadline it was recorded against.
        if not audited_update(filing, where={"filed_on__isnull": True, "due_on": change.old},
                              due_on=change.new, due_is_provisional=change.is_provisional):
            continue
        _event(filing.account, LifecycleEvent.Action.RESCHEDULE, application=filing.application, actor=by, at=now,
               comment=f"{filing.get_kind_display()}期限 {change.describe()}：{reason}")
        changes.append(change)
    return changes


def recompute_notice_dates(*, now: datetime, by: User | None = None, reason: str = DEFAULT_REASON,
                           calendar: WorkCalendar | None = None) -> list[DateChange]:
    calendar = calendar or work_calendar()
    changes = []
    candidates = (ClosureNotice.objects
                  .select_related("account", "application__account__host_unit", "application__account__platform")
                  .filter(took_effect_at__isnull=True)
                  .filter(_depends_on_entered_days("effective_on", "effective_is_provisional")))
    for notice in candidates:
        period = notice_period(notice.published_on, calendar=calendar)
        if period.effective_on < notice.effective_on:
            # The public was told the later date, and a longer notice still meets art. 7's minimum:
            # a notice never takes effect earlier than it said.
            period = NoticePeriod(notice.published_on, notice.effective_on - timedelta(days=1), notice.effective_on,
                                  period.provisional)
        body = notice_body(notice.application, period)
        change = DateChange(notice, notice.effective_on, period.effective_on, notice.effective_is_provisional,
                            period.provisional)
        if (change.old, change.was_provisional, notice.body) == (change.new, change.is_provisional, body):
            continue
        # Conditional UPDATE: a notice that took effect meanwhile is history and stays as published.
        if not audited_update(notice, where={"took_effect_at__isnull": True, "effective_on": change.old},
                              effective_on=change.new, effective_is_provisional=change.is_provisional, body=body):
            continue
        _event(notice.account, LifecycleEvent.Action.RESCHEDULE, application=notice.application, actor=by, at=now,
               comment=f"公告生效日期 {change.describe()}，公告正文已更新：{reason}")
        changes.append(change)
    return changes


@transaction.atomic
def recompute_provisional_dates(*, now: datetime, by: User | None = None, reason: str = DEFAULT_REASON
                                ) -> Recomputed:
    """Count every open provisional deadline and notice date again against the calendar in force.

    Called when a supervisor changes the calendar in the back office and by the daily job (which picks up
    a package upgrade). Idempotent: a second run with the same calendar changes nothing.
    """
    calendar = work_calendar()
    return Recomputed(
        filings=recompute_filing_deadlines(now=now, by=by, reason=reason, calendar=calendar),
        notices=recompute_notice_dates(now=now, by=by, reason=reason, calendar=calendar),
    )
