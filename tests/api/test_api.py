"""How the API speaks (web.api): a personal token or nothing, the token's user's rights exactly, a budget per
token, JSON bodies within a cap, and every refusal as Chinese JSON naming field and value."""

from datetime import datetime

import pytest
from django.test import Client

from govmedia.audit.models import AuditEntry
from govmedia.monitoring.api import throttle
from govmedia.monitoring.services.tokens import token_issue
from govmedia.orgs.api_tokens import api_token_revoke
from govmedia.orgs.models import ApiToken
from govmedia.publishing.models import Draft
from govmedia.web import api as web_api
from tests.api.conftest import call, token_for
from tests.conftest import BEIJING

pytestmark = pytest.mark.django_db

DRAFT = {"unit": "区教育和体育局", "title": "秋季开学工作会议召开",
         "body_html": "<p>区教育和体育局召开秋季开学工作会议，部署校园安全工作。</p>"}


@pytest.mark.parametrize("authorization", [None, "Basic Z206c2VjcmV0", "Bearer ", "Bearer gmu_not-a-real-token",
                                           "Bearer " + "gmu_" + "x" * 5000, "Token gmu_x"])
def test_a_missing_or_unknown_token_is_401_in_chinese(api, author_token, authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization is not None else {}
    response = call(api, "GET", "/api/v1/drafts", None, **headers)
    assert response.status_code == 401
    assert "令牌" in response.json()["message"] and response["WWW-Authenticate"].startswith("Bearer")


def test_a_push_token_of_an_account_opens_nothing_here(api, frozen_clock, edu_weibo, edu_unit_admin):
    push = token_issue(account=edu_weibo, name="", by=edu_unit_admin, now=frozen_clock.current)[1]
    assert call(api, "GET", "/api/v1/drafts", push).status_code == 401


def test_a_revoked_token_is_401_and_the_attempt_audited(api, author_token, assigned_operator, edu_weibo):
    api_token_revoke(token=ApiToken.objects.get(), by=assigned_operator)
    response = call(api, "POST", "/api/v1/drafts", author_token, {**DRAFT, "accounts": [edu_weibo.pk]})
    assert response.status_code == 401
    assert not Draft.objects.exists()
    assert AuditEntry.objects.filter(action="denied", changes__status=401).exists()


def test_a_deactivated_users_tokens_stop_working_and_work_again_when_reactivated(api, author_token,
                                                                                   assigned_operator):
    assigned_operator.is_active = False
    assigned_operator.save()
    assert call(api, "GET", "/api/v1/drafts", author_token).status_code == 401
    assigned_operator.is_active = True
    assigned_operator.save()
    assert call(api, "GET", "/api/v1/drafts", author_token).status_code == 200


def test_a_logged_in_session_without_a_token_opens_nothing(assigned_operator, edu_weibo, frozen_clock):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(assigned_operator)
    assert browser.get("/api/v1/drafts").status_code == 401
    response = call(browser, "POST", "/api/v1/drafts", None, {**DRAFT, "accounts": [edu_weibo.pk]})
    assert response.status_code == 401 and not Draft.objects.exists()


def test_a_token_needs_no_csrf_token_and_the_answer_sets_no_cookie(api, author_token, edu_weibo):
    response = call(api, "POST", "/api/v1/drafts", author_token, {**DRAFT, "accounts": [edu_weibo.pk]})
    assert response.status_code == 201 and not response.cookies
    assert response["Cache-Control"] == "no-store"


def test_a_token_acts_with_exactly_its_users_rights(api, frozen_clock, street_reviewer, edu_weibo):
    """A token of another unit's reviewer: its user may not write for edu, so neither may the token."""
    response = call(api, "POST", "/api/v1/drafts", token_for(street_reviewer), {**DRAFT, "accounts": [edu_weibo.pk]})
    assert response.status_code == 403 and not Draft.objects.exists()


def test_the_token_is_marked_used(api, author_token, frozen_clock):
    call(api, "GET", "/api/v1/drafts", author_token)
    assert ApiToken.objects.get().last_used_at == frozen_clock.current


def test_requests_over_the_per_token_rate_answer_429_with_retry_after(api, author_token, frozen_clock, monkeypatch,
                                                                      assigned_operator):
    monkeypatch.setattr(throttle, "REQUESTS_PER_MINUTE", 3)
    frozen_clock.set(datetime(2026, 3, 2, 10, 0, 15, tzinfo=BEIJING))
    assert [call(api, "GET", "/api/v1/drafts", author_token).status_code for _ in range(3)] == [200] * 3
    response = call(api, "GET", "/api/v1/drafts", author_token)
    assert response.status_code == 429 and response["Retry-After"] == "45"
    assert "请求过于频繁" in response.json()["errors"][0]["message"]
    assert call(api, "GET", "/api/v1/drafts", token_for(assigned_operator, "另一个")).status_code == 200
    frozen_clock.set(datetime(2026, 3, 2, 10, 1, 0, tzinfo=BEIJING))
    assert call(api, "GET", "/api/v1/drafts", author_token).status_code == 200


def test_the_api_and_push_budgets_of_tokens_with_the_same_id_are_apart(api, author_token, frozen_clock, monkeypatch):
    monkeypatch.setattr(throttle, "REQUESTS_PER_MINUTE", 1)
    token_id = ApiToken.objects.get().pk
    assert throttle.seconds_to_wait(token_id, now=frozen_clock.current) == 0  # a push token numbered the same
    assert call(api, "GET", "/api/v1/drafts", author_token).status_code == 200


def test_a_body_over_the_cap_is_413_and_unread(api, author_token, edu_weibo, monkeypatch):
    monkeypatch.setattr(web_api, "MAX_BODY_BYTES", 1000)
    response = call(api, "POST", "/api/v1/drafts", author_token,
                    {**DRAFT, "body_html": "<p>" + "长" * 1000 + "</p>", "accounts": [edu_weibo.pk]})
    assert response.status_code == 413 and "请求体超过" in response.json()["message"]
    assert not Draft.objects.exists()


@pytest.mark.parametrize(("body", "message"), [
    (b"{not json", "JSON 格式错误，位于第 1 行第 2 列"),
    (b'{"title": NaN}', "NaN"),
    (b"[" * 100_000 + b"]" * 100_000, "嵌套过深"),
    (b'{"title": "\xff\xfe"}', "UTF-8"),
    (b'["title"]', "JSON 对象"),
    (b"  ", "JSON 格式错误"),
])
def test_a_body_that_is_not_a_json_object_is_a_400_in_chinese(api, author_token, body, message):
    response = call(api, "POST", "/api/v1/drafts", author_token, body)
    assert response.status_code == 400
    assert message in response.json()["errors"][0]["message"]


def test_a_body_not_declared_json_is_415(api, author_token):
    response = call(api, "POST", "/api/v1/drafts", author_token, "title=x",
                    content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415 and "application/json" in response.json()["message"]


def test_nul_in_a_string_is_named_not_stored(api, author_token, edu_weibo):
    response = call(api, "POST", "/api/v1/drafts", author_token, {**DRAFT, "title": "标\u0000题"})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "title"
    assert "NUL" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(("method", "path", "allowed"), [("delete", "/api/v1/drafts", "GET, POST"),
                                                          ("put", "/api/v1/drafts/1", "GET, PATCH"),
                                                          ("get", "/api/v1/drafts/1/submit", "POST")])
def test_other_methods_answer_405_with_allow(api, author_token, method, path, allowed):
    response = getattr(api, method)(path, HTTP_AUTHORIZATION=f"Bearer {author_token}")
    assert response.status_code == 405 and response["Allow"] == allowed


@pytest.mark.parametrize("path", ["/api/v1/drafts/99999999999999999999999", "/api/v1/messages/99999999999999999999999",
                                  "/api/v1/messages?account=9223372036854775808"])
def test_an_id_beyond_any_database_is_a_4xx_not_a_500(api, author_token, path):
    assert call(api, "GET", path, author_token).status_code in (400, 404)


ODD_VALUES = [None, True, -1, 0, 1.5, 10**30, "", " ", "\x00", "9" * 40, [], [None], [10**30], {}, {"a": 1},
              "2026-02-30T25:00:00+08:00", "9999-12-31T23:59:00-14:00"]


@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_no_value_in_any_field_makes_a_500(api, author_token, edu_weibo, value):
    """Each field of each body, given values of every JSON type and edge: an answer, never a server error
    (the test client raises on one)."""
    from govmedia.interaction.api.payload import CREATE_FIELDS as MESSAGE_FIELDS
    from govmedia.interaction.api.payload import REPLY_FIELDS
    from govmedia.publishing.api.payload import CREATE_FIELDS as DRAFT_FIELDS

    draft_id = call(api, "POST", "/api/v1/drafts", author_token, {**DRAFT, "accounts": [edu_weibo.pk]}).json()["id"]
    message = {"account": edu_weibo.pk, "kind": "message", "text": "留言"}
    message_id = call(api, "POST", "/api/v1/messages", author_token, message).json()["id"]
    for path, method, base, names in (
            ("/api/v1/drafts", "POST", {**DRAFT, "accounts": [edu_weibo.pk]}, DRAFT_FIELDS),
            (f"/api/v1/drafts/{draft_id}", "PATCH", {}, DRAFT_FIELDS[1:]),
            ("/api/v1/messages", "POST", message, MESSAGE_FIELDS),
            (f"/api/v1/messages/{message_id}/reply", "POST", {}, REPLY_FIELDS)):
        for name in names:
            assert call(api, method, path, author_token, {**base, name: value}).status_code < 500
    for query in ("state", "status", "account", "overdue", "page"):
        for path in ("/api/v1/drafts", "/api/v1/messages"):
            odd = value if isinstance(value, str) else str(value)
            assert api.get(path, {query: odd}, HTTP_AUTHORIZATION=f"Bearer {author_token}").status_code < 500
