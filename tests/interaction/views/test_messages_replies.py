"""The reply on the message's page, through the publishing review engine: saved as a draft, submitted by its
last writer, shown in review with a link to the review page, returned with the reviewer's comment, released
once approved (which answers the message); every refusal a message on the page, never a 500."""

import pytest
from django.urls import reverse

from govmedia.interaction.models import MessageStatus, Reply, ReplyState
from govmedia.interaction.services.replies import reply_save_draft, reply_submit
from govmedia.publishing.models import DraftState
from govmedia.publishing.services.review import review_approve, review_reject
from tests.interaction.views.helpers import client_for, detail, msg, refusals, said
from tests.registry.services.helpers import fresh

pytestmark = pytest.mark.django_db

TEXT = "今年招生范围与去年相同，详见教体局官网公告。"


@pytest.fixture
def message(frozen_clock, edu_weibo):
    return msg(edu_weibo, text="请问第一小学今年的招生范围是否有变化？")


@pytest.fixture
def submitted(message, assigned_operator):
    return reply_submit(reply=reply_save_draft(message=message, by=assigned_operator, text=TEXT),
                        by=assigned_operator)


@pytest.fixture
def approved(submitted, edu_reviewer):
    review_approve(draft=fresh(submitted).draft, by=edu_reviewer)
    return fresh(submitted)


def post(client, name, message, data=None):
    return client.post(reverse(f"interaction:{name}", args=[message.pk]), data or {})


def page_of(client, message) -> str:
    return client.get(detail(message)).content.decode()


def test_a_reply_is_saved_then_submitted_and_shown_in_review_with_its_review_page(message, assigned_operator):
    client = client_for(assigned_operator)
    response = post(client, "message_reply", message, {"text": TEXT})
    assert "答复草稿已保存。" in said(response)
    page = page_of(client, message)
    assert 'id="reply-submit-form"' in page and TEXT in page and "草稿" in page
    response = post(client, "message_reply_submit", message)
    assert "答复已提交审核。" in said(response)
    reply = Reply.objects.get()
    assert reply.state == ReplyState.IN_REVIEW
    page = page_of(client, message)
    assert f'<a href="{reverse("publishing:review", args=[reply.draft_id])}" id="review-link">' in page
    assert 'id="reply-form"' not in page and 'id="reply-release-form"' not in page and "答复提交审核" in page


def test_an_approved_reply_is_released_and_answers_the_message(frozen_clock, approved, message, assigned_operator):
    client = client_for(assigned_operator)
    assert 'id="reply-release-form"' in page_of(client, message)
    response = post(client, "message_reply_release", message)
    assert "答复已发布，留言已答复。" in said(response)
    assert (fresh(message).status, fresh(message).replied_at) == (MessageStatus.REPLIED, frozen_clock.current)
    assert fresh(approved).state == ReplyState.RELEASED
    page = page_of(client, message)
    assert 'id="reply-release-form"' not in page and 'id="follow-up-form"' in page and "已发布" in page


def test_a_second_release_from_a_stale_page_is_told(approved, message, assigned_operator, edu_unit_admin):
    post(client_for(assigned_operator), "message_reply_release", message)
    response = post(client_for(edu_unit_admin), "message_reply_release", message)
    assert response.status_code == 302 and "不能发布" in said(response)
    assert fresh(approved).released_by == assigned_operator


def test_the_units_operator_releasing_a_reply_in_review_is_refused(submitted, message, edu_unit_admin):
    response = post(client_for(edu_unit_admin), "message_reply_release", message)
    assert "“审核中”的答复不能发布：须先审核通过。" in said(response)
    assert (fresh(message).status, fresh(submitted).draft.state) == (MessageStatus.NEW, DraftState.IN_REVIEW)


def test_releasing_a_draft_never_submitted_is_refused(message, assigned_operator):
    reply_save_draft(message=message, by=assigned_operator, text=TEXT)
    response = post(client_for(assigned_operator), "message_reply_release", message)
    assert "须先审核通过" in said(response) and fresh(message).status == MessageStatus.NEW


def test_a_returned_reply_shows_the_comment_and_is_edited_and_resubmitted(submitted, message, assigned_operator,
                                                                          edu_reviewer):
    review_reject(draft=fresh(submitted).draft, by=edu_reviewer, comment="请补充报名网址")
    client = client_for(assigned_operator)
    page = page_of(client, message)
    assert "请补充报名网址" in page and 'id="reply-form"' in page and "已退回" in page
    post(client, "message_reply", message, {"text": TEXT + "报名网址：https://edu.example.cn"})
    response = post(client, "message_reply_submit", message)
    assert "答复已提交审核。" in said(response)
    draft = fresh(submitted).draft
    assert (draft.state, draft.round) == (DraftState.IN_REVIEW, 2)
    assert "答复被退回" in page_of(client, message)


def test_a_reply_drafts_page_links_to_its_message(submitted, message, assigned_operator):
    page = client_for(assigned_operator).get(reverse("publishing:draft_detail", args=[submitted.draft_id]))
    assert f'id="reply-message" href="{detail(message)}"' in page.content.decode()


def test_only_the_last_writer_submits_the_reply(message, assigned_operator, edu_unit_admin):
    reply = reply_save_draft(message=message, by=assigned_operator, text=TEXT)
    client = client_for(edu_unit_admin)
    page = page_of(client, message)
    assert 'id="reply-submit-form"' not in page and "提交审核；您保存修改后即可提交" in page
    response = post(client, "message_reply_submit", message)  # crafted
    assert "答复由最后修改它的人提交审核" in said(response)
    assert fresh(reply).draft.state == DraftState.DRAFT
    [entry] = refusals()
    assert entry.actor == edu_unit_admin


def test_an_empty_reply_is_refused_with_a_message(message, assigned_operator):
    response = post(client_for(assigned_operator), "message_reply", message, {"text": "  "})
    assert "答复内容不能为空。" in said(response) and not Reply.objects.exists()


def test_submitting_before_any_reply_is_saved_is_told(message, assigned_operator):
    response = post(client_for(assigned_operator), "message_reply_submit", message)
    assert "请先撰写并保存答复" in said(response) and not Reply.objects.exists()


def test_a_reply_cannot_be_rewritten_while_in_review(submitted, message, assigned_operator):
    response = post(client_for(assigned_operator), "message_reply", message, {"text": "改一下"})
    assert "不能再修改" in said(response) and fresh(submitted).text == TEXT


@pytest.mark.parametrize("outsider", ["street_operator", "street_unit_admin", "edu_operator"])
@pytest.mark.parametrize(("name", "data"), [("message_reply_release", {}), ("message_reply_submit", {}),
                                            ("message_reply", {"text": "外单位改写"})])
def test_an_outsider_cannot_touch_another_units_reply(request, approved, message, outsider, name, data):
    user = request.getfixturevalue(outsider)
    assert post(client_for(user), name, message, data).status_code == 404
    reply = fresh(approved)
    assert (reply.state, reply.text, fresh(message).status) == (ReplyState.APPROVED, TEXT, MessageStatus.NEW)
    assert [e.actor for e in refusals()] == [user]
