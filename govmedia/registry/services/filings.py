"""Filings with the province (art. 6, 19): opened when an account goes live or changes, recorded when made."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from govmedia.errors import RuleViolation, ValidationError
from govmedia.orgs.models import User
from govmedia.registry.models import Account, Filing, FilingKind, LifecycleEvent
from govmedia.registry.services.access import _require_may_act_on
from govmedia.registry.services.events import _event, moment
from govmedia.settings_access import measures_effective_date
from govmedia.workdays.calendar import Deadline, WorkCalendar
from govmedia.workdays.selectors import add_working_days

FILING_WORKING_DAYS = 7  # art. 6
LEGACY_FILING_WORKING_DAYS = 20  # art. 19


def filing_deadline(kind: str, triggered_on, *, calendar: WorkCalendar | None = None) -> Deadline:
    days = LEGACY_FILING_WORKING_DAYS if kind == FilingKind.LEGACY else FILING_WORKING_DAYS
    return add_working_days(triggered_on, days, calendar=calendar)


def create_filing(*, account: Account, kind: str, triggered_on, application=None,
                  calendar: WorkCalendar | None = None) -> Filing:
    """`calendar` lets a bulk caller (an import) load the working-day calendar once for all its accounts."""
    deadline = filing_deadline(kind, triggered_on, calendar=calendar)
    return Filing.objects.create(
        account=account, application=application, kind=kind, triggered_on=triggered_on,
        due_on=deadline.date, due_is_provisional=deadline.provisional,
    )


def legacy_filing_for(account: Account, *, calendar: WorkCalendar | None = None) -> Filing | None:
    """Art. 19: an account opened before the measures took effect files within 20 working days of that date."""
    effective = measures_effective_date()
    if account.registered_on is None or account.registered_on >= effective:
        return None
    if account.filings.filter(kind=FilingKind.LEGACY).exists():
        return None
    return create_filing(account=account, kind=FilingKind.LEGACY, triggered_on=effective, calendar=calendar)


@transaction.atomic
def filing_record(*, filing: Filing, by: User, filed_on=None, provincial_filing_no: str = "",
                  now: datetime | None = None) -> Filing:
    now = moment(now)
    today = timezone.localdate(now)
    _require_may_act_on(by, filing.account, "登记该账号的备案")
    if filing.filed_on is not None:
        raise RuleViolation("该事项已备案。")
    filed_on = filed_on or today
    if filed_on > today:
        raise ValidationError({"filed_on": ["备案日期不能晚于今天。"]})
    filing.filed_on, filing.filed_by = filed_on, by
    filing.save(update_fields=["filed_on", "filed_by"])
    account = filing.account
    if provincial_filing_no:
        account.provincial_filing_no, account.provincial_filed_on = provincial_filing_no, filed_on
        account.save(update_fields=["provincial_filing_no", "provincial_filed_on", "updated_at"])
    _event(account, LifecycleEvent.Action.FILE, at=now, actor=by, comment=f"{filing.get_kind_display()}，{filed_on:%Y-%m-%d}")
    return filing
