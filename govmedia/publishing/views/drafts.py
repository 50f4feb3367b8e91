"""我的稿件: the author's drafts by state and the unit's required reposts waiting for a draft; one draft with its
review, findings and attachments; its versions, each compared with the one before."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from govmedia import clock
from govmedia.errors import Conflict
from govmedia.monitoring.models import RepostTask
from govmedia.orgs.models import Unit, User
from govmedia.orgs.permissions import (
    accounts_acted_for,
    acts_only_on_assigned_accounts,
    may_record_publication,
)
from govmedia.publishing.highlight import finding_place
from govmedia.publishing.models import Draft, DraftKind, DraftState, Grade
from govmedia.publishing.selectors import (
    current_findings,
    drafts_visible_to,
    in_full_review,
    pending_step,
    repost_tasks_waiting,
    version_diff,
)
from govmedia.publishing.services.attachments import allowed_extensions, attachment_max_bytes, human_size
from govmedia.publishing.services.drafts import EDITABLE_STATES, check_text
from govmedia.publishing.services.reposts import repost_task_draft
from govmedia.publishing.services.review import submission_grade
from govmedia.publishing.views.draft_diff import diff_rows
from govmedia.publishing.views.draft_forms import AttachmentForm, PublicationForm, SubmitForm
from govmedia.registry.views.common import report_domain_error
from govmedia.textcheck.categories import LABEL

# The states of 我的稿件, in the order of the author's work; finished ones show their latest few.
STATE_ORDER = (DraftState.DRAFT, DraftState.REJECTED, DraftState.IN_REVIEW, DraftState.APPROVED,
               DraftState.PUBLISHED, DraftState.WITHDRAWN)
FINISHED_SHOWN = 30
EXCERPT_MARGIN = 20


def draft_for(request, pk) -> Draft:
    """The draft if the user sees it (404 otherwise: another unit's drafts do not exist for them)."""
    return get_object_or_404(drafts_visible_to(request.user), pk=pk)


def writable_units(user: User) -> QuerySet[Unit]:
    """The units whose accounts the user writes drafts for."""
    return Unit.objects.filter(pk__in=accounts_acted_for(user).values("host_unit_id")).order_by("name")


def _row(draft: Draft) -> dict:
    step = pending_step(draft)
    return {"draft": draft, "step": step, "findings": current_findings(draft).count()}


UNIT_SHOWN = 100


def sees_unit_drafts(user: User) -> bool:
    """Whether 本单位稿件 is more than the user's own drafts (everyone but an operator of assigned accounts)."""
    return not acts_only_on_assigned_accounts(user)


def unit_drafts(request):
    """本单位稿件: the drafts of the units in the user's remit (drafts_visible_to), newest first, by state."""
    drafts = drafts_visible_to(request.user).prefetch_related("accounts__platform")
    state = request.GET.get("state", "").strip()
    if state and state not in DraftState.values:
        messages.error(request, f"状态“{state[:20]}”无效，请从列表中选择")
        state = ""
    if state:
        drafts = drafts.filter(state=state)
    total = drafts.count()
    return render(request, "publishing/draft_unit_list.html", {
        "rows": [_row(draft) for draft in drafts.order_by("-updated_at", "-pk")[:UNIT_SHOWN]], "total": total,
        "shown": UNIT_SHOWN, "state": state, "states": DraftState.choices, "tab": "unit",
    })


@login_required
@require_GET
def my_drafts(request):
    if request.GET.get("scope") == "unit" and sees_unit_drafts(request.user):
        return unit_drafts(request)
    mine = drafts_visible_to(request.user).filter(author=request.user, kind=DraftKind.POST)
    groups = []
    for state in STATE_ORDER:
        drafts = mine.filter(state=state).order_by("-updated_at", "-pk")
        total = drafts.count()
        if state in (DraftState.PUBLISHED, DraftState.WITHDRAWN):
            drafts = drafts[:FINISHED_SHOWN]
        groups.append({"state": state, "label": DraftState(state).label, "total": total,
                       "rows": [_row(draft) for draft in drafts]})
    # A returned reply is the author's to fix too; it is edited on its message's page.
    returned_replies = drafts_visible_to(request.user).filter(
        author=request.user, kind=DraftKind.REPLY, state=DraftState.REJECTED).select_related("reply")
    units = list(writable_units(request.user))
    tasks = [(unit, list(waiting)) for unit in units if (waiting := repost_tasks_waiting(request.user, unit.pk))]
    return render(request, "publishing/draft_list.html", {
        "groups": groups, "repost_tasks": tasks, "returned_replies": returned_replies, "may_write": bool(units), "shown": FINISHED_SHOWN,
        "tab": "mine", "unit_tab": sees_unit_drafts(request.user), "now": clock.now(),
    })


@login_required
@require_POST
def draft_from_repost_task(request, task_pk, unit_pk):
    """Take a required repost: the unit's prefilled draft, then its edit page."""
    unit = get_object_or_404(writable_units(request.user), pk=unit_pk)
    accounts = accounts_acted_for(request.user).filter(host_unit=unit)
    task = get_object_or_404(RepostTask.objects.filter(accounts__in=accounts).distinct(), pk=task_pk)
    try:
        draft = repost_task_draft(task=task, unit=unit, by=request.user)
    except (ValidationError, PermissionDenied, Conflict) as error:
        report_domain_error(request, error)
        return redirect("publishing:my_drafts")
    messages.success(request, f"已按转载任务“{task.title}”生成稿件，请核对来源后提交审核。")
    return redirect("publishing:draft_edit", draft.pk)


def _findings(draft: Draft, version) -> list[dict]:
    """The current version's findings, each with the words around it, and whether a reviewer kept it."""
    if version is None:
        return []
    text = check_text(version.title, version.body_text)
    kept = {(a.category, a.text): a for a in draft.acceptances.select_related("accepted_by__person")}
    return [{"finding": f, "label": LABEL.get(f.category, f.category),
             "before": text[max(f.start - EXCERPT_MARGIN, 0):f.start], "found": text[f.start:f.end] or f.text,
             "after": text[f.end:f.end + EXCERPT_MARGIN], "kept": kept.get((f.category, f.text)),
             "place": finding_place(version.title, f)}
            for f in current_findings(draft)]


def _rounds(draft: Draft) -> list[dict]:
    steps = draft.steps.order_by("-round", "order").prefetch_related("decisions__reviewer__person")
    rounds: dict[int, list] = {}
    for step in steps:
        rounds.setdefault(step.round, []).append(step)
    return [{"round": number, "steps": steps} for number, steps in rounds.items()]


@login_required
@require_GET
def draft_detail(request, pk):
    draft = draft_for(request, pk)
    user = request.user
    version = draft.current_version
    is_author = draft.author_id == user.pk and draft.kind == DraftKind.POST  # replies: on their message
    editable = is_author and draft.state in EDITABLE_STATES
    return render(request, "publishing/draft_detail.html", {
        "draft": draft, "version": version, "findings": _findings(draft, version), "rounds": _rounds(draft),
        "step": pending_step(draft), "in_full_review": in_full_review(draft),
        # Before a submission the grade is what the draft will be submitted at (mark and checker), not the last
        # round's.
        "grade_to_submit": Grade(submission_grade(draft)).label if draft.state in EDITABLE_STATES else None,
        "attachments": draft.attachments.select_related("uploaded_by__person"),
        "may_edit": editable, "may_submit": editable,
        "may_withdraw": is_author and draft.state not in (DraftState.PUBLISHED, DraftState.WITHDRAWN),
        "may_record": draft.kind == DraftKind.POST and draft.state == DraftState.APPROVED
        and may_record_publication(user, draft),
        "submit_form": SubmitForm(), "attachment_form": AttachmentForm(),
        "publication_form": PublicationForm(initial={"published_at": clock.now()}),
        "attachment_rule": f"{allowed_extensions()}，单个不超过 {human_size(attachment_max_bytes())}",
    })


@login_required
@require_GET
def draft_versions(request, pk):
    draft = draft_for(request, pk)
    versions = draft.versions.select_related("created_by__person").order_by("-number")
    return render(request, "publishing/draft_versions.html", {
        "draft": draft,
        "versions": [{"version": v, "rows": diff_rows(version_diff(v, user=request.user))} for v in versions],
    })
