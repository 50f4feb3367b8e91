"""Reading publishing data: every list starts from the user's scope (orgs.selectors), supervisors see all."""

import difflib
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Q, QuerySet

from govmedia.errors import PermissionDenied
from govmedia.monitoring.models import RepostTask
from govmedia.orgs.models import Role, User
from govmedia.orgs.permissions import (
    accounts_acted_for,
    acts_only_on_assigned_accounts,
    may_review,
    may_see_ledger_anchors,
)
from govmedia.orgs.selectors import unit_ids_managed_by
from govmedia.publishing.models import (
    SERIOUS_CATEGORIES,
    Draft,
    DraftState,
    DraftVersion,
    LedgerAnchor,
    ReviewStep,
    StepState,
    VersionFinding,
)


def drafts_visible_to(user: User) -> QuerySet[Draft]:
    """Drafts of the units in the user's remit; an assigned operator sees the drafts they wrote."""
    drafts = Draft.objects.select_related("unit", "author__person")
    if not (user.is_authenticated and user.is_active):
        return drafts.none()
    if acts_only_on_assigned_accounts(user):
        return drafts.filter(author=user)
    ids = unit_ids_managed_by(user)
    return drafts if ids is None else drafts.filter(unit_id__in=ids)


def in_full_review(draft: Draft) -> bool:
    """Released in an emergency on the shortened chain, its full review not yet completed."""
    return (draft.emergency and draft.full_review_done_at is None
            and draft.state in (DraftState.APPROVED, DraftState.PUBLISHED))


def pending_step(draft: Draft) -> ReviewStep | None:
    """The step of the draft's current round waiting for a decision (None unless it is in review, or in the
    full review after an emergency release)."""
    if draft.state != DraftState.IN_REVIEW and not in_full_review(draft):
        return None
    return draft.steps.filter(round=draft.round, state=StepState.PENDING).order_by("order").first()


def approvers(*, unit_id: int, author_id: int, role: str, user_ids) -> QuerySet[User]:
    """Who may decide a step of this role and these named users for a draft of the unit: the named users, and
    the active holders of the role (of the unit; the district office's for the supervisor role); never the
    draft's author."""
    who = Q(pk__in=user_ids)
    if role == Role.SUPERVISOR:
        who |= Q(role=Role.SUPERVISOR)
    elif role:
        who |= Q(role=role, person__unit_id=unit_id)
    return User.objects.filter(who, is_active=True).exclude(pk=author_id).distinct()


def step_approvers(step: ReviewStep) -> QuerySet[User]:
    return approvers(unit_id=step.draft.unit_id, author_id=step.draft.author_id, role=step.role,
                     user_ids=step.users.values("pk"))


def review_queue(user: User) -> QuerySet[Draft]:
    """Drafts whose current step the user may decide (a reviewer's queue, a head's drafts to sign)."""
    if not (user.is_authenticated and user.is_active):
        return Draft.objects.none()
    # Narrowed in SQL to drafts with a step the user could hold; may_review then decides on the pending one.
    could_hold = Q(steps__users=user)
    if user.is_district_supervisor:
        could_hold |= Q(steps__role=Role.SUPERVISOR)
    if user.person_id is not None:
        could_hold |= Q(unit_id=user.person.unit_id, steps__role=user.role)
    candidates = Draft.objects.filter(Q(state=DraftState.IN_REVIEW) | Q(
        emergency=True, full_review_done_at__isnull=True, state__in=(DraftState.APPROVED, DraftState.PUBLISHED)),
    ).filter(could_hold).exclude(author=user).distinct()
    ids = [draft.pk for draft in candidates if (step := pending_step(draft)) is not None and may_review(user, step)
           and not step.decisions.filter(reviewer=user).exists()]
    return Draft.objects.filter(pk__in=ids).select_related("unit", "author__person").order_by("submitted_at", "pk")


def current_findings(draft: Draft) -> QuerySet[VersionFinding]:
    return VersionFinding.objects.filter(version__draft=draft, version__number=draft.current_version.number)


def accepted_occurrences(draft: Draft) -> dict[tuple[str, str], int]:
    """For each kept (category, words): how many occurrences a reviewer saw and kept, at most."""
    rows = draft.acceptances.values("category", "text").annotate(most=Max("occurrences"))
    return {(row["category"], row["text"]): row["most"] for row in rows}


def unresolved_serious_findings(draft: Draft) -> list[VersionFinding]:
    """Serious findings of the current version that no reviewer has kept with a reason. One found in an
    earlier version and gone from this one is fixed. A kept finding covers as many occurrences of its words
    as the version it was kept on had: when a later version has more, all of them are unresolved again."""
    serious = list(current_findings(draft).filter(category__in=SERIOUS_CATEGORIES))
    counts = Counter((f.category, f.text) for f in serious)
    accepted = accepted_occurrences(draft)
    return [f for f in serious if counts[(f.category, f.text)] > accepted.get((f.category, f.text), 0)]


@dataclass(frozen=True)
class DiffOp:
    op: str  # equal, insert, delete, replace
    old: list[str]
    new: list[str]


# difflib's matcher is quadratic in the worst case: texts longer than this are shown as replaced whole.
MAX_DIFF_LINES = 3000


def version_diff(version: DraftVersion, *, user: User) -> list[DiffOp]:
    """The version against the one before it, line by line (the title is the first line); version 1 is all
    inserted. PermissionDenied when the user may not see the draft (drafts_visible_to)."""
    if not drafts_visible_to(user).filter(pk=version.draft_id).exists():
        raise PermissionDenied("无权查看该稿件")
    previous = version.draft.versions.filter(number__lt=version.number).order_by("-number").first()
    old = [previous.title, *previous.body_text.splitlines()] if previous else []
    new = [version.title, *version.body_text.splitlines()]
    if len(old) > MAX_DIFF_LINES or len(new) > MAX_DIFF_LINES:
        return [DiffOp("equal" if old == new else "replace", old, new)]
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return [DiffOp(tag, old[i1:i2], new[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]


def emergency_reviews_overdue(user: User, *, today: date) -> QuerySet[Draft]:
    """Drafts released in an emergency whose full review is not done and past its due date, in the user's
    scope (the supervisors' overdue list)."""
    return drafts_visible_to(user).filter(emergency=True, full_review_done_at__isnull=True,
                                          full_review_due__lt=today).order_by("full_review_due", "pk")


def ledger_anchors(user: User) -> QuerySet[LedgerAnchor]:
    if not may_see_ledger_anchors(user):
        return LedgerAnchor.objects.none()
    return LedgerAnchor.objects.all()


def repost_tasks_waiting(user: User, unit_id: int) -> QuerySet:
    """Repost tasks for accounts of the unit that the user writes for, with no live draft of the unit yet: the
    unit's queue of drafts to prefill."""
    accounts = accounts_acted_for(user).filter(host_unit_id=unit_id)
    taken = Draft.objects.filter(unit_id=unit_id, repost_task__isnull=False).exclude(
        state=DraftState.WITHDRAWN).values("repost_task_id")
    return RepostTask.objects.filter(accounts__in=accounts).exclude(pk__in=taken).distinct().order_by("deadline", "pk")
