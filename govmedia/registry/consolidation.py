"""Art. 5 over the ledger: accounts that break the holding rules, and look-alike accounts with little use
that should be merged or closed.

The report lists merge-or-close candidates with the reasons, for a supervisor to decide. It
never acts by itself.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from govmedia import clock
from govmedia.errors import RuleViolation
from govmedia.orgs.models import Unit, User
from govmedia.registry.models import LIVE_STATUSES, Account, AccountStatus, FollowerSnapshot, Platform
from govmedia.registry.rules import HolderFacts, check_account_holder
from govmedia.registry.selectors import accounts_visible_to

LOW_FOLLOWERS = 1000
STAGNANT_DAYS = 180
STAGNANT_GROWTH = 0.01
SIMILARITY = 0.45


@dataclass(slots=True, eq=False)
class LiveAccount:
    """A live account as the report judges and shows it. Built from plain rows: full model instances (with
    their units) for a district's ledger took most of the page's time."""

    pk: int
    name: str
    introduction: str
    status: str
    registrant_kind: str
    followers: int | None  # the latest count in the last STAGNANT_DAYS + 45 days
    followers_before: int | None  # the latest count of that window at least STAGNANT_DAYS old
    host_unit: Unit
    platform: Platform

    @property
    def host_unit_id(self) -> int:
        return self.host_unit.pk

    def get_absolute_url(self) -> str:
        return reverse("account_detail", args=[self.pk])

    def get_status_display(self) -> str:
        return AccountStatus(self.status).label


def _followers_on_or_before(last_day: date, since: date):
    return Subquery(FollowerSnapshot.objects.filter(account=OuterRef("pk"), taken_on__gte=since,
                                                    taken_on__lte=last_day).order_by("-taken_on").values("followers")[:1])


def live_accounts_in_remit(user: User, today: date | None = None) -> list[LiveAccount]:
    """The live accounts the user sees, with their follower counts, host units and platforms: three queries."""
    today = today or clock.today()
    since = today - timedelta(days=STAGNANT_DAYS + 45)
    live = accounts_visible_to(user).filter(status__in=LIVE_STATUSES)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=live.values("host_unit_id"))}
    platforms = {p.pk: p for p in Platform.objects.all()}
    rows = live.annotate(
        followers=_followers_on_or_before(today, since),
        followers_before=_followers_on_or_before(today - timedelta(days=STAGNANT_DAYS), since),
    ).values_list("pk", "name", "introduction", "status", "registrant_kind", "followers", "followers_before",
                  "host_unit_id", "platform_id")
    return [LiveAccount(*row, units[unit_id], platforms[platform_id]) for *row, unit_id, platform_id in rows]


@dataclass
class Candidate:
    account: LiveAccount
    followers: int | None
    reasons: list[str] = field(default_factory=list)
    similar_to: list[LiveAccount] = field(default_factory=list)
    suggestion: str = ""


# Each account is compared with every sibling of its unit: its bigrams are computed once per text.
@lru_cache(maxsize=4096)
def _bigrams(text: str) -> frozenset[str]:
    if not text.isalnum():
        text = "".join(filter(str.isalnum, text))
    return frozenset([text[i:i + 2] for i in range(len(text) - 1)])


def similarity(a: Account | LiveAccount, b: Account | LiveAccount) -> float:
    """Jaccard similarity of character bigrams over name and introduction: robust for short Chinese texts."""
    x, y = _bigrams(a.name + a.introduction), _bigrams(b.name + b.introduction)
    if not x or not y:
        return 0.0
    common = len(x & y)
    return common / (len(x) + len(y) - common)


def consolidation_candidates(user: User, today: date | None = None,
                             accounts: list[LiveAccount] | None = None) -> list[Candidate]:
    """Three queries whatever the size of the ledger; none when `accounts` (live_accounts_in_remit) are passed."""
    if accounts is None:
        accounts = live_accounts_in_remit(user, today)
    accounts = [a for a in accounts if a.status == AccountStatus.NORMAL]
    by_unit: dict[int, list[LiveAccount]] = defaultdict(list)
    for a in accounts:
        by_unit[a.host_unit_id].append(a)
    candidates = []
    for a in accounts:
        latest, old = a.followers, a.followers_before
        low = latest is not None and latest < LOW_FOLLOWERS
        stagnant = latest is not None and old is not None and old > 0 and (latest - old) / old < STAGNANT_GROWTH
        if not (low or stagnant):
            continue
        c = Candidate(account=a, followers=latest)
        if low:
            c.reasons.append(f"关注量仅 {latest}，低于 {LOW_FOLLOWERS}")
        if stagnant:
            c.reasons.append(f"近 {STAGNANT_DAYS} 天关注量几乎无增长（{old}→{latest}）")
        siblings = [b for b in by_unit[a.host_unit_id] if b.pk != a.pk]
        c.similar_to = [b for b in siblings if similarity(a, b) >= SIMILARITY]
        if c.similar_to:
            c.reasons.append("与本单位" + "、".join(f"{b.platform.name}“{b.name}”" for b in c.similar_to) + "功能相近")
        if siblings:
            best = max(siblings, key=lambda b: b.followers or 0)
            c.suggestion = f"建议整合到“{best.name}”（{best.platform.name}）"
        else:
            c.suggestion = "确属无力维护的，建议关停"
        candidates.append(c)
    candidates.sort(key=lambda c: (c.account.host_unit.name, c.followers or 0))
    return candidates


@dataclass
class Violation:
    account: LiveAccount
    problems: list[str]


def rule_violations(user: User, accounts: list[LiveAccount] | None = None) -> list[Violation]:
    """Live accounts already in the ledger that art. 5 would refuse today (e.g. imported or pre-2020 ones).

    Each account is judged by the same `check_account_holder` that guards new applications, so the
    report and the refusal can never disagree. Five queries whatever the size of the ledger, two when
    `accounts` (live_accounts_in_remit) are passed: the facts about every host unit are loaded at once.
    """
    if accounts is None:
        accounts = live_accounts_in_remit(user)
    facts = HolderFacts(accounts_visible_to(user).filter(status__in=LIVE_STATUSES).values("host_unit_id"))
    found = []
    for account in accounts:
        try:
            check_account_holder(host_unit=account.host_unit, platform=account.platform, name=account.name,
                                 registrant_kind=account.registrant_kind, exclude_account=account, facts=facts)
        except RuleViolation as error:
            found.append(Violation(account, [m for messages in error.message_dict.values() for m in messages]))
    return found


@dataclass
class Report:
    violations: list[Violation]
    candidates: list[Candidate]


def consolidation_report(user: User, today: date | None = None) -> Report:
    """The rule-check page: both halves from one load of the user's live accounts, five queries."""
    accounts = live_accounts_in_remit(user, today)
    return Report(rule_violations(user, accounts), consolidation_candidates(user, today, accounts))
