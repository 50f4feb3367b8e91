"""The messages API over HTTP (/api/v1/messages…): a unit's system enters the public's messages (channel
"api") and drafts and submits their replies. The rules are the services' (message_create, reply_save_draft,
reply_submit) and the scope the selector's (messages_visible_to: another unit's message is 404)."""

from django.db import transaction
from django.shortcuts import get_object_or_404

from govmedia import clock
from govmedia.interaction.api import payload
from govmedia.interaction.models import Message, MessageChannel, Reply
from govmedia.interaction.selectors import (
    is_overdue,
    message_deadline,
    messages_visible_to,
    overdue_messages,
    reply_limits,
)
from govmedia.interaction.services.messages import message_create
from govmedia.interaction.services.replies import reply_save_draft, reply_submit
from govmedia.web.api import ApiError, FieldError, answer, endpoint, json_body, page_of, when
from govmedia.workdays.selectors import work_calendar


def message_summary(message: Message, today, *, limits=None, calendar=None) -> dict:
    """Pass the reply limits and calendar when listing many (each would otherwise be read per message)."""
    limits, calendar = limits or reply_limits(), calendar or work_calendar()
    deadline = message_deadline(message, limits=limits, calendar=calendar)
    return {
        "id": message.pk, "account": {"id": message.account_id, "name": message.account.name},
        "kind": message.kind, "channel": message.channel, "status": message.status,
        "status_label": message.get_status_display(), "received_at": when(message.received_at),
        "text": message.text, "deadline": deadline.date.isoformat(), "deadline_provisional": deadline.provisional,
        "overdue": is_overdue(message, today, limits=limits, calendar=calendar), "replied_at": when(message.replied_at),
    }


def reply_json(reply: Reply | None) -> dict | None:
    if reply is None:
        return None
    return {"state": reply.state, "state_label": reply.get_state_display(), "text": reply.text,
            "author": {"id": reply.author_id, "name": reply.author.display_name},
            "drafted_at": when(reply.drafted_at), "draft_id": reply.draft_id, "draft_state": reply.draft.state,
            "released_at": when(reply.released_at)}


def message_detail(message: Message, today) -> dict:
    return {
        **message_summary(message, today),
        "platform_message_id": message.platform_message_id, "sender_name": message.sender_name,
        "sender_contact": message.sender_contact,
        "assignee": {"id": message.assignee_id, "name": message.assignee.display_name} if message.assignee else None,
        "follow_up_note": message.follow_up_note, "closed_reason": message.closed_reason,
        "reply": reply_json(Reply.objects.select_related("author__person", "draft").filter(message=message).first()),
    }


def _visible(user, pk: int) -> Message:
    return get_object_or_404(messages_visible_to(user), pk=pk)


@endpoint("GET", "POST")
def messages(request, user):
    today = clock.today()
    if request.method == "POST":
        wanted = payload.parse_create(json_body(request))
        message = message_create(account=wanted.account, by=user, channel=MessageChannel.API, kind=wanted.kind,
                                 text=wanted.text, received_at=wanted.received_at or clock.now(),
                                 sender_name=wanted.sender_name, sender_contact=wanted.sender_contact,
                                 platform_message_id=wanted.platform_message_id)
        return answer(201, message_detail(_visible(user, message.pk), today),
                      Location=f"/api/v1/messages/{message.pk}")
    fields, wanted = payload.parse_list(request)
    found = messages_visible_to(user)
    if wanted.status:
        found = found.filter(status=wanted.status)
    if wanted.account:
        found = found.filter(account_id=wanted.account)
    if wanted.overdue is not None:
        late = [m.pk for m in overdue_messages(found, today)]
        found = found.filter(pk__in=late) if wanted.overdue else found.exclude(pk__in=late)
    page = page_of(found.order_by("-received_at", "-pk"), fields)
    limits, calendar = reply_limits(), work_calendar()
    return answer(200, {**page, "results": [message_summary(m, today, limits=limits, calendar=calendar)
                                            for m in page["results"]]})


@endpoint("GET")
def message(request, user, pk: int):
    return answer(200, message_detail(_visible(user, pk), clock.today()))


@endpoint("POST")
def message_reply(request, user, pk: int):
    found = _visible(user, pk)
    text, submit = payload.parse_reply(json_body(request))
    with transaction.atomic():
        reply = reply_save_draft(message=found, by=user, text=text) if text is not None else None
        if submit:
            reply = reply or Reply.objects.filter(message=found).first()
            if reply is None:
                message = "该留言还没有答复草稿，请同时提供答复内容（text）"
                raise ApiError(400, message, [FieldError("text", "", message)])
            reply_submit(reply=reply, by=user)
    return answer(200, message_detail(_visible(user, pk), clock.today()))
