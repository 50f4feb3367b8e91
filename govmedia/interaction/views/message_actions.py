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
from govmedia.interaction.views.message_common import act, back, form_errors, message_for
from govmedia.interaction.views.message_forms import AssignForm, CloseForm, FollowUpForm, KindForm


@login_required
@require_POST
def message_kind(request, pk):
    message = message_for(request, pk)
    form = KindForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return back(message)
    act(request,
        lambda: message_set_kind(message=message, by=request.user, kind=form.cleaned_data["kind"]),
        lambda: f"类型已改为“{message.get_kind_display()}”，答复期限为 {message_deadline(message).date:%Y-%m-%d}。")
    return back(message)


@login_required
@require_POST
def message_assign_view(request, pk):
    message = message_for(request, pk)
    form = AssignForm(request.POST, account=message.account)
    if not form.is_valid():
        form_errors(request, form)
        return back(message)
    assignee = form.cleaned_data["assignee"]
    # The assignee the page showed: if somebody else has changed it since, the service refuses (Conflict).
    seen = form.cleaned_data["seen_assignee"] if "seen_assignee" in request.POST else None
    act(request,
        lambda: message_assign(message=message, by=request.user, assignee=assignee, seen_assignee_id=seen),
        lambda: f"已分办给 {assignee.display_name}。")
    return back(message)


@login_required
@require_POST
def message_follow_up_view(request, pk):
    message = message_for(request, pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return back(message)
    act(request,
        lambda: message_follow_up(message=message, by=request.user, note=form.cleaned_data["follow_up_note"]),
        lambda: "已记录回访情况。")
    return back(message)


@login_required
@require_POST
def message_close_view(request, pk):
    message = message_for(request, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return back(message)
    act(request,
        lambda: message_close(message=message, by=request.user, reason=form.cleaned_data["closed_reason"]),
        lambda: "留言已办结。")
    return back(message)
