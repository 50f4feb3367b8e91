"""Applications to open, change, close and cancel accounts (art. 6, 7): their submission and validation."""

from datetime import datetime

from django.core.files.base import File
from django.db import transaction

from govmedia.errors import RuleViolation, ValidationError
from govmedia.orgs.models import Unit, User
from govmedia.orgs.permissions import acts_only_on_assigned_accounts
from govmedia.registry import fields as account_fields
from govmedia.registry.models import (
    Account,
    AccountStatus,
    Application,
    ApplicationKind,
    ApplicationState,
    DecisionKind,
    LifecycleEvent,
    Platform,
)
from govmedia.registry.rules import check_account_holder, default_competent_unit_id
from govmedia.registry.services.access import _require_may_act_on, _require_within_remit, approval_chain
from govmedia.registry.services.events import _event, moment

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


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["请填写开办（变更、关停）理由。"]})
    return reason


@transaction.atomic
def open_application_submit(*, applicant: User, values: dict, reason: str, now: datetime | None = None
                            ) -> Application:
    """A unit applies to open an account. The account is registered as 开设审批中 right away, so the
    one-account-per-platform rule also counts accounts whose opening is still being approved."""
    now = moment(now)
    reason = _check_reason(reason)
    _check_value_keys(values)
    host_unit = Unit.objects.get(pk=values["host_unit"])
    _require_within_remit(applicant, host_unit.pk, "申请开设账号")
    if not values.get("competent_unit"):
        values = {**values, "competent_unit": default_competent_unit_id(host_unit)}
    _check_holder(values)
    account = Account(status=AccountStatus.PENDING)
    account_fields.apply_values(account, values)
    if acts_only_on_assigned_accounts(applicant):
        # Contractor staff see only the accounts assigned to them, so the one they file for becomes theirs.
        account.operators.add(applicant)
    application = Application.objects.create(
        kind=ApplicationKind.OPEN, account=account, applicant=applicant, reason=reason,
        changes=account_fields.current_values(account), steps=approval_chain(account), submitted_at=now,
    )
    _event(account, LifecycleEvent.Action.SUBMIT, at=now, application=application, actor=applicant,
           from_state="", to_state=ApplicationState.SUBMITTED, comment=reason)
    return application


@transaction.atomic
def change_application_submit(*, applicant: User, account: Account, changes: dict, reason: str,
                              now: datetime | None = None) -> Application:
    now = moment(now)
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
        changes={k: v[1] for k, v in changes.items()}, steps=approval_chain(account), submitted_at=now,
    )
    _event(account, LifecycleEvent.Action.SUBMIT, at=now, application=application, actor=applicant,
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
    now: datetime | None = None,
) -> Application:
    """Art. 7: closing or cancelling needs a collective decision or the head's consent, on record."""
    now = moment(now)
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
        steps=approval_chain(account), submitted_at=now,
    )
    application.decision_document.save(decision_document.name, decision_document, save=False)
    application.save()
    _event(account, LifecycleEvent.Action.SUBMIT, at=now, application=application, actor=applicant,
           to_state=ApplicationState.SUBMITTED, comment=reason)
    return application


def _require_no_open_application(account: Account) -> None:
    pending = account.applications.filter(state__in=[ApplicationState.SUBMITTED, ApplicationState.REJECTED]).first()
    if pending is not None:
        raise RuleViolation(f"该账号已有未办结的{pending.get_kind_display()}申请，请先办结或撤回。")
