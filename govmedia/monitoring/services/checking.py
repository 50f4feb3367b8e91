"""Checking: every new post as it arrives, and every account over a window of days.

Posts (`check_pending_posts`): the posts not yet checked, oldest first, in batches. A batch's links are
checked together, each once a day (LinkCheck rows are the day's verdicts, shared by every worker); then
each post is checked by the engine's `check_post` (text checker, broken links, repost source) and its
findings stored in one transaction with its `checked_at`, so a worker killed mid-run leaves its unchecked
posts to the next run and never stores a finding twice. A post that carries out a repost task is recorded
as the task's completion. A post of a unit that reviews before publishing (issue 9) is matched to its
approved draft, or found `unreviewed_post` (publishing.services.publication).

Accounts (`check_accounts`): for each live account whose activity can be known from its sources (one of them
read successfully, or a push or import source: a broken source says nothing, and an account with no source
is not judged), the activity rules over the last eight weeks, overdue repost tasks and follower anomalies.
Findings that no longer hold are marked FIXED: a silence the account broke, a repost task done late, a
week that posts later read turned out not to be silent.
"""

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govmedia.contentcheck.services import active_checker
from govmedia.monitoring.engine import codes
from govmedia.monitoring.engine.activity import ActivityPolicy, PostFacts, account_findings, activity_known
from govmedia.monitoring.engine.followers import HISTORY_DAYS, follower_anomalies
from govmedia.monitoring.engine.linkcheck import LinkChecker, normalize_url
from govmedia.monitoring.engine.postchecks import ApprovedNames, check_post
from govmedia.monitoring.engine.reposts import RepostTaskFacts, completion
from govmedia.monitoring.engine.types import BROKEN, OK, ORIGINAL, AccountFinding, FetchedPost, LinkVerdict
from govmedia.monitoring.models import (
    POLLED_KINDS,
    ApprovedSource,
    Finding,
    LinkCheck,
    MonitoringPolicy,
    Post,
    RepostCompletion,
    RepostTask,
    SourceHealth,
)
from govmedia.monitoring.services.findings import (
    ACTIVE_STATES,
    account_fingerprint,
    fix_findings,
    record_account_findings,
    record_post_findings,
)
from govmedia.monitoring.services.ingest import lock_account
from govmedia.publishing.services.publication import review_starts, unreviewed_post_findings
from govmedia.registry.models import LIVE_STATUSES, Account, FollowerSnapshot

log = logging.getLogger(__name__)

BATCH = 200
# Links of unchecked posts are checked ahead of the posts, this many distinct links per checker run. Each run
# ends waiting on its slowest link (a timeout and its retry), so runs are few: a day's links of a whole
# district fit in one, and the checker holds about 0.6 KB per link, so memory stays within ~60 MB however
# many accounts there are.
LINK_CHUNK = 100_000
WINDOW_DAYS = 56  # eight weeks, ending today
# The district office may issue a task for a notice some accounts already reposted.
REPOST_LOOKBACK = timedelta(days=7)
SILENCE_CODES = (codes.NO_UPDATE_2_WEEKS, codes.SLEEPING, codes.ZOMBIE)
# Findings about a stretch of days: fixed only when the stretch lies in the window judged, so one that
# merely slid out of the window stays as it was.
PERIOD_START = {codes.NOT_WEEKLY: "week_start", codes.NO_ORIGINAL_2_WEEKS: "stretch_start"}
_LINK_MAX = LinkCheck._meta.get_field("url").max_length


# ---------------------------------------------------------------- posts


def check_pending_posts(*, account_ids: Iterable[int] | None = None, now: datetime,
                        link_checker: LinkChecker | None = None) -> int:
    """Check the posts not yet checked (of `account_ids`, or all); returns how many were checked. Links go
    to `link_checker`, by default one that reaches private addresses only if GOVMEDIA_MONITOR_ALLOW_PRIVATE."""
    checker = active_checker()
    approved = ApprovedNames.from_names(
        name for source in ApprovedSource.objects.filter(is_active=True) for name in source.names())
    link_checker = link_checker or default_link_checker()
    pending = Post.objects.filter(checked_at__isnull=True).defer("html")
    if account_ids is not None:
        pending = pending.filter(account_id__in=list(account_ids))
    check_pending_links(pending, now=now, checker=link_checker)
    checked, after = 0, 0
    while batch := list(pending.filter(pk__gt=after).order_by("pk")[:BATCH]):
        after = batch[-1].pk
        verdicts = link_verdicts([link for post in batch for link in post.links], now=now, checker=link_checker)
        tasks = _pending_tasks({post.account_id for post in batch})
        reviewing = review_starts({post.account_id for post in batch})
        had_findings = set(Finding.objects.filter(post__in=batch).values_list("post_id", flat=True))
        for post in batch:
            try:
                checked += _check_post(post, checker, approved, verdicts, tasks[post.account_id], now,
                                       rechecked=post.pk in had_findings,
                                       review_since=reviewing.get(post.account_id))
            except Exception:  # one post the checks choke on must not hold up every post after it
                log.exception("checking post %s failed; it stays unchecked", post.pk)
    return checked


def _check_post(post: Post, checker, approved: ApprovedNames, verdicts: dict[str, LinkVerdict],
                tasks: list[tuple[RepostTask, RepostTaskFacts]], now: datetime, *, rechecked: bool,
                review_since: datetime | None = None) -> bool:
    fetched = as_fetched(post)
    findings = check_post(fetched, checker=checker, verdicts=verdicts, approved=approved)
    with transaction.atomic():
        # The claim: this UPDATE's row lock lasts until commit, so a second worker on the same post waits,
        # then finds it checked and leaves it.
        if not Post.objects.filter(pk=post.pk, checked_at__isnull=True).update(checked_at=now):
            return False
        if review_since is not None:  # the unit reviews before publishing (issue 9): was this post reviewed?
            findings = [*findings, *unreviewed_post_findings(post=post, since=review_since, now=now)]
        recorded = record_post_findings(post=post, findings=findings, now=now, verdicts=verdicts)
        if rechecked:  # edited on the platform: what the edit removed is fixed
            stale = Finding.objects.filter(post=post, state__in=ACTIVE_STATES).exclude(
                fingerprint__in=recorded.fingerprints)
            fix_findings(list(stale), now=now, note="信息修改后复查未再发现该问题，自动标记为已整改")
        record_completions(post, fetched, tasks, now)
    return True


def as_fetched(post: Post) -> FetchedPost:
    """A stored post as the engine's checks take it."""
    return FetchedPost(
        post_id=post.platform_post_id, url=post.url, title=post.title, published=post.published_at,
        text=post.text, kind=post.kind, repost_source=post.repost_source, links=list(post.links),
        media_count=post.media_count, reads=post.reads, likes=post.likes, comments=post.comments,
        shares=post.shares, content_hash=post.content_hash)


def default_link_checker() -> LinkChecker:
    """The link checker with the deployment's limits (settings.GOVMEDIA_LINKCHECK); private addresses only if
    GOVMEDIA_MONITOR_ALLOW_PRIVATE."""
    return LinkChecker(allow_private=settings.GOVMEDIA_MONITOR_ALLOW_PRIVATE, **settings.GOVMEDIA_LINKCHECK)


def check_pending_links(pending, *, now: datetime, checker: LinkChecker, chunk: int = LINK_CHUNK) -> int:
    """Give every link of the `pending` posts today's verdict before the posts are checked; returns how many
    links were checked. Checked per batch of posts, one slow link would hold each batch for its whole timeout;
    across every pending post at once, it holds one request slot while the rest go on."""
    seen: set[str] = set()
    todo: list[str] = []
    checked = 0
    for links in pending.values_list("links", flat=True).iterator(chunk_size=2_000):
        for link in links:
            if link not in seen:
                seen.add(link)
                todo.append(link)
        if len(todo) >= chunk:  # later chunks find these links' verdicts stored, so `seen` can start over
            checked += len(link_verdicts(todo, now=now, checker=checker))
            seen, todo = set(), []
    if todo:
        checked += len(link_verdicts(todo, now=now, checker=checker))
    return checked


def url_hash(url: str) -> str:
    """The LinkCheck key of a link: sha256 of its normalized form."""
    return hashlib.sha256(normalize_url(url).encode()).hexdigest()


def link_verdicts(links: Iterable[str], *, now: datetime, checker: LinkChecker) -> dict[str, LinkVerdict]:
    """A verdict for each link (keys as given): today's stored verdict, or the checker's, stored for the day."""
    day = timezone.localdate(now)
    normal = {link: normalize_url(link) for link in links}
    hashes = {url: url_hash(url) for url in set(normal.values())}
    stored = {row.url_hash: row for row in LinkCheck.objects.filter(day=day, url_hash__in=list(hashes.values()))}
    found = {url: LinkVerdict(url=url, verdict=row.verdict, http_status=row.http_status, final_url=row.final_url,
                              detail=row.detail)
             for url, key in hashes.items() if (row := stored.get(key)) is not None}
    missing = [url for url in hashes if url not in found]
    if missing:
        checked = checker.check_many(missing, today=day)
        # Two workers checking the same link on the same day: the first row stays, the second is dropped.
        LinkCheck.objects.bulk_create([
            LinkCheck(url=url[:_LINK_MAX], url_hash=hashes[url], day=day, verdict=verdict.verdict,
                      http_status=verdict.http_status, final_url=verdict.final_url[:_LINK_MAX],
                      detail=verdict.detail[:500], checked_at=now)
            for url, verdict in checked.items()], ignore_conflicts=True, batch_size=500)
        found |= checked
    return {link: found[url] for link, url in normal.items()}


# ---------------------------------------------------------------- repost tasks


def _pending_tasks(account_ids: set[int]) -> defaultdict[int, list[tuple[RepostTask, RepostTaskFacts]]]:
    """Each account's repost tasks it has not yet been seen to carry out."""
    done = set(RepostCompletion.objects.filter(account_id__in=account_ids).values_list("task_id", "account_id"))
    pairs = [(task_id, account_id) for task_id, account_id in RepostTask.accounts.through.objects.filter(
        account_id__in=account_ids).values_list("reposttask_id", "account_id") if (task_id, account_id) not in done]
    tasks = RepostTask.objects.in_bulk({task_id for task_id, _ in pairs})
    pending = defaultdict(list)
    for task_id, account_id in pairs:
        task = tasks[task_id]
        phrases = tuple(line.strip() for line in task.match_phrases.splitlines() if line.strip())
        pending[account_id].append((task, RepostTaskFacts(title=task.title, url=task.notice_url, phrases=phrases)))
    return pending


def record_completions(post: Post, fetched: FetchedPost, tasks: list[tuple[RepostTask, RepostTaskFacts]],
                       now: datetime) -> None:
    """Record the tasks `post` carries out, and take them off `tasks`."""
    when = post.published_at or post.first_seen
    done = []
    for task, facts in list(tasks):
        if when >= task.issued_at - REPOST_LOOKBACK and (matched_by := completion(facts, fetched)):
            done.append(RepostCompletion(task=task, account_id=post.account_id, post=post, matched_by=matched_by,
                                         detected_at=now))
            tasks.remove((task, facts))
    RepostCompletion.objects.bulk_create(done, ignore_conflicts=True)


# ---------------------------------------------------------------- accounts


def check_accounts(*, account_ids: Iterable[int] | None = None, now: datetime) -> int:
    """Judge each live account whose activity can be known; returns how many were judged."""
    today = timezone.localdate(now)
    thresholds = MonitoringPolicy.objects.order_by("pk").first() or MonitoringPolicy()
    policy = ActivityPolicy(sleeping_days=thresholds.sleeping_days, zombie_days=thresholds.zombie_days)
    accounts = Account.objects.filter(status__in=LIVE_STATUSES).prefetch_related("sources").order_by("pk")
    if account_ids is not None:
        accounts = accounts.filter(pk__in=list(account_ids))
    judged = 0
    for account in accounts:
        sources = [source for source in account.sources.all() if source.is_active]
        if not activity_known(_status(source) for source in sources):
            continue
        start = _window_start(account, sources, today)
        if start > today:
            continue  # not live yet
        with transaction.atomic():
            lock_account(account.pk)
            tasks = _pending_tasks({account.pk})[account.pk]
            _find_completions(account, tasks, now)
            found = [*_activity(account, policy, start, today), *_overdue(tasks, now),
                     *_follower_findings(account, thresholds, start)]
            recorded = record_account_findings(account=account, findings=found, now=now, window=(start, today))
            fix_findings(_no_longer_holding(account, found, recorded.fingerprints, start), now=now,
                         note=f"{today} 复查时问题已不存在，自动标记为已整改")
        judged += 1
    return judged


def _status(source) -> str:
    if source.health == SourceHealth.BROKEN:
        return BROKEN
    if source.kind in POLLED_KINDS:
        return OK if source.health == SourceHealth.OK else SourceHealth.UNKNOWN
    return OK  # push and import sources are never read: posts arrive when they arrive


def _window_start(account: Account, sources, today: date) -> date:
    """Eight weeks back, but not before the account went live, nor before its posts can be known from:
    the oldest post on record (a feed lists its history), else, for an account read by no feed, the day
    its first source was added."""
    start = today - timedelta(days=WINDOW_DAYS - 1)
    if account.live_on:
        start = max(start, account.live_on)
    oldest = account.posts.filter(published_at__isnull=False).order_by("published_at").values_list(
        "published_at", flat=True).first()
    if oldest is not None:
        return max(start, timezone.localdate(oldest))
    if not any(source.kind in POLLED_KINDS and _status(source) == OK for source in sources):
        start = max(start, min(timezone.localdate(source.created_at) for source in sources))
    return start


def _activity(account: Account, policy: ActivityPolicy, start: date, today: date) -> list[AccountFinding]:
    since = _day_start(start)
    posts = account.posts.filter(published_at__gte=since).values_list("published_at", "kind")
    facts = [PostFacts(published, kind) for published, kind in posts]
    facts += [PostFacts(None) for _ in account.posts.filter(published_at__isnull=True, first_seen__gte=since)
              .values_list("pk", flat=True)]
    # The last update and the last original before the window say how long a silence has lasted.
    earlier = account.posts.filter(published_at__lt=since).order_by("-published_at")
    for before in (earlier, earlier.filter(kind=ORIGINAL)):
        if (row := before.values_list("published_at", "kind").first()) is not None:
            facts.append(PostFacts(*row))
    return [_stable_key(found, start) for found in account_findings(facts, as_of=today, policy=policy,
                                                                     window_start=start)]


def _stable_key(found: AccountFinding, start: date) -> AccountFinding:
    # A stretch with no post known before it is keyed by the window's first day, which moves on every day;
    # its real start is unknown, and tomorrow it is the same stretch.
    if found.key == start.isoformat() and None in (found.evidence.get("last_update", ""),
                                                   found.evidence.get("last_original", "")):
        return replace(found, key="before-window")
    return found


def _find_completions(account: Account, tasks: list[tuple[RepostTask, RepostTaskFacts]], now: datetime) -> None:
    """Look for the pending tasks among the posts checked before they were issued (later posts were
    looked at when they were checked)."""
    if not tasks:
        return
    issued = [task.issued_at for task, _ in tasks]
    posts = account.posts.filter(first_seen__gte=min(issued) - REPOST_LOOKBACK, first_seen__lt=max(issued))
    for post in posts.defer("html").order_by("pk"):
        record_completions(post, as_fetched(post), tasks, now)
        if not tasks:
            return


def _overdue(tasks: list[tuple[RepostTask, RepostTaskFacts]], now: datetime) -> list[AccountFinding]:
    return [AccountFinding(
        codes.REPOST_TASK_OVERDUE,
        f"未在 {timezone.localtime(task.deadline):%Y-%m-%d %H:%M} 前转载“{task.title}”",
        f"task:{task.pk}",
        {"task_id": task.pk, "title": task.title, "notice_url": task.notice_url,
         "deadline": task.deadline.isoformat()},
    ) for task, _ in tasks if task.deadline < now]


def _follower_findings(account: Account, thresholds: MonitoringPolicy, start: date) -> list[AccountFinding]:
    since = start - timedelta(days=HISTORY_DAYS)
    snapshots = FollowerSnapshot.objects.filter(account=account, taken_on__gte=since).values_list(
        "taken_on", "followers")
    popular = {timezone.localdate(published) for published in account.posts.filter(
        published_at__gte=_day_start(since), reads__gte=thresholds.popular_post_reads).values_list(
        "published_at", flat=True)}
    return follower_anomalies(snapshots, popular, growth_factor=thresholds.follower_growth_factor,
                              min_growth=thresholds.follower_min_growth)


def _no_longer_holding(account: Account, found: list[AccountFinding], current: set[str], start: date
                       ) -> list[Finding]:
    """The account's open findings that this check would have found again if they still held.

    Silences end when the account posts; an overdue repost task ends when the repost is seen; a silent
    week or stretch without originals ends only if posts now fill it, which is known only while it lies
    in the window. A follower anomaly is an event, not a state: a person closes it.
    """
    # A sleeping account that has become a zombie is worse, not fixed.
    current = current | {account_fingerprint(account.pk, replace(f, code=codes.SLEEPING))
                         for f in found if f.code == codes.ZOMBIE}
    candidates = Finding.objects.filter(
        account=account, post__isnull=True, state__in=ACTIVE_STATES,
        code__in=[*SILENCE_CODES, *PERIOD_START, codes.REPOST_TASK_OVERDUE]).exclude(fingerprint__in=current)
    return [finding for finding in candidates
            if finding.code not in PERIOD_START
            or finding.evidence.get(PERIOD_START[finding.code], "") >= start.isoformat()]


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))
