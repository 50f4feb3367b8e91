"""待答复留言: the messages of the user's accounts with their computed deadlines, and one message with its
history and the steps the user may take (triage, assign, reply, follow up, close; see message_actions and
message_replies). Another unit's message answers 404, like a missing one."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from govmedia import clock
from govmedia.interaction.models import OPEN_STATUSES, MessageStatus
from govmedia.interaction.selectors import (
    default_message_filters,
    is_overdue,
    message_deadline,
    messages_for_list,
    reply_limits,
)
from govmedia.interaction.views.message_common import message_for
from govmedia.interaction.views.message_forms import (
    AssignForm,
    CloseForm,
    FollowUpForm,
    KindForm,
    MessageFilters,
    account_label,
)
from govmedia.interaction.views.message_replies import reply_context
from govmedia.orgs.permissions import accounts_acted_for, may_handle_message
from govmedia.registry.views.common import paginate
from govmedia.workdays.selectors import work_calendar


@login_required
def message_list(request):
    filters = MessageFilters.parse(request)
    filters = {**filters, **{k: filters[k] or v for k, v in default_message_filters(request.user).items()}}
    today = clock.today()
    page = paginate(request, messages_for_list(request.user, today=today, **filters))
    limits, calendar = reply_limits(), work_calendar()
    for message in page:
        message.deadline = message_deadline(message, limits=limits, calendar=calendar)
        message.overdue = is_overdue(message, today, limits=limits, calendar=calendar)
    accounts = accounts_acted_for(request.user).select_related("host_unit", "platform")
    return render(request, "interaction/message_list.html", {
        "page": page, "filters": filters, "today": today,
        "accounts": [(a.pk, account_label(a)) for a in accounts],
        "statuses": MessageFilters.base_fields["status"].choices,
        "assignees": MessageFilters.base_fields["assignee"].choices,
        "kinds": MessageFilters.base_fields["kind"].choices,
    })


def _status_label(value: str) -> str:
    return MessageStatus(value).label if value in MessageStatus.values else value


def _history(message) -> list:
    events = list(message.events.select_related("actor__person"))
    for event in events:
        event.from_label, event.to_label = _status_label(event.from_state), _status_label(event.to_state)
    return events


@login_required
def message_detail(request, pk):
    message = message_for(request, pk)
    may_handle = may_handle_message(request.user, message)
    is_open = message.status in OPEN_STATUSES
    today = clock.today()
    context = {
        "message": message, "today": today, "may_handle": may_handle, "is_open": is_open,
        "deadline": message_deadline(message), "overdue": is_overdue(message, today),
        "history": _history(message),
        "kind_form": KindForm(initial={"kind": message.kind}) if may_handle and is_open else None,
        "assign_form": AssignForm(account=message.account, initial={
            "assignee": message.assignee_id or request.user.pk,
            "seen_assignee": message.assignee_id or ""}) if may_handle and is_open else None,
        "follow_up_form": FollowUpForm() if may_handle and message.status == MessageStatus.REPLIED else None,
        "close_form": CloseForm() if may_handle and message.status != MessageStatus.CLOSED else None,
    }
    context.update(reply_context(message, user=request.user, may_handle=may_handle))
    return render(request, "interaction/message_detail.html", context)
