"""The public's messages: entered by whoever acts for the account's unit, deduplicated by the platform's id,
triaged, assigned within the host unit, followed up after the reply and closed; every change a history row and
an audited write, and of two people acting at once exactly one wins."""

from datetime import timedelta

import pytest

from govmedia.audit.models import AuditEntry
from govmedia.errors import Conflict, PermissionDenied, ValidationError
from govmedia.interaction.models import Message, MessageEvent, MessageKind, MessageStatus
from govmedia.interaction.services.messages import (
    message_assign,
    message_close,
    message_create,
    message_follow_up,
    message_set_kind,
)
from tests.interaction.factories import MessageFactory
from tests.registry.services.helpers import fresh
from tests.threads import at_once

pytestmark = pytest.mark.django_db


def enter(account, by, now, **overrides):
    values = {"channel": "manual", "kind": "consultation", "text": " 请问新区幼儿园什么时候报名？ ",
              "received_at": now - timedelta(hours=2), "sender_name": "张先生", "sender_contact": "13900001111",
              "platform_message_id": "m-1"}
    values.update(overrides)
    return message_create(account=account, by=by, now=now, **values)


@pytest.fixture
def message(frozen_clock, edu_weibo):
    return MessageFactory(account=edu_weibo)


def test_an_operator_assigned_to_the_account_enters_a_message_with_its_history_row(frozen_clock, edu_weibo,
                                                                                  assigned_operator):
    message = enter(edu_weibo, assigned_operator, frozen_clock.current)
    assert (message.status, message.text, message.created_by, message.kind) == (
        MessageStatus.NEW, "请问新区幼儿园什么时候报名？", assigned_operator, MessageKind.CONSULTATION)
    [event] = MessageEvent.objects.filter(message=message)
    assert (event.action, event.to_state, event.actor, event.note) == ("created", "new", assigned_operator, "手工录入")
    assert AuditEntry.objects.filter(object_type="interaction.Message", object_id=str(message.pk),
                                     action=AuditEntry.Action.CREATE).exists()


def test_another_units_staff_cannot_enter_a_message(frozen_clock, edu_weibo, street_operator, street_unit_admin):
    for outsider in (street_operator, street_unit_admin):
        with pytest.raises(PermissionDenied):
            enter(edu_weibo, outsider, frozen_clock.current)
    assert not Message.objects.exists()


def test_the_same_platform_message_id_is_entered_once_per_account(frozen_clock, edu_weibo, edu_wechat,
                                                                   edu_unit_admin):
    enter(edu_weibo, edu_unit_admin, frozen_clock.current)
    with pytest.raises(ValidationError) as refused:
        enter(edu_weibo, edu_unit_admin, frozen_clock.current, text="又一次")
    assert refused.value.message_dict == {"platform_message_id": ["平台留言编号“m-1”已录入，不能重复录入。"]}
    enter(edu_wechat, edu_unit_admin, frozen_clock.current)  # another account's numbering
    enter(edu_weibo, edu_unit_admin, frozen_clock.current, platform_message_id="")  # hand-entered, no id
    enter(edu_weibo, edu_unit_admin, frozen_clock.current, platform_message_id="")
    assert Message.objects.count() == 4


@pytest.mark.parametrize(("overrides", "field", "error"), [
    ({"text": "   "}, "text", "留言内容不能为空。"),
    ({"text": "长" * 5001}, "text", "留言内容不能超过 5,000 字（现为 5,001 字）。"),
    ({"kind": "praise"}, "kind", "留言类型只能是：留言、评论、咨询、投诉、建议"),
    ({"sender_contact": "1" * 61}, "sender_contact", "联系方式不能超过 60 个字符。"),
    ({"received_at": "later"}, "received_at", None),
])
def test_a_message_is_checked_before_it_is_stored(frozen_clock, edu_weibo, edu_unit_admin, overrides, field, error):
    if overrides.get("received_at") == "later":
        overrides = {"received_at": frozen_clock.current + timedelta(hours=1)}
        error = "收到时间不能晚于当前时间。"
    with pytest.raises(ValidationError) as refused:
        enter(edu_weibo, edu_unit_admin, frozen_clock.current, **overrides)
    assert refused.value.message_dict == {field: [error]}


def test_markup_in_a_message_is_kept_as_text(frozen_clock, edu_weibo, edu_unit_admin):
    message = enter(edu_weibo, edu_unit_admin, frozen_clock.current, text="<script>alert(1)</script>")
    assert fresh(message).text == "<script>alert(1)</script>"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_two_entries_of_one_platform_message_at_once_exactly_one_is_stored(frozen_clock, edu_weibo,
                                                                               edu_unit_admin, assigned_operator):
    def entering(user):
        return lambda: (lambda: enter(edu_weibo, user, frozen_clock.current))

    results = at_once(entering(edu_unit_admin), entering(assigned_operator))
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], (Conflict, ValidationError)), results
    assert Message.objects.filter(account=edu_weibo, platform_message_id="m-1").count() == 1


# ---------------------------------------------------------------- triage and assignment


def test_a_message_is_assigned_to_a_colleague_of_the_host_unit_with_a_history_row(frozen_clock, edu_unit_admin,
                                                                                  edu_reviewer, message):
    message_assign(message=message, by=edu_unit_admin, assignee=edu_reviewer)
    assert (fresh(message).status, fresh(message).assignee) == (MessageStatus.ASSIGNED, edu_reviewer)
    event = MessageEvent.objects.get(message=message, action="assign")
    assert (event.from_state, event.to_state, event.note, event.actor) == (
        "new", "assigned", "分办给 钱审核", edu_unit_admin)


def test_a_message_is_not_assigned_to_another_units_staff(edu_unit_admin, street_reviewer, message):
    with pytest.raises(ValidationError) as refused:
        message_assign(message=message, by=edu_unit_admin, assignee=street_reviewer)
    assert "不是为账号“西海岸教育发布”办事的在用人员" in refused.value.message_dict["assignee"][0]
    assert fresh(message).assignee is None


def test_another_units_staff_cannot_assign_or_triage(street_unit_admin, street_reviewer, edu_reviewer, message):
    with pytest.raises(PermissionDenied):
        message_assign(message=message, by=street_unit_admin, assignee=edu_reviewer)
    with pytest.raises(PermissionDenied):
        message_set_kind(message=message, by=street_reviewer, kind="complaint")


def test_an_unassigned_operator_of_the_unit_cannot_handle_the_account_s_messages(edu_operator, edu_reviewer,
                                                                                 message):
    # Operators act only on the accounts assigned to them (art. 4).
    with pytest.raises(PermissionDenied):
        message_assign(message=message, by=edu_operator, assignee=edu_reviewer)


def test_a_supervisor_may_assign(supervisor, edu_reviewer, message):
    message_assign(message=message, by=supervisor, assignee=edu_reviewer)
    assert fresh(message).assignee == edu_reviewer


def test_reassigning_keeps_the_message_assigned_and_adds_a_row(edu_unit_admin, edu_reviewer, edu_leader, message):
    message_assign(message=message, by=edu_unit_admin, assignee=edu_reviewer)
    message_assign(message=fresh(message), by=edu_unit_admin, assignee=edu_leader, seen_assignee_id=edu_reviewer.pk)
    assert fresh(message).assignee == edu_leader
    assert MessageEvent.objects.filter(message=message, action="assign").count() == 2


def test_an_assignment_made_on_a_stale_page_is_refused(edu_unit_admin, edu_reviewer, edu_leader, message):
    message_assign(message=message, by=edu_unit_admin, assignee=edu_reviewer)
    with pytest.raises(Conflict):
        message_assign(message=fresh(message), by=edu_leader, assignee=edu_leader, seen_assignee_id="")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_two_people_assigning_a_message_at_once_exactly_one_wins(frozen_clock, edu_weibo, edu_unit_admin,
                                                                    edu_leader, edu_reviewer):
    message = MessageFactory(account=edu_weibo)

    def assigning(user, assignee):
        def prepare():
            loaded = Message.objects.select_related("account").get(pk=message.pk)  # as each page loaded it
            return lambda: message_assign(message=loaded, by=user, assignee=assignee)
        return prepare

    results = at_once(assigning(edu_unit_admin, edu_reviewer), assigning(edu_leader, edu_leader))
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], Conflict), results
    assert "已被他人分办" in str(errors[0])
    assert MessageEvent.objects.filter(message=message, action="assign").count() == 1


def test_triage_corrects_the_kind_with_a_history_row(edu_unit_admin, message):
    message_set_kind(message=message, by=edu_unit_admin, kind="complaint")
    assert fresh(message).kind == MessageKind.COMPLAINT
    assert MessageEvent.objects.get(message=message, action="kind").note == "咨询 → 投诉"


def test_an_answered_message_keeps_its_kind(edu_unit_admin, message):
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.REPLIED)
    with pytest.raises(ValidationError):
        message_set_kind(message=fresh(message), by=edu_unit_admin, kind="complaint")


# ---------------------------------------------------------------- follow-up and closing


def test_a_replied_message_is_followed_up_then_closed(edu_unit_admin, message):
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.REPLIED)
    message_follow_up(message=fresh(message), by=edu_unit_admin, note="电话回访，群众表示满意")
    assert (fresh(message).status, fresh(message).follow_up_note) == (MessageStatus.FOLLOWED_UP,
                                                                       "电话回访，群众表示满意")
    message_close(message=fresh(message), by=edu_unit_admin)
    states = list(MessageEvent.objects.filter(message=message, action="state").values_list("from_state", "to_state"))
    assert states == [("replied", "followed_up"), ("followed_up", "closed")]


def test_a_follow_up_needs_the_released_reply_and_a_note(edu_unit_admin, message):
    with pytest.raises(ValidationError) as refused:
        message_follow_up(message=message, by=edu_unit_admin, note="已回访")
    assert refused.value.message_dict == {"follow_up_note": ["“待分办”的留言不能回访：须先发布答复。"]}
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.REPLIED)
    with pytest.raises(ValidationError) as refused:
        message_follow_up(message=fresh(message), by=edu_unit_admin, note=" ")
    assert refused.value.message_dict == {"follow_up_note": ["回访时须填写说明。"]}


def test_an_unanswered_message_is_closed_only_with_the_reason(edu_unit_admin, message):
    with pytest.raises(ValidationError) as refused:
        message_close(message=message, by=edu_unit_admin)
    assert refused.value.message_dict == {"closed_reason": ["未答复即办结时须填写说明。"]}
    message_close(message=message, by=edu_unit_admin, reason="广告信息，无需答复")
    assert (fresh(message).status, fresh(message).closed_reason) == (MessageStatus.CLOSED, "广告信息，无需答复")
    with pytest.raises(ValidationError):
        message_close(message=fresh(message), by=edu_unit_admin, reason="再次")


def test_a_close_on_a_stale_page_is_refused_with_the_current_state(edu_unit_admin, message):
    stale = fresh(message)
    message_close(message=message, by=edu_unit_admin, reason="重复留言")
    stale.status = MessageStatus.ASSIGNED
    with pytest.raises(Conflict) as refused:
        message_close(message=stale, by=edu_unit_admin, reason="重复留言")
    assert "当前状态：已办结" in str(refused.value)
