"""待我审核, 待我签发 and the review page: the version's text with the checker's findings marked, each serious
finding to fix or keep with a reason, approve or reject, the grade, and the chain with its decisions so far.

Every form carries the draft's `revision` as the page showed it: a decision on a page that someone else's
action has made stale is refused with a message, so a reviewer never approves what they did not see. Two
reviewers acting at the same instant are told apart by the service's conditional UPDATE (Conflict)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from govmedia import clock
from govmedia.errors import Conflict
from govmedia.monitoring.engine.codes import SEVERITY_LABEL
from govmedia.orgs.models import Role
from govmedia.orgs.permissions import may_read_ledger, may_review, may_see_review_overview
from govmedia.publishing.highlight import marked_version
from govmedia.publishing.models import SERIOUS_CATEGORIES, Draft, DraftKind, DraftState, Grade, ReviewDecision
from govmedia.publishing.selectors import (
    current_findings,
    drafts_visible_to,
    in_full_review,
    pending_step,
    review_queue,
    unresolved_serious_findings,
)
from govmedia.publishing.services.review import (
    COMMENT_MAX,
    STALE,
    draft_mark_grade,
    finding_accept,
    review_approve,
    review_reject,
)
from govmedia.registry.views.common import report_domain_error
from govmedia.textcheck.categories import LABEL
from govmedia.web.redirects import redirect_to_next

REPLY_PREFIX = "答复："


def nav(user) -> dict:
    """Which pages of the review menu the user may open."""
    own = user.unit
    return {"may_ledger": user.is_district_supervisor or (own is not None and may_read_ledger(user, own.pk)),
            "may_overview": may_see_review_overview(user)}


def shown_title(draft: Draft) -> str:
    """The title as listed next to a 答复 badge: a reply's title without its own 答复： prefix."""
    return draft.title.removeprefix(REPLY_PREFIX) if draft.kind == DraftKind.REPLY else draft.title


def _queue_rows(user, *, leader_steps_only: bool) -> list[dict]:
    rows = []
    today = clock.today()
    for draft in review_queue(user).prefetch_related("accounts__platform"):
        step = pending_step(draft)
        if leader_steps_only and step.role != Role.LEADER:
            continue
        full_review = in_full_review(draft)
        rows.append({"draft": draft, "step": step, "full_review": full_review, "title": shown_title(draft),
                     "full_review_overdue": full_review and draft.full_review_due is not None
                     and draft.full_review_due < today,
                     "is_reply": draft.kind == DraftKind.REPLY})
    return rows


@login_required
def queue(request):
    return render(request, "publishing/review_queue.html", {
        "rows": _queue_rows(request.user, leader_steps_only=False), "heading": "待我审核", "section": "queue",
        "nav": nav(request.user)})


@login_required
def to_sign(request):
    return render(request, "publishing/review_queue.html", {
        "rows": _queue_rows(request.user, leader_steps_only=True), "heading": "待我签发", "section": "sign",
        "nav": nav(request.user)})


def _draft_for(request, pk) -> Draft:
    """A draft of the user's remit, or one whose pending step names them; others are not found."""
    draft = drafts_visible_to(request.user).filter(pk=pk).first()
    if draft is None:
        draft = Draft.objects.select_related("unit", "author__person").filter(pk=pk).first()
        step = pending_step(draft) if draft is not None else None
        if step is None or not may_review(request.user, step):
            raise Http404("稿件不存在")
    return draft


def _reply_message(draft: Draft):
    """The message a reply answers (interaction's Reply.draft), or None."""
    if draft.kind != DraftKind.REPLY:
        return None
    return getattr(getattr(draft, "reply", None), "message", None)


def _findings_rows(draft: Draft, findings) -> list[dict]:
    accepted = {(a.category, a.text): a for a in draft.acceptances.select_related("accepted_by")}
    unresolved = {f.pk for f in unresolved_serious_findings(draft)}
    return [{"finding": f, "label": LABEL.get(f.category, f.category),
             "severity": SEVERITY_LABEL.get(f.severity, f.severity), "serious": f.category in SERIOUS_CATEGORIES,
             "acceptance": accepted.get((f.category, f.text)), "unresolved": f.pk in unresolved}
            for f in findings]


@login_required
def review(request, pk):
    draft = _draft_for(request, pk)
    version = draft.current_version
    findings = list(current_findings(draft))
    step = pending_step(draft)
    decided = step is not None and step.decisions.filter(reviewer=request.user).exists()
    may_decide = step is not None and may_review(request.user, step) and not decided
    rows = _findings_rows(draft, findings)
    return render(request, "publishing/review_page.html", {
        "nav": nav(request.user), "draft": draft, "title": shown_title(draft), "version": version, "marked": marked_version(version, findings),
        "findings": rows, "findings_unresolved": sum(row["unresolved"] for row in rows),
        "step": step, "may_decide": may_decide, "decided": decided,
        "steps": draft.steps.prefetch_related("decisions__reviewer__person", "decisions__version")
        .order_by("-round", "order"),
        "accounts": draft.accounts.select_related("platform"), "message": _reply_message(draft),
        "attachments": draft.attachments.all(),
        "may_open_draft": drafts_visible_to(request.user).filter(pk=draft.pk).exists(),
        "grades": Grade.choices, "comment_max": COMMENT_MAX,
    })


class ActionForm(forms.Form):
    revision = forms.IntegerField(min_value=0, error_messages={"required": "页面已过期，请刷新后重试"})
    comment = forms.CharField(label="审核意见", max_length=COMMENT_MAX, required=False)
    reason = forms.CharField(label="保留理由", max_length=500, required=False)
    finding = forms.IntegerField(label="检查发现", required=False)
    grade = forms.ChoiceField(label="审核等级", choices=Grade.choices, required=False)


def _stale(draft: Draft, user) -> str:
    """Why the page is out of date: the user's own latest decision (a form sent twice, another window), or
    someone else's action."""
    last = ReviewDecision.objects.filter(step__draft=draft).order_by("-at", "-pk").first()
    if last is not None and last.reviewer_id == user.pk:
        return (f"您已于 {timezone.localtime(last.at):%Y-%m-%d %H:%M} {last.get_decision_display()}该稿件，"
                "页面已过期，请刷新后查看。")
    return STALE


def _act(request, pk, action, success):
    """Parse the form, refuse a stale page, call the service, and tell the user what happened."""
    draft = _draft_for(request, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else error)
        return redirect("publishing:review", draft.pk)
    data = form.cleaned_data
    if data["revision"] != draft.revision:
        messages.error(request, _stale(draft, request.user))
        return redirect("publishing:review", draft.pk)
    try:
        done = action(draft, data)
    except Conflict:
        messages.error(request, _stale(draft, request.user))
        return redirect("publishing:review", draft.pk)
    except (ValidationError, PermissionDenied) as error:
        report_domain_error(request, error)
        return redirect("publishing:review", draft.pk)
    messages.success(request, success(done))
    return None


def _approved(draft: Draft) -> str:
    following = pending_step(draft)
    if following is None:
        return "已通过，稿件审核完成。"
    if in_full_review(draft):  # released in an emergency: the full review goes on after the release
        return f"已通过，转“{following.label}”（补审期限 {draft.full_review_due:%Y-%m-%d}）。"
    return f"已通过，转“{following.label}”。"


@login_required
@require_POST
def approve(request, pk):
    failed = _act(request, pk, lambda d, data: review_approve(draft=d, by=request.user, comment=data["comment"]),
                  _approved)
    return failed or redirect_to_next(request, "publishing:review_queue")


@login_required
@require_POST
def reject(request, pk):
    failed = _act(request, pk, lambda d, data: review_reject(draft=d, by=request.user, comment=data["comment"]),
                  lambda d: "已退回撰稿人修改。" if d.state == DraftState.REJECTED else "已退回，补审完成。")
    return failed or redirect_to_next(request, "publishing:review_queue")


def _accept(request, draft, data):
    finding = current_findings(draft).filter(pk=data["finding"]).first() if data["finding"] else None
    if finding is None:
        raise ValidationError("该检查发现不属于稿件的当前版本，请刷新后重试")
    return finding_accept(draft=draft, finding=finding, by=request.user, reason=data["reason"])


@login_required
@require_POST
def accept_finding(request, pk):
    failed = _act(request, pk, lambda d, data: _accept(request, d, data),
                  lambda acceptance: f"已说明保留“{acceptance.text}”的理由。")
    return failed or redirect("publishing:review", pk)


@login_required
@require_POST
def mark_grade(request, pk):
    failed = _act(request, pk, lambda d, data: draft_mark_grade(draft=d, by=request.user, grade=data["grade"]),
                  lambda d: f"审核等级已标定为“{d.get_marked_grade_display()}”。")
    return failed or redirect("publishing:review", pk)
