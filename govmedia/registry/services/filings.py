"""Filings with the province (art. 6, 19): opened when an account goes live or changes, recorded when made."""

from django.db import transaction

from govmedia import clock
from govmedia.errors import RuleViolation, ValidationError
from govmedia.orgs.models import User
from govmedia.registry.models import Account, Filing, FilingKind, LifecycleEvent
from govmedia.registry.services.access import _require_may_act_on
from govmedia.registry.services.events import _event
from govmedia.settings_access import measures_effective_date
from govmedia.workdays.calendar import WorkCalendar
from govmedia.workdays.selectors import add_working_days

FILING_WORKING_DAYS = 7  # art. 6
LEGACY_FILING_WORKING_DAYS = 20  # art. 19


def create_filing(*, account: Account, kind: str, triggered_on, application=None,
                  calendar: WorkCalendar | None = None) -> Filing:
    filing = new_filing(account=account, kind=kind, triggered_on=triggered_on, application=application,
                        calendar=calendar)
    filing.save()
    return filing


def new_filing(*, account: Account, kind: str, triggered_on, application=None,
               calendar: WorkCalendar | None = None) -> Filing:
    """An unsaved filing with its deadline. `calendar` lets a bulk caller (an import) load the working-day
    calendar once and save all its filings at once."""
    days = LEGACY_FILING_WORKING_DAYS if kind == FilingKind.LEGACY else FILING_WORKING_DAYS
    deadline = add_working_days(triggered_on, days, calendar=calendar)
    return Filing(
        account=account, application=application, kind=kind, triggered_on=triggered_on,
        due_on=deadline.date, due_is_provisional=deadline.provisional,
    )


def legacy_filing_start(account: Account):
    """Art. 19: an account opened before the measures took effect files within 20 working days of that date;
    None for an account opened since."""
    effective = measures_effective_date()
    if account.registered_on is None or account.registered_on >= effective:
        return None
    return effective


def legacy_filing_for(account: Account, *, calendar: WorkCalendar | None = None) -> Filing | None:
    triggered_on = legacy_filing_start(account)
    if triggered_on is None or account.filings.filter(kind=FilingKind.LEGACY).exists():
        return None
    return create_filing(account=account, kind=FilingKind.LEGACY, triggered_on=triggered_on, calendar=calendar)


@transaction.atomic
def filing_record(*, filing: Filing, by: User, filed_on=None, provincial_filing_no: str = "") -> Filing:
    _require_may_act_on(by, filing.account, "登记该账号的备案")
    if filing.filed_on is not None:
        raise RuleViolation("该事项已备案。")
    filed_on = filed_on or clock.today()
    if filed_on > clock.today():
        raise ValidationError({"filed_on": ["备案日期不能晚于今天。"]})
    filing.filed_on, filing.filed_by = filed_on, by
    filing.save(update_fields=["filed_on", "filed_by"])
    account = filing.account
    if provincial_filing_no:
        account.provincial_filing_no, account.provincial_filed_on = provincial_filing_no, filed_on
        account.save(update_fields=["provincial_filing_no", "provincial_filed_on", "updated_at"])
    _event(account, LifecycleEvent.Action.FILE, actor=by, comment=f"{filing.get_kind_display()}，{filed_on:%Y-%m-%d}")
    return filing
