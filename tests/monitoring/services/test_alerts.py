"""Alerts reach the account's responsible person and its unit's admins, escalate to the district at once for
prohibited content, secret markings and expression errors, and go out by e-mail and a signed webhook."""

import hashlib
import hmac
import json
from datetime import timedelta

import httpx
import pytest
from django.core import mail

from govmedia.monitoring.engine.types import PostFinding
from govmedia.monitoring.models import Alert, Delivery, Finding
from govmedia.monitoring.services import alerts
from govmedia.monitoring.services.findings import fix_findings, record_post_findings
from tests.factories import UserFactory
from tests.monitoring.factories import PostFactory
from tests.monitoring.local_server import Reply
from tests.threads import at_once

pytestmark = pytest.mark.django_db

SECRET = "网关共享密钥-9f8e7d"


def typo() -> PostFinding:
    return PostFinding(code="typo", category="content", text="再接再励", start=0, end=4,
                       detail="疑似错别字，建议改为“再接再厉”", suggestion="再接再厉")


def secret_marking() -> PostFinding:
    return PostFinding(code="secret_marking", category="content", text="机密★5年", start=6, end=11,
                       detail="含涉密标识，涉密或内部信息严禁上网发布")


def recipients(finding: Finding) -> dict[str, str]:
    return {a.recipient.username: a.reason for a in Alert.objects.filter(finding=finding).select_related("recipient")}


@pytest.fixture
def responsible(district, edu_weibo):
    """edu_weibo's responsible person, with a login and an e-mail address."""
    user = UserFactory(username="edu_responsible", unit=district.edu, email="zhang@edu.example.cn",
                       person__name="张责任", person__mobile="13900001111")
    edu_weibo.responsible_person = user.person
    edu_weibo.save()
    return user


@pytest.fixture
def post(frozen_clock, edu_weibo, responsible):
    return PostFactory(account=edu_weibo, title="再接再励", text="本文件属于机密★5年。")


def found(post, *findings, now) -> list[Finding]:
    return record_post_findings(post=post, findings=list(findings), now=now).created


def test_the_responsible_person_and_the_host_units_admins_are_alerted_and_no_other_units_admins(
        frozen_clock, post, responsible, edu_unit_admin, street_unit_admin, water_co_admin, supervisor):
    [finding] = found(post, typo(), now=frozen_clock.current)
    assert recipients(finding) == {"edu_responsible": "responsible", "edu_admin": "unit_admin"}
    assert not finding.escalated and Finding.objects.get().escalated is False


def test_an_inactive_unit_admin_gets_no_alert(frozen_clock, post, edu_unit_admin):
    edu_unit_admin.is_active = False
    edu_unit_admin.save()
    [finding] = found(post, typo(), now=frozen_clock.current)
    assert "edu_admin" not in recipients(finding)


def test_a_secret_marking_escalates_to_every_district_supervisor_at_once(frozen_clock, post, supervisor,
                                                                           edu_unit_admin, street_unit_admin):
    second = UserFactory(username="supervisor2", unit=supervisor.unit, role="supervisor")
    [finding] = found(post, secret_marking(), now=frozen_clock.current)
    assert recipients(finding) == {"edu_responsible": "responsible", "edu_admin": "unit_admin",
                                   "supervisor": "district", second.username: "district"}
    assert Finding.objects.get().escalated is True


def test_the_e_mail_in_chinese_names_the_account_the_problem_and_the_findings_page(frozen_clock, post, responsible):
    [finding] = found(post, typo(), now=frozen_clock.current)
    run = alerts.deliver_pending(now=frozen_clock.current)
    assert run.sent == 1 and run.failed == []
    [email] = mail.outbox
    assert email.to == ["zhang@edu.example.cn"]
    assert email.subject == "【监测提醒】西海岸教育发布：错别字"
    assert "张责任：" in email.body and "账号：西海岸教育发布（新浪微博）" in email.body
    assert "主办单位：区教育和体育局" in email.body and "问题类型：错别字（严重程度：一般）" in email.body
    assert "摘要：错别字：“再接再励”，疑似错别字，建议改为“再接再厉”" in email.body
    assert f"http://127.0.0.1:8000/monitoring/findings/{finding.pk}/" in email.body
    assert Delivery.objects.get().sent_at == frozen_clock.current


def test_a_person_without_an_e_mail_address_gets_the_alert_in_the_platform_only(frozen_clock, post, edu_unit_admin):
    [finding] = found(post, typo(), now=frozen_clock.current)
    assert Alert.objects.filter(finding=finding, recipient=edu_unit_admin).exists()
    assert list(Delivery.objects.values_list("target", flat=True)) == ["zhang@edu.example.cn"]


def test_deliveries_go_out_once_the_transaction_commits(frozen_clock, post, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        found(post, typo(), now=frozen_clock.current)
        assert mail.outbox == []
    assert len(mail.outbox) == 1


def test_a_mail_server_that_is_down_breaks_nothing_and_is_retried_with_backoff_five_times_at_most(
        frozen_clock, post, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2}}}
    found(post, typo(), now=frozen_clock.current)
    start = frozen_clock.current
    tried_at = []
    for minute in range(0, 40):
        if alerts.deliver_pending(now=start + timedelta(minutes=minute)).failed:
            tried_at.append(minute)
    assert tried_at == [0, 1, 3, 7, 15]
    delivery = Delivery.objects.get()
    assert delivery.attempts == 5 and delivery.sent_at is None and delivery.last_error


def test_a_reopened_finding_sends_its_alerts_again(frozen_clock, post):
    [finding] = found(post, typo(), now=frozen_clock.current)
    alerts.deliver_pending(now=frozen_clock.current)
    fix_findings([finding], now=frozen_clock.advance(days=1), note="已修改")
    record_post_findings(post=post, findings=[typo()], now=frozen_clock.advance(days=1))
    alerts.deliver_pending(now=frozen_clock.current)
    assert len(mail.outbox) == 2 and Alert.objects.filter(finding=finding).count() == 2


# ---------------------------------------------------------------- the webhook


def verifying_gateway(server, secret: str, now: float, tolerance: int = 300):
    """A gateway that checks the signature as the module docstring tells receivers to, independently of it."""
    def answer(request) -> Reply:
        timestamp = request.headers.get("x-govmedia-timestamp", "")
        expected = "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + request.body,
                                        hashlib.sha256).hexdigest()
        fresh = timestamp.isdigit() and abs(int(timestamp) - now) <= tolerance
        valid = hmac.compare_digest(expected, request.headers.get("x-govmedia-signature", ""))
        return Reply(204) if valid and fresh else Reply(401, "签名无效")
    server.routes["/gateway"] = answer
    return server.url("/gateway")


@pytest.fixture
def gateway(local_server, settings, frozen_clock):
    settings.GOVMEDIA_ALERT_WEBHOOK_URL = verifying_gateway(local_server, SECRET, frozen_clock.current.timestamp())
    settings.GOVMEDIA_ALERT_WEBHOOK_SECRET = SECRET
    return local_server


def test_the_webhook_is_signed_and_the_gateway_verifies_it(frozen_clock, post, gateway, supervisor, edu_unit_admin):
    [finding] = found(post, secret_marking(), now=frozen_clock.current)
    run = alerts.deliver_pending(now=frozen_clock.current)
    assert run.failed == [] and Delivery.objects.filter(channel="webhook", sent_at__isnull=False).count() == 3
    by_reason = {}
    for request in gateway.requests_to("/gateway"):
        body = json.loads(request.body)
        by_reason[body["recipients"][0]["reason"]] = body
        assert request.headers["x-govmedia-delivery"] == str(body["delivery"])
    responsible = by_reason["responsible"]
    assert responsible["finding"] == finding.pk and responsible["code"] == "secret_marking"
    assert responsible["label"] == "涉密标识" and responsible["severity"] == "high" and responsible["escalated"]
    assert responsible["account"]["name"] == "西海岸教育发布" and responsible["mobiles"] == ["13900001111"]
    assert responsible["url"] == f"http://127.0.0.1:8000/monitoring/findings/{finding.pk}/"
    assert responsible["summary"] == finding.summary and set(by_reason) == {"responsible", "unit_admin", "district"}
    assert by_reason["unit_admin"]["mobiles"] == [edu_unit_admin.person.mobile] and by_reason["district"]["recipients"][0]["name"] == "王监管"


def test_a_tampered_body_or_a_replayed_request_fails_verification(frozen_clock, post, gateway):
    found(post, typo(), now=frozen_clock.current)
    alerts.deliver_pending(now=frozen_clock.current)
    signed = gateway.requests_to("/gateway")[0]
    tampered = signed.body.replace("错别字".encode(), "无问题".encode())
    answer = httpx.post(gateway.url("/gateway"), content=tampered, headers=signed.headers, trust_env=False)
    assert answer.status_code == 401
    later = int(signed.headers["x-govmedia-timestamp"]) + 3600
    replayed = dict(signed.headers, **{"x-govmedia-timestamp": str(later)})
    assert httpx.post(gateway.url("/gateway"), content=signed.body, headers=replayed, trust_env=False).status_code == 401
    resent = httpx.post(gateway.url("/gateway"), content=signed.body, headers=signed.headers, trust_env=False)
    assert resent.status_code == 204  # the same request, untouched and in time, still verifies


def test_a_gateway_that_refuses_is_recorded_and_retried(frozen_clock, post, local_server, settings):
    settings.GOVMEDIA_ALERT_WEBHOOK_URL = local_server.url("/down")
    settings.GOVMEDIA_ALERT_WEBHOOK_SECRET = SECRET
    local_server.routes["/down"] = Reply(503)
    found(post, typo(), now=frozen_clock.current)
    run = alerts.deliver_pending(now=frozen_clock.current)
    assert run.sent == 1 and len(run.failed) == 2  # the e-mail went out; both people's webhooks did not
    for webhook in Delivery.objects.filter(channel="webhook"):
        assert webhook.sent_at is None and webhook.attempts == 1 and webhook.last_error.endswith("HTTP 503")
    local_server.routes["/down"] = Reply(200)
    assert alerts.deliver_pending(now=frozen_clock.current + timedelta(minutes=1)).sent == 2


def test_without_a_secret_nothing_is_posted_and_the_delivery_says_why(frozen_clock, post, local_server, settings):
    settings.GOVMEDIA_ALERT_WEBHOOK_URL = local_server.url("/gateway")
    settings.GOVMEDIA_ALERT_WEBHOOK_SECRET = ""
    found(post, typo(), now=frozen_clock.current)
    alerts.deliver_pending(now=frozen_clock.current)
    assert local_server.requests == []
    for webhook in Delivery.objects.filter(channel="webhook"):
        assert "未配置 GOVMEDIA_ALERT_WEBHOOK_SECRET" in webhook.last_error


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_delivering_at_once_send_each_message_once(frozen_clock, post):
    found(post, typo(), now=frozen_clock.current)  # outside a transaction, sent at once: sent again below
    Delivery.objects.update(sent_at=None, attempts=0)
    mail.outbox.clear()
    deliver = lambda: lambda: alerts.deliver_pending(now=frozen_clock.current)  # noqa: E731
    runs = at_once(deliver, deliver)
    assert sorted(run.sent for run in runs) == [0, 1] and len(mail.outbox) == 1
