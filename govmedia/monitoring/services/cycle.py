"""Reading sources on their schedule.

Which sources are due (active feed and web sources of monitored accounts, each on its own interval); one
reader at a time per source, guaranteed by a lease taken with one conditional UPDATE, so that two workers,
a worker and `govmedia monitor run`, or two machines never read a source at the same moment; when each
is read next: after its interval, or after a short retry that doubles with each failure in a row.

Everything a read writes is idempotent (posts by platform id, findings by fingerprint), so a worker killed
at any point leaves nothing to undo: its lease runs out, the source is due again, and posts it stored but
did not check are checked by the next read of the account or the hourly sweep.
"""

from __future__ import annotations

import logging
import secrets
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

from govmedia import clock
from govmedia.monitoring.engine import schedule
from govmedia.monitoring.engine.fetch import Fetcher
from govmedia.monitoring.engine.sources import read_source
from govmedia.monitoring.engine.types import NOT_MODIFIED, OK, SourceReading
from govmedia.monitoring.models import POLLED_KINDS, Alert, Finding, Source
from govmedia.monitoring.services import alerts, checking, ingest, service_links
from govmedia.registry.models import AccountStatus

logger = logging.getLogger(__name__)

# Accounts whose publishing is watched: open ones, and those whose closure notice is running (they must
# keep publishing correctly until they close). An account still awaiting approval publishes nothing yet.
MONITORED_STATUSES = (AccountStatus.NORMAL, AccountStatus.CLOSING)

SKIPPED = "skipped"  # another reader holds the source, or it is no longer to be read
READ_THREADS = 8  # sources read at once by `run_cycle`; the database work stays on the calling thread


@dataclass
class ReadResult:
    source_id: int
    account_id: int | None = None
    status: str = SKIPPED  # OK, BROKEN, NOT_MODIFIED or SKIPPED
    reason: str = ""
    detail: str = ""
    new_posts: int = 0
    next_due_at: datetime | None = None


@dataclass
class CycleSummary:
    read: list[ReadResult] = field(default_factory=list)
    errors: int = 0  # readings that could not be stored (logged; the source is retried)
    posts_checked: int = 0
    new_findings: int = 0
    new_alerts: int = 0

    def count(self, status: str) -> int:
        return sum(1 for r in self.read if r.status == status)

    @property
    def sources_read(self) -> int:
        return sum(1 for r in self.read if r.status != SKIPPED)

    @property
    def new_posts(self) -> int:
        return sum(r.new_posts for r in self.read)


# ------------------------------------------------------------------------------------------ which, when


def polled_sources() -> QuerySet[Source]:
    """Sources read on a schedule: active feed and web sources of monitored accounts."""
    return (Source.objects.filter(is_active=True, kind__in=POLLED_KINDS, account__status__in=MONITORED_STATUSES)
            .select_related("account__platform__monitoring_schedule"))


def due_sources(*, now: datetime) -> QuerySet[Source]:
    """Polled sources whose time has come and that nobody is reading."""
    return (polled_sources().filter(Q(next_due_at__isnull=True) | Q(next_due_at__lte=now))
            .exclude(lease_until__gt=now))


def interval_minutes(source: Source) -> int:
    """The source's own interval, else its platform's schedule, else the platform's default."""
    if source.interval_minutes:
        return source.interval_minutes
    platform = source.account.platform
    configured = getattr(platform, "monitoring_schedule", None)  # absent: RelatedObjectDoesNotExist
    if configured is not None:
        return configured.interval_minutes
    return schedule.default_interval_minutes(platform.code, source.kind)


def next_read_at(source: Source, reading: SourceReading | None, *, failures: int, now: datetime) -> datetime:
    """After a good reading the interval; after a failure (or a reading that could not be stored) a retry
    that doubles with each failure in a row, never later than the interval."""
    interval = interval_minutes(source)
    if reading is not None and reading.status in (OK, NOT_MODIFIED):
        return now + timedelta(minutes=interval)
    return now + schedule.retry_delay(max(failures, 1), interval)


# ------------------------------------------------------------------------------------------ the lease


def lease_seconds() -> int:
    return settings.GOVMEDIA_MONITOR_LEASE_SECONDS


def take_lease(source_id: int, *, now: datetime) -> str | None:
    """A token when this caller now holds the source, None when someone else does.

    One conditional UPDATE: of readers racing for a source, the database lets exactly one match the
    condition. A holder that dies leaves the lease to run out."""
    token = secrets.token_hex(16)
    won = (Source.objects.filter(pk=source_id).filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
           .update(lease_token=token, lease_until=now + timedelta(seconds=lease_seconds())))
    return token if won else None


def release_lease(source_id: int, token: str, *, next_due_at: datetime | None) -> None:
    """Give the source back (only if this token still holds it), setting when it is due next."""
    changes = {"lease_token": "", "lease_until": None}
    if next_due_at is not None:
        changes["next_due_at"] = next_due_at
    Source.objects.filter(pk=source_id, lease_token=token).update(**changes)


def claim_due_sources(*, now: datetime, limit: int | None = None) -> list[tuple[int, datetime]]:
    """Due sources handed to the task queue: each is marked as enqueued by moving its next reading a lease
    length ahead, so the next tick does not enqueue it again. Returns (source id, that mark); the task
    reads the source only if the mark is still there (nothing read it meanwhile). A task that never runs
    (its worker was killed) leaves the mark to pass, and the source is enqueued again."""
    held_until = now + timedelta(seconds=lease_seconds())
    due = due_sources(now=now).order_by("next_due_at", "pk").values_list("pk", "next_due_at")
    claimed = []
    for pk, due_at in due[:limit] if limit else due:
        # Conditional on the value just read: of two schedulers ticking at once, one enqueues the source.
        if Source.objects.filter(pk=pk, next_due_at=due_at).update(next_due_at=held_until):
            claimed.append((pk, held_until))
    return claimed


# ------------------------------------------------------------------------------------------ reading


def _fetcher() -> Fetcher:
    """A connection pool for sources. Private addresses only when the deployment allows them (the demo's
    simulator on 127.0.0.1, GOVMEDIA_MONITOR_ALLOW_PRIVATE)."""
    return Fetcher(allow_private=settings.GOVMEDIA_MONITOR_ALLOW_PRIVATE,
                   timeout=settings.GOVMEDIA_MONITOR_TIMEOUT_SECONDS)


def _read(source: Source, fetcher: Fetcher, now: datetime) -> SourceReading:
    """Read a source (no database here: `run_cycle` calls it on its reading threads).

    A website's articles are all fetched again, not skipped when already stored: ingest judges the posts
    a reading leaves out as deleted on the platform, which is right for a feed, not for a skipped article."""
    return read_source(source.kind, source.url, etag=source.etag, last_modified=source.last_modified,
                       allow_private=settings.GOVMEDIA_MONITOR_ALLOW_PRIVATE, fetcher=fetcher, now=now)


def _ingest(source: Source, reading: SourceReading, *, now: datetime) -> ReadResult:
    """Store a reading (posts, health) and say when the source is to be read next."""
    outcome = ingest.ingest_reading(source=source, reading=reading, now=now)  # updates the source's failures
    return ReadResult(source.pk, source.account_id, reading.status, reading.reason, reading.detail,
                      new_posts=len(outcome.new_post_ids),
                      next_due_at=next_read_at(source, reading, failures=source.consecutive_failures, now=now))


def _retry_after_error(source: Source, *, now: datetime) -> datetime:
    """A fault of ours while storing or checking a reading: logged, and the source retried as if it failed."""
    logger.exception("数据源 %s（账号 %s）的读取结果未能保存或检查", source.pk, source.account_id)
    return next_read_at(source, None, failures=source.consecutive_failures + 1, now=now)


def read_source_now(source_id: int, *, now: datetime, due_at: datetime | None = None) -> ReadResult:
    """Read one source now, store what it holds, check the account's new posts and its activity, and send
    the alerts. Skipped when another reader holds the source, when it is no longer to be read, or (with
    `due_at`, the mark `claim_due_sources` left) when something read it since it was enqueued.

    The lease is given back only when all of that is done: a reader killed half-way leaves the source
    to be read again once the lease and the mark have run out, and that reading checks what was left."""
    token = take_lease(source_id, now=now)
    if token is None:
        return ReadResult(source_id)
    source = polled_sources().filter(pk=source_id).first()
    if source is None or (due_at is not None and source.next_due_at != due_at):
        release_lease(source_id, token, next_due_at=None)
        return ReadResult(source_id, source.account_id if source else None)
    next_due_at = None
    try:
        with _fetcher() as fetcher:
            reading = _read(source, fetcher, now)
        result = _ingest(source, reading, now=now)
        checking.check_pending_posts(account_ids=[source.account_id], now=now)
        checking.check_accounts(account_ids=[source.account_id], now=now)
        alerts.deliver_pending(now=now)
        next_due_at = result.next_due_at
    except Exception:
        next_due_at = _retry_after_error(source, now=now)
        raise
    finally:
        release_lease(source_id, token, next_due_at=next_due_at)
    return result


def _scope(queryset: QuerySet, account_ids: list[int] | None) -> QuerySet:
    return queryset if account_ids is None else queryset.filter(account_id__in=account_ids)


def run_cycle(*, account_ids: list[int] | None = None, now: datetime, threads: int = READ_THREADS) -> CycleSummary:
    """One full cycle now: read every due source (with `account_ids`, every source of those accounts), then
    check the new posts and every account, and send the alerts.

    Sources are read a few at a time on threads (reading is waiting on the network); each is leased just
    before its reading starts, and everything that touches the database happens on this thread."""
    sources = (polled_sources().filter(account_id__in=account_ids) if account_ids is not None
               else due_sources(now=now)).order_by("pk")
    findings_before = _scope(Finding.objects.all(), account_ids).count()
    alerts_before = Alert.objects.filter(finding__in=_scope(Finding.objects.all(), account_ids)).count()
    summary = CycleSummary()
    queue = iter(list(sources))
    running: dict[Future, tuple[Source, str]] = {}

    with _fetcher() as fetcher, ThreadPoolExecutor(max_workers=max(threads, 1),
                                                   thread_name_prefix="monitor-read") as pool:
        def start_next() -> None:
            for source in queue:
                token = take_lease(source.pk, now=clock.now())
                if token is None:
                    summary.read.append(ReadResult(source.pk, source.account_id))
                    continue
                running[pool.submit(_read, source, fetcher, now)] = (source, token)
                return

        for _ in range(max(threads, 1)):
            start_next()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                source, token = running.pop(future)
                next_due_at = None
                try:
                    result = _ingest(source, future.result(), now=now)
                    summary.read.append(result)
                    next_due_at = result.next_due_at
                except Exception:  # one source's fault must not stop the others
                    summary.errors += 1
                    next_due_at = _retry_after_error(source, now=now)
                finally:
                    release_lease(source.pk, token, next_due_at=next_due_at)
                start_next()

    summary.posts_checked = checking.check_pending_posts(account_ids=account_ids, now=now)
    service_links.check_service_links(account_ids=account_ids, now=now)
    checking.check_accounts(account_ids=account_ids, now=now)
    alerts.deliver_pending(now=now)
    summary.new_findings = _scope(Finding.objects.all(), account_ids).count() - findings_before
    summary.new_alerts = Alert.objects.filter(finding__in=_scope(Finding.objects.all(), account_ids)).count() - alerts_before
    return summary


def sweep(*, now: datetime) -> int:
    """The hourly pass over everyone: posts not yet checked (pushed or imported, or left by a worker that
    died), account checks (silence grows with the calendar, not with reads), alert deliveries to retry.
    Returns the number of posts checked."""
    checked = checking.check_pending_posts(now=now)
    service_links.check_service_links(now=now)  # the accounts' service links (art. 12), once a day each
    checking.check_accounts(now=now)
    alerts.deliver_pending(now=now)
    return checked

