"""Filings (art. 6, 19): opened when an account goes live or changes; the unit submits the provincial
filing number and the stamped attachment-1 form; the district office confirms or returns it."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from govmedia.audit.services import audited_update
from govmedia.errors import Conflict, PermissionDenied, RuleViolation, ValidationError
from govmedia.orgs.models import User
from govmedia.registry.models import (
    AWAITING_UNIT,
    Account,
    AccountStatus,
    Filing,
    FilingEvent,
    FilingKind,
    FilingState,
    LifecycleEvent,
    filing_form_path,
)
from govmedia.registry.services.access import _require_may_act_on, may_confirm_filing
from govmedia.registry.services.events import _event, moment
from govmedia.registry.uploads import validate_stamped_form
from govmedia.settings_access import measures_effective_date
from govmedia.workdays.calendar import Deadline, WorkCalendar
from govmedia.workdays.selectors import add_working_days, work_calendar

FILING_WORKING_DAYS = 7  # art. 6
LEGACY_FILING_WORKING_DAYS = 20  # art. 19


def filing_deadline(kind: str, triggered_on, *, calendar: WorkCalendar | None = None) -> Deadline:
    days = LEGACY_FILING_WORKING_DAYS if kind == FilingKind.LEGACY else FILING_WORKING_DAYS
    return add_working_days(triggered_on, days, calendar=calendar)


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
    deadline = filing_deadline(kind, triggered_on, calendar=calendar)
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


def open_missing_filings() -> list[Filing]:
    """Give every operating account that has no filing at all the obligation it missed. Run daily.

    Such accounts come from the back office or from a ledger without dates. Whatever their opening
    date, the latest deadline the measures allow them is art. 19's (20 working days from the day the
    measures took effect), so they are overdue at once, as an unfiled account should be."""
    missing = Account.objects.filter(status=AccountStatus.NORMAL, filings__isnull=True)
    effective, calendar = measures_effective_date(), work_calendar()
    return [create_filing(account=account, kind=FilingKind.LEGACY, triggered_on=effective, calendar=calendar)
            for account in missing]


def _step(filing: Filing, *, by: User | None, action: str, from_state: str, now: datetime, comment: str = "",
          **values) -> Filing:
    """Move a filing on from `from_state`. The conditional UPDATE is the lock: of two people acting on
    the same filing at once, exactly one wins and the other is told to reload."""
    if not audited_update(filing, where={"state": from_state}, **values):
        raise Conflict("该备案事项已被他人处理，请刷新后重试。")
    FilingEvent.objects.create(filing=filing, actor=by, action=action, from_state=from_state, to_state=filing.state,
                               provincial_filing_no=filing.provincial_filing_no, comment=comment, at=now)
    return filing


def _clean_number(provincial_filing_no: str) -> str:
    number = (provincial_filing_no or "").strip()
    if not number:
        raise ValidationError({"provincial_filing_no": ["请填写省政务新媒体备案管理系统给出的备案编号。"]})
    if len(number) > 60:
        raise ValidationError({"provincial_filing_no": [f"备案编号“{number[:20]}…”超过 60 个字符。"]})
    return number


def filing_submit(*, filing: Filing, by: User, provincial_filing_no: str, form, now: datetime | None = None) -> Filing:
    """The unit submits (or, after a return, resubmits) its filing: the provincial number and the stamped form.

    The submission date is today: it meets the deadline if the district office later confirms it."""
    now = moment(now)
    _require_may_act_on(by, filing.account, "提交该账号的备案")
    if filing.state not in AWAITING_UNIT:
        raise RuleViolation(f"该备案事项{filing.get_state_display()}，不能再次提交。")
    number = _clean_number(provincial_filing_no)
    if not form:
        raise ValidationError({"form": ["请上传加盖公章的备案登记表（PDF、JPG 或 PNG）。"]})
    validate_stamped_form(form)
    storage = filing.form.storage
    stored = storage.save(filing_form_path(filing, form.name), form)
    action = FilingEvent.Action.RESUBMIT if filing.state == FilingState.RETURNED else FilingEvent.Action.SUBMIT
    try:
        with transaction.atomic():
            _step(filing, by=by, action=action, from_state=filing.state, now=now, state=FilingState.SUBMITTED,
                  provincial_filing_no=number, form=stored, filed_on=timezone.localdate(now), filed_by=by)
    except BaseException:
        storage.delete(stored)  # nothing half-written: no orphan upload when the write fails
        raise
    return filing


def _require_may_confirm(by: User, filing: Filing) -> None:
    if not by.is_district_supervisor:
        raise PermissionDenied("只有管委办公室可以确认或退回备案。")
    if not may_confirm_filing(by, filing):
        raise PermissionDenied("不能确认或退回本人提交的备案。")


@transaction.atomic
def filing_confirm(*, filing: Filing, by: User, comment: str = "", now: datetime | None = None) -> Filing:
    """The district office accepts the submission; the account carries the provincial number from now on."""
    now = moment(now)
    _require_may_confirm(by, filing)
    if filing.state != FilingState.SUBMITTED:
        raise RuleViolation(f"该备案事项{filing.get_state_display()}，只有已提交的备案可以确认。")
    _step(filing, by=by, action=FilingEvent.Action.CONFIRM, from_state=FilingState.SUBMITTED, now=now,
          comment=comment.strip(), state=FilingState.CONFIRMED)
    _carry_to_account(filing, by, now)
    return filing


def _carry_to_account(filing: Filing, by: User | None, now: datetime) -> None:
    account = filing.account
    account.provincial_filing_no, account.provincial_filed_on = filing.provincial_filing_no, filing.filed_on
    account.save(update_fields=["provincial_filing_no", "provincial_filed_on", "updated_at"])
    _event(account, LifecycleEvent.Action.FILE, at=now, actor=by, comment=filed_comment(filing))


def filed_comment(filing: Filing) -> str:
    """The account history's line for a confirmed filing."""
    return f"{filing.get_kind_display()}，{filing.filed_on:%Y-%m-%d} 提交，编号 {filing.provincial_filing_no}"


@transaction.atomic
def filing_return(*, filing: Filing, by: User, reason: str, now: datetime | None = None) -> Filing:
    """The district office sends the submission back; the unit corrects it and submits again."""
    now = moment(now)
    _require_may_confirm(by, filing)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["请写明退回原因，以便单位修改后重新提交。"]})
    if filing.state != FilingState.SUBMITTED:
        raise RuleViolation(f"该备案事项{filing.get_state_display()}，只有已提交的备案可以退回。")
    # The returned submission no longer counts towards the deadline; its date stays in the event row.
    return _step(filing, by=by, action=FilingEvent.Action.RETURN, from_state=FilingState.SUBMITTED, now=now,
                 comment=reason, state=FilingState.RETURNED, filed_on=None)


RECORD_COMMENT = "补录此前已办理的备案"


def recorded_state(by: User) -> str:
    """A filing made before the platform kept filings: the district office's record is confirmed at once,
    a unit's awaits the office's confirmation like any submission (a unit cannot declare itself filed)."""
    return FilingState.CONFIRMED if by.is_district_supervisor else FilingState.SUBMITTED


@transaction.atomic
def filing_record(*, filing: Filing, by: User, filed_on: date | None = None, provincial_filing_no: str = "",
                  now: datetime | None = None) -> Filing:
    """Record a filing the unit made before the platform kept filings (a ledger import, history), with no form.

    Recorded by the district office it is confirmed at once; recorded by a unit it awaits the office's
    confirmation like any submission, so a unit cannot declare itself filed."""
    now = moment(now)
    today = timezone.localdate(now)
    _require_may_act_on(by, filing.account, "登记该账号的备案")
    if filing.state not in AWAITING_UNIT:
        raise RuleViolation(f"该备案事项{filing.get_state_display()}，不能再次登记。")
    filed_on = filed_on or today
    if filed_on > today:
        raise ValidationError({"filed_on": ["备案日期不能晚于今天。"]})
    number = _clean_number(provincial_filing_no) if provincial_filing_no else filing.account.provincial_filing_no
    state = recorded_state(by)
    _step(filing, by=by, action=FilingEvent.Action.RECORD, from_state=filing.state, now=now,
          comment=RECORD_COMMENT, provincial_filing_no=number, filed_on=filed_on, filed_by=by, state=state)
    if state == FilingState.CONFIRMED:
        _carry_to_account(filing, by, now)
    return filing
