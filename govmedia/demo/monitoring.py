"""The demo's monitoring: every open account publishes on the platform simulator (govmedia.simulator),
which `make run` starts and reads once before serving, so findings, alerts and a duty-reading backlog are
there from the first minute.

The simulator's demo world is built from the list `simulator_accounts()` gives it (`govmedia
simulator_accounts`): each account's key is its registry account ID. The simulator plants its problems
(typos, ads, secret markings, broken links, unnamed and unapproved repost sources, silent and zombie
accounts, missed reposts, one broken source per failure mode) on accounts it draws by its seed; a few
are pinned here so that the demo's logins each meet one in their own scope. The district's repost tasks
are the simulator's own (one every 21 days, the same for a given seed), issued here by the supervisor, and
the district's own outlet, which those reposts name, is designated an approved source.

Nothing here reads the simulator: sources exist before anything is read, so the demo loads without it.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet

from govmedia.demo import district
from govmedia.monitoring.models import ApprovedSource, RepostTask, Source, SourceKind, SourceLevel
from govmedia.monitoring.services.cycle import MONITORED_STATUSES
from govmedia.orgs.models import User
from govmedia.registry.models import Account
from govmedia.simulator import World, feed_url, platform, source_kind
from govmedia.simulator.platforms import FULL

SIMULATOR_SEED = 0  # the simulator's default --seed: its repost tasks fall on the same days
SIMULATOR_DAYS = 30  # the simulator's default --days: the window its feeds (and tasks) cover

# (unit code, platform code) → what its account publishes, so that each demo login sees a problem:
# edu_admin and edu_operator a typo, lsw_admin a secret marking (which also escalates to the
# supervisor), hospital_leader a broken link. The simulator never draws these accounts for another problem.
PINNED: dict[tuple[str, str], dict] = {
    ("edu", "weibo"): {"plants": ["typo"]},
    ("lsw", "wechat-subscription"): {"plants": ["secret_marking"]},
    ("hospital", "wechat-service"): {"plants": ["broken_link"]},
}
# Apps whose publishing systems also report each post through the push API (issue 7: several sources).
PUSHED: set[tuple[str, str]] = {("office", "app"), ("sic", "app")}
# The district's own outlet, which its accounts repost (the simulator names it in every task repost): the
# district designates it as an approved source (art. 11), beside the shipped national to municipal list.
DISTRICT_OUTLET = ("青岛西海岸发布", ["西海岸发布", "青岛西海岸新区管委办公室"])


def monitored_accounts() -> QuerySet[Account]:
    return Account.objects.filter(status__in=MONITORED_STATUSES).select_related("platform", "host_unit")


def _unit_codes() -> dict[str, str]:
    return {spec.name: spec.code for spec in district.UNITS}


def simulator_accounts() -> list[dict]:
    """The simulator's --accounts-file: one entry per monitored account (key = the registry account ID)."""
    codes = _unit_codes()
    rows = []
    for account in monitored_accounts().order_by("pk"):
        row = {"key": account.account_id, "platform": account.platform.code, "name": account.name}
        row.update(PINNED.get((codes.get(account.host_unit.name), account.platform.code), {}))
        rows.append(row)
    return rows


def add_sources(*, base_url: str | None = None) -> int:
    """A source on the simulator for every monitored account (a feed, or a listing page for apps and mini
    programs), and a push source beside it for PUSHED. Returns the number of sources added."""
    base_url = base_url or settings.GOVMEDIA_SIMULATOR_URL
    codes = _unit_codes()
    added = 0
    for account in monitored_accounts():
        code = account.platform.code
        Source.objects.create(account=account, kind=source_kind(code), url=feed_url(base_url, code, account.account_id))
        added += 1
        if (codes.get(account.host_unit.name), code) in PUSHED:
            Source.objects.create(account=account, kind=SourceKind.PUSH)
            added += 1
    return added


def designate_district_outlet() -> ApprovedSource:
    name, aliases = DISTRICT_OUTLET
    return ApprovedSource.objects.create(name=name, level=SourceLevel.DISTRICT, aliases="\n".join(aliases))


def issue_repost_tasks(*, issued_by: User, now: datetime, base_url: str | None = None) -> list[RepostTask]:
    """The simulator's repost tasks of the last 30 days, required of every monitored account whose feed
    carries whole posts, title and links (not video captions or abstracts, where a repost may not show)."""
    base_url = (base_url or settings.GOVMEDIA_SIMULATOR_URL).rstrip("/")
    required = [a for a in monitored_accounts() if platform(a.platform.code).text == FULL]
    issued = []
    for task in World([], seed=SIMULATOR_SEED, days=SIMULATOR_DAYS).tasks(now):
        repost_task = RepostTask.objects.create(title=task.title, notice_url=base_url + task.path,
                                                deadline=task.deadline, issued_by=issued_by, issued_at=task.issued)
        repost_task.accounts.add(*required)
        issued.append(repost_task)
    return issued
