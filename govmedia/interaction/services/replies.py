"""A reply to a message: drafted by whoever handles the message, approved by the unit's head or reviewer (not
its author), then released (posted on the platform), which answers the message (已答复) at that moment.

States: 草稿 → 审核通过 → 已发布. The draft is edited until approved; approval records who approved it and when.

Seam for the shared review engine (govmedia.publishing): `reply_approve` is the one step that engine will take
over. When replies are reviewed through its chains, the chain's final sign-off calls `reply_approve` (or sets
the same fields: state, approved_by, approved_at) with the signer, and `may_approve_reply` in
orgs/permissions.py gives way to the chain's own rule; drafting and releasing stay here unchanged.
"""

from datetime import datetime

from django.db import IntegrityError, transaction

from govmedia import clock
from govmedia.audit.services import audited_update
from govmedia.errors import Conflict, PermissionDenied, ValidationError
from govmedia.interaction.models import (
    OPEN_STATUSES,
    TEXT_MAX,
    Message,
    MessageEvent,
    MessageStatus,
    Reply,
    ReplyState,
)
from govmedia.orgs.models import User
from govmedia.orgs.permissions import may_approve_reply, may_handle_message, may_release_reply


def _text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ["答复内容不能为空。"]})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": [f"答复内容不能超过 {TEXT_MAX:,} 字（现为 {len(text):,} 字）。"]})
    return text


@transaction.atomic
def reply_save_draft(*, message: Message, by: User, text: str, now: datetime | None = None) -> Reply:
    """Write or rewrite the reply while it is a draft; whoever saves it last is its author (who may not
    approve it)."""
    if not may_handle_message(by, message):
        raise PermissionDenied(f"无权答复账号“{message.account.name}”的留言：由账号的主办单位处理")
    text = _text(text)
    if message.status not in OPEN_STATUSES:
        raise ValidationError({"text": [f"“{message.get_status_display()}”的留言不能再撰写答复。"]})
    now = now or clock.now()
    reply = Reply.objects.filter(message=message).first()
    if reply is None:
        try:
            with transaction.atomic():
                reply = Reply.objects.create(message=message, text=text, author=by, drafted_at=now)
        except IntegrityError:  # a colleague started the reply at the same moment
            raise Conflict("该留言的答复刚由他人起草，请刷新后在其草稿上修改。") from None
        reply.editors.add(by)
        return reply
    if not audited_update(reply, where={"state": ReplyState.DRAFT}, text=text, author_id=by.pk, drafted_at=now):
        raise Conflict("答复已审核通过，不能再修改。请刷新页面查看最新状态。")
    reply.editors.add(by)  # whoever wrote any of it may not approve it
    return reply


@transaction.atomic
def reply_approve(*, reply: Reply, by: User, now: datetime | None = None) -> Reply:
    """Approve the draft for release (the seam for the shared review engine, see the module docstring)."""
    if not may_approve_reply(by, reply):
        if by.pk == reply.author_id:
            raise PermissionDenied("不能审核本人撰写的答复")
        raise PermissionDenied("答复须由账号主办单位的负责人或审核员审核")
    if reply.editors.filter(pk=by.pk).exists():
        raise PermissionDenied("您修改过该答复，不能审核")
    now = now or clock.now()
    # the approval holds for the text the approver saw: the draft as it was when it was loaded
    if not audited_update(reply, where={"state": ReplyState.DRAFT, "author_id": reply.author_id,
                                        "drafted_at": reply.drafted_at},
                          state=ReplyState.APPROVED, approved_by_id=by.pk, approved_at=now):
        raise Conflict("该答复已被他人审核或修改，您的审核未执行。请刷新页面查看最新状态。")
    MessageEvent.objects.create(message=reply.message, at=now, actor=by, action=MessageEvent.Action.REPLY_APPROVED)
    return reply


@transaction.atomic
def reply_release(*, reply: Reply, by: User, now: datetime | None = None) -> Reply:
    """Record the approved reply as posted: the message is answered now (已答复), which the statistics count."""
    if not may_release_reply(by, reply):
        raise PermissionDenied(f"无权发布账号“{reply.message.account.name}”的答复")
    if reply.state != ReplyState.APPROVED:
        raise ValidationError({"state": [f"“{reply.get_state_display()}”的答复不能发布：须先审核通过。"]})
    now = now or clock.now()
    if not audited_update(reply, where={"state": ReplyState.APPROVED}, state=ReplyState.RELEASED,
                          released_by_id=by.pk, released_at=now):
        raise Conflict("该答复已由他人发布。请刷新页面查看最新状态。")
    message = reply.message
    from_state = message.status
    if not audited_update(message, where={"status__in": OPEN_STATUSES}, status=MessageStatus.REPLIED,
                          replied_at=now):
        raise Conflict("该留言已被他人办结，答复未发布。请刷新页面查看最新状态。")
    MessageEvent.objects.create(message=message, at=now, actor=by, action=MessageEvent.Action.STATE,
                                from_state=from_state, to_state=MessageStatus.REPLIED, note="答复已发布")
    return reply
