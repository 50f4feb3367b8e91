"""A reply: drafted by whoever handles the message, approved by the unit's head or reviewer who did not write
it (who approved is recorded), then released, which answers the message at that moment."""

import pytest

from govmedia.audit.models import AuditEntry
from govmedia.errors import Conflict, PermissionDenied, ValidationError
from govmedia.interaction.models import Message, MessageEvent, MessageStatus, Reply, ReplyState
from govmedia.interaction.services.messages import message_close
from govmedia.interaction.services.replies import reply_approve, reply_release, reply_save_draft
from tests.interaction.factories import MessageFactory
from tests.registry.services.helpers import fresh
from tests.threads import at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(frozen_clock, edu_weibo):
    return MessageFactory(account=edu_weibo)


@pytest.fixture
def draft(message, assigned_operator):
    return reply_save_draft(message=message, by=assigned_operator, text="今年招生范围与去年相同，详见教体局官网公告。")


def test_a_reply_goes_from_draft_to_approved_to_released_and_answers_the_message(frozen_clock, draft, edu_reviewer,
                                                                                assigned_operator):
    approved_at = frozen_clock.current
    reply_approve(reply=draft, by=edu_reviewer)
    frozen_clock.advance(hours=1)
    reply_release(reply=fresh(draft), by=assigned_operator)
    reply = fresh(draft)
    assert (reply.state, reply.author, reply.approved_by, reply.approved_at, reply.released_by) == (
        ReplyState.RELEASED, assigned_operator, edu_reviewer, approved_at, assigned_operator)
    message = fresh(reply.message)
    assert (message.status, message.replied_at) == (MessageStatus.REPLIED, frozen_clock.current)
    actions = list(MessageEvent.objects.filter(message=message).values_list("action", "to_state"))
    assert actions == [("reply_approved", ""), ("state", "replied")]
    assert AuditEntry.objects.filter(object_type="interaction.Reply", object_id=str(reply.pk),
                                     action=AuditEntry.Action.UPDATE).count() == 3  # editor, approval, release


def test_the_author_cannot_approve_their_own_reply(message, edu_leader, edu_reviewer):
    draft = reply_save_draft(message=message, by=edu_leader, text="已转相关科室办理。")
    with pytest.raises(PermissionDenied) as refused:
        reply_approve(reply=draft, by=edu_leader)
    assert str(refused.value) == "不能审核本人撰写的答复"
    reply_approve(reply=draft, by=edu_reviewer)
    assert fresh(draft).approved_by == edu_reviewer


@pytest.mark.parametrize("persona", ["edu_unit_admin", "edu_operator", "assigned_operator", "supervisor",
                                     "street_leader", "street_reviewer", "school_leader"])
def test_only_a_head_or_reviewer_of_the_host_unit_approves(request, draft, persona):
    with pytest.raises(PermissionDenied) as refused:
        reply_approve(reply=draft, by=request.getfixturevalue(persona))
    assert str(refused.value) in {"答复须由账号主办单位的负责人或审核员审核", "不能审核本人撰写的答复"}
    assert fresh(draft).state == ReplyState.DRAFT


def test_a_draft_is_not_released_before_approval(draft, assigned_operator):
    with pytest.raises(ValidationError) as refused:
        reply_release(reply=draft, by=assigned_operator)
    assert refused.value.message_dict == {"state": ["“草稿”的答复不能发布：须先审核通过。"]}
    assert fresh(draft.message).status == MessageStatus.NEW


def test_whoever_rewrites_the_draft_becomes_its_author(draft, edu_reviewer):
    reply_save_draft(message=draft.message, by=edu_reviewer, text="修改后的答复")
    assert (fresh(draft).text, fresh(draft).author) == ("修改后的答复", edu_reviewer)
    with pytest.raises(PermissionDenied):
        reply_approve(reply=fresh(draft), by=edu_reviewer)


def test_an_approved_reply_is_not_rewritten(draft, edu_reviewer, assigned_operator):
    reply_approve(reply=draft, by=edu_reviewer)
    with pytest.raises(Conflict):
        reply_save_draft(message=draft.message, by=assigned_operator, text="偷偷改一下")
    assert fresh(draft).text == "今年招生范围与去年相同，详见教体局官网公告。"


def test_another_units_staff_cannot_draft_or_release(message, draft, edu_reviewer, street_unit_admin):
    with pytest.raises(PermissionDenied):
        reply_save_draft(message=message, by=street_unit_admin, text="外单位的答复")
    reply_approve(reply=draft, by=edu_reviewer)
    with pytest.raises(PermissionDenied):
        reply_release(reply=fresh(draft), by=street_unit_admin)


def test_a_reply_is_checked_and_a_closed_message_takes_none(message, assigned_operator, edu_unit_admin):
    with pytest.raises(ValidationError) as refused:
        reply_save_draft(message=message, by=assigned_operator, text="答" * 5001)
    assert refused.value.message_dict == {"text": ["答复内容不能超过 5,000 字（现为 5,001 字）。"]}
    message_close(message=message, by=edu_unit_admin, reason="重复留言")
    with pytest.raises(ValidationError):
        reply_save_draft(message=fresh(message), by=assigned_operator, text="答复")
    assert not Reply.objects.exists()


def test_a_reply_to_a_message_closed_meanwhile_is_not_released(draft, edu_reviewer, edu_unit_admin,
                                                               assigned_operator):
    reply_approve(reply=draft, by=edu_reviewer)
    message_close(message=draft.message, by=edu_unit_admin, reason="群众撤回留言")
    with pytest.raises(Conflict):
        reply_release(reply=fresh(draft), by=assigned_operator)
    assert fresh(draft).state == ReplyState.APPROVED  # the whole release was undone


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_two_approvers_acting_at_once_exactly_one_is_recorded(frozen_clock, edu_weibo, assigned_operator,
                                                                 edu_leader, edu_reviewer):
    message = MessageFactory(account=edu_weibo)
    reply = reply_save_draft(message=message, by=assigned_operator, text="答复")

    def approving(user):
        def prepare():
            loaded = Reply.objects.select_related("message__account").get(pk=reply.pk)
            return lambda: reply_approve(reply=loaded, by=user)
        return prepare

    results = at_once(approving(edu_leader), approving(edu_reviewer))
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], Conflict), results
    assert MessageEvent.objects.filter(message=message, action="reply_approved").count() == 1
    assert Message.objects.get(pk=message.pk).status == MessageStatus.NEW


def test_an_approval_pins_the_text_the_approver_saw(frozen_clock, draft, edu_reviewer, assigned_operator):
    seen = fresh(draft)  # the page the approver loaded
    frozen_clock.advance(minutes=5)
    reply_save_draft(message=draft.message, by=assigned_operator, text="作者随后改写的答复")
    with pytest.raises(Conflict):
        reply_approve(reply=seen, by=edu_reviewer)
    assert fresh(draft).state == ReplyState.DRAFT


def test_nobody_who_edited_the_reply_approves_it(draft, edu_reviewer, edu_leader):
    reply_save_draft(message=draft.message, by=edu_reviewer, text="审核员改写的答复")
    reply_save_draft(message=draft.message, by=edu_leader, text="负责人再改写的答复")
    with pytest.raises(PermissionDenied, match="修改过该答复"):
        reply_approve(reply=fresh(draft), by=edu_reviewer)
    assert fresh(draft).state == ReplyState.DRAFT
