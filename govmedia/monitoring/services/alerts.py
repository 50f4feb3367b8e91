"""Alerts: a new or reopened finding put in front of the people who answer for the account, and sent to them.

Who: the account's responsible person (when they have a login), every active unit admin of the host unit,
and, for codes in `codes.ESCALATED` (prohibited content, secret markings, expression errors), every district
supervisor at once; such a finding is marked `escalated`. One Alert per finding and person; a reopened
finding re-arms its alerts (unread again, deliveries sent again).

How: in the platform (the Alert row), by e-mail (Django's mail API, to the user's address; users without
one get the in-platform alert only) and by a signed webhook for SMS and WeChat gateways, one Delivery row
each. Deliveries are sent once the transaction that found the problem commits (`transaction.on_commit`),
and then by `deliver_pending`, which the monitoring cycle calls, until sent: at most MAX_ATTEMPTS tries,
the n-th retry RETRY_BASE * 2**(n-1) after the previous one. A mail server or gateway that is down never
fails the transaction that found the problem.

The webhook (settings GOVMEDIA_ALERT_WEBHOOK_URL and GOVMEDIA_ALERT_WEBHOOK_SECRET)
---------------------------------------------------------------------------------
    POST <GOVMEDIA_ALERT_WEBHOOK_URL>
    Content-Type: application/json; charset=utf-8
    X-Govmedia-Delivery: <delivery id>
    X-Govmedia-Timestamp: <Unix time of this attempt, in seconds>
    X-Govmedia-Signature: sha256=<hex HMAC-SHA256, keyed with the secret (UTF-8), of: timestamp "." raw body>

    {"delivery": 12, "finding": 34, "account": {"id": 5, "name": "…", "platform": "…", "unit": "…"},
     "code": "secret_marking", "label": "涉密标识", "severity": "high", "summary": "…", "escalated": true,
     "recipients": [{"name": "…", "mobile": "139…", "reason": "district"}], "mobiles": ["139…"],
     "url": "http://…/monitoring/findings/34/"}

One request per alert, so `recipients` names that alert's person. A receiver recomputes the HMAC over the
bytes it received, before parsing them, compares it in constant time, and refuses a timestamp more than
five minutes away from its own clock: a captured request replayed later is refused, and its timestamp
cannot be renewed without the secret. A retry carries the same delivery id with a new timestamp, so a
gateway drops duplicates by the id. Without a secret nothing is sent (the delivery records why).
"""

import hashlib
import hmac
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

import httpx
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from govmedia import clock
from govmedia.audit.services import audit_bulk_create
from govmedia.bulk import bulk_insert
from govmedia.monitoring.engine import codes
from govmedia.monitoring.models import Alert, Delivery, Finding
from govmedia.orgs.models import Role, User
from govmedia.registry.models import Account

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_BASE = timedelta(minutes=1)
WEBHOOK_TIMEOUT = 5.0
RESPONSIBLE, UNIT_ADMIN, DISTRICT = "responsible", "unit_admin", "district"
_ERROR_MAX = Delivery._meta.get_field("last_error").max_length
_TARGET_MAX = Delivery._meta.get_field("target").max_length


def finding_url(finding_id: int) -> str:
    """The finding's page (/monitoring/findings/<id>/) at the address users open."""
    return settings.GOVMEDIA_SITE_URL.rstrip("/") + reverse("monitoring:finding", args=[finding_id])


def alert_on_findings(new: list[Finding], *, reopened: list[Finding] = (), now: datetime) -> list[Alert]:
    """Alert the recipients of new and reopened findings and queue the deliveries; returns the new alerts."""
    findings = [*new, *reopened]
    if not findings:
        return []
    recipients = _recipients(findings)
    escalated = [f for f in findings if f.code in codes.ESCALATED and not f.escalated]
    if escalated:
        Finding.objects.filter(pk__in=[f.pk for f in escalated]).update(escalated=True)
        for finding in escalated:
            finding.escalated = True
    known = {}
    if reopened:
        known = {(a.finding_id, a.recipient_id): a for a in Alert.objects.filter(finding__in=reopened)}
    fresh, rearmed = [], []
    for finding in findings:
        for user, reason in recipients[finding.pk]:
            alert = known.get((finding.pk, user.pk))
            if alert is None:
                fresh.append(Alert(finding=finding, recipient=user, reason=reason, created_at=now))
            else:
                alert.recipient = user
                rearmed.append(alert)
    bulk_insert(fresh)
    audit_bulk_create(fresh)
    if rearmed:
        Alert.objects.filter(pk__in=[a.pk for a in rearmed]).update(created_at=now, read_at=None)
        Delivery.objects.filter(alert__in=rearmed).update(sent_at=None, attempts=0, last_error="")
    deliveries = [delivery for alert in [*fresh, *rearmed] for delivery in _deliveries(alert)]
    # A rearmed alert keeps its deliveries; only a channel added since (a new address, the webhook) is new.
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    transaction.on_commit(partial(deliver_pending, alert_ids=[a.pk for a in [*fresh, *rearmed]]), robust=True)
    return fresh


def _recipients(findings: list[Finding]) -> dict[int, list[tuple[User, str]]]:
    """(user, reason) for each finding, a person once, by the first reason that applies."""
    accounts = {a.pk: a for a in Account.objects.select_related("responsible_person__user").filter(
        pk__in={f.account_id for f in findings})}
    admins = defaultdict(list)
    for user in User.objects.select_related("person").filter(
            is_active=True, role=Role.UNIT_ADMIN, person__unit_id__in={a.host_unit_id for a in accounts.values()}):
        admins[user.person.unit_id].append(user)
    supervisors = []
    if any(f.code in codes.ESCALATED for f in findings):
        supervisors = list(User.objects.select_related("person").filter(is_active=True, role=Role.SUPERVISOR))
    result = {}
    for finding in findings:
        account = accounts[finding.account_id]
        finding.account = account
        chosen: dict[int, tuple[User, str]] = {}
        person = account.responsible_person
        responsible = getattr(person, "user", None) if person else None
        candidates = [(responsible, RESPONSIBLE)] if responsible and responsible.is_active else []
        candidates += [(user, UNIT_ADMIN) for user in admins[account.host_unit_id]]
        if finding.code in codes.ESCALATED:
            candidates += [(user, DISTRICT) for user in supervisors]
        for user, reason in candidates:
            chosen.setdefault(user.pk, (user, reason))
        result[finding.pk] = list(chosen.values())
    return result


def _deliveries(alert: Alert) -> list[Delivery]:
    found = []
    if alert.recipient.email:
        found.append(Delivery(alert=alert, channel=Delivery.Channel.EMAIL, target=alert.recipient.email))
    url = settings.GOVMEDIA_ALERT_WEBHOOK_URL
    if url and len(url) <= _TARGET_MAX:
        found.append(Delivery(alert=alert, channel=Delivery.Channel.WEBHOOK, target=url))
    elif url:  # a setting the row cannot hold must not fail the transaction that found the problem
        log.error("GOVMEDIA_ALERT_WEBHOOK_URL is longer than %s characters; no webhook is sent", _TARGET_MAX)
    return found


# ---------------------------------------------------------------- sending


@dataclass
class DeliveryRun:
    sent: int = 0
    failed: list[str] = field(default_factory=list)  # "channel target: error", for the cycle's report


def retry_wait(attempts: int) -> timedelta:
    """How long after the alert a delivery that failed `attempts` times may be tried again."""
    return RETRY_BASE * (2 ** attempts - 1)


def deliver_pending(*, now: datetime | None = None, alert_ids: list[int] | None = None) -> DeliveryRun:
    """Send every unsent delivery that is due, each attempt claimed first, so two workers never both send it."""
    now = now or clock.now()
    run = DeliveryRun()
    pending = (Delivery.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
               .select_related("alert__finding__account__platform", "alert__finding__account__host_unit",
                               "alert__recipient__person").order_by("pk"))
    if alert_ids is not None:
        pending = pending.filter(alert_id__in=alert_ids)
    for delivery in pending:
        if now < delivery.alert.created_at + retry_wait(delivery.attempts):
            continue
        claimed = Delivery.objects.filter(pk=delivery.pk, sent_at__isnull=True, attempts=delivery.attempts).update(
            attempts=F("attempts") + 1)
        if not claimed:
            continue
        try:
            _send(delivery, now)
        except Exception as error:  # whatever the mail server or gateway does, the next delivery goes on
            message = f"{type(error).__name__}: {error}"[:_ERROR_MAX]
            log.warning("alert delivery %s to %s failed: %s", delivery.pk, delivery.target, message)
            Delivery.objects.filter(pk=delivery.pk).update(last_error=message)
            run.failed.append(f"{delivery.get_channel_display()} {delivery.target}：{message}")
        else:
            Delivery.objects.filter(pk=delivery.pk).update(sent_at=now, last_error="")
            run.sent += 1
    return run


def _send(delivery: Delivery, now: datetime) -> None:
    if delivery.channel == Delivery.Channel.EMAIL:
        subject, body = email_text(delivery.alert)
        send_mail(subject, body, None, [delivery.target])
    else:
        post_webhook(delivery, now)


def email_text(alert: Alert) -> tuple[str, str]:
    finding, user = alert.finding, alert.recipient
    account = finding.account
    label = codes.LABEL.get(finding.code, finding.code)
    prefix = "【监测提醒·已上报区级】" if finding.escalated else "【监测提醒】"
    lines = [
        f"{user.display_name}：", "",
        f"政务新媒体监测发现以下问题（{alert.get_reason_display()}）：", "",
        f"账号：{account.name}（{account.platform.name}）",
        f"主办单位：{account.host_unit.name}",
        f"问题类型：{label}（严重程度：{codes.SEVERITY_LABEL.get(finding.severity, finding.severity)}）",
        f"摘要：{finding.summary}",
        f"发现时间：{timezone.localtime(finding.first_found_at):%Y-%m-%d %H:%M}",
        "", "请登录政务新媒体管理平台查看并处理：", finding_url(finding.pk), "", "（本邮件由系统自动发送）",
    ]
    return f"{prefix}{account.name}：{label}", "\n".join(lines)


def webhook_body(delivery: Delivery) -> bytes:
    alert = delivery.alert
    finding, user, account = alert.finding, alert.recipient, alert.finding.account
    mobile = user.person.mobile if user.person_id else ""
    payload = {
        "delivery": delivery.pk, "finding": finding.pk,
        "account": {"id": account.pk, "name": account.name, "platform": account.platform.name,
                    "unit": account.host_unit.name},
        "code": finding.code, "label": codes.LABEL.get(finding.code, finding.code), "severity": finding.severity,
        "summary": finding.summary, "escalated": finding.escalated,
        "recipients": [{"name": user.display_name, "mobile": mobile, "reason": alert.reason}],
        "mobiles": [mobile] if mobile else [], "url": finding_url(finding.pk),
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class WebhookError(Exception):
    """The gateway did not take the alert; the message is Chinese and says why."""


def post_webhook(delivery: Delivery, now: datetime) -> None:
    secret = settings.GOVMEDIA_ALERT_WEBHOOK_SECRET
    if not secret:
        raise WebhookError("未配置 GOVMEDIA_ALERT_WEBHOOK_SECRET，消息网关请求无法签名，未发送")
    body, timestamp = webhook_body(delivery), str(int(now.timestamp()))
    headers = {"Content-Type": "application/json; charset=utf-8", "X-Govmedia-Delivery": str(delivery.pk),
               "X-Govmedia-Timestamp": timestamp, "X-Govmedia-Signature": signature(secret, timestamp, body)}
    response = httpx.post(delivery.target, content=body, headers=headers, timeout=WEBHOOK_TIMEOUT,
                          follow_redirects=False, trust_env=False)
    if not response.is_success:
        raise WebhookError(f"消息网关返回 HTTP {response.status_code}")
