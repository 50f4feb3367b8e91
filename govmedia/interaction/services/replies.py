"""A reply to a message, reviewed through the shared review engine (govmedia.publishing) like any draft.

- Drafting: whoever handles the message writes the reply (`reply_save_draft`). The reply's text is held by a
  publishing Draft of kind REPLY: unit = the account's host unit, accounts = [the account], title "答复：" and
  the message's first words, body = the text as HTML paragraphs. Whoever saves it last is its author (the
  Draft's author too, so they submit it); everyone who wrote any of it is among `Reply.editors`.
- Review: `reply_submit` submits the Draft (`draft_submit`): its grade picks the unit's chain, the checker's
  findings apply as to any draft, and reviewers approve or reject it in their normal review queue. Nobody
  reviews a reply they wrote or edited (orgs.permissions.may_review). A reject returns it to its author,
  who edits (a new version) and resubmits.
- Release: once the Draft is approved, `reply_release` records the reply as posted: the Draft is published
  (an entry on the unit's review ledger) with no URL of its own, since a reply sits under the public's
  message rather than at an address of its own, and the message is answered (已答复) at that moment.

`Reply.state` is derived from the Draft's state, never stored.
"""

import html
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from govmedia import clock
from govmedia.audit.services import audited_update
from govmedia.errors import Conflict, PermissionDenied, RuleViolation, ValidationError
from govmedia.interaction.models import (
    OPEN_STATUSES,
    TEXT_MAX,
    Message,
    MessageEvent,
    MessageStatus,
    Reply,
)
from govmedia.orgs.models import User
from govmedia.orgs.permissions import may_handle_message, may_release_reply
from govmedia.publishing.models import Decision, Draft, DraftKind, DraftState
from govmedia.publishing.selectors import approvers
from govmedia.publishing.services.drafts import EDITABLE_STATES, draft_create, draft_edit
from govmedia.publishing.services.publication import publication_record_reply
from govmedia.publishing.services.review import chain_for, draft_submit, submission_grade

TITLE_WORDS = 30  # characters of the message in the reply draft's title


def _text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ["答复内容不能为空。"]})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": [f"答复内容不能超过 {TEXT_MAX:,} 字（现为 {len(text):,} 字）。"]})
    return text


def reply_title(message: Message) -> str:
    return "答复：" + " ".join(message.text.split())[:TITLE_WORDS]


def reply_body_html(text: str) -> str:
    """The reply's text as HTML paragraphs, one per non-empty line, escaped."""
    return "".join(f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip())


def _open(message: Message) -> None:
    if message.status not in OPEN_STATUSES:
        raise ValidationError({"text": [f"“{message.get_status_display()}”的留言不能再撰写答复。"]})


def _new_draft(message: Message, by: User, text: str) -> Draft:
    return draft_create(by=by, unit=message.account.host_unit, title=reply_title(message),
                        body_html=reply_body_html(text), accounts=[message.account], kind=DraftKind.REPLY)


def _take_over(draft: Draft, by: User) -> Draft:
    """The draft's author becomes whoever rewrites the reply now (only while it is editable)."""
    if draft.author_id != by.pk and not audited_update(
            draft, where={"revision": draft.revision, "state__in": EDITABLE_STATES}, author_id=by.pk,
            revision=F("revision") + 1, updated_at=clock.now()):
        raise Conflict("该答复刚被他人处理，请刷新页面查看最新状态。")
    return draft


@transaction.atomic
def reply_save_draft(*, message: Message, by: User, text: str, now: datetime | None = None) -> Reply:
    """Write or rewrite the reply while it is a draft or returned by a reviewer: its Draft gets the text (a
    new version once it has been submitted). Whoever saves it last is its author."""
    if not may_handle_message(by, message):
        raise PermissionDenied(f"无权答复账号“{message.account.name}”的留言：由账号的主办单位处理")
    text = _text(text)
    _open(message)
    now = now or clock.now()
    reply = Reply.objects.select_related("draft").filter(message=message).first()
    if reply is None:
        draft = _new_draft(message, by, text)
        try:
            with transaction.atomic():
                reply = Reply.objects.create(message=message, draft=draft, text=text, author=by, drafted_at=now)
        except IntegrityError:  # a colleague started the reply at the same moment
            raise Conflict("该留言的答复刚由他人起草，请刷新后在其草稿上修改。") from None
        reply.editors.add(by)
        return reply
    draft = reply.draft
    if draft.state == DraftState.WITHDRAWN:  # withdrawn by its author: the reply starts over
        draft = _new_draft(message, by, text)
    elif draft.state in EDITABLE_STATES:
        draft_edit(draft=_take_over(draft, by), by=by, title=reply_title(message), body_html=reply_body_html(text))
    else:
        raise Conflict(f"答复{draft.get_state_display()}，不能再修改。请刷新页面查看最新状态。")
    if not audited_update(reply, where={"draft_id": reply.draft_id}, draft_id=draft.pk, text=text, author_id=by.pk,
                          drafted_at=now):
        raise Conflict("该答复刚被他人处理，请刷新页面查看最新状态。")
    reply.editors.add(by)  # whoever wrote any of it may not review it
    return reply


def _check_reviewers_left(reply: Reply) -> None:
    """Each step of the chain the reply will take keeps someone who did not write any of it."""
    draft = reply.draft
    editors = set(reply.editors.values_list("pk", flat=True))
    for spec in chain_for(draft.unit, submission_grade(draft)):
        left = approvers(unit_id=draft.unit_id, author_id=draft.author_id, role=spec.role,
                         user_ids=spec.user_ids).exclude(pk__in=editors)
        if not left.exists():
            raise RuleViolation(f"审核步骤“{spec.label}”没有可审核的人员（撰写、修改过答复的人不能审核），请先设置审核流程")


@transaction.atomic
def reply_submit(*, reply: Reply, by: User, now: datetime | None = None) -> Reply:
    """Its author submits the reply (or resubmits it after a reject) to the unit's review chain."""
    if not may_handle_message(by, reply.message):
        raise PermissionDenied(f"无权答复账号“{reply.message.account.name}”的留言：由账号的主办单位处理")
    if reply.draft.author_id != by.pk:
        raise PermissionDenied("答复由最后修改它的人提交审核")
    _open(reply.message)
    _check_reviewers_left(reply)
    draft_submit(draft=reply.draft, by=by)
    MessageEvent.objects.create(message=reply.message, at=now or clock.now(), actor=by,
                                action=MessageEvent.Action.REPLY_SUBMITTED, note=f"第{reply.draft.round}轮审核")
    return reply


@transaction.atomic
def reply_release(*, reply: Reply, by: User, now: datetime | None = None) -> Reply:
    """Record the approved reply as posted: its Draft is published onto the unit's ledger and the message is
    answered now (已答复), which the statistics count."""
    if not may_release_reply(by, reply):
        raise PermissionDenied(f"无权发布账号“{reply.message.account.name}”的答复")
    draft = reply.draft
    if draft.state != DraftState.APPROVED:
        raise ValidationError({"state": [f"“{reply.get_state_display()}”的答复不能发布：须先审核通过。"]})
    now = now or clock.now()
    message = reply.message
    from_state = message.status
    if not audited_update(message, where={"status__in": OPEN_STATUSES}, status=MessageStatus.REPLIED,
                          replied_at=now):
        raise Conflict("该留言已被他人办结，答复未发布。请刷新页面查看最新状态。")
    publication_record_reply(draft=draft, published_at=now)
    # What goes out is what the reviewers approved: the draft's text, even if it was edited on the draft's own page.
    audited_update(reply, where={}, text=draft.body_text, released_by_id=by.pk, released_at=now)
    MessageEvent.objects.create(message=message, at=now, actor=by, action=MessageEvent.Action.REPLY_RELEASED,
                                from_state=from_state, to_state=MessageStatus.REPLIED, note="答复已发布")
    return reply


def record_reply_decision(*, draft: Draft, by: User, decision: str, comment: str, at: datetime, **_) -> None:
    """A reviewer approved or returned a reply (publishing.signals.draft_decided): the message's 处理记录 says
    so, with the reviewer's comment."""
    if draft.kind != DraftKind.REPLY:
        return
    reply = Reply.objects.select_related("message").filter(draft=draft).first()
    if reply is None:
        return
    approved = decision == Decision.APPROVE
    action = MessageEvent.Action.REPLY_APPROVED if approved else MessageEvent.Action.REPLY_RETURNED
    round_ = f"第{draft.round - 1 if approved and draft.emergency else draft.round}轮审核"
    MessageEvent.objects.create(message=reply.message, at=at, actor=by, action=action,
                                note=f"{round_}{'通过' if approved else '退回'}{'：' + comment if comment else ''}"[:500])
