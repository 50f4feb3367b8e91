"""The drafts API over HTTP (/api/v1/drafts…): a unit's own editor writes, edits and submits drafts from
their system. The rules are the services' (draft_create, draft_edit, draft_mark_grade, draft_submit) and the
scope is the selector's (drafts_visible_to: another unit's draft is 404, as if it did not exist)."""

from django.db import transaction
from django.shortcuts import get_object_or_404

from govmedia.publishing.api import payload
from govmedia.publishing.models import Draft, DraftKind
from govmedia.publishing.selectors import current_findings, drafts_visible_to, pending_step
from govmedia.publishing.services.drafts import check_text, draft_create, draft_edit
from govmedia.publishing.services.review import draft_mark_grade, draft_submit
from govmedia.web.api import ApiError, FieldError, answer, endpoint, json_body, page_of, when


def _person(user) -> dict | None:
    return {"id": user.pk, "name": user.display_name} if user else None


def draft_summary(draft: Draft) -> dict:
    return {
        "id": draft.pk, "kind": draft.kind, "unit": {"id": draft.unit_id, "name": draft.unit.name},
        "author": _person(draft.author), "title": draft.title, "state": draft.state,
        "state_label": draft.get_state_display(), "grade": draft.grade, "marked_grade": draft.marked_grade,
        "origin": draft.origin, "created_at": when(draft.created_at), "updated_at": when(draft.updated_at),
        "submitted_at": when(draft.submitted_at),
    }


def draft_detail(draft: Draft) -> dict:
    version = draft.current_version
    accepted = set(draft.acceptances.values_list("category", "text"))
    step = pending_step(draft)
    return {
        **draft_summary(draft),
        "body_html": draft.body_html, "body_text": draft.body_text, "source_name": draft.source_name,
        "accounts": [{"id": a.pk, "name": a.name} for a in draft.accounts.order_by("pk")],
        "round": draft.round, "emergency": draft.emergency, "emergency_reason": draft.emergency_reason,
        "full_review_due": draft.full_review_due.isoformat() if draft.full_review_due else None,
        "approved_at": when(draft.approved_at), "published_url": draft.published_url,
        "published_at": when(draft.published_at),
        "current_version": {"number": version.number, "title": version.title, "created_at": when(version.created_at),
                            "created_by": _person(version.created_by)} if version else None,
        # A finding's start and end index this text: the title on the first line, then the body.
        "findings_text": check_text(version.title, version.body_text) if version else "",
        "findings": [{"category": f.category, "severity": f.severity, "start": f.start, "end": f.end, "text": f.text,
                      "suggestion": f.suggestion, "explanation": f.explanation, "serious": f.is_serious,
                      "accepted": (f.category, f.text) in accepted}
                     for f in (current_findings(draft) if version else [])],
        "pending_step": step.label if step else None,
        "steps": [{"round": s.round, "order": s.order, "label": s.label, "role": s.role, "mode": s.mode,
                   "state": s.state, "decided_at": when(s.decided_at),
                   "decisions": [{"reviewer": _person(d.reviewer), "decision": d.decision, "comment": d.comment,
                                  "version": d.version.number, "at": when(d.at)} for d in s.decisions.all()]}
                  for s in draft.steps.prefetch_related("decisions__reviewer__person", "decisions__version")
                  .order_by("round", "order")],
    }


def _visible(user, pk: int) -> Draft:
    return get_object_or_404(drafts_visible_to(user), pk=pk)


def _writable_here(draft: Draft) -> None:
    """A reply's draft holds the reply's text: it is written and submitted with its message, which keeps both."""
    if draft.kind == DraftKind.REPLY:
        message = f"这是留言的答复稿件，请通过 /api/v1/messages/{draft.reply.message_id}/reply 修改和提交"
        raise ApiError(409, message, [FieldError("id", str(draft.pk), message)])


@endpoint("GET", "POST")
def drafts(request, user):
    if request.method == "POST":
        wanted = payload.parse_create(json_body(request))
        draft = draft_create(by=user, unit=wanted.unit, title=wanted.title, body_html=wanted.body_html,
                             accounts=wanted.accounts or [], origin=wanted.origin or "original",
                             source_name=wanted.source_name or "", marked_grade=wanted.grade or "routine")
        return answer(201, draft_detail(draft), Location=f"/api/v1/drafts/{draft.pk}")
    fields, state = payload.parse_list(request)
    found = drafts_visible_to(user)
    if state:
        found = found.filter(state=state)
    page = page_of(found.order_by("-updated_at", "-pk"), fields)
    return answer(200, {**page, "results": [draft_summary(d) for d in page["results"]]})


@endpoint("GET", "PATCH")
def draft(request, user, pk: int):
    found = _visible(user, pk)
    if request.method == "PATCH":
        _writable_here(found)
        wanted = payload.parse_edit(json_body(request))
        with transaction.atomic():
            if wanted.given - {"grade"}:
                draft_edit(draft=found, by=user, title=found.title if wanted.title is None else wanted.title,
                           body_html=found.body_html if wanted.body_html is None else wanted.body_html,
                           accounts=wanted.accounts, origin=wanted.origin, source_name=wanted.source_name)
            if wanted.grade is not None:
                found.refresh_from_db()
                draft_mark_grade(draft=found, by=user, grade=wanted.grade)
        found = _visible(user, pk)
    return answer(200, draft_detail(found))


@endpoint("POST")
def draft_submit_view(request, user, pk: int):
    found = _visible(user, pk)
    _writable_here(found)
    reason = payload.parse_submit(json_body(request, optional=True))
    draft_submit(draft=found, by=user, emergency_reason=reason)
    return answer(200, draft_detail(_visible(user, pk)))
