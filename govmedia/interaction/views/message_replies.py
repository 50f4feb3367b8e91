"""The reply to a message, through the publishing review engine: its text is saved as a reply draft
(草稿), submitted to the unit's review chain (审核中; reviewers decide on the review page in their queue),
and, once approved, released (posted on the platform and recorded), which answers the message.

A reply returned by a reviewer (已退回) is edited and submitted again. The views only parse the form and
call services.replies; every refusal is shown on the message's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_POST

from govmedia.interaction.models import OPEN_STATUSES, Reply
from govmedia.interaction.services.replies import reply_release, reply_save_draft, reply_submit
from govmedia.interaction.views.message_common import act, back, form_step, message_for
from govmedia.interaction.views.message_forms import ReplyForm
from govmedia.publishing.models import Decision, DraftState, ReviewDecision
from govmedia.publishing.selectors import current_findings, pending_step

# A reply withdrawn by its author starts over as a new draft when saved again (services.replies).
EDITABLE_STATES = frozenset({DraftState.DRAFT, DraftState.REJECTED, DraftState.WITHDRAWN})


def reply_of(message) -> Reply | None:
    return Reply.objects.select_related("draft__author__person", "author__person", "released_by__person").filter(
        message=message).first()


def reply_context(message, *, user, may_handle: bool) -> dict:
    """What the message's page shows of its reply and which of the reply's steps it offers."""
    reply = reply_of(message)
    draft = reply.draft if reply is not None else None
    is_open = message.status in OPEN_STATUSES
    editable = may_handle and is_open and (draft is None or draft.state in EDITABLE_STATES)
    returned = None
    if draft is not None and draft.state == DraftState.REJECTED:
        returned = ReviewDecision.objects.filter(step__draft=draft, decision=Decision.REJECT).select_related(
            "reviewer__person").order_by("-at", "-pk").first()
    return {
        "reply": reply, "reply_draft": draft,
        "reply_form": ReplyForm(initial={"text": reply.text if reply else ""}) if editable else None,
        # submitted by whoever saved it last (the draft's author); a withdrawn one is saved again first
        "may_submit_reply": editable and draft is not None and draft.state != DraftState.WITHDRAWN,
        "submits_reply": draft is not None and draft.author_id == user.pk,
        "may_release_reply": may_handle and is_open and draft is not None and draft.state == DraftState.APPROVED,
        "reply_step": pending_step(draft) if draft is not None and draft.state == DraftState.IN_REVIEW else None,
        "reply_returned": returned,
        "reply_findings": list(current_findings(draft)) if draft is not None else [],
    }


def _existing_reply(request, message) -> Reply | None:
    """The message's reply; None, with the user told, when none has been saved (a crafted or stale POST)."""
    reply = reply_of(message)
    if reply is None:
        messages.error(request, "该留言还没有答复草稿，请先撰写并保存答复。")
    return reply


@login_required
@require_POST
def reply_save(request, pk):
    return form_step(
        request, pk, lambda data, message: ReplyForm(data),
        lambda message, data: reply_save_draft(message=message, by=request.user, text=data["text"]),
        lambda message, data: "答复草稿已保存。")


@login_required
@require_POST
def reply_submit_view(request, pk):
    message = message_for(request, pk)
    reply = _existing_reply(request, message)
    if reply is not None:
        act(request, lambda: reply_submit(reply=reply, by=request.user), lambda: "答复已提交审核。")
    return back(message)


@login_required
@require_POST
def reply_release_view(request, pk):
    message = message_for(request, pk)
    reply = _existing_reply(request, message)
    if reply is not None:
        act(request, lambda: reply_release(reply=reply, by=request.user),
            lambda: "答复已发布，留言已答复。")
    return back(message)
