"""Writes on the registry: applications to open, change, close and cancel accounts (art. 6, 7),
their approval chain, filings and closure notices. Every transition is a LifecycleEvent row."""

from datetime import timedelta

from django.core.files.base import File
from django.db import transaction

from govmedia import clock
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
from govmedia.registry.rules import check_account_holder
from govmedia.settings_access import measures_effective_date
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
    host_unit = Unit.objects.get(pk=values["host_unit"])
    platform = Platform.objects.get(pk=values["platform"])
    _require_within_remit(applicant, host_unit.pk, "申请开设账号")
    check_account_holder(host_unit=host_unit, platform=platform, name=values.get("name", ""),
                         registrant_kind=values.get("registrant_kind", "organisation"))
    if not values.get("competent_unit"):
        values = {**values, "competent_unit": (host_unit.competent_unit_id or host_unit.parent_id or host_unit.pk)}
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
    _require_within_remit(applicant, account.host_unit_id, "申请变更账号")
    _require_no_open_application(account)
    if account.status != AccountStatus.NORMAL:
        raise RuleViolation(f"账号当前状态为“{account.get_status_display()}”，不能申请变更。")
    before = account_fields.current_values(account)
    changes = account_fields.diff(before, changes)
    if not changes:
        raise ValidationError("没有任何字段发生变化。")
    _validate_changes(account, before, changes)
    application = Application.objects.create(
        kind=ApplicationKind.CHANGE, account=account, applicant=applicant, reason=reason,
        changes={k: v[1] for k, v in changes.items()}, steps=approval_chain(account), submitted_at=clock.now(),
    )
    _event(account, LifecycleEvent.Action.SUBMIT, application=application, actor=applicant,
           to_state=ApplicationState.SUBMITTED, comment=reason, diff=changes)
    return application


def _validate_changes(account: Account, before: dict, changes: dict) -> None:
    after = {**before, **{k: v[1] for k, v in changes.items()}}
    host_unit = Unit.objects.get(pk=after["host_unit"])
    platform = Platform.objects.get(pk=after["platform"])
    check_account_holder(host_unit=host_unit, platform=platform, name=after["name"],
                         registrant_kind=after["registrant_kind"], exclude_account=account)
    # Validate field formats now, on a throw-away copy, so a bad value is refused at submission.
    probe = Account.objects.get(pk=account.pk)
    with transaction.atomic():
        sid = transaction.savepoint()
        try:
            account_fields.apply_values(probe, {k: v[1] for k, v in changes.items()})
        finally:
            transaction.savepoint_rollback(sid)


@transaction.atomic
def closure_application_submit(
    *, applicant: User, account: Account, kind: str, reason: str, decision_kind: str, decision_document: File | None,
) -> Application:
    """Art. 7: closing or cancelling needs a collective decision or the head's consent, on record."""
    if kind not in (ApplicationKind.CLOSE, ApplicationKind.CANCEL):
        raise ValidationError({"kind": ["申请类型应为关停或注销。"]})
    reason = _check_reason(reason)
    _require_within_remit(applicant, account.host_unit_id, "申请关停账号")
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


def can_approve(user: User, application: Application) -> bool:
    unit_id = application.current_unit_id
    if unit_id is None or application.applicant_id == user.pk:
        return False
    office = district_office()
    if office is not None and unit_id == office.pk:
        return user.is_district_supervisor
    return user.unit is not None and user.unit.pk == unit_id and user.role in APPROVER_ROLES


def _check_approver(application: Application, by: User) -> int:
    if application.applicant_id == by.pk:
        raise PermissionDenied("不能审批本人提交的申请")
    if not can_approve(by, application):
        raise PermissionDenied("当前环节不由您审批")
    return application.current_step


@transaction.atomic
def application_approve(*, application: Application, by: User, comment: str = "") -> Application:
    step = _check_approver(application, by)
    last = step + 1 >= len(application.steps)
    new_state = ApplicationState.APPROVED if last else ApplicationState.SUBMITTED
    now = clock.now()
    # Conditional UPDATE as a lock: of two approvers acting at once, exactly one wins.
    won = Application.objects.filter(
        pk=application.pk, state=ApplicationState.SUBMITTED, current_step=step
    ).update(current_step=step + 1, state=new_state, decided_at=now if last else None)
    if not won:
        raise Conflict("该申请已被他人处理，请刷新后查看")
    application.refresh_from_db()
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
    if unit_id == account.host_unit_id and not account.host_opinion_signer:
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
    won = Application.objects.filter(
        pk=application.pk, state=ApplicationState.SUBMITTED, current_step=step
    ).update(state=ApplicationState.REJECTED)
    if not won:
        raise Conflict("该申请已被他人处理，请刷新后查看")
    application.refresh_from_db()
    _event(application.account, LifecycleEvent.Action.REJECT, application=application, actor=by, step=step,
           from_state=ApplicationState.SUBMITTED, to_state=ApplicationState.REJECTED, comment=comment)
    return application


@transaction.atomic
def application_resubmit(*, application: Application, by: User, reason: str, changes: dict | None = None
                         ) -> Application:
    """After a rejection the applicant (or a colleague in the unit) corrects and sends it back to step one."""
    if application.state != ApplicationState.REJECTED:
        raise RuleViolation("只有被退回的申请可以重新提交。")
    _require_within_remit(by, application.account.host_unit_id, "重新提交申请")
    reason = _check_reason(reason)
    account = application.account
    diff = {}
    if changes:
        if application.kind == ApplicationKind.OPEN:
            before = account_fields.current_values(account)
            diff = account_fields.diff(before, changes)
            after = {**before, **changes}
            check_account_holder(
                host_unit=Unit.objects.get(pk=after["host_unit"]), platform=Platform.objects.get(pk=after["platform"]),
                name=after["name"], registrant_kind=after["registrant_kind"], exclude_account=account,
            )
            account_fields.apply_values(account, {k: v[1] for k, v in diff.items()})
            application.changes = account_fields.current_values(account)
        elif application.kind == ApplicationKind.CHANGE:
            before = account_fields.current_values(account)
            diff = account_fields.diff(before, {**application.changes, **changes})
            _validate_changes(account, before, diff)
            application.changes = {k: v[1] for k, v in diff.items()}
    won = Application.objects.filter(pk=application.pk, state=ApplicationState.REJECTED).update(
        state=ApplicationState.SUBMITTED, current_step=0, reason=reason, changes=application.changes,
        steps=approval_chain(account),
    )
    if not won:
        raise Conflict("该申请已被他人处理，请刷新后查看")
    application.refresh_from_db()
    _event(account, LifecycleEvent.Action.RESUBMIT, application=application, actor=by,
           from_state=ApplicationState.REJECTED, to_state=ApplicationState.SUBMITTED, comment=reason, diff=diff)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by: User) -> Application:
    if application.state not in (ApplicationState.SUBMITTED, ApplicationState.REJECTED):
        raise RuleViolation("该申请已办结，不能撤回。")
    _require_within_remit(by, application.account.host_unit_id, "撤回申请")
    old = application.state
    won = Application.objects.filter(pk=application.pk, state=old).update(
        state=ApplicationState.WITHDRAWN, decided_at=clock.now()
    )
    if not won:
        raise Conflict("该申请已被他人处理，请刷新后查看")
    application.refresh_from_db()
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
    _set_status(account, AccountStatus.CLOSING, by, application, LifecycleEvent.Action.NOTICE,
                comment=f"公告至{notice_end.date:%Y-%m-%d}，{effective_on:%Y-%m-%d}起生效")
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
        notice.took_effect_at = clock.now()
        notice.save(update_fields=["took_effect_at"])
        _set_status(notice.account, status, None, notice.application, action, comment=notice.title)
        done.append(notice)
    return done


def create_filing(*, account: Account, kind: str, triggered_on, application=None) -> Filing:
    days = LEGACY_FILING_WORKING_DAYS if kind == FilingKind.LEGACY else FILING_WORKING_DAYS
    deadline = add_working_days(triggered_on, days)
    return Filing.objects.create(
        account=account, application=application, kind=kind, triggered_on=triggered_on,
        due_on=deadline.date, due_is_provisional=deadline.provisional,
    )


def legacy_filing_for(account: Account) -> Filing | None:
    """Art. 19: an account opened before the measures took effect files within 20 working days of that date."""
    effective = measures_effective_date()
    if account.registered_on is None or account.registered_on >= effective:
        return None
    if account.filings.filter(kind=FilingKind.LEGACY).exists():
        return None
    return create_filing(account=account, kind=FilingKind.LEGACY, triggered_on=effective)


@transaction.atomic
def filing_record(*, filing: Filing, by: User, filed_on=None, provincial_filing_no: str = "") -> Filing:
    _require_within_remit(by, filing.account.host_unit_id, "登记备案")
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
