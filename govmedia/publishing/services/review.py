"""The review engine (art. 8): the grade decides the chain, each step approves or rejects with a comment.

- The grade of a submission is the highest of the draft's mark (author or reviewer) and what the checker
  found: a `sensitive_topic` finding makes it at least sensitive.
- A unit's chain for a grade is its ChainStep rows, or DEFAULT_CHAINS when it has none. Submitting copies the
  chain into ReviewSteps of a new round, so a later change of the configuration leaves drafts in review alone.
- A step in mode ANY completes with its first approval; in mode ALL with the approval of every approver it had
  (selectors.step_approvers). Any reject ends the round and returns the draft to its author.
- Every action bumps `Draft.revision` with a conditional UPDATE: of two reviewers acting on the draft as they
  loaded it, exactly one wins and the other is told to refresh (Conflict).
- Before the last approval of a round, each serious finding of the current version is fixed or kept with a
  reason (finding_accept). A kept finding covers the occurrences of its words in the version it was kept on;
  a later version with more of them needs keeping again. Reposts must name an approved source at submission
  and at the last approval.
- Emergency release (art. 13): the author submits on the shortened chain EMERGENCY_CHAIN (the unit head
  alone), with the reason recorded. Its approval approves the draft and at once starts the full review, a
  new round of the grade's chain, due within PublishingSettings.emergency_full_review_days working days
  (selectors.emergency_reviews_overdue). Its last decision completes the full review; if the draft was
  published meanwhile, the completed review goes on the ledger as a further entry.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from govmedia import clock
from govmedia.audit.services import audited_update
from govmedia.errors import Conflict, PermissionDenied, RuleViolation, ValidationError
from govmedia.monitoring.engine.approved import ApprovedNames
from govmedia.monitoring.models import ApprovedSource
from govmedia.orgs.models import Role, Unit, User
from govmedia.orgs.permissions import (
    accounts_acted_for,
    may_configure_review_chain,
    may_mark_grade,
    may_review,
)
from govmedia.orgs.selectors import unit_ids_managed_by
from govmedia.publishing.models import (
    GRADE_RANK,
    ChainStep,
    Decision,
    Draft,
    DraftState,
    FindingAcceptance,
    Grade,
    Origin,
    PublishingSettings,
    ReviewDecision,
    ReviewStep,
    StepMode,
    StepState,
    VersionFinding,
)
from govmedia.publishing.selectors import (
    approvers,
    current_findings,
    in_full_review,
    pending_step,
    step_approvers,
    unresolved_serious_findings,
)
from govmedia.publishing.services.ledger import ledger_append
from govmedia.publishing.signals import draft_decided
from govmedia.textcheck.categories import LABEL, SENSITIVE_TOPIC
from govmedia.workdays.selectors import add_working_days

STALE = "该稿件已被他人处理，请刷新后查看"
DEFAULT_FULL_REVIEW_DAYS = PublishingSettings._meta.get_field("emergency_full_review_days").default
COMMENT_MAX = 1000


@dataclass(frozen=True)
class StepSpec:
    label: str
    role: str = ""
    mode: str = StepMode.ANY
    user_ids: tuple[int, ...] = ()


_REVIEWER = StepSpec("审核员审核", Role.REVIEWER)
_LEADER = StepSpec("单位负责人签发", Role.LEADER)
_OFFICE = StepSpec("区级审核", Role.SUPERVISOR)
EMERGENCY_CHAIN = (StepSpec("紧急发布（单位负责人）", Role.LEADER),)
DEFAULT_CHAINS: dict[str, tuple[StepSpec, ...]] = {
    Grade.ROUTINE: (_REVIEWER,),
    Grade.SENSITIVE: (_REVIEWER, _LEADER),
    Grade.MAJOR: (_REVIEWER, _LEADER, _OFFICE),
}


def chain_for(unit: Unit, grade: str) -> tuple[StepSpec, ...]:
    """The unit's configured chain for the grade, or the default."""
    configured = ChainStep.objects.filter(unit=unit, grade=grade).order_by("order").prefetch_related("users")
    steps = tuple(StepSpec(s.label, s.role, s.mode, tuple(u.pk for u in s.users.all())) for s in configured)
    return steps or DEFAULT_CHAINS[grade]


@transaction.atomic
def chain_configure(*, unit: Unit, grade: str, steps: list[StepSpec], by: User) -> list[ChainStep]:
    """Replace the unit's chain for a grade; an empty list returns it to the default."""
    if not may_configure_review_chain(by, unit.pk):
        raise PermissionDenied("无权设置该单位的审核流程")
    if grade not in Grade.values:
        raise ValidationError({"grade": "审核等级无效"})
    steps = [StepSpec(" ".join((spec.label or "").split()), spec.role or "", spec.mode or StepMode.ANY,
                      tuple(spec.user_ids or ())) for spec in steps or ()]
    if any(not spec.label for spec in steps):
        raise ValidationError({"label": "请填写每个审核步骤的名称"})
    named_in = {}
    for spec in steps:
        for user_id in set(spec.user_ids):
            if user_id in named_in:
                raise ValidationError(f"同一审核人员只能出现在一个步骤中（“{named_in[user_id]}”与“{spec.label}”）")
            named_in[user_id] = spec.label
    for spec in steps:
        if spec.mode not in StepMode.values or (spec.role and spec.role not in Role.values):
            raise ValidationError("审核步骤的角色或通过方式无效")
        if not spec.role and not spec.user_ids:
            raise ValidationError(f"步骤“{spec.label}”须指定审核角色或审核人员")
        named = User.objects.filter(pk__in=spec.user_ids, is_active=True)
        remit = unit_ids_managed_by(by)
        if remit is not None:  # a unit admin names people of their own remit only
            named = named.filter(person__unit_id__in=remit)
        if named.count() != len(set(spec.user_ids)):
            raise ValidationError(f"步骤“{spec.label}”的审核人员须为本单位范围内的在用账号")
    ChainStep.objects.filter(unit=unit, grade=grade).delete()
    created = []
    for order, spec in enumerate(steps, start=1):
        step = ChainStep.objects.create(unit=unit, grade=grade, order=order, label=spec.label[:40], role=spec.role,
                                        mode=spec.mode)
        step.users.set(spec.user_ids)
        created.append(step)
    return created


def submission_grade(draft: Draft) -> str:
    found_sensitive = current_findings(draft).filter(category=SENSITIVE_TOPIC).exists()
    grade = draft.marked_grade
    if draft.round and GRADE_RANK[grade] < GRADE_RANK[draft.grade]:  # a grade a round had never drops
        grade = draft.grade
    if found_sensitive and GRADE_RANK[grade] < GRADE_RANK[Grade.SENSITIVE]:
        grade = Grade.SENSITIVE
    return grade


def approved_source_names() -> ApprovedNames:
    """Monitoring's approved-source list, matched as monitoring matches reposts."""
    return ApprovedNames.from_names(
        name for source in ApprovedSource.objects.filter(is_active=True) for name in source.names())


def _check_repost_source(draft: Draft) -> None:
    if draft.origin != Origin.REPOST:
        return
    if not draft.source_name:
        raise RuleViolation("转载须注明来源（第十一条）")
    if not approved_source_names().match(draft.source_name):
        raise RuleViolation(f"转载来源“{draft.source_name}”不在许可转载来源名单中（第十一条）")


def _bump(draft: Draft, **changes) -> None:
    """The conditional UPDATE every action takes: it fails if anyone acted since `draft` was loaded."""
    if not audited_update(draft, where={"revision": draft.revision}, revision=F("revision") + 1,
                          updated_at=clock.now(), **changes):
        raise Conflict(STALE)


def _check_approvers(draft: Draft, specs) -> None:
    for spec in specs:
        if not approvers(unit_id=draft.unit_id, author_id=draft.author_id, role=spec.role,
                         user_ids=spec.user_ids).exists():
            raise RuleViolation(f"审核步骤“{spec.label}”没有可审核的人员（撰稿人不能审核本人稿件），请先设置审核流程")


def _add_steps(draft: Draft, specs, *, start: int) -> list[ReviewStep]:
    steps = []
    for order, spec in enumerate(specs, start=start):
        step = ReviewStep.objects.create(draft=draft, round=draft.round, order=order, label=spec.label,
                                         role=spec.role, mode=spec.mode)
        step.users.set(spec.user_ids)
        steps.append(step)
    return steps


def _steps_lacking(round_steps, target) -> tuple[StepSpec, ...]:
    """The steps of the target chain that the round does not have yet, compared by role and named users
    (each step of the round stands for one step of the target)."""
    have = [(step.role, frozenset(u.pk for u in step.users.all())) for step in round_steps]
    lacking = []
    for spec in target:
        key = (spec.role, frozenset(spec.user_ids))
        if key in have:
            have.remove(key)
        else:
            lacking.append(spec)
    return tuple(lacking)


def emergency_full_review_days() -> int:
    settings = PublishingSettings.objects.first()
    return settings.emergency_full_review_days if settings else DEFAULT_FULL_REVIEW_DAYS


@transaction.atomic
def draft_submit(*, draft: Draft, by: User, emergency_reason: str = "") -> Draft:
    """The author submits (or resubmits after a reject): a new round of the grade's chain starts. With an
    emergency reason, the shortened chain instead (art. 13), and the full review follows the release."""
    if draft.author_id != by.pk:
        raise PermissionDenied("只有撰稿人可以提交稿件")
    if draft.state not in (DraftState.DRAFT, DraftState.REJECTED):
        raise RuleViolation(f"稿件{draft.get_state_display()}，不能提交")
    accounts = list(draft.accounts.all())
    if not accounts:
        raise ValidationError({"accounts": "请选择发布账号"})
    lost = [a.name for a in accounts if not accounts_acted_for(by).filter(pk=a.pk).exists()]
    if lost:
        raise PermissionDenied(f"您已不再负责以下账号：{'、'.join(lost)}")
    _check_repost_source(draft)
    grade = submission_grade(draft)
    emergency_reason = " ".join((emergency_reason or "").split())[:500]
    chain = EMERGENCY_CHAIN if emergency_reason else chain_for(draft.unit, grade)
    _check_approvers(draft, chain)
    now = clock.now()
    _bump(draft, state=DraftState.IN_REVIEW, round=F("round") + 1, grade=grade, submitted_at=now,
          emergency=bool(emergency_reason), emergency_reason=emergency_reason)
    draft.refresh_from_db()
    _add_steps(draft, chain, start=1)
    return draft


def _step_for(draft: Draft, by: User):
    step = pending_step(draft)
    if step is None:
        raise Conflict(STALE)
    if draft.author_id == by.pk:
        raise PermissionDenied("不能审核本人撰写的稿件")
    if ReviewDecision.objects.filter(step__draft=draft, step__round=step.round, reviewer=by).exclude(
            step=step).exists():
        raise PermissionDenied("您在本轮审核中已审核过其他步骤，同一人不能审核同一轮次的多个步骤")
    if not may_review(by, step):
        raise PermissionDenied(f"您不是“{step.label}”的审核人")
    if step.decisions.filter(reviewer=by).exists():
        raise Conflict("您已审核过该步骤")
    return step


def _serious_refusal(draft: Draft) -> None:
    unresolved = unresolved_serious_findings(draft)
    if unresolved:
        named = "；".join(f"“{f.text}”（{LABEL.get(f.category, f.category)}）" for f in unresolved)
        raise RuleViolation(f"以下严重问题尚未修改，也未说明保留理由，不能通过：{named}")


def _complete(step: ReviewStep, by: User) -> bool:
    if step.mode == StepMode.ANY:
        return True
    approved = set(step.decisions.filter(decision=Decision.APPROVE).values_list("reviewer_id", flat=True))
    return set(step_approvers(step).values_list("pk", flat=True)) <= approved | {by.pk}


@transaction.atomic
def review_approve(*, draft: Draft, by: User, comment: str = "") -> Draft:
    """Approve the draft's current step; the last step's approval approves the draft. The comment is
    optional (None is no comment)."""
    comment = (comment or "").strip()
    step = _step_for(draft, by)
    completes = _complete(step, by)
    last = completes and not draft.steps.filter(round=draft.round, order__gt=step.order).exists()
    if last:
        _serious_refusal(draft)
        _check_repost_source(draft)
    now = clock.now()
    full_review = in_full_review(draft)
    starts_full_review = last and draft.emergency and not full_review
    full_chain = chain_for(draft.unit, draft.grade) if starts_full_review else ()
    _check_approvers(draft, full_chain)
    if not last:
        _bump(draft)
    elif full_review:
        _bump(draft, full_review_done_at=now)
    elif draft.emergency:
        due = add_working_days(timezone.localdate(now), emergency_full_review_days()).date
        _bump(draft, state=DraftState.APPROVED, approved_at=now, full_review_due=due, round=F("round") + 1)
    else:
        _bump(draft, state=DraftState.APPROVED, approved_at=now)
    ReviewDecision.objects.create(step=step, reviewer=by, decision=Decision.APPROVE, comment=comment[:COMMENT_MAX],
                                  version=draft.current_version, at=now)
    if completes:
        step.state, step.decided_at = StepState.APPROVED, now
        step.save(update_fields=["state", "decided_at"])
    draft.refresh_from_db()
    if starts_full_review:
        _add_steps(draft, full_chain, start=1)
    if full_review and last:
        _record_full_review(draft, now)
    elif last:
        draft_decided.send(sender=Draft, draft=draft, by=by, decision=Decision.APPROVE, comment=comment, at=now)
    return draft


def _record_full_review(draft: Draft, now) -> None:
    """A full review completed after the release was published goes on the ledger too."""
    if draft.state == DraftState.PUBLISHED:
        ledger_append(draft=draft, now=now)


@transaction.atomic
def review_reject(*, draft: Draft, by: User, comment: str) -> Draft:
    """Reject with a comment: the round ends and the draft returns to its author."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "退回须填写审核意见"})
    step = _step_for(draft, by)
    now = clock.now()
    full_review = in_full_review(draft)
    # A reject in the full review after an emergency release completes it: the release is out, the
    # reviewer's objection is what the ledger and the unit must act on.
    _bump(draft, **({"full_review_done_at": now} if full_review else {"state": DraftState.REJECTED}))
    ReviewDecision.objects.create(step=step, reviewer=by, decision=Decision.REJECT, comment=comment[:COMMENT_MAX],
                                  version=draft.current_version, at=now)
    step.state, step.decided_at = StepState.REJECTED, now
    step.save(update_fields=["state", "decided_at"])
    draft.refresh_from_db()
    if full_review:
        _record_full_review(draft, now)
    else:
        draft_decided.send(sender=Draft, draft=draft, by=by, decision=Decision.REJECT, comment=comment, at=now)
    return draft


@transaction.atomic
def finding_accept(*, draft: Draft, finding: VersionFinding, by: User, reason: str):
    """A reviewer of the current step keeps a serious finding of the current version, with a reason. The
    acceptance covers the occurrences of the same words in that version, and no more."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "保留须说明理由"})
    if finding is None or finding.version.draft_id != draft.pk:
        raise ValidationError("该问题不属于此稿件")
    version = draft.current_version
    if finding.version_id != version.pk:
        raise ValidationError(f"该问题属于第{finding.version.number}版，稿件已修改为第{version.number}版，请刷新后查看")
    _step_for(draft, by)
    occurrences = version.findings.filter(category=finding.category, text=finding.text).count()
    acceptance, _ = FindingAcceptance.objects.update_or_create(
        draft=draft, version=version, category=finding.category, text=finding.text,
        defaults={"reason": reason[:500], "accepted_by": by, "accepted_at": clock.now(),
                  "occurrences": occurrences})
    return acceptance


@transaction.atomic
def draft_mark_grade(*, draft: Draft, by: User, grade: str) -> Draft:
    """The author (before submitting) or a reviewer of the current step marks the draft sensitive or major.
    A reviewer's higher mark extends the round in review with the new grade's further steps."""
    if grade not in Grade.values:
        raise ValidationError({"marked_grade": "审核等级无效"})
    if not may_mark_grade(by, draft):
        raise PermissionDenied("只有撰稿人或当前审核人可以标定审核等级")
    if draft.author_id == by.pk and draft.state not in (DraftState.DRAFT, DraftState.REJECTED):
        raise RuleViolation("稿件审核中，撰稿人不能改变审核等级")
    if draft.round and GRADE_RANK[grade] < GRADE_RANK[draft.grade]:
        raise RuleViolation("审核中已定的审核等级不能降低，只能提高")
    extends = draft.state == DraftState.IN_REVIEW and GRADE_RANK[grade] > GRADE_RANK[draft.grade]
    round_steps = list(draft.steps.filter(round=draft.round).prefetch_related("users"))
    existing = len(round_steps)
    further = _steps_lacking(round_steps, chain_for(draft.unit, grade)) if extends else ()
    _check_approvers(draft, further)
    _bump(draft, marked_grade=grade, **({"grade": grade} if extends else {}))
    _add_steps(draft, further, start=existing + 1)
    return draft
