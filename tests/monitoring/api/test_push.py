"""The push API: token scoped to its account, revocable, idempotent by platform post id, all-or-nothing."""

from datetime import datetime

import pytest

from govmedia.audit.models import AuditEntry
from govmedia.monitoring.api import payload, throttle
from govmedia.monitoring.models import Post, PushToken, Source, SourceHealth, SourceKind
from govmedia.monitoring.services.tokens import token_issue, token_revoke
from tests.conftest import BEIJING
from tests.monitoring.api.conftest import PUSH_URL, push

pytestmark = pytest.mark.django_db

POST = {"id": "1001", "url": "https://weibo.com/xhaedu/1001", "title": "教育局召开开学工作会议",
        "published": "2026-03-01T09:30:00+08:00", "text": "开学工作会议在区教体局召开。", "reads": 100, "likes": 3}


def test_a_pushed_post_is_stored_for_the_tokens_account_with_201_and_counts(api, edu_token, edu_weibo):
    response = push(api, edu_token, POST)
    assert response.status_code == 201
    assert response.json() == {"created": 1, "updated": 0, "unchanged": 0}
    post = Post.objects.get()
    assert (post.account, post.platform_post_id, post.title, post.reads) == (edu_weibo, "1001", POST["title"], 100)
    assert post.published_at == datetime(2026, 3, 1, 9, 30, tzinfo=BEIJING)
    assert post.source.kind == SourceKind.PUSH and post.source.account == edu_weibo
    made = AuditEntry.objects.get(object_type="monitoring.Source", action="create")
    prefix = PushToken.objects.get().prefix
    assert (made.actor_label, made.channel, made.actor_id) == (f"推送令牌 {prefix}…", "api", None)


def test_a_token_of_one_account_cannot_push_to_another(api, edu_token, edu_weibo, street_weibo):
    response = push(api, edu_token, {**POST, "account": street_weibo.pk})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"index": 0, "field": "account", "value": str(street_weibo.pk),
                                          "message": "推送的账号由令牌决定，请求中不能指定账号"}]
    assert not Post.objects.exists()
    assert push(api, edu_token, POST).status_code == 201
    assert not Post.objects.filter(account=street_weibo).exists()
    assert not Source.objects.filter(account=street_weibo).exists()


def test_a_revoked_token_is_refused_with_401_in_chinese(api, edu_token, edu_unit_admin, frozen_clock):
    token_revoke(token=PushToken.objects.get(), by=edu_unit_admin, now=frozen_clock.current)
    response = push(api, edu_token, POST)
    assert response.status_code == 401
    assert "已吊销" in response.json()["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Post.objects.exists()
    assert AuditEntry.objects.filter(action="denied", changes__status=401).exists()


@pytest.mark.parametrize("authorization", [None, "Basic Z206c2VjcmV0", "Bearer ", "Bearer gm_not-a-real-token",
                                           "Bearer " + "gm_" + "x" * 5000])
def test_a_missing_or_unknown_token_is_refused_with_401(api, edu_token, authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization is not None else {}
    response = push(api, None, POST, **headers)
    assert response.status_code == 401
    assert "令牌" in response.json()["message"]
    assert not Post.objects.exists()


def test_sending_the_same_post_id_twice_keeps_one_post_and_updates_its_metrics(api, edu_token, frozen_clock):
    first_seen = frozen_clock.current
    push(api, edu_token, POST)
    later = frozen_clock.advance(hours=3)
    response = push(api, edu_token, {**POST, "reads": 5000, "likes": 40})
    assert response.status_code == 200
    assert response.json() == {"created": 0, "updated": 1, "unchanged": 0}
    post = Post.objects.get()
    assert (post.reads, post.likes, post.first_seen, post.last_seen) == (5000, 40, first_seen, later)
    assert push(api, edu_token, {**POST, "reads": 5000, "likes": 40}).json()["created"] == 0
    assert Post.objects.count() == 1
    assert Source.objects.filter(kind=SourceKind.PUSH).count() == 1


def test_one_bad_item_rejects_the_whole_batch_with_an_error_per_problem(api, edu_token):
    good = {**POST, "id": "ok-1"}
    bad = {"id": "", "published": "2026-03-01 09:30", "reads": -5, "kind": "forward", "colour": "red"}
    response = push(api, edu_token, {"posts": [good, bad, {**POST, "id": "ok-1"}]})
    assert response.status_code == 400
    errors = {(e["index"], e["field"]): e for e in response.json()["errors"]}
    assert set(errors) == {(1, "colour"), (1, "id"), (1, "published"), (1, "reads"), (1, "kind"), (2, "id")}
    assert errors[(1, "reads")]["value"] == "-5" and "负数" in errors[(1, "reads")]["message"]
    assert "时区" in errors[(1, "published")]["message"]
    assert "重复" in errors[(2, "id")]["message"]
    assert response.json()["message"] == "发现 6 个问题，未写入任何信息"
    assert not Post.objects.exists()


def test_a_post_without_a_publish_time_stays_unknown(api, edu_token):
    push(api, edu_token, {"posts": [{**POST, "published": None}, {"id": "1002", "title": "无时间"}]})
    assert list(Post.objects.values_list("published_at", flat=True)) == [None, None]


def test_script_in_pushed_html_is_removed_before_it_is_stored(api, edu_token):
    html = ('<p onclick="steal()">开学通知<script>alert(document.cookie)</script></p>'
            '<a href="javascript:alert(1)">点此</a><a href="https://www.xihaian.gov.cn/a">原文</a>')
    push(api, edu_token, {"id": "h1", "html": html})
    post = Post.objects.get()
    assert "script" not in post.html and "onclick" not in post.html and "javascript:" not in post.html
    assert "开学通知" in post.html and "开学通知" in post.text
    assert post.links == ["https://www.xihaian.gov.cn/a"]


def test_a_post_reported_deleted_is_marked_deleted_and_back_when_reported_again(api, edu_token):
    push(api, edu_token, POST)
    push(api, edu_token, {**POST, "deleted": True})
    assert Post.objects.get().deleted_on_platform
    push(api, edu_token, {**POST, "deleted": False})
    assert not Post.objects.get().deleted_on_platform


def test_a_push_marks_the_push_source_healthy_with_the_time(api, edu_token, frozen_clock):
    push(api, edu_token, POST)
    source = Source.objects.get(kind=SourceKind.PUSH)
    assert (source.health, source.last_success_at) == (SourceHealth.OK, frozen_clock.current)


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_other_methods_answer_405_with_allow_post(api, edu_token, method):
    response = getattr(api, method)(PUSH_URL, HTTP_AUTHORIZATION=f"Bearer {edu_token}")
    assert response.status_code == 405
    assert response["Allow"] == "POST" and "POST" in response.json()["message"]


def test_the_push_needs_no_csrf_token_and_sets_no_cookie(api, edu_token):
    response = push(api, edu_token, POST)
    assert response.status_code == 201
    assert not response.cookies


def test_requests_over_the_per_token_rate_answer_429_with_retry_after(api, edu_token, edu_wechat, edu_unit_admin,
                                                                      frozen_clock, monkeypatch):
    monkeypatch.setattr(throttle, "REQUESTS_PER_MINUTE", 3)
    frozen_clock.set(datetime(2026, 3, 2, 10, 0, 15, tzinfo=BEIJING))
    assert [push(api, edu_token, POST).status_code for _ in range(3)] == [201, 200, 200]
    response = push(api, edu_token, POST)
    assert response.status_code == 429 and response["Retry-After"] == "45"
    assert "每分钟至多 3 次" in response.json()["message"]
    other = token_issue(account=edu_wechat, name="", by=edu_unit_admin, now=frozen_clock.current)[1]
    assert push(api, other, POST).status_code == 201  # each token has its own budget
    frozen_clock.set(datetime(2026, 3, 2, 10, 1, 0, tzinfo=BEIJING))
    assert push(api, edu_token, POST).status_code == 200


def test_a_body_over_the_cap_is_refused_with_413_unread(api, edu_token, monkeypatch):
    monkeypatch.setattr(payload, "MAX_BODY_BYTES", 1000)
    response = push(api, edu_token, {**POST, "text": "长" * 1000})
    assert response.status_code == 413 and "分批" in response.json()["message"]
    assert not Post.objects.exists()


def test_a_batch_over_500_posts_is_refused_as_a_whole(api, edu_token):
    response = push(api, edu_token, {"posts": [{"id": str(i)} for i in range(payload.MAX_BATCH + 1)]})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"index": None, "field": "posts", "value": "501 条",
                                          "message": "一次最多推送 500 条信息，请分批推送"}]


def test_a_batch_of_500_posts_is_stored_whole(api, edu_token):
    response = push(api, edu_token, {"posts": [{"id": str(i), "title": f"第{i}条"} for i in range(500)]})
    assert response.json() == {"created": 500, "updated": 0, "unchanged": 0}


@pytest.mark.parametrize(("body", "message"), [
    (b"{not json", "JSON 格式错误，位于第 1 行第 2 列"),
    (b'{"id": "1", "reads": NaN}', "NaN"),
    (b"[" * 100_000 + b"]" * 100_000, "嵌套过深"),
    (b'{"id": "\xff\xfe1"}', "UTF-8"),
])
def test_a_body_that_is_not_json_is_a_400_in_chinese(api, edu_token, body, message):
    response = push(api, edu_token, body)
    assert response.status_code == 400
    assert message in response.json()["errors"][0]["message"]


def test_a_body_that_is_not_declared_json_is_refused_with_415(api, edu_token):
    response = push(api, edu_token, "id=1", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415 and "application/json" in response.json()["message"]
