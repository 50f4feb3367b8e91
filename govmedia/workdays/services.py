"""Writes on the calendar in force. Every change counts the provisional deadlines that rest on it again,
so a holiday a supervisor enters moves the stored dates at once, not only the ones computed afterwards."""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from govmedia.orgs.models import User
from govmedia.registry.services.recompute import Recomputed, recompute_provisional_dates
from govmedia.workdays.models import CalendarDay, CalendarYear

CalendarEntry = CalendarDay | CalendarYear


def _recompute(verb: str, labels: list[str], *, by: User, now: datetime) -> Recomputed:
    entries = "、".join(f"“{label}”" for label in labels)
    return recompute_provisional_dates(now=now, by=by, reason=f"{by.display_name}{verb}工作日历{entries}")


@transaction.atomic
def calendar_entry_save(*, entry: CalendarEntry, by: User, now: datetime) -> Recomputed:
    verb = "修改" if entry.pk else "录入"
    entry.save()
    return _recompute(verb, [str(entry)], by=by, now=now)


@transaction.atomic
def calendar_entries_delete(*, entries: Iterable[CalendarEntry], by: User, now: datetime) -> Recomputed:
    labels = []
    for entry in entries:
        labels.append(str(entry))
        entry.delete()  # one by one, so each deletion is audited
    return _recompute("删除", labels, by=by, now=now)
