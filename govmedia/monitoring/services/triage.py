"""A finding's handling by people: confirm it, dismiss it as a false positive (with the reason), mark it fixed,
reopen it, assign it. Each step is a FindingEvent (who, when, from, to, why).

Two people acting on one finding at once: the state (or assignee) they saw is the condition of the UPDATE,
so exactly one wins and the other is told the finding was handled meanwhile (Conflict, answered 409).
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from govmedia import clock
from govmedia.audit.services import audited_update
from govmedia.errors import Conflict
from govmedia.monitoring.models import Finding, FindingEvent, FindingState
from govmedia.orgs.models import User
from govmedia.orgs.permissions import may_triage_finding, users_assignable_for

REASON_MAX = 500


@dataclass(frozen=True)
class Step:
    label: str
    to_state: str
    from_states: frozenset
    reason_required: bool = False


OPEN, CONFIRMED, FALSE_POSITIVE, FIXED = (FindingState.OPEN, FindingState.CONFIRMED, FindingState.FALSE_POSITIVE,
                                          FindingState.FIXED)
STEPS: dict[str, Step] = {
    "confirm": Step("确认", CONFIRMED, frozenset({OPEN})),
    "false_positive": Step("标记为误报", FALSE_POSITIVE, frozenset({OPEN, CONFIRMED}), reason_required=True),
    "fixed": Step("标记为已整改", FIXED, frozenset({OPEN, CONFIRMED})),
    "reopen": Step("重新打开", OPEN, frozenset({FALSE_POSITIVE, FIXED})),
}


def steps_from(state: str) -> list[tuple[str, Step]]:
    """The steps a finding in `state` may take (the buttons a page offers)."""
    return [(name, step) for name, step in STEPS.items() if state in step.from_states]


def _require_may_triage(by: User, finding: Finding) -> None:
    if not may_triage_finding(by, finding):
        raise PermissionDenied(f"无权处理账号“{finding.account.name}”的监测问题：由账号的主办单位处理")


def _require_seen(finding: Finding, field: str, seen, shown: str) -> None:
    if seen is not None and str(seen) != str(getattr(finding, field) or ""):
        raise Conflict(f"该问题已被他人处理（{shown}），您的操作未执行。请刷新页面查看最新状态。")


def state_label(state: str) -> str:
    return FindingState(state).label if state in FindingState.values else state


@transaction.atomic
def finding_transition(*, finding: Finding, by: User, action: str, reason: str = "", seen_state: str | None = None,
                       now: datetime | None = None) -> Finding:
    """Take the step `action` (see STEPS). `seen_state` is the state the person saw on the page: if the finding
    has moved on since, nothing is done and they are told (Conflict)."""
    _require_may_triage(by, finding)
    step = STEPS.get(action)
    if step is None:
        raise ValidationError({"action": [f"处理动作“{str(action)[:20]}”不存在。"]})
    reason = (reason or "").strip()
    if step.reason_required and not reason:
        raise ValidationError({"reason": [f"{step.label}时须填写原因。"]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [f"说明不能超过 {REASON_MAX} 字（现为 {len(reason)} 字）。"]})
    _require_seen(finding, "state", seen_state, f"当前状态：{finding.get_state_display()}")
    from_state = finding.state
    if from_state not in step.from_states:
        raise ValidationError({"action": [f"“{state_label(from_state)}”的问题不能{step.label}。"]})
    now = now or clock.now()
    if not audited_update(finding, where={"state": from_state}, state=step.to_state, state_reason=reason):
        current = Finding.objects.filter(pk=finding.pk).values_list("state", flat=True).first()
        raise Conflict(f"该问题已被他人处理（当前状态：{state_label(current)}），您的操作未执行。请刷新页面查看最新状态。")
    FindingEvent.objects.create(finding=finding, at=now, actor=by, action=FindingEvent.Action.STATE,
                                from_state=from_state, to_state=step.to_state, note=reason)
    return finding


@transaction.atomic
def finding_assign(*, finding: Finding, by: User, assignee: User | None, seen_assignee_id: int | str | None = None,
                   now: datetime | None = None) -> Finding:
    """Put a person of the account's unit (or a supervisor) in charge of the finding; None takes it off them."""
    _require_may_triage(by, finding)
    if assignee is not None and not users_assignable_for(finding.account).filter(pk=assignee.pk).exists():
        raise ValidationError({"assignee": [
            f"“{assignee.display_name}”不是账号“{finding.account.name}”主办单位的在用人员，也不是区级监管员，不能指派。"]})
    current = finding.assignee.display_name if finding.assignee_id else "未指派"
    _require_seen(finding, "assignee_id", seen_assignee_id, f"当前处理人：{current}")
    new_id = assignee.pk if assignee is not None else None
    if new_id == finding.assignee_id:
        return finding
    if not audited_update(finding, where={"assignee_id": finding.assignee_id}, assignee_id=new_id):
        raise Conflict("该问题的处理人已被他人修改，您的指派未执行。请刷新页面查看最新状态。")
    note = f"指派给 {assignee.display_name}" if assignee is not None else f"取消指派（原处理人：{current}）"
    FindingEvent.objects.create(finding=finding, at=now or clock.now(), actor=by, action=FindingEvent.Action.ASSIGN,
                                note=note)
    return finding
