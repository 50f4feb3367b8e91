"""The messages API: a unit's system enters the public's messages and drafts and submits replies, which go to
the unit's reviewers like any draft; another unit's messages do not exist for it."""

from datetime import date

import pytest

from govmedia.audit.models import AuditEntry
from govmedia.interaction.models import Message, MessageChannel, Reply
from govmedia.interaction.services.messages import message_close
from govmedia.publishing.models import DraftKind, DraftState
from govmedia.publishing.selectors import review_queue
from tests.api.conftest import call, token_for
from tests.interaction.factories import MessageFactory

pytestmark = pytest.mark.django_db

MESSAGE = {"kind": "consultation", "text": "请问今年小学一年级的招生范围有变化吗？",
           "received_at": "2026-03-02T09:30:00+08:00", "sender_name": "张先生", "sender_contact": "13900001111",
           "platform_message_id": "wb-0001"}
REPLY = "您好，今年招生范围与去年相同，详见区教育和体育局网站招生公告。"


def _enter(api, token, account, **changes):
    return call(api, "POST", "/api/v1/messages", token, {**MESSAGE, "account": account.pk, **changes})


def test_a_message_entered_through_the_api_is_recorded_as_such_with_its_deadline(api, author_token, edu_weibo,
                                                                                 assigned_operator):
    response = _enter(api, author_token, edu_weibo)
    assert response.status_code == 201
    body = response.json()
    message = Message.objects.get()
    assert (message.channel, message.created_by, message.account) == (MessageChannel.API, assigned_operator, edu_weibo)
    assert response["Location"] == f"/api/v1/messages/{message.pk}"
    assert (body["status"], body["deadline"], body["overdue"], body["reply"]) == ("new", "2026-03-05", False, None)
    assert body["sender_contact"] == "13900001111"
    entry = AuditEntry.objects.get(object_type="interaction.Message", action="create")
    assert (entry.actor_id, entry.channel) == (assigned_operator.pk, "api")


def test_a_message_without_a_receipt_time_is_received_now(api, author_token, edu_weibo, frozen_clock):
    assert _enter(api, author_token, edu_weibo, received_at=None).status_code == 201
    assert Message.objects.get().received_at == frozen_clock.current


def test_entering_a_message_for_another_units_account_is_403(api, author_token, street_weibo):
    response = _enter(api, author_token, street_weibo)
    assert response.status_code == 403 and "灵山卫发布" in response.json()["message"]
    assert not Message.objects.exists()


def test_each_bad_field_is_named_with_its_value(api, author_token, edu_weibo):
    response = call(api, "POST", "/api/v1/messages", author_token, {
        "account": 0, "kind": "praise", "text": "", "received_at": "2026-03-02 09:30", "sender_name": "名" * 41})
    assert response.status_code == 400
    errors = {e["field"]: e for e in response.json()["errors"]}
    assert set(errors) == {"account", "kind", "text", "received_at", "sender_name"}
    assert errors["kind"]["value"] == "praise" and "consultation（咨询）" in errors["kind"]["message"]
    assert errors["received_at"]["value"] == "2026-03-02 09:30" and "时区" in errors["received_at"]["message"]
    assert not Message.objects.exists()


def test_a_receipt_time_in_the_future_and_a_repeated_platform_id_are_named(api, author_token, edu_weibo):
    late = _enter(api, author_token, edu_weibo, received_at="2026-03-09T09:30:00+08:00")
    assert late.json()["errors"] == [{"field": "received_at", "value": "2026-03-09T09:30:00+08:00",
                                      "message": "收到时间不能晚于当前时间。"}]
    assert _enter(api, author_token, edu_weibo).status_code == 201
    again = _enter(api, author_token, edu_weibo)
    assert again.status_code == 400 and again.json()["errors"][0]["field"] == "platform_message_id"


def test_another_units_message_is_404_to_read_and_reply(api, author_token, street_weibo, frozen_clock):
    theirs = MessageFactory(account=street_weibo)
    assert call(api, "GET", f"/api/v1/messages/{theirs.pk}", author_token).status_code == 404
    response = call(api, "POST", f"/api/v1/messages/{theirs.pk}/reply", author_token, {"text": REPLY})
    assert response.status_code == 404
    assert not Reply.objects.exists()
    assert call(api, "GET", "/api/v1/messages", author_token).json()["count"] == 0


def test_a_reply_submitted_through_the_api_reaches_the_reviewers_queue(api, author_token, edu_weibo, edu_reviewer,
                                                                        assigned_operator):
    message_id = _enter(api, author_token, edu_weibo).json()["id"]
    saved = call(api, "POST", f"/api/v1/messages/{message_id}/reply", author_token, {"text": REPLY})
    assert saved.status_code == 200
    assert (saved.json()["reply"]["state"], saved.json()["reply"]["text"]) == ("draft", REPLY)
    assert list(review_queue(edu_reviewer)) == []
    submitted = call(api, "POST", f"/api/v1/messages/{message_id}/reply", author_token, {"submit": True})
    reply = submitted.json()["reply"]
    assert submitted.status_code == 200 and (reply["state"], reply["draft_state"]) == ("in_review", "in_review")
    [queued] = review_queue(edu_reviewer)
    assert queued.pk == reply["draft_id"] and queued.kind == DraftKind.REPLY
    draft = call(api, "GET", f"/api/v1/drafts/{reply['draft_id']}", author_token).json()
    assert draft["kind"] == "reply" and draft["pending_step"] == "审核员审核"


def test_a_reply_is_saved_and_submitted_in_one_request_or_not_at_all(api, author_token, edu_weibo, edu_reviewer,
                                                                      edu_leader, monkeypatch):
    message_id = _enter(api, author_token, edu_weibo).json()["id"]
    edu_reviewer.is_active = edu_leader.is_active = False  # nobody left to review it
    edu_reviewer.save()
    edu_leader.save()
    refused = call(api, "POST", f"/api/v1/messages/{message_id}/reply", author_token, {"text": REPLY, "submit": True})
    assert refused.status_code == 400
    assert not Reply.objects.exists()


def test_a_reply_draft_is_changed_through_its_message_not_the_drafts_api(api, author_token, edu_weibo):
    message_id = _enter(api, author_token, edu_weibo).json()["id"]
    draft_id = call(api, "POST", f"/api/v1/messages/{message_id}/reply", author_token,
                    {"text": REPLY}).json()["reply"]["draft_id"]
    edit = call(api, "PATCH", f"/api/v1/drafts/{draft_id}", author_token, {"title": "改"})
    assert edit.status_code == 409 and f"/api/v1/messages/{message_id}/reply" in edit.json()["message"]
    assert call(api, "POST", f"/api/v1/drafts/{draft_id}/submit", author_token).status_code == 409
    assert Reply.objects.get().draft.state == DraftState.DRAFT


@pytest.mark.parametrize(("body", "field"), [({}, "text"), ({"text": " "}, "text"), ({"submit": "yes"}, "submit"),
                                             ({"text": "答" * 5001}, "text"), ({"submit": True}, "text"),
                                             ({"reply": REPLY}, "reply")])
def test_a_bad_reply_request_is_a_400_naming_the_field(api, author_token, edu_weibo, body, field):
    message_id = _enter(api, author_token, edu_weibo).json()["id"]
    response = call(api, "POST", f"/api/v1/messages/{message_id}/reply", author_token, body)
    assert response.status_code == 400 and field in [e["field"] for e in response.json()["errors"]]
    assert not Reply.objects.exists()


def test_a_closed_message_takes_no_reply(api, author_token, edu_weibo, assigned_operator):
    message_id = _enter(api, author_token, edu_weibo).json()["id"]
    message_close(message=Message.objects.get(), by=assigned_operator, reason="重复留言")
    response = call(api, "POST", f"/api/v1/messages/{message_id}/reply", author_token, {"text": REPLY})
    assert response.status_code == 400 and not Reply.objects.exists()
    assert response.json()["errors"] == [{"field": "text", "value": REPLY, "message": "“已办结”的留言不能再撰写答复。"}]


def test_the_list_filters_by_status_account_and_overdue(api, frozen_clock, author_token, edu_weibo, edu_unit_admin,
                                                        edu_wechat):
    late = MessageFactory(account=edu_weibo, received_at=frozen_clock.current)  # Monday: due Thursday 5 March
    thursday = frozen_clock.set(date(2026, 3, 5))
    fresh = MessageFactory(account=edu_weibo, received_at=thursday)
    other = MessageFactory(account=edu_wechat, received_at=thursday)
    frozen_clock.set(date(2026, 3, 6))
    admin = token_for(edu_unit_admin)

    def ids(query):
        response = call(api, "GET", f"/api/v1/messages?{query}", admin)
        assert response.status_code == 200
        return [m["id"] for m in response.json()["results"]]

    assert ids("") == [other.pk, fresh.pk, late.pk]
    assert ids("overdue=true") == [late.pk] and ids("overdue=false") == [other.pk, fresh.pk]
    assert ids(f"account={edu_wechat.pk}") == [other.pk]
    assert ids("status=new") == [other.pk, fresh.pk, late.pk] and ids("status=replied") == []
    detail = call(api, "GET", f"/api/v1/messages/{late.pk}", admin).json()
    assert (detail["deadline"], detail["overdue"]) == ("2026-03-05", True)
    assert [m["id"] for m in call(api, "GET", "/api/v1/messages", author_token).json()["results"]] == [fresh.pk,
                                                                                                      late.pk]


@pytest.mark.parametrize(("query", "field"), [("status=open", "status"), ("overdue=yes", "overdue"),
                                              ("account=x", "account"), ("page=2", "page"), ("q=1", "q")])
def test_a_bad_query_parameter_is_a_400_naming_it(api, author_token, query, field):
    response = call(api, "GET", f"/api/v1/messages?{query}", author_token)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == field
