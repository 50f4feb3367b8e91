"""Art. 5 over the ledger: accounts that break the holding rules, and look-alike accounts with little use
that should be merged or closed.

The report lists merge-or-close candidates with the reasons, for a supervisor to decide. It
never acts by itself.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import QuerySet

from govmedia import clock
from govmedia.errors import RuleViolation
from govmedia.orgs.models import User
from govmedia.registry.models import LIVE_STATUSES, Account, AccountStatus, FollowerSnapshot
from govmedia.registry.rules import HolderFacts, check_account_holder
from govmedia.registry.selectors import accounts_visible_to

LOW_FOLLOWERS = 1000
STAGNANT_DAYS = 180
STAGNANT_GROWTH = 0.01
SIMILARITY = 0.45


@dataclass
class Candidate:
    account: Account
    followers: int | None
    reasons: list[str] = field(default_factory=list)
    similar_to: list[Account] = field(default_factory=list)
    suggestion: str = ""


def _bigrams(account: Account) -> frozenset[str]:
    text = "".join(ch for ch in account.name + account.introduction if ch.isalnum())
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


def _jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    return len(x & y) / len(x | y) if x and y else 0.0


def similarity(a: Account, b: Account) -> float:
    """Jaccard similarity of character bigrams over name and introduction: robust for short Chinese texts."""
    return _jaccard(_bigrams(a), _bigrams(b))


def _follower_history(accounts: QuerySet[Account], today: date) -> dict[int, tuple[int | None, int | None]]:
    """(latest, about STAGNANT_DAYS ago) follower counts per account, in one query."""
    since = today - timedelta(days=STAGNANT_DAYS + 45)
    history: dict[int, list[tuple[date, int]]] = defaultdict(list)
    # A subquery, not a list of ids: a district's ledger would exceed SQLite's limit on query parameters.
    for account_id, taken_on, n in FollowerSnapshot.objects.filter(
        account__in=accounts.values("pk"), taken_on__gte=since
    ).values_list("account_id", "taken_on", "followers").order_by("taken_on"):
        history[account_id].append((taken_on, n))
    result = {}
    cutoff = today - timedelta(days=STAGNANT_DAYS)
    for account_id, rows in history.items():
        old = [n for d, n in rows if d <= cutoff]
        result[account_id] = (rows[-1][1], old[-1] if old else None)
    return result


def consolidation_candidates(user: User, today: date | None = None) -> list[Candidate]:
    """Two queries whatever the size of the ledger."""
    today = today or clock.today()
    normal = accounts_visible_to(user).filter(status=AccountStatus.NORMAL)
    accounts = list(normal)
    followers = _follower_history(normal, today)
    by_unit: dict[int, list[Account]] = defaultdict(list)
    for a in accounts:
        by_unit[a.host_unit_id].append(a)
    bigrams: dict[int, frozenset[str]] = {}
    candidates = []
    for a in accounts:
        latest, old = followers.get(a.pk, (None, None))
        low = latest is not None and latest < LOW_FOLLOWERS
        stagnant = latest is not None and old is not None and old > 0 and (latest - old) / old < STAGNANT_GROWTH
        c = Candidate(account=a, followers=latest)
        if low:
            c.reasons.append(f"关注量仅 {latest}，低于 {LOW_FOLLOWERS}")
        if stagnant:
            c.reasons.append(f"近 {STAGNANT_DAYS} 天关注量几乎无增长（{old}→{latest}）")
        if not (low or stagnant):
            continue
        siblings = [b for b in by_unit[a.host_unit_id] if b.pk != a.pk]
        for b in (a, *siblings):
            if b.pk not in bigrams:
                bigrams[b.pk] = _bigrams(b)
        c.similar_to = [b for b in siblings if _jaccard(bigrams[a.pk], bigrams[b.pk]) >= SIMILARITY]
        if c.similar_to:
            c.reasons.append("与本单位" + "、".join(f"{b.platform.name}“{b.name}”" for b in c.similar_to) + "功能相近")
        if siblings:
            best = max(siblings, key=lambda b: followers.get(b.pk, (None,))[0] or 0)
            c.suggestion = f"建议整合到“{best.name}”（{best.platform.name}）"
        else:
            c.suggestion = "确属无力维护的，建议关停"
        candidates.append(c)
    candidates.sort(key=lambda c: (c.account.host_unit.name, c.followers or 0))
    return candidates


@dataclass
class Violation:
    account: Account
    problems: list[str]


def rule_violations(user: User) -> list[Violation]:
    """Live accounts already in the ledger that art. 5 would refuse today (e.g. imported or pre-2020 ones).

    Each account is judged by the same `check_account_holder` that guards new applications, so the
    report and the refusal can never disagree. Three queries whatever the size of the ledger: the facts
    about every host unit are loaded at once.
    """
    live = accounts_visible_to(user).filter(status__in=LIVE_STATUSES)
    facts = HolderFacts(live.values("host_unit_id"))
    found = []
    for account in live:
        try:
            check_account_holder(host_unit=account.host_unit, platform=account.platform, name=account.name,
                                 registrant_kind=account.registrant_kind, exclude_account=account, facts=facts)
        except RuleViolation as error:
            found.append(Violation(account, [m for messages in error.message_dict.values() for m in messages]))
    return found
