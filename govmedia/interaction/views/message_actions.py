"""The steps on one message (POST only): change its kind, assign it, record the follow-up, close it.

Each step calls its service; a refusal is shown on the message's page (message_common.act)."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_POST

from govmedia.interaction.selectors import message_deadline
from govmedia.interaction.services.messages import (
    message_assign,
    message_close,
    message_follow_up,
    message_set_kind,
)
from govmedia.interaction.views.message_common import form_step
from govmedia.interaction.views.message_forms import AssignForm, CloseForm, FollowUpForm, KindForm


@login_required
@require_POST
def message_kind(request, pk):
    return form_step(
        request, pk, lambda data, message: KindForm(data),
        lambda message, data: message_set_kind(message=message, by=request.user, kind=data["kind"]),
        lambda message, data: f"类型已改为“{message.get_kind_display()}”，"
                              f"答复期限为 {message_deadline(message).date:%Y-%m-%d}。")


@login_required
@require_POST
def message_assign_view(request, pk):
    # The assignee the page showed: if somebody else has changed it since, the service refuses (Conflict).
    return form_step(
        request, pk, lambda data, message: AssignForm(data, account=message.account),
        lambda message, data: message_assign(
            message=message, by=request.user, assignee=data["assignee"],
            seen_assignee_id=data["seen_assignee"] if "seen_assignee" in request.POST else None),
        lambda message, data: f"已分办给 {data['assignee'].display_name}。")


@login_required
@require_POST
def message_follow_up_view(request, pk):
    return form_step(
        request, pk, lambda data, message: FollowUpForm(data),
        lambda message, data: message_follow_up(message=message, by=request.user, note=data["follow_up_note"]),
        lambda message, data: "已记录回访情况。")


@login_required
@require_POST
def message_close_view(request, pk):
    return form_step(
        request, pk, lambda data, message: CloseForm(data),
        lambda message, data: message_close(message=message, by=request.user, reason=data["closed_reason"]),
        lambda message, data: "留言已办结。")
