"""Overdue messages become monitoring findings, so monitoring's alert machinery (in the platform, by e-mail and
by the signed webhook; monitoring.services.alerts) tells the account's responsible person and unit admins.

A message still waiting for its answer after its deadline (selectors.is_overdue) is an account finding with the
code `message_overdue`, keyed by the message and its deadline: run again, the same overdue is the same finding
and alerts nobody twice; a deadline moved later and passed again (the kind changed) is a new overdue. Once the
message is answered or closed, or its deadline moves past today, its finding is marked fixed. The summary names
the kind, the dates and the message's number, never the sender or the text (personal data; findings are seen
by the competent unit too).

Run hourly by the scheduler (`govmedia messages_overdue`). Two runs at once cannot alert twice: findings are
unique by fingerprint, so the later insert fails and its whole run (one transaction) changes nothing.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from govmedia.interaction.models import OPEN_STATUSES, Message, MessageKind
from govmedia.interaction.selectors import message_deadline, received_on, reply_limits
from govmedia.monitoring.engine import codes
from govmedia.monitoring.engine.types import AccountFinding
from govmedia.monitoring.models import Finding
from govmedia.monitoring.services.findings import ACTIVE_STATES, fix_findings, record_account_findings
from govmedia.workdays.selectors import work_calendar


@dataclass
class OverdueRun:
    overdue: int = 0  # messages overdue now
    new: int = 0  # of which found overdue for the first time (alerted)
    fixed: int = 0  # findings closed because the message was answered or is no longer overdue


@transaction.atomic
def alert_overdue_messages(*, now: datetime) -> OverdueRun:
    today = timezone.localtime(now).date()
    limits, calendar = reply_limits(), work_calendar()
    # A deadline is at least the shortest limit in calendar days after receipt: newer messages cannot be late.
    newest = timezone.make_aware(datetime.combine(today - timedelta(days=min(limits.values())), datetime.min.time()))
    run, current = OverdueRun(), set()
    candidates = Message.objects.select_related("account").filter(status__in=OPEN_STATUSES, received_at__lt=newest)
    for message in candidates.order_by("account_id", "received_at", "pk"):
        deadline = message_deadline(message, limits=limits, calendar=calendar).date
        if today <= deadline:
            continue
        late = calendar.working_days_between(deadline, today)
        detail = (f"{MessageKind(message.kind).label}（编号 {message.pk}）{received_on(message):%Y-%m-%d} 收到，"
                  f"答复期限 {deadline:%Y-%m-%d}，已逾期 {late} 个工作日未答复")
        found = AccountFinding(code=codes.MESSAGE_OVERDUE, detail=detail, key=f"message:{message.pk}:{deadline}",
                               evidence={"message_id": message.pk, "deadline": deadline.isoformat()})
        # The window is the message's own (received to deadline), so its evidence stays the same day after day.
        recorded = record_account_findings(account=message.account, findings=[found], now=now,
                                           window=(received_on(message), deadline))
        run.overdue += 1
        run.new += len(recorded.created) + len(recorded.reopened)
        current |= recorded.fingerprints
    stale = list(Finding.objects.filter(code=codes.MESSAGE_OVERDUE, state__in=ACTIVE_STATES).exclude(
        fingerprint__in=current))
    fix_findings(stale, now=now, note="留言已答复、已办结或已不再逾期")
    run.fixed = len(stale)
    return run
