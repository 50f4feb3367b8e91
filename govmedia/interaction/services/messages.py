"""The public's messages to an account: entered (by hand, through the API or an import), triaged (kind),
assigned to a person of the account's unit, answered (services.replies), followed up and closed.

Status: 待分办 → 已分办 → 已答复 (the reply released) → 已回访 → 已办结. A message that needs no answer (spam, a
duplicate) is closed from 待分办 or 已分办 with the reason. Every change is a MessageEvent row (who, when, from,
to, why) and an audited write. Of two people acting on one message at once, the status or assignee they saw is
the condition of the UPDATE: exactly one wins, the other is told (Conflict).
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from govmedia import clock
from govmedia.audit.services import audited_update
from govmedia.errors import Conflict, PermissionDenied, ValidationError
from govmedia.inputs import control_character_error
from govmedia.interaction.models import (
    OPEN_STATUSES,
    TEXT_MAX,
    Message,
    MessageChannel,
    MessageEvent,
    MessageKind,
    MessageStatus,
)
from govmedia.orgs.models import User
from govmedia.orgs.permissions import may_enter_messages, may_handle_message, users_assignable_for_message
from govmedia.registry.models import Account

NOTE_MAX = 500
_LIMITS = {"platform_message_id": 100, "sender_name": 40, "sender_contact": 60}
_LABELS = {"platform_message_id": "平台留言编号", "sender_name": "留言人", "sender_contact": "联系方式"}


def _status_label(status: str) -> str:
    return MessageStatus(status).label if status in MessageStatus.values else status


def _require_may_handle(by: User, message: Message) -> None:
    if not may_handle_message(by, message):
        raise PermissionDenied(f"无权处理账号“{message.account.name}”的留言：由账号的主办单位处理")


def message_fields(*, kind: str, text: str, received_at: datetime, now: datetime, sender_name: str = "",
                   sender_contact: str = "", platform_message_id: str = "") -> dict:
    """The checked, cleaned fields of a new message; ValidationError names each bad field in Chinese."""
    errors: dict[str, list[str]] = {}
    if kind not in MessageKind.values:
        errors["kind"] = [f"留言类型只能是：{'、'.join(MessageKind.labels)}"]
    text = (text or "").strip()
    if not text:
        errors["text"] = ["留言内容不能为空。"]
    elif bad := control_character_error(text, "留言内容"):
        errors["text"] = [bad]
    elif len(text) > TEXT_MAX:
        errors["text"] = [f"留言内容不能超过 {TEXT_MAX:,} 字（现为 {len(text):,} 字）。"]
    values = {"sender_name": sender_name, "sender_contact": sender_contact,
              "platform_message_id": platform_message_id}
    for key, value in values.items():
        values[key] = (value or "").strip()
        if bad := control_character_error(values[key], _LABELS[key]):
            errors[key] = [bad]
        elif len(values[key]) > _LIMITS[key]:
            errors[key] = [f"{_LABELS[key]}不能超过 {_LIMITS[key]} 个字符。"]
    if received_at is None or timezone.is_naive(received_at):
        errors["received_at"] = ["收到时间须为带时区的日期时间。"]
    elif received_at > now + timedelta(minutes=5):
        errors["received_at"] = ["收到时间不能晚于当前时间。"]
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "text": text, "received_at": received_at, **values}


@transaction.atomic
def message_create(*, account: Account, by: User, channel: str, kind: str, text: str, received_at: datetime,
                   sender_name: str = "", sender_contact: str = "", platform_message_id: str = "",
                   now: datetime | None = None) -> Message:
    """Enter one message. A platform message id already entered for the account is refused (the same message
    twice would be counted and answered twice)."""
    if not may_enter_messages(by, account):
        raise PermissionDenied(f"无权为账号“{account.name}”录入留言")
    if channel not in MessageChannel.values:
        raise ValidationError({"channel": ["来源渠道不存在。"]})
    now = now or clock.now()
    fields = message_fields(kind=kind, text=text, received_at=received_at, now=now, sender_name=sender_name,
                            sender_contact=sender_contact, platform_message_id=platform_message_id)
    pid = fields["platform_message_id"]
    if pid and Message.objects.filter(account=account, platform_message_id=pid).exists():
        raise ValidationError({"platform_message_id": [f"平台留言编号“{pid}”已录入，不能重复录入。"]})
    try:
        with transaction.atomic():
            message = Message.objects.create(account=account, channel=channel, created_by=by, created_at=now,
                                             **fields)
    except IntegrityError:  # entered by someone else between the check and the insert
        raise Conflict(f"平台留言编号“{pid}”刚被他人录入，不能重复录入。") from None
    MessageEvent.objects.create(message=message, at=now, actor=by, action=MessageEvent.Action.CREATED,
                                to_state=MessageStatus.NEW, note=MessageChannel(channel).label)
    return message


@transaction.atomic
def message_set_kind(*, message: Message, by: User, kind: str, now: datetime | None = None) -> Message:
    """Triage: correct the kind (which sets the reply deadline) while the message waits for its answer."""
    _require_may_handle(by, message)
    if kind not in MessageKind.values:
        raise ValidationError({"kind": [f"留言类型只能是：{'、'.join(MessageKind.labels)}"]})
    if message.status not in OPEN_STATUSES:
        raise ValidationError({"kind": [f"“{message.get_status_display()}”的留言不能再变更类型。"]})
    old = message.kind
    if kind == old:
        return message
    if not audited_update(message, where={"kind": old, "status__in": OPEN_STATUSES}, kind=kind):
        raise Conflict("该留言已被他人处理，您的操作未执行。请刷新页面查看最新状态。")
    MessageEvent.objects.create(message=message, at=now or clock.now(), actor=by, action=MessageEvent.Action.KIND,
                                note=f"{MessageKind(old).label} → {MessageKind(kind).label}")
    return message


@transaction.atomic
def message_assign(*, message: Message, by: User, assignee: User, seen_assignee_id: int | str | None = None,
                   now: datetime | None = None) -> Message:
    """Put a person of the account's unit in charge (待分办 → 已分办), or hand it to another while unanswered."""
    _require_may_handle(by, message)
    if not users_assignable_for_message(message.account).filter(pk=assignee.pk).exists():
        raise ValidationError({"assignee": [
            f"“{assignee.display_name}”不是为账号“{message.account.name}”办事的在用人员（主办单位人员、账号运维人员），不能分办。"]})
    if message.status not in OPEN_STATUSES:
        raise ValidationError({"assignee": [f"“{message.get_status_display()}”的留言不能再分办。"]})
    if seen_assignee_id is not None and str(seen_assignee_id) != str(message.assignee_id or ""):
        raise Conflict("该留言的承办人已被他人修改，您的分办未执行。请刷新页面查看最新状态。")
    if assignee.pk == message.assignee_id:
        return message
    from_state = message.status
    if not audited_update(message, where={"status": from_state, "assignee_id": message.assignee_id},
                          status=MessageStatus.ASSIGNED, assignee_id=assignee.pk):
        raise Conflict("该留言已被他人分办或处理，您的分办未执行。请刷新页面查看最新状态。")
    MessageEvent.objects.create(message=message, at=now or clock.now(), actor=by, action=MessageEvent.Action.ASSIGN,
                                from_state=from_state, to_state=MessageStatus.ASSIGNED,
                                note=f"分办给 {assignee.display_name}")
    return message


def _note(note: str, field: str, required_for: str | None) -> str:
    note = (note or "").strip()
    if required_for and not note:
        raise ValidationError({field: [f"{required_for}时须填写说明。"]})
    if len(note) > NOTE_MAX:
        raise ValidationError({field: [f"说明不能超过 {NOTE_MAX} 字（现为 {len(note)} 字）。"]})
    return note


def _transition(message: Message, by: User, to_state: str, now, note: str, **values) -> Message:
    from_state = message.status
    if not audited_update(message, where={"status": from_state}, status=to_state, **values):
        current = Message.objects.filter(pk=message.pk).values_list("status", flat=True).first()
        raise Conflict(f"该留言已被他人处理（当前状态：{_status_label(current)}），您的操作未执行。请刷新页面查看最新状态。")
    MessageEvent.objects.create(message=message, at=now or clock.now(), actor=by, action=MessageEvent.Action.STATE,
                                from_state=from_state, to_state=to_state, note=note)
    return message


@transaction.atomic
def message_follow_up(*, message: Message, by: User, note: str, now: datetime | None = None) -> Message:
    """Record the follow-up with the sender after the reply (已答复 → 已回访): what they said, whether solved."""
    _require_may_handle(by, message)
    note = _note(note, "follow_up_note", "回访")
    if message.status != MessageStatus.REPLIED:
        raise ValidationError({"follow_up_note": [f"“{message.get_status_display()}”的留言不能回访：须先发布答复。"]})
    return _transition(message, by, MessageStatus.FOLLOWED_UP, now, note, follow_up_note=note)


@transaction.atomic
def message_close(*, message: Message, by: User, reason: str = "", now: datetime | None = None) -> Message:
    """Close a message: after its reply (with or without a follow-up), or, with the reason, one that needs no
    answer (spam, a duplicate)."""
    _require_may_handle(by, message)
    unanswered = message.status in OPEN_STATUSES
    reason = _note(reason, "closed_reason", "未答复即办结" if unanswered else None)
    if message.status == MessageStatus.CLOSED:
        raise ValidationError({"closed_reason": ["该留言已办结。"]})
    return _transition(message, by, MessageStatus.CLOSED, now, reason, closed_reason=reason)
