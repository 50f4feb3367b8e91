"""Reads of the monitoring pages, scoped like the registry: a unit sees only its own accounts' sources, posts,
findings, alerts and repost tasks (registry.selectors.accounts_visible_to), an operator only the accounts
assigned to them."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from govmedia.monitoring.engine import codes
from govmedia.monitoring.highlight import highlighted_post
from govmedia.monitoring.models import (
    CLOSED_STATES,
    Alert,
    Finding,
    FindingState,
    LinkCheck,
    Post,
    PostKind,
    RepostCompletion,
    RepostTask,
    Source,
    SourceHealth,
)
from govmedia.monitoring.services.checking import url_hash
from govmedia.orgs.models import User
from govmedia.registry.models import Account, AccountStatus
from govmedia.registry.selectors import accounts_visible_to

UNRESOLVED_STATES = (FindingState.OPEN, FindingState.CONFIRMED)


def _scoped(queryset: QuerySet, user: User, path: str = "account") -> QuerySet:
    # A supervisor sees every account: no subquery over the whole post table for them.
    if user.is_district_supervisor:
        return queryset
    return queryset.filter(**{f"{path}__in": accounts_visible_to(user).values("pk")})


def sources_visible_to(user: User) -> QuerySet[Source]:
    return _scoped(Source.objects.select_related("account", "account__platform", "account__host_unit"), user)


def posts_visible_to(user: User) -> QuerySet[Post]:
    return _scoped(Post.objects.select_related("account", "account__platform", "account__host_unit"), user)


def findings_visible_to(user: User) -> QuerySet[Finding]:
    return _scoped(Finding.objects.select_related(
        "account", "account__platform", "account__host_unit", "post", "assignee", "assignee__person"), user)


def alerts_for(user: User) -> QuerySet[Alert]:
    """The user's own alerts, on findings they still see (a person who changed units keeps none of the old
    unit's)."""
    return _scoped(Alert.objects.select_related("finding", "finding__account", "finding__account__platform")
                   .filter(recipient=user), user, "finding__account")


def unread_alert_count(user: User) -> int:
    return alerts_for(user).filter(read_at__isnull=True).count()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The day's first moment and the next day's, in the district's time zone."""
    start = datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone())


# ---------------------------------------------------------------- duty reading


def duty_reading(user: User, day: date, *, unit: int | None = None, unread_only: bool = False) -> QuerySet[Post]:
    """The posts first seen on `day` in the user's scope, unread first, each with its findings and who read it."""
    start, end = day_bounds(day)
    qs = (posts_visible_to(user).filter(first_seen__gte=start, first_seen__lt=end)
          .select_related("duty_reading", "duty_reading__reader", "duty_reading__reader__person")
          .prefetch_related(Prefetch("findings", queryset=Finding.objects.order_by("pk")))
          .order_by(F("duty_reading__read_at").asc(nulls_first=True), "first_seen", "pk"))
    if unit:
        qs = qs.filter(account__host_unit_id=unit)
    if unread_only:
        qs = qs.filter(duty_reading__isnull=True)
    return qs


def for_display(posts) -> list[Post]:
    """Each post with `marked_title` and `marked_text` (escaped, its findings wrapped in <mark>) and `reading`
    (its DutyReading, or None)."""
    posts = list(posts)
    for post in posts:
        post.marked_title, post.marked_text = highlighted_post(post, post.findings.all())
        post.reading = getattr(post, "duty_reading", None)
    return posts


@dataclass
class BacklogRow:
    unit_id: int
    unit_name: str
    unread: int
    oldest: datetime


def unread_backlog(user: User) -> list[BacklogRow]:
    """Posts nobody on duty has read yet, per host unit, the most behind first: the district sees every
    unit's, a unit its own."""
    rows = (posts_visible_to(user).filter(duty_reading__isnull=True)
            .values("account__host_unit_id", "account__host_unit__name")
            .annotate(unread=Count("pk"), oldest=Min("first_seen")).order_by("-unread", "oldest"))
    return [BacklogRow(r["account__host_unit_id"], r["account__host_unit__name"], r["unread"], r["oldest"])
            for r in rows]


# ---------------------------------------------------------------- findings


def group_counts(code_counts) -> list[tuple[str, str, int]]:
    """(group, label, count) in the groups' order, from rows of (code, count)."""
    totals: dict[str, int] = {}
    for code, n in code_counts:
        group = codes.GROUP.get(code, "content")
        totals[group] = totals.get(group, 0) + n
    return [(group, label, totals[group]) for group, label in codes.GROUP_LABEL.items() if group in totals]


def codes_of_group(group: str) -> list[str]:
    return [code for code, g in codes.GROUP.items() if g == group]


def findings_for_list(user: User, *, state: str = "unresolved", group: str | None = None, code: str | None = None,
                      unit: int | None = None, account: int | None = None, severity: str | None = None,
                      found_from: date | None = None, found_to: date | None = None) -> QuerySet[Finding]:
    """The findings list: by state ('unresolved' = open or confirmed, 'all'), indicator group or code, host
    unit, account, severity, and the days they were first found."""
    qs = findings_visible_to(user)
    if state == "unresolved":
        qs = qs.filter(state__in=UNRESOLVED_STATES)
    elif state and state != "all":
        qs = qs.filter(state=state)
    if group:
        qs = qs.filter(code__in=codes_of_group(group))
    if code:
        qs = qs.filter(code=code)
    if unit:
        qs = qs.filter(account__host_unit_id=unit)
    if account:
        qs = qs.filter(account_id=account)
    if severity:
        qs = qs.filter(severity=severity)
    if found_from:
        qs = qs.filter(first_found_at__gte=day_bounds(found_from)[0])
    if found_to:
        qs = qs.filter(first_found_at__lt=day_bounds(found_to)[1])
    return qs


def finding_history(finding: Finding):
    return finding.events.select_related("actor", "actor__person")


# ---------------------------------------------------------------- an account's activity


@dataclass
class WeekCount:
    start: date
    count: int
    level: int  # 0–4, for shading: the page may not style a bar's width inline (CSP)


@dataclass
class AccountActivity:
    weeks: list[WeekCount]
    undated_posts: int  # first seen in the window, without a publish time (never counted as 'now')
    total_posts: int
    last_update: datetime | None
    last_original: datetime | None
    sources: list[Source]
    open_findings: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def open_findings_total(self) -> int:
        return sum(n for _, _, n in self.open_findings)


def _level(count: int, top: int) -> int:
    return 0 if count == 0 else max(1, -(-4 * count // top))


def account_activity(account: Account, today: date, weeks: int = 12) -> AccountActivity:
    """Posts per week over the last `weeks` weeks (Monday to Sunday, this one included), last update and last
    original, each source's health, open findings by indicator group. Source health is shown on its own: a
    broken source says nothing about whether the account published."""
    first_monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    start = day_bounds(first_monday)[0]
    counts = [0] * weeks
    for published in account.posts.filter(published_at__gte=start).values_list("published_at", flat=True):
        index = (timezone.localdate(published) - first_monday).days // 7
        if 0 <= index < weeks:
            counts[index] += 1
    top = max(counts) or 1
    latest = account.posts.aggregate(last=Max("published_at"),
                                     last_original=Max("published_at", filter=Q(kind=PostKind.ORIGINAL)),
                                     total=Count("pk"))
    open_by_code = (account.findings.exclude(state__in=CLOSED_STATES).values("code").annotate(n=Count("pk"))
                    .values_list("code", "n"))
    return AccountActivity(
        weeks=[WeekCount(first_monday + timedelta(weeks=i), n, _level(n, top)) for i, n in enumerate(counts)],
        undated_posts=account.posts.filter(published_at__isnull=True, first_seen__gte=start).count(),
        total_posts=latest["total"],
        last_update=latest["last"],
        last_original=latest["last_original"],
        sources=list(account.sources.order_by("pk")),
        open_findings=group_counts(open_by_code),
    )


def account_posts(account: Account) -> QuerySet[Post]:
    """An account's posts, newest first (unknown publish times by when they were first seen), with their
    unresolved findings counted."""
    return (account.posts.select_related("duty_reading")
            .annotate(unresolved=Count("findings", filter=Q(findings__state__in=UNRESOLVED_STATES)))
            .order_by(F("published_at").desc(nulls_last=True), "-first_seen", "-pk"))


# ---------------------------------------------------------------- repost tasks

DONE, PENDING, OVERDUE = "done", "pending", "overdue"
REPOST_STATUS_LABEL = {DONE: "已转载", PENDING: "未转载（未到期）", OVERDUE: "逾期未转载"}


def repost_tasks_visible_to(user: User) -> QuerySet[RepostTask]:
    """The district sees every task; a unit the tasks that name one of its accounts."""
    qs = RepostTask.objects.select_related("issued_by", "issued_by__person")
    if user.is_district_supervisor:
        return qs
    return qs.filter(pk__in=_task_accounts().filter(
        account_id__in=accounts_visible_to(user).values("pk")).values("reposttask_id"))


def _task_accounts() -> QuerySet:
    return RepostTask.accounts.through.objects


@dataclass
class RepostStatus:
    account: Account
    state: str
    completion: RepostCompletion | None

    @property
    def label(self) -> str:
        return REPOST_STATUS_LABEL[self.state]


def _state(done: bool, task: RepostTask, now: datetime) -> str:
    return DONE if done else (OVERDUE if task.deadline < now else PENDING)


def repost_statuses(task: RepostTask, user: User, now: datetime) -> list[RepostStatus]:
    """Each account of the task the user sees: done (with the post that did it), pending, or overdue."""
    accounts = _scoped(task.accounts.select_related("platform", "host_unit"), user, "pk")
    completions = {c.account_id: c for c in task.completions.select_related("post")}
    statuses = [RepostStatus(a, _state(a.pk in completions, task, now), completions.get(a.pk))
                for a in accounts.order_by("host_unit__name", "name")]
    order = {OVERDUE: 0, PENDING: 1, DONE: 2}
    return sorted(statuses, key=lambda s: order[s.state])


def with_repost_counts(tasks, user: User, now: datetime) -> list[RepostTask]:
    """Each task with `counts`: {done, pending, overdue} over the accounts the user sees."""
    tasks = list(tasks)
    pairs = _scoped(_task_accounts().filter(reposttask_id__in=[t.pk for t in tasks]), user, "account")
    done = set(RepostCompletion.objects.filter(task_id__in=[t.pk for t in tasks]).values_list("task_id", "account_id"))
    by_task: dict[int, list[int]] = {}
    for task_id, account_id in pairs.values_list("reposttask_id", "account_id"):
        by_task.setdefault(task_id, []).append(account_id)
    for task in tasks:
        task.counts = {DONE: 0, PENDING: 0, OVERDUE: 0}
        for account_id in by_task.get(task.pk, ()):
            task.counts[_state((task.pk, account_id) in done, task, now)] += 1
    return tasks


@dataclass
class OverdueRepost:
    task: RepostTask
    account: Account


def overdue_reposts(user: User, now: datetime) -> list[OverdueRepost]:
    """Accounts of the user's scope that have not carried out a task past its deadline, the oldest first."""
    done = RepostCompletion.objects.filter(task_id=OuterRef("reposttask_id"), account_id=OuterRef("account_id"))
    rows = (_scoped(_task_accounts().filter(reposttask__deadline__lt=now), user, "account")
            .exclude(Exists(done)).select_related("reposttask", "account", "account__host_unit")
            .order_by("reposttask__deadline", "account__name"))
    return [OverdueRepost(row.reposttask, row.account) for row in rows]


def accounts_picked(user: User, *, units=(), platforms=()) -> QuerySet[Account]:
    """The operating accounts of the picked host units on the picked platforms (either left empty: all)."""
    qs = accounts_visible_to(user).filter(status=AccountStatus.NORMAL)
    if units:
        qs = qs.filter(host_unit__in=units)
    if platforms:
        qs = qs.filter(platform__in=platforms)
    return qs


# ---------------------------------------------------------------- the overview


@dataclass
class UnitFindings:
    unit_id: int
    unit_name: str
    by_group: dict[str, int]
    total: int

    @property
    def cells(self) -> list[tuple[str, int]]:
        """(group, count) for every indicator group, in the groups' order."""
        return [(group, self.by_group.get(group, 0)) for group in codes.GROUP_LABEL]


@dataclass
class Overview:
    groups: list[tuple[str, str, int]]  # open findings by indicator group
    units: list[UnitFindings]  # open findings per host unit, by group
    broken_sources: list[Source]
    broken_sources_count: int
    overdue_reposts: list[OverdueRepost]
    overdue_reposts_count: int
    backlog: list[BacklogRow]


OVERVIEW_ROWS = 50


def overview(user: User, now: datetime) -> Overview:
    rows = (findings_visible_to(user).filter(state__in=UNRESOLVED_STATES)
            .values("account__host_unit_id", "account__host_unit__name", "code").annotate(n=Count("pk"))
            .order_by())
    units: dict[int, UnitFindings] = {}
    for row in rows:
        unit = units.setdefault(row["account__host_unit_id"], UnitFindings(
            row["account__host_unit_id"], row["account__host_unit__name"], {}, 0))
        group = codes.GROUP.get(row["code"], "content")
        unit.by_group[group] = unit.by_group.get(group, 0) + row["n"]
        unit.total += row["n"]
    broken = sources_visible_to(user).filter(is_active=True, health=SourceHealth.BROKEN).order_by("broken_since", "pk")
    overdue = overdue_reposts(user, now)
    return Overview(
        groups=group_counts((row["code"], row["n"]) for row in rows),
        units=sorted(units.values(), key=lambda u: (-u.total, u.unit_name)),
        broken_sources=list(broken[:OVERVIEW_ROWS]),
        broken_sources_count=broken.count(),
        overdue_reposts=overdue[:OVERVIEW_ROWS],
        overdue_reposts_count=len(overdue),
        backlog=unread_backlog(user),
    )


def latest_link_checks(urls) -> dict[str, LinkCheck]:
    """The link checker's latest verdict on each URL given (keys as given); a URL never checked is left out."""
    hashes = {url: url_hash(url) for url in urls}
    latest = {}
    for check in LinkCheck.objects.filter(url_hash__in=set(hashes.values())).order_by("url_hash", "-day"):
        latest.setdefault(check.url_hash, check)
    return {url: latest[key] for url, key in hashes.items() if key in latest}
