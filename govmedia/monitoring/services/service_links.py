"""The links of the services accounts offer (art. 12; interaction.AccountService), checked by the same link
checker as posts' links: each link once a day (a LinkCheck row, shared with posts' links), through the SSRF guard
and the per-host politeness limits of the checker.

A service link found broken is an account finding `service_link_broken`, keyed by the service: run again, the
same broken link is the same finding and alerts nobody twice. Once the link works again, or the service is
deleted or changed to a working link, the finding is marked fixed. Accounts no longer live are not checked.

Run with the posts' checks: each reading cycle and the hourly sweep (monitoring.services.cycle).
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from govmedia.interaction.models import AccountService
from govmedia.monitoring.engine import codes
from govmedia.monitoring.engine.linkcheck import LinkChecker
from govmedia.monitoring.engine.types import BROKEN_VERDICTS, LINK_VERDICTS, AccountFinding, LinkVerdict
from govmedia.monitoring.models import Finding
from govmedia.monitoring.services.checking import default_link_checker, link_verdicts
from govmedia.monitoring.services.findings import ACTIVE_STATES, fix_findings, record_account_findings
from govmedia.registry.models import LIVE_STATUSES, Account

FIXED_NOTE = "服务链接复查正常，或该服务事项已修改、删除"


def check_service_links(*, account_ids: Iterable[int] | None = None, now: datetime,
                        checker: LinkChecker | None = None) -> int:
    """Check the service links of live accounts (of `account_ids`, or all); returns how many links were judged."""
    services = AccountService.objects.filter(account__status__in=LIVE_STATUSES).order_by("account_id", "pk")
    if account_ids is not None:
        account_ids = list(account_ids)
        services = services.filter(account_id__in=account_ids)
    services = list(services)
    verdicts = link_verdicts([s.url for s in services], now=now, checker=checker or default_link_checker())
    by_account: defaultdict[int, list[AccountFinding]] = defaultdict(list)
    for service in services:
        verdict = verdicts[service.url]
        if verdict.verdict in BROKEN_VERDICTS:
            by_account[service.account_id].append(_finding(service, verdict))
    today = timezone.localdate(now)
    with transaction.atomic():
        current: set[str] = set()
        for account in Account.objects.filter(pk__in=list(by_account)).order_by("pk"):
            recorded = record_account_findings(account=account, findings=by_account[account.pk], now=now,
                                               window=(today, today))
            current |= recorded.fingerprints
        stale = Finding.objects.filter(code=codes.SERVICE_LINK_BROKEN, state__in=ACTIVE_STATES).exclude(
            fingerprint__in=current)
        if account_ids is not None:
            stale = stale.filter(account_id__in=account_ids)
        fix_findings(list(stale), now=now, note=FIXED_NOTE)
    return len(verdicts)


def _finding(service: AccountService, verdict: LinkVerdict) -> AccountFinding:
    status = f"HTTP {verdict.http_status}" if verdict.http_status else LINK_VERDICTS.get(verdict.verdict, "")
    return AccountFinding(
        codes.SERVICE_LINK_BROKEN,
        f"服务事项“{service.name}”的链接失效（{status}）：{service.url}",
        f"service:{service.pk}",
        {"service_id": service.pk, "service": service.name, "url": service.url, "verdict": verdict.verdict,
         "http_status": verdict.http_status, "detail": verdict.detail},
    )
