"""The drafts API: a unit's editor writes, edits and submits drafts; another unit's drafts do not exist for them."""

import pytest

from govmedia.audit.models import AuditEntry
from govmedia.publishing.models import Draft, DraftState
from govmedia.publishing.selectors import review_queue
from govmedia.publishing.services.drafts import TITLE_MAX
from tests.api.conftest import call, token_for
from tests.publishing.factories import draft_for

pytestmark = pytest.mark.django_db

DRAFT = {"unit": "区教育和体育局", "title": "秋季开学工作会议召开",
         "body_html": "<p>区教育和体育局召开秋季开学工作会议，部署校园安全工作。</p>"}


def _create(api, token, account, **changes):
    return call(api, "POST", "/api/v1/drafts", token, {**DRAFT, "accounts": [account.pk], **changes})


def test_an_editor_creates_submits_and_the_draft_reaches_the_reviewers_queue(
        api, author_token, assigned_operator, edu_reviewer, edu_weibo):
    created = _create(api, author_token, edu_weibo)
    assert created.status_code == 201
    body = created.json()
    assert created["Location"] == f"/api/v1/drafts/{body['id']}"
    assert (body["state"], body["author"]["id"], body["unit"]["name"]) == ("draft", assigned_operator.pk, "区教育和体育局")
    assert body["current_version"]["number"] == 1 and body["accounts"] == [{"id": edu_weibo.pk, "name": edu_weibo.name}]
    submitted = call(api, "POST", f"/api/v1/drafts/{body['id']}/submit", author_token)
    assert submitted.status_code == 200
    assert submitted.json()["state"] == DraftState.IN_REVIEW and submitted.json()["pending_step"] == "审核员审核"
    assert list(review_queue(edu_reviewer)) == [Draft.objects.get()]


def test_api_writes_are_audited_as_the_tokens_user_on_the_api_channel(api, author_token, assigned_operator, edu_weibo):
    draft_id = _create(api, author_token, edu_weibo).json()["id"]
    entry = AuditEntry.objects.get(object_type="publishing.Draft", object_id=str(draft_id), action="create")
    assert (entry.actor_id, entry.actor_label, entry.channel) == (assigned_operator.pk, "assigned_operator", "api")


def test_the_unit_may_be_named_by_id_or_short_name(api, author_token, edu_weibo, edu):
    assert _create(api, author_token, edu_weibo, unit=edu.pk).status_code == 201
    assert _create(api, author_token, edu_weibo, unit="教体局").status_code == 201


def test_writing_for_another_unit_is_403_and_nothing_is_written(api, author_token, street_weibo):
    response = _create(api, author_token, street_weibo, unit="灵山卫街道")
    assert response.status_code == 403
    assert "无权为该单位撰稿" in response.json()["message"]
    assert not Draft.objects.exists()
    refusal = AuditEntry.objects.get(action="denied", changes__status=403)
    assert (refusal.actor_label, refusal.channel, refusal.object_repr) == ("assigned_operator", "api",
                                                                            "POST /api/v1/drafts")


def test_targeting_an_account_one_does_not_act_for_is_403(api, author_token, edu_weibo, edu_wechat):
    response = _create(api, author_token, edu_weibo, accounts=[edu_weibo.pk, edu_wechat.pk])
    assert response.status_code == 403 and "西海岸教体" in response.json()["message"]
    assert not Draft.objects.exists()


def test_another_units_draft_is_404_to_read_edit_and_submit(api, frozen_clock, street_operator, street_weibo,
                                                             author_token):
    street_weibo.operators.add(street_operator)
    theirs = draft_for(street_operator, street_weibo)
    path = f"/api/v1/drafts/{theirs.pk}"
    assert call(api, "GET", path, author_token).status_code == 404
    assert call(api, "PATCH", path, author_token, {"title": "改标题"}).status_code == 404
    assert call(api, "POST", path + "/submit", author_token).status_code == 404
    assert Draft.objects.get().title == theirs.title and Draft.objects.get().state == DraftState.DRAFT
    assert call(api, "GET", "/api/v1/drafts", author_token).json()["count"] == 0


def test_a_colleague_sees_the_draft_but_only_its_author_edits_or_submits_it(api, author_token, edu_weibo,
                                                                            edu_reviewer):
    draft_id = _create(api, author_token, edu_weibo).json()["id"]
    colleague = token_for(edu_reviewer)
    assert call(api, "GET", f"/api/v1/drafts/{draft_id}", colleague).status_code == 200
    assert call(api, "PATCH", f"/api/v1/drafts/{draft_id}", colleague, {"title": "改"}).status_code == 403
    assert call(api, "POST", f"/api/v1/drafts/{draft_id}/submit", colleague).status_code == 403


def test_each_bad_field_is_named_with_its_value_and_nothing_is_written(api, author_token, edu_weibo):
    response = call(api, "POST", "/api/v1/drafts", author_token, {
        "unit": "不存在的局", "title": "题" * (TITLE_MAX + 1), "body_html": 5, "accounts": [edu_weibo.pk, "x", 99999],
        "origin": "forward", "grade": "urgent", "colour": "red"})
    assert response.status_code == 400
    errors = {e["field"]: e for e in response.json()["errors"]}
    assert set(errors) == {"colour", "unit", "title", "body_html", "accounts[1]", "accounts[2]", "origin", "grade"}
    assert (errors["accounts[2]"]["value"], errors["accounts[2]"]["message"]) == ("99999", "找不到该账号")
    assert errors["unit"]["value"] == "不存在的局" and "找不到该单位" in errors["unit"]["message"]
    assert errors["origin"]["value"] == "forward" and "original（原创）" in errors["origin"]["message"]
    assert errors["body_html"]["value"] == "5" and "字符串" in errors["body_html"]["message"]
    assert f"不能超过 {TITLE_MAX} 个字符" in errors["title"]["message"]
    assert not Draft.objects.exists()


def test_a_services_refusal_names_the_field_and_value(api, author_token, edu_weibo):
    response = _create(api, author_token, edu_weibo, origin="repost")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "source_name", "value": "", "message": "转载须注明来源（第十一条）"}]
    empty = _create(api, author_token, edu_weibo, body_html="<p> </p>")
    assert empty.json()["errors"] == [{"field": "body_html", "value": "<p> </p>", "message": "请填写正文"}]


def test_submitting_without_accounts_is_a_400_naming_accounts(api, author_token, edu_weibo):
    draft_id = _create(api, author_token, edu_weibo, accounts=[]).json()["id"]
    response = call(api, "POST", f"/api/v1/drafts/{draft_id}/submit", author_token, {})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "accounts"


def test_a_patch_edits_only_what_it_names_and_a_grade_mark_raises_the_chain(api, author_token, edu_weibo):
    draft_id = _create(api, author_token, edu_weibo).json()["id"]
    path = f"/api/v1/drafts/{draft_id}"
    response = call(api, "PATCH", path, author_token, {"title": "新标题", "grade": "sensitive"})
    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["body_text"], body["marked_grade"]) == ("新标题", Draft.objects.get().body_text,
                                                                       "sensitive")
    assert call(api, "PATCH", path, author_token, {}).status_code == 400
    submitted = call(api, "POST", path + "/submit", author_token).json()
    assert [s["label"] for s in submitted["steps"]] == ["审核员审核", "单位负责人签发"]


def test_a_draft_in_review_cannot_be_edited_or_resubmitted(api, author_token, edu_weibo):
    draft_id = _create(api, author_token, edu_weibo).json()["id"]
    call(api, "POST", f"/api/v1/drafts/{draft_id}/submit", author_token)
    edit = call(api, "PATCH", f"/api/v1/drafts/{draft_id}", author_token, {"title": "改"})
    assert edit.status_code == 400 and "审核中" in edit.json()["message"] + str(edit.json()["errors"])
    assert call(api, "POST", f"/api/v1/drafts/{draft_id}/submit", author_token).status_code == 400


def test_an_emergency_submission_takes_the_shortened_chain(api, author_token, edu_weibo, edu_leader):
    draft_id = _create(api, author_token, edu_weibo).json()["id"]
    response = call(api, "POST", f"/api/v1/drafts/{draft_id}/submit", author_token,
                    {"emergency_reason": "台风预警，需立即发布停课通知"})
    assert response.json()["emergency"] is True
    assert [s["label"] for s in response.json()["steps"]] == ["紧急发布（单位负责人）"]


def test_findings_come_with_offsets_into_the_checked_text_and_suggestions(api, author_token, edu_weibo):
    body = _create(api, author_token, edu_weibo, body_html="<p>台湾总统发表讲话</p>").json()
    [finding] = [f for f in body["findings"] if f["category"] == "expression_error"]
    assert body["findings_text"] == f"{body['title']}\n台湾总统发表讲话"
    assert body["findings_text"][finding["start"]:finding["end"]] == finding["text"] == "台湾总统"
    assert finding["serious"] is True and finding["accepted"] is False and finding["suggestion"]


def test_the_list_filters_by_state_and_pages(api, author_token, edu_weibo, monkeypatch):
    from govmedia.web import api as web_api

    monkeypatch.setattr(web_api, "PAGE_SIZE", 2)
    ids = [_create(api, author_token, edu_weibo).json()["id"] for _ in range(3)]
    call(api, "POST", f"/api/v1/drafts/{ids[0]}/submit", author_token)
    listed = call(api, "GET", "/api/v1/drafts", author_token).json()
    assert (listed["count"], listed["pages"], len(listed["results"])) == (3, 2, 2)
    second = call(api, "GET", "/api/v1/drafts?page=2", author_token).json()
    assert [d["id"] for d in listed["results"] + second["results"]] == sorted(ids, reverse=True)
    in_review = call(api, "GET", "/api/v1/drafts?state=in_review", author_token).json()
    assert [d["id"] for d in in_review["results"]] == [ids[0]]


@pytest.mark.parametrize(("query", "field"), [("state=sent", "state"), ("page=0", "page"), ("page=x", "page"),
                                              ("page=9", "page"), ("sort=title", "sort"),
                                              ("page=99999999999999999999999", "page")])
def test_a_bad_query_parameter_is_a_400_naming_it(api, author_token, edu_weibo, query, field):
    _create(api, author_token, edu_weibo)
    response = call(api, "GET", f"/api/v1/drafts?{query}", author_token)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
