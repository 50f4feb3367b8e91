"""Decisions on applications along their approval chain: approve, reject, resubmit, withdraw, and carrying
out an application once the last step has approved it."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from govmedia.audit.services import audited_update
from govmedia.errors import Conflict, PermissionDenied, RuleViolation, ValidationError
from govmedia.orgs.leadership import principal_signer
from govmedia.orgs.models import User
from govmedia.registry import fields as account_fields
from govmedia.registry.models import (
    AccountStatus,
    Application,
    ApplicationKind,
    ApplicationState,
    FilingKind,
    LifecycleEvent,
)
from govmedia.registry.services.access import (
    _check_approver,
    _require_may_act_on,
    _require_within_remit,
    approval_chain,
    may_withdraw,
)
from govmedia.registry.services.applications import (
    _check_holder,
    _check_reason,
    _check_value_keys,
    _validate_changes,
)
from govmedia.registry.services.events import _event, _set_status, moment
from govmedia.registry.services.filings import create_filing
from govmedia.registry.services.notices import _publish_notice


@transaction.atomic
def application_approve(*, application: Application, by: User, comment: str = "", now: datetime | None = None
                        ) -> Application:
    now = moment(now)
    step = _check_approver(application, by)
    last = step + 1 >= len(application.steps)
    new_state = ApplicationState.APPROVED if last else ApplicationState.SUBMITTED
    # Conditional UPDATE as a lock: of two approvers acting at once, exactly one wins.
    won = audited_update(application, where={"state": ApplicationState.SUBMITTED, "current_step": step},
                         current_step=step + 1, state=new_state, decided_at=now if last else None)
    if not won:
        raise Conflict("该申请已被他人处理，请刷新后查看")
    _event(application.account, LifecycleEvent.Action.APPROVE, at=now, application=application, actor=by,
           step=step, from_state=ApplicationState.SUBMITTED, to_state=new_state, comment=comment)
    _record_opinion(application, step, by, timezone.localdate(now))
    if last:
        _carry_out(application, by, now)
    return application


def _record_opinion(application: Application, step: int, by: User, today) -> None:
    """Attachment 1 asks for the host unit's and the competent unit's opinion, signer and date."""
    account = application.account
    unit_id = application.steps[step]
    # Each application (opening, change or closure) carries the opinions of its own approvers. The host
    # unit's opinion is signed by its 主要负责人, whom a deputy approving in the system does not replace.
    if unit_id == account.host_unit_id:
        account.host_opinion_signer = principal_signer(account.host_unit, by.person)
        account.host_opinion_on = today
    elif unit_id == account.competent_unit_id and unit_id != account.host_unit_id:
        account.competent_opinion_signer, account.competent_opinion_on = by.display_name, today
    else:
        return
    account.save(update_fields=["host_opinion_signer", "host_opinion_on", "competent_opinion_signer",
                                "competent_opinion_on", "updated_at"])


@transaction.atomic
def application_reject(*, application: Application, by: User, comment: str, now: datetime | None = None
                       ) -> Application:
    now = moment(now)
    if not (comment or "").strip():
        raise ValidationError({"comment": ["退回时请填写意见，说明需要修改的内容。"]})
    step = _check_approver(application, by)
    won = audited_update(application, where={"state": ApplicationState.SUBMITTED, "current_step": step},
                         state=ApplicationState.REJECTED)
    if not won:
        raise Conflict("该申请已被他人处理，请刷新后查看")
    _event(application.account, LifecycleEvent.Action.REJECT, at=now, application=application, actor=by, step=step,
           from_state=ApplicationState.SUBMITTED, to_state=ApplicationState.REJECTED, comment=comment)
    return application


@transaction.atomic
def application_resubmit(*, application: Application, by: User, reason: str, changes: dict | None = None,
                         now: datetime | None = None) -> Application:
    """After a rejection the applicant (or a colleague in the unit) corrects and sends it back to step one."""
    now = moment(now)
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
    _event(account, LifecycleEvent.Action.RESUBMIT, at=now, application=application, actor=by,
           from_state=ApplicationState.REJECTED, to_state=ApplicationState.SUBMITTED, comment=reason, diff=diff)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by: User, now: datetime | None = None) -> Application:
    now = moment(now)
    if application.state not in (ApplicationState.SUBMITTED, ApplicationState.REJECTED):
        raise RuleViolation("该申请已办结，不能撤回。")
    if not may_withdraw(by, application):
        raise PermissionDenied("只有申请人或主办单位的单位管理员可以撤回申请；审批单位请使用“退回”")
    old = application.state
    won = audited_update(application, where={"state": old}, state=ApplicationState.WITHDRAWN, decided_at=now)
    if not won:
        raise Conflict("该申请已被他人处理，请刷新后查看")
    account = application.account
    _event(account, LifecycleEvent.Action.WITHDRAW, at=now, application=application, actor=by, from_state=old,
           to_state=ApplicationState.WITHDRAWN)
    if application.kind == ApplicationKind.OPEN:
        _set_status(account, AccountStatus.REJECTED, by, application, LifecycleEvent.Action.WITHDRAW, at=now)
    return application


def _carry_out(application: Application, by: User, now: datetime) -> None:
    account = application.account
    today = timezone.localdate(now)
    if application.kind == ApplicationKind.OPEN:
        if account.live_on is None:
            account.live_on = today
            account.save(update_fields=["live_on", "updated_at"])
        _set_status(account, AccountStatus.NORMAL, by, application, LifecycleEvent.Action.APPROVE, at=now)
        create_filing(account=account, kind=FilingKind.OPENING, triggered_on=today, application=application)
    elif application.kind == ApplicationKind.CHANGE:
        before = account_fields.current_values(account)
        # Checked again: since submission another account may have been opened on the target platform.
        _check_holder({**before, **application.changes}, exclude_account=account, changed=application.changes)
        account_fields.apply_values(account, application.changes)
        diff = account_fields.diff(before, account_fields.current_values(account))
        _event(account, LifecycleEvent.Action.APPLY_CHANGE, at=now, application=application, actor=by, diff=diff)
        if account_fields.FILING_RELEVANT_FIELDS & set(diff):
            create_filing(account=account, kind=FilingKind.CHANGE, triggered_on=today, application=application)
    else:
        _publish_notice(application, by, now)
