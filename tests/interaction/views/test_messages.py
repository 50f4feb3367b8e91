"""待答复留言 through HTTP: the scoped list with its computed deadlines, overdue badges and filters; one message
with its history; triage (a new kind moves the shown deadline), assignment (a stale page is told, not
overwritten), follow-up and closing; and every step crafted against another unit's message refused."""

from datetime import date

import pytest
from django.urls import reverse

from govmedia.interaction.models import Message, MessageEvent, MessageKind, MessageStatus, Reply
from govmedia.interaction.services.messages import message_assign
from tests.interaction.views.helpers import client_for, detail, msg, refusals, said
from tests.registry.services.helpers import fresh

pytestmark = pytest.mark.django_db

LIST = reverse("interaction:messages")
OLD = date(2026, 1, 5)  # a consultation received then was due 2026-01-08: overdue on the frozen 2026-03-02


@pytest.fixture
def message(frozen_clock, edu_weibo):
    return msg(edu_weibo, text="请问第一小学今年的招生范围是否有变化？")


@pytest.fixture
def street_message(frozen_clock, street_weibo):
    return msg(street_weibo, text="灵山卫的路灯坏了", sender_contact="13811112222")


def rows(response) -> list[str]:
    return [m.text for m in response.context["page"]]


def post(client, name, message, data):
    return client.post(reverse(name, args=[message.pk]), data)


def test_the_list_shows_the_units_own_messages_with_their_deadline(edu_unit_admin, message, street_message):
    response = client_for(edu_unit_admin).get(LIST)
    page = response.content.decode()
    assert rows(response) == [message.text]
    assert "灵山卫的路灯坏了" not in page and "13811112222" not in page
    assert "2026-03-05" in page and "待分办" in page and "逾期" not in page.split('id="message-rows"')[1]


def test_an_overdue_message_carries_the_badge(frozen_clock, edu_unit_admin, edu_weibo):
    msg(edu_weibo, OLD, text="很久以前的咨询")
    page = client_for(edu_unit_admin).get(LIST).content.decode()
    assert "2026-01-08" in page and '<span class="badge badge-danger">逾期</span>' in page


def test_the_overdue_filter_keeps_only_the_overdue_ones(frozen_clock, edu_unit_admin, edu_weibo, message):
    late = msg(edu_weibo, OLD, text="很久以前的咨询")
    msg(edu_weibo, OLD, text="很久以前但已办结", status=MessageStatus.CLOSED)
    assert rows(client_for(edu_unit_admin).get(LIST, {"overdue": "1"})) == [late.text]


def test_by_default_staff_see_the_messages_waiting_for_them_or_for_nobody(frozen_clock, edu_unit_admin,
                                                                         edu_reviewer, edu_weibo, message):
    mine = msg(edu_weibo, text="分给我的", assignee=edu_reviewer, status=MessageStatus.ASSIGNED)
    msg(edu_weibo, text="分给别人的", assignee=edu_unit_admin, status=MessageStatus.ASSIGNED)
    msg(edu_weibo, text="已答复的", assignee=edu_reviewer, status=MessageStatus.REPLIED)
    msg(edu_weibo, text="已办结的", status=MessageStatus.CLOSED)
    client = client_for(edu_reviewer)
    assert sorted(rows(client.get(LIST))) == sorted([message.text, mine.text])
    assert len(rows(client.get(LIST, {"assignee": "all"}))) == 3
    assert len(rows(client.get(LIST, {"status": "active"}))) == 3
    assert rows(client.get(LIST, {"assignee": "mine"})) == [mine.text]
    assert rows(client.get(LIST, {"assignee": "pool"})) == [message.text]
    assert len(rows(client.get(LIST, {"assignee": "all", "status": "all"}))) == 5
    assert rows(client.get(LIST, {"assignee": "all", "status": "closed"})) == ["已办结的"]


def test_by_default_unit_admins_and_supervisors_see_every_message_waiting_for_its_answer(
        frozen_clock, edu_unit_admin, supervisor, edu_reviewer, edu_weibo, message, street_message):
    others = msg(edu_weibo, text="分给别人的", assignee=edu_reviewer, status=MessageStatus.ASSIGNED)
    msg(edu_weibo, text="已答复的", assignee=edu_reviewer, status=MessageStatus.REPLIED)
    assert sorted(rows(client_for(edu_unit_admin).get(LIST))) == sorted([message.text, others.text])
    assert sorted(rows(client_for(supervisor).get(LIST))) == sorted([message.text, others.text, street_message.text])


def test_the_kind_and_account_filters(frozen_clock, edu_unit_admin, edu_weibo, edu_wechat, message):
    complaint = msg(edu_wechat, kind=MessageKind.COMPLAINT, text="投诉公众号")
    client = client_for(edu_unit_admin)
    assert rows(client.get(LIST, {"kind": "complaint"})) == [complaint.text]
    assert rows(client.get(LIST, {"account": edu_weibo.pk})) == [message.text]


@pytest.mark.parametrize("query", [{"status": "nope"}, {"account": "9" * 30}, {"kind": "x"}])
def test_a_bad_filter_value_is_ignored_with_a_warning(edu_unit_admin, message, query):
    response = client_for(edu_unit_admin).get(LIST, query)
    assert response.status_code == 200 and "无效，已忽略" in said(response) and rows(response) == [message.text]


def test_an_operator_sees_the_messages_of_the_accounts_assigned_to_them_only(frozen_clock, assigned_operator,
                                                                            edu_operator, edu_wechat, message):
    msg(edu_wechat, text="公众号的留言")
    assert rows(client_for(assigned_operator).get(LIST)) == [message.text]
    assert rows(client_for(edu_operator).get(LIST)) == []
    assert client_for(edu_operator).get(detail(message)).status_code == 404


def test_the_list_is_paginated_oldest_first(frozen_clock, edu_unit_admin, edu_weibo):
    first = msg(edu_weibo, OLD, text="最早的留言")
    for _ in range(50):
        msg(edu_weibo)
    client = client_for(edu_unit_admin)
    response = client.get(LIST)
    assert len(rows(response)) == 50 and rows(response)[0] == first.text
    assert "第 1 / 2 页" in response.content.decode() and len(rows(client.get(LIST, {"page": 2}))) == 1


def test_the_supervisor_sees_every_units_messages(supervisor, message, street_message):
    assert len(rows(client_for(supervisor).get(LIST))) == 2


def test_the_pages_require_a_login(client, message):
    for url in (LIST, detail(message)):
        assert client.get(url).status_code == 302


def test_the_detail_shows_the_message_its_sender_deadline_and_history(edu_unit_admin, message):
    response = client_for(edu_unit_admin).get(detail(message))
    page = response.content.decode()
    assert message.text in page and "13900001111" in page and "张先生" in page
    assert "2026-03-05" in page and 'id="kind-form"' in page and 'id="assign-form"' in page
    assert 'id="reply-form"' in page and 'id="close-form"' in page and 'id="follow-up-form"' not in page


def test_another_units_message_is_not_found(edu_unit_admin, street_message):
    assert client_for(edu_unit_admin).get(detail(street_message)).status_code == 404


def test_changing_the_kind_recomputes_and_shows_the_deadline(edu_unit_admin, message):
    client = client_for(edu_unit_admin)
    response = post(client, "interaction:message_kind", message, {"kind": "suggestion"})
    assert "类型已改为“建议”，答复期限为 2026-03-16。" in said(response)
    assert fresh(message).kind == MessageKind.SUGGESTION
    page = client.get(detail(message)).content.decode()
    assert "2026-03-16" in page and "咨询 → 建议" in page


def test_assigning_through_the_page_records_the_history(edu_unit_admin, edu_reviewer, message):
    client = client_for(edu_unit_admin)
    response = post(client, "interaction:message_assign", message,
                    {"assignee": edu_reviewer.pk, "seen_assignee": ""})
    assert "已分办给 钱审核" in said(response)
    assert (fresh(message).assignee, fresh(message).status) == (edu_reviewer, MessageStatus.ASSIGNED)
    assert "待分办 → 已分办" in client.get(detail(message)).content.decode()


def test_assigning_from_a_stale_page_is_told_and_keeps_the_other_assignment(edu_unit_admin, edu_leader,
                                                                             edu_reviewer, message):
    message_assign(message=message, by=edu_leader, assignee=edu_leader)  # while the page was open
    response = post(client_for(edu_unit_admin), "interaction:message_assign", message,
                    {"assignee": edu_reviewer.pk, "seen_assignee": ""})
    assert response.status_code == 302
    assert "承办人已被他人修改" in said(response) and fresh(message).assignee == edu_leader


def test_assigning_to_someone_of_another_unit_is_refused(edu_unit_admin, street_leader, message):
    response = post(client_for(edu_unit_admin), "interaction:message_assign", message,
                    {"assignee": street_leader.pk, "seen_assignee": ""})
    assert "承办人" in said(response) and fresh(message).assignee is None


def test_an_answered_message_says_its_status_once_where_kind_and_assignee_are_locked(frozen_clock, edu_unit_admin,
                                                                                     edu_weibo):
    replied = msg(edu_weibo, status=MessageStatus.REPLIED, replied_at=frozen_clock.current)
    page = client_for(edu_unit_admin).get(detail(replied)).content.decode()
    assert "留言已答复，不能再变更类型或分办。" in page and "已已" not in page


def test_the_assignee_choices_are_the_people_acting_for_the_account_not_a_bare_system_login(
        edu_unit_admin, edu_reviewer, assigned_operator, edu_operator, street_leader, supervisor, message):
    from govmedia.orgs.models import User

    admin = User.objects.create_superuser("admin", "admin@example.org", "x")
    choices = set(client_for(edu_unit_admin).get(detail(message)).context["assign_form"].fields["assignee"].queryset)
    assert {edu_unit_admin, edu_reviewer, assigned_operator} <= choices
    assert admin not in choices and street_leader not in choices and edu_operator not in choices
    assert (supervisor in choices) == (supervisor.person_id is not None)


def test_assigning_to_the_accounts_operator_is_allowed_and_to_a_bare_system_login_refused(
        edu_unit_admin, assigned_operator, message):
    from govmedia.orgs.models import User

    client = client_for(edu_unit_admin)
    post(client, "interaction:message_assign", message, {"assignee": assigned_operator.pk, "seen_assignee": ""})
    assert fresh(message).assignee == assigned_operator
    admin = User.objects.create_superuser("admin", "admin@example.org", "x")
    response = post(client, "interaction:message_assign", message,
                    {"assignee": admin.pk, "seen_assignee": assigned_operator.pk})
    assert "承办人" in said(response) and fresh(message).assignee == assigned_operator


def test_closing_an_unanswered_message_needs_a_reason(edu_unit_admin, message):
    client = client_for(edu_unit_admin)
    response = post(client, "interaction:message_close", message, {"closed_reason": ""})
    assert "未答复即办结时须填写说明。" in said(response) and fresh(message).status == MessageStatus.NEW
    response = post(client, "interaction:message_close", message, {"closed_reason": "重复留言"})
    assert "留言已办结。" in said(response)
    assert (fresh(message).status, fresh(message).closed_reason) == (MessageStatus.CLOSED, "重复留言")
    page = client.get(detail(message)).content.decode()
    assert 'id="close-form"' not in page and 'id="kind-form"' not in page and 'id="reply-form"' not in page


def test_a_follow_up_before_the_reply_is_refused_with_a_message(edu_unit_admin, message):
    response = post(client_for(edu_unit_admin), "interaction:message_follow_up", message,
                    {"follow_up_note": "已电话回访"})
    assert "须先发布答复" in said(response) and fresh(message).status == MessageStatus.NEW


def test_a_follow_up_after_the_reply_is_recorded(frozen_clock, edu_unit_admin, edu_weibo):
    replied = msg(edu_weibo, status=MessageStatus.REPLIED, replied_at=frozen_clock.current)
    client = client_for(edu_unit_admin)
    assert 'id="follow-up-form"' in client.get(detail(replied)).content.decode()
    response = post(client, "interaction:message_follow_up", replied, {"follow_up_note": "已电话回访，问题已解决"})
    assert "已记录回访情况。" in said(response)
    assert (fresh(replied).status, fresh(replied).follow_up_note) == (MessageStatus.FOLLOWED_UP, "已电话回访，问题已解决")


def test_changing_the_kind_of_a_closed_message_is_refused_with_a_message(frozen_clock, edu_unit_admin, edu_weibo):
    closed = msg(edu_weibo, status=MessageStatus.CLOSED)
    response = post(client_for(edu_unit_admin), "interaction:message_kind", closed, {"kind": "complaint"})
    assert "不能再变更类型" in said(response) and fresh(closed).kind == MessageKind.CONSULTATION


STEPS = [
    ("interaction:message_kind", {"kind": "complaint"}),
    ("interaction:message_assign", {"assignee": "ASSIGNEE", "seen_assignee": ""}),
    ("interaction:message_follow_up", {"follow_up_note": "回访"}),
    ("interaction:message_close", {"closed_reason": "无效信息"}),
    ("interaction:message_reply", {"text": "外单位的答复"}),
    ("interaction:message_reply_submit", {}),
    ("interaction:message_reply_release", {}),
]


@pytest.mark.parametrize(("name", "data"), STEPS)
@pytest.mark.parametrize("outsider", ["street_operator", "street_unit_admin", "edu_operator"])
def test_a_crafted_post_on_a_message_the_user_cannot_see_is_refused_and_audited(request, message, street_leader,
                                                                                name, data, outsider):
    user = request.getfixturevalue(outsider)
    data = {k: (street_leader.pk if v == "ASSIGNEE" else v) for k, v in data.items()}
    response = post(client_for(user), name, message, data)
    assert response.status_code == 404
    stored = fresh(message)
    assert (stored.status, stored.kind, stored.assignee, stored.closed_reason) == (
        MessageStatus.NEW, MessageKind.CONSULTATION, None, "")
    assert not Reply.objects.exists()
    assert MessageEvent.objects.filter(message=message).count() == 0
    [entry] = refusals()
    assert entry.actor == user and entry.object_repr.startswith("POST /interaction/messages/")


def test_the_steps_accept_posts_only(edu_unit_admin, message):
    for name, _data in STEPS:
        assert client_for(edu_unit_admin).get(reverse(name, args=[message.pk])).status_code == 405
    assert Message.objects.get().status == MessageStatus.NEW
