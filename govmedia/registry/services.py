"""Writes on the registry: applications to open, change, close and cancel accounts (art. 6, 7),
their approval chain, filings and closure notices. Every transition is a LifecycleEvent row."""

from datetime import timedelta

from django.core.files.base import File
from django.db import transaction

from govmedia import clock
from govmedia.audit.services import audited_update
from govmedia.errors import Conflict, PermissionDenied, RuleViolation, ValidationError
from govmedia.orgs.models import Role, Unit, User
from govmedia.orgs.selectors import district_office, unit_ids_managed_by
from govmedia.registry import fields as account_fields
from govmedia.registry.models import (
    Account,
    AccountStatus,
    Application,
    ApplicationKind,
    ApplicationState,
    ClosureNotice,
    DecisionKind,
    Filing,
    FilingKind,
    LifecycleEvent,
    Platform,
)
from govmedia.registry.rules import check_account_holder, default_competent_unit_id
from govmedia.settings_access import measures_effective_date
from govmedia.workdays.calendar import WorkCalendar
from govmedia.workdays.selectors import add_working_days

FILING_WORKING_DAYS = 7  # art. 6
LEGACY_FILING_WORKING_DAYS = 20  # art. 19
NOTICE_WORKING_DAYS = 15  # art. 7
APPROVER_ROLES = {Role.LEADER, Role.UNIT_ADMIN}


def approval_chain(account: Account) -> list[int]:
    """Host-unit head → competent unit → district office, consecutive duplicates removed."""
    office = district_office()
    chain = [account.host_unit_id, account.competent_unit_id, office.pk if office else None]
    steps: list[int] = []
    for unit_id in chain:
        if unit_id and (not steps or steps[-1] != unit_id):
            steps.append(unit_id)
    return steps


def _require_within_remit(user: User, unit_id: int, what: str) -> None:
    ids = unit_ids_managed_by(user)
    if ids is not None and unit_id not in ids:
        raise PermissionDenied(f"无权为其他单位{what}")


def may_act_on(user: User, account: Account) -> bool:
    """Whether the user may apply for, or record filings of, this account: it is within their remit,
    and an operator acts only on the accounts assigned to them (the same accounts they can see)."""
    ids = unit_ids_managed_by(user)
    if ids is not None and account.host_unit_id not in ids:
        return False
    if user.role == Role.OPERATOR and not user.is_district_supervisor:
        return account.operators.filter(pk=user.pk).exists()
    return True


def _require_may_act_on(user: User, account: Account, what: str) -> None:
    if not may_act_on(user, account):
        raise PermissionDenied(f"无权{what}")


_VALUE_KEYS = frozenset(account_fields.APPLICATION_FIELDS) | {"columns", "team"}


def _check_value_keys(values: dict) -> None:
    # Status, operators and the like change only through the lifecycle, never through an application.
    unknown = sorted(set(values) - _VALUE_KEYS)
    if unknown:
        raise ValidationError(f"申请不能设置这些字段：{'、'.join(unknown)}")


def _check_holder(values: dict, *, exclude_account: Account | None = None, changed=None) -> None:
    """Art. 3 and 5 on a full set of account values (ids as stored in JSON). Call inside a transaction:
    the host unit's row stays locked until it ends, so two applications of one unit submitted at once
    cannot both pass the one-account-per-platform check.

    `changed` names the fields a change touches; the competent unit of an existing account is only
    re-judged when the change touches it or the host unit (registered accounts may predate the rule).
    """
    competent_too = changed is None or bool({"host_unit", "competent_unit"} & set(changed))
    check_account_holder(
        host_unit=Unit.objects.select_for_update().get(pk=values["host_unit"]),
        platform=Platform.objects.get(pk=values["platform"]),
        name=values.get("name", ""), registrant_kind=values.get("registrant_kind", "organisation"),
        exclude_account=exclude_account, competent_unit_id=values["competent_unit"] if competent_too else None,
    )


def _event(account, action, *, application=None, actor=None, step=None, from_state="", to_state="",
           comment="", diff=None) -> LifecycleEvent:
    return LifecycleEvent.objects.create(
        account=account, application=application, actor=actor, action=action, step=step,
        from_state=from_state, to_state=to_state, comment=comment, diff=diff or {}, at=clock.now(),
    )


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["请填写开办（变更、关停）理由。"]})
    return reason


@transaction.atomic
def open_application_submit(*, applicant: User, values: dict, reason: str) -> Application:
    """A unit applies to open an account. The account is registered as 开设审批中 right away, so the
    one-account-per-platform rule also counts accounts whose opening is still being approved."""
    reason = _check_reason(reason)
    _check_value_keys(values)
    host_unit = Unit.objects.get(pk=values["host_unit"])
    _require_within_remit(applicant, host_unit.pk, "申请开设账号")
    if not values.get("competent_unit"):
        values = {**values, "competent_unit": default_competent_unit_id(host_unit)}
    _check_holder(values)
    account = Account(status=AccountStatus.PENDING)
    account_fields.apply_values(account, values)
    if applicant.role == Role.OPERATOR:
        # Contractor staff see only the accounts assigned to them, so the one they file for becomes theirs.
        account.operators.add(applicant)
    application = Application.objects.create(
        kind=ApplicationKind.OPEN, account=account, applicant=applicant, reason=reason,
        changes=account_fields.current_values(account), steps=approval_chain(account), submitted_at=clock.now(),
    )
    _event(account, LifecycleEvent.Action.SUBMIT, application=application, actor=applicant,
           from_state="", to_state=ApplicationState.SUBMITTED, comment=reason)
    return application


@transaction.atomic
def change_application_submit(*, applicant: User, account: Account, changes: dict, reason: str) -> Application:
    reason = _check_reason(reason)
    _require_may_act_on(applicant, account, "申请变更该账号")
    _require_no_open_application(account)
    if account.status != AccountStatus.NORMAL:
        raise RuleViolation(f"账号当前状态为“{account.get_status_display()}”，不能申请变更。")
    before = account_fields.current_values(account)
    changes = account_fields.diff(before, changes)
    if not changes:
        raise ValidationError("没有任何字段发生变化。")
    _validate_changes(applicant, account, before, changes)
    application = Application.objects.create(
        kind=ApplicationKind.CHANGE, account=account, applicant=applicant, reason=reason,
        changes={k: v[1] for k, v in changes.items()}, steps=approval_chain(account), submitted_at=clock.now(),
    )
    _event(account, LifecycleEvent.Action.SUBMIT, application=application, actor=applicant,
           to_state=ApplicationState.SUBMITTED, comment=reason, diff=changes)
    return application


def _validate_changes(by: User, account: Account, before: dict, changes: dict) -> None:
    new = {k: v[1] for k, v in changes.items()}
    _check_value_keys(new)
    if "host_unit" in new:
        _require_within_remit(by, new["host_unit"], "接收账号")
    _check_holder({**before, **new}, exclude_account=account, changed=new)
    # Validate field formats now, on a throw-away copy, so a bad value is refused at submission.
    probe = Account.objects.get(pk=account.pk)
    with transaction.atomic():
        account_fields.apply_values(probe, new)
        transaction.set_rollback(True)


@transaction.atomic
def closure_application_submit(
    *, applicant: User, account: Account, kind: str, reason: str, decision_kind: str, decision_document: File | None,
) -> Application:
    """Art. 7: closing or cancelling needs a collective decision or the head's consent, on record."""
    if kind not in (ApplicationKind.CLOSE, ApplicationKind.CANCEL):
        raise ValidationError({"kind": ["申请类型应为关停或注销。"]})
    reason = _check_reason(reason)
    _require_may_act_on(applicant, account, "申请关停该账号")
    _require_no_open_application(account)
    if account.status not in (AccountStatus.NORMAL, AccountStatus.CLOSED) or (
        kind == ApplicationKind.CLOSE and account.status == AccountStatus.CLOSED
    ):
        raise RuleViolation(f"账号当前状态为“{account.get_status_display()}”，不能申请{ApplicationKind(kind).label}。")
    errors = {}
    if decision_kind not in DecisionKind.values:
        errors["decision_kind"] = ["请选择关停依据：本单位集体研究决定或主要领导同意（第七条）。"]
    if not decision_document:
        errors["decision_document"] = ["请上传集体研究会议纪要或主要领导同意的书面材料（第七条）。"]
    if errors:
        raise ValidationError(errors)
    application = Application(
        kind=kind, account=account, applicant=applicant, reason=reason, decision_kind=decision_kind,
        steps=approval_chain(account), submitted_at=clock.now(),
    )
    application.decision_document.save(decision_document.name, decision_document, save=False)
    application.save()
    _event(account, LifecycleEvent.Action.SUBMIT, application=application, actor=applicant,
           to_state=ApplicationState.SUBMITTED, comment=reason)
    return application


def _require_no_open_application(account: Account) -> None:
    pending = account.applications.filter(state__in=[ApplicationState.SUBMITTED, ApplicationState.REJECTED]).first()
    if pending is not None:
        raise RuleViolation(f"该账号已有未办结的{pending.get_kind_display()}申请，请先办结或撤回。")


def _is_author(user: User, application: Application) -> bool:
    """The applicant, and whoever re-submitted the application after a rejection, wrote it."""
    return application.applicant_id == user.pk or application.events.filter(
        action=LifecycleEvent.Action.RESUBMIT, actor=user).exists()


def _holds_current_step(user: User, application: Application) -> bool:
    unit_id = application.current_unit_id
    if unit_id is None:
        return False
    office = district_office()
    if office is not None and unit_id == office.pk:
        return user.is_district_supervisor
    return user.unit is not None and user.unit.pk == unit_id and user.role in APPROVER_ROLES


def can_approve(user: User, application: Application) -> bool:
    return _holds_current_step(user, application) and not _is_author(user, application)


def _check_approver(application: Application, by: User) -> int:
    if _is_author(by, application):
        raise PermissionDenied("不能审批本人提交的申请")
    if not _holds_current_step(by, application):
        raise PermissionDenied("当前环节不由您审批")
    return application.current_step


@transaction.atomic
def application_approve(*, application: Application, by: User, comment: str = "") -> Application:
    step = _check_approver(application, by)
    last = step + 1 >= len(application.steps)
    new_state = ApplicationState.APPROVED if last else ApplicationState.SUBMITTED
    now = clock.now()
    # Conditional UPDATE as a lock: of two approvers acting at once, exactly one wins.
    won = audited_update(application, where={"state": ApplicationState.SUBMITTED, "current_step": step},
                         current_step=step + 1, state=new_state, decided_at=now if last else None)
    if not won:
        raise Conflict("该申请已被他人处理，请刷新后查看")
    _event(application.account, LifecycleEvent.Action.APPROVE, application=application, actor=by, step=step,
           from_state=ApplicationState.SUBMITTED, to_state=new_state, comment=comment)
    _record_opinion(application, step, by)
    if last:
        _carry_out(application, by)
    return application


def _record_opinion(application: Application, step: int, by: User) -> None:
    """Attachment 1 asks for the host unit's and the competent unit's opinion, signer and date."""
    account = application.account
    unit_id = application.steps[step]
    today = clock.today()
    # Each application (opening, change or closure) carries the opinions of its own approvers.
    if unit_id == account.host_unit_id:
        account.host_opinion_signer, account.host_opinion_on = by.display_name, today
    elif unit_id == account.competent_unit_id and unit_id != account.host_unit_id:
        account.competent_opinion_signer, account.competent_opinion_on = by.display_name, today
    else:
        return
    account.save(update_fields=["host_opinion_signer", "host_opinion_on", "competent_opinion_signer",
                                "competent_opinion_on", "updated_at"])


@transaction.atomic
def application_reject(*, application: Application, by: User, comment: str) -> Application:
    if not (comment or "").strip():
        raise ValidationError({"comment": ["退回时请填写意见，说明需要修改的内容。"]})
    step = _check_approver(application, by)
    won = audited_update(application, where={"state": ApplicationState.SUBMITTED, "current_step": step},
                         state=ApplicationState.REJECTED)
    if not won:
        raise Conflict("该申请已被他人处理，请刷新后查看")
    _event(application.account, LifecycleEvent.Action.REJECT, application=application, actor=by, step=step,
           from_state=ApplicationState.SUBMITTED, to_state=ApplicationState.REJECTED, comment=comment)
    return application


@transaction.atomic
def application_resubmit(*, application: Application, by: User, reason: str, changes: dict | None = None
                         ) -> Application:
    """After a rejection the applicant (or a colleague in the unit) corrects and sends it back to step one."""
    if application.state != ApplicationState.REJECTED:
        raise RuleViolation("只有被退回的申请可以重新提交。")
    _require_may_act_on(by, application.account, "重新提交该申请")
    reason = _check_reason(reason)
    account = application.account
    diff = {}
    new_changes = application.changes
    if changes:
        if application.kind == ApplicationKind.OPEN:
            before = account_fields.current_values(account)
            diff = account_fields.diff(before, changes)
            new = {k: v[1] for k, v in diff.items()}
            _check_value_keys(new)
            if "host_unit" in new:
                _require_within_remit(by, new["host_unit"], "申请开设账号")
            _check_holder({**before, **new}, exclude_account=account, changed=new)
            account_fields.apply_values(account, new)
            new_changes = account_fields.current_values(account)
        elif application.kind == ApplicationKind.CHANGE:
            before = account_fields.current_values(account)
            diff = account_fields.diff(before, {**application.changes, **changes})
            _validate_changes(by, account, before, diff)
            new_changes = {k: v[1] for k, v in diff.items()}
    won = audited_update(application, where={"state": ApplicationState.REJECTED},
                         state=ApplicationState.SUBMITTED, current_step=0, reason=reason, changes=new_changes,
                         steps=approval_chain(account))
    if not won:
        raise Conflict("该申请已被他人处理，请刷新后查看")
    _event(account, LifecycleEvent.Action.RESUBMIT, application=application, actor=by,
           from_state=ApplicationState.REJECTED, to_state=ApplicationState.SUBMITTED, comment=reason, diff=diff)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by: User) -> Application:
    if application.state not in (ApplicationState.SUBMITTED, ApplicationState.REJECTED):
        raise RuleViolation("该申请已办结，不能撤回。")
    _require_may_act_on(by, application.account, "撤回该申请")
    old = application.state
    won = audited_update(application, where={"state": old}, state=ApplicationState.WITHDRAWN, decided_at=clock.now())
    if not won:
        raise Conflict("该申请已被他人处理，请刷新后查看")
    account = application.account
    _event(account, LifecycleEvent.Action.WITHDRAW, application=application, actor=by, from_state=old,
           to_state=ApplicationState.WITHDRAWN)
    if application.kind == ApplicationKind.OPEN:
        _set_status(account, AccountStatus.REJECTED, by, application, LifecycleEvent.Action.WITHDRAW)
    return application


def _set_status(account: Account, status: str, by, application, action, comment="") -> None:
    old = account.status
    account.status = status
    account.save(update_fields=["status", "updated_at"])
    _event(account, action, application=application, actor=by, from_state=old, to_state=status, comment=comment)


def _carry_out(application: Application, by: User) -> None:
    account = application.account
    today = clock.today()
    if application.kind == ApplicationKind.OPEN:
        if account.live_on is None:
            account.live_on = today
            account.save(update_fields=["live_on", "updated_at"])
        _set_status(account, AccountStatus.NORMAL, by, application, LifecycleEvent.Action.APPROVE)
        create_filing(account=account, kind=FilingKind.OPENING, triggered_on=today, application=application)
    elif application.kind == ApplicationKind.CHANGE:
        before = account_fields.current_values(account)
        # Checked again: since submission another account may have been opened on the target platform.
        _check_holder({**before, **application.changes}, exclude_account=account, changed=application.changes)
        account_fields.apply_values(account, application.changes)
        diff = account_fields.diff(before, account_fields.current_values(account))
        _event(account, LifecycleEvent.Action.APPLY_CHANGE, application=application, actor=by, diff=diff)
        if account_fields.FILING_RELEVANT_FIELDS & set(diff):
            create_filing(account=account, kind=FilingKind.CHANGE, triggered_on=today, application=application)
    else:
        _publish_notice(application, by, today)


def _publish_notice(application: Application, by: User, today) -> ClosureNotice:
    account = application.account
    notice_end = add_working_days(today, NOTICE_WORKING_DAYS)
    effective_on = notice_end.date + timedelta(days=1)
    verb = "关停" if application.kind == ApplicationKind.CLOSE else "注销"
    notice = ClosureNotice.objects.create(
        account=account, application=application, kind=application.kind,
        title=f"关于{verb}“{account.name}”{account.platform.name}账号的公告",
        body=(
            f"经{account.host_unit.name}"
            f"{'集体研究决定' if application.decision_kind == DecisionKind.COLLECTIVE else '主要领导同意'}，"
            f"并报管委办公室备案，{account.host_unit.name}主办的{account.platform.name}账号“{account.name}”"
            f"（账号ID：{account.account_id}）将于{effective_on:%Y年%m月%d日}起{verb}。\n"
            f"{verb}原因：{application.reason}\n"
            f"公告期自{today:%Y年%m月%d日}起至{notice_end.date:%Y年%m月%d日}，不少于15个工作日。"
            "公告期内如有疑问，请与主办单位联系。"
        ),
        published_on=today, effective_on=effective_on, effective_is_provisional=notice_end.provisional,
    )
    comment = f"公告至{notice_end.date:%Y-%m-%d}，{effective_on:%Y-%m-%d}起生效"
    if account.status == AccountStatus.NORMAL:
        _set_status(account, AccountStatus.CLOSING, by, application, LifecycleEvent.Action.NOTICE, comment=comment)
    else:
        # Cancelling an already closed account: it stays closed during the notice, and so does not count
        # again as a live account on its platform (art. 5).
        _event(account, LifecycleEvent.Action.NOTICE, application=application, actor=by,
               from_state=account.status, to_state=account.status, comment=comment)
    return notice


@transaction.atomic
def closures_take_effect() -> list[ClosureNotice]:
    """Close or cancel every account whose notice period has run out. Run daily (command `registry_daily`)."""
    today = clock.today()
    due = ClosureNotice.objects.select_related("account").filter(took_effect_at__isnull=True, effective_on__lte=today)
    done = []
    for notice in due:
        status = AccountStatus.CLOSED if notice.kind == ApplicationKind.CLOSE else AccountStatus.CANCELLED
        action = LifecycleEvent.Action.CLOSE if notice.kind == ApplicationKind.CLOSE else LifecycleEvent.Action.CANCEL
        # Conditional UPDATE: a second scheduler run at the same moment finds nothing left to do.
        if not ClosureNotice.objects.filter(pk=notice.pk, took_effect_at__isnull=True).update(took_effect_at=clock.now()):
            continue
        _set_status(notice.account, status, None, notice.application, action, comment=notice.title)
        done.append(notice)
    return done


def create_filing(*, account: Account, kind: str, triggered_on, application=None,
                  calendar: WorkCalendar | None = None) -> Filing:
    """`calendar` lets a bulk caller (an import) load the working-day calendar once for all its accounts."""
    days = LEGACY_FILING_WORKING_DAYS if kind == FilingKind.LEGACY else FILING_WORKING_DAYS
    deadline = add_working_days(triggered_on, days, calendar=calendar)
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
