"""The review ledger (信息审核发布登记台账): one entry per published item, chained by hash per unit.

An entry's hash is sha256 over the canonical JSON of its content, the previous entry's hash and its own
sequence number, so rewriting, deleting or reordering rows breaks the chain at that entry (verify_chain).
Each unit's LedgerHead holds the newest sequence and hash: appends lock it, and deleting the newest entry
leaves it pointing past the end. Rewriting a whole chain from some entry onward, head included, is caught
by the daily anchors (a hash over every chain head at the end of the day) that supervisors note outside
the system.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from govmedia.errors import RuleViolation
from govmedia.orgs.models import Unit
from govmedia.publishing.models import (
    SERIOUS_CATEGORIES,
    Draft,
    FindingAcceptance,
    LedgerAnchor,
    LedgerEntry,
    LedgerHead,
    ReviewDecision,
    VersionFinding,
)
from govmedia.textcheck.categories import LABEL

GENESIS = "0" * 64


def canonical(content: dict) -> str:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(content: dict, previous_hash: str, sequence: int) -> str:
    return hashlib.sha256(f"{canonical(content)}\n{previous_hash}\n{sequence}".encode()).hexdigest()


def _when(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def ledger_content(draft: Draft) -> dict:
    """What the ledger keeps of a published draft: who wrote it, every decision of every round, the grade,
    the serious findings of any version and how each was handled, where and when it went out."""
    decisions = ReviewDecision.objects.filter(step__draft=draft).select_related(
        "step", "reviewer__person", "version").order_by("at", "pk")
    current = draft.current_version
    in_final = set(VersionFinding.objects.filter(version=current).values_list("category", "text"))
    accepted = {(a.category, a.text): a for a in FindingAcceptance.objects.filter(draft=draft)}
    findings = []
    seen = set()
    for f in VersionFinding.objects.filter(version__draft=draft).order_by("version__number", "start", "pk"):
        key = (f.category, f.text)
        if key in seen or (f.category not in SERIOUS_CATEGORIES and key not in in_final):
            continue
        seen.add(key)
        if key in accepted:
            handling = f"保留：{accepted[key].reason}（{accepted[key].accepted_by.display_name}）"
        elif key not in in_final:
            handling = "已修改"
        else:
            handling = "提示"
        findings.append({"category": LABEL.get(f.category, f.category), "text": f.text, "handling": handling})
    return {
        "draft": draft.pk,
        "title": draft.title,
        "unit": draft.unit.name,
        "author": draft.author.display_name,
        "accounts": sorted(draft.accounts.values_list("name", flat=True)),
        "origin": draft.get_origin_display() + (f"（{draft.source_name}）" if draft.source_name else ""),
        "grade": draft.get_grade_display(),
        "emergency": draft.emergency,
        "emergency_reason": draft.emergency_reason,
        "full_review_done_at": _when(draft.full_review_done_at),
        "versions": current.number,
        "reviews": [{"round": d.step.round, "step": d.step.label, "reviewer": d.reviewer.display_name,
                     "decision": d.get_decision_display(), "comment": d.comment, "at": _when(d.at),
                     "version": d.version.number} for d in decisions],
        "findings": findings,
        "published_url": draft.published_url,
        "published_at": _when(draft.published_at),
    }


@transaction.atomic
def ledger_append(*, draft: Draft, now: datetime) -> LedgerEntry:
    """Put the published draft on its unit's ledger, at the end of the chain."""
    LedgerHead.objects.get_or_create(unit=draft.unit)
    head = LedgerHead.objects.select_for_update().get(unit=draft.unit)
    content = ledger_content(draft)
    sequence = head.sequence + 1
    previous = head.hash or GENESIS
    entry = LedgerEntry.objects.create(unit=draft.unit, sequence=sequence, draft=draft, content=content,
                                       previous_hash=previous, hash=entry_hash(content, previous, sequence),
                                       recorded_at=now)
    head.sequence, head.hash = sequence, entry.hash
    head.save(update_fields=["sequence", "hash"])
    return entry


@dataclass(frozen=True)
class Verdict:
    unit: Unit
    verified: int
    problem: str = ""  # empty when the chain is intact

    @property
    def intact(self) -> bool:
        return not self.problem


def _hashed_sequence(entry: LedgerEntry, highest: int) -> int | None:
    """The sequence number the entry's hash was made with, if its content and previous hash are unchanged."""
    for sequence in range(1, highest + 1):
        if entry_hash(entry.content, entry.previous_hash, sequence) == entry.hash:
            return sequence
    return None


def verify_chain(unit: Unit) -> Verdict:
    """Walk the unit's chain in sequence order and name the first entry edited, deleted or reordered."""
    entries = list(LedgerEntry.objects.filter(unit=unit).order_by("sequence", "pk"))
    head = LedgerHead.objects.filter(unit=unit).first()
    highest = max([head.sequence if head else 0, *(e.sequence for e in entries)])
    previous = GENESIS
    for position, entry in enumerate(entries, start=1):
        if entry_hash(entry.content, entry.previous_hash, entry.sequence) != entry.hash:
            hashed = _hashed_sequence(entry, highest)
            if hashed is not None and hashed != position:
                return Verdict(unit, position - 1, f"第{position}条顺序被调换（该位置是原第{hashed}条）")
            return Verdict(unit, position - 1, f"第{position}条内容被修改")
        if entry.sequence != position:
            return Verdict(unit, position - 1, f"第{position}条缺失")
        if entry.previous_hash != previous:
            # The entry itself is whole, so the one before it changed (its hash rewritten with its content).
            return Verdict(unit, position - 2, f"第{position - 1}条内容被修改")
        previous = entry.hash
    count = len(entries)
    if head is not None and head.sequence > count:
        return Verdict(unit, count, f"第{count + 1}条缺失")
    if head is not None and count and head.hash != previous:
        return Verdict(unit, count - 1, f"第{count}条内容被修改")
    return Verdict(unit, count)


def units_with_ledgers():
    return Unit.objects.filter(pk__in=LedgerHead.objects.values("unit_id")).order_by("pk")


def chain_heads(*, until: datetime) -> dict[str, list]:
    """Each unit's newest entry recorded before `until`: {unit id: [sequence, hash]}."""
    heads = {}
    for entry in LedgerEntry.objects.filter(recorded_at__lt=until).order_by("unit_id", "sequence"):
        heads[str(entry.unit_id)] = [entry.sequence, entry.hash]
    return heads


@transaction.atomic
def ledger_anchor_day(*, day: date, now: datetime) -> LedgerAnchor:
    """The anchor of `day`: sha256 over every unit's chain head at the end of that day (Beijing time). Made
    once; asking again returns the anchor already stored."""
    existing = LedgerAnchor.objects.filter(day=day).first()
    if existing is not None:
        return existing
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    if now < end:
        raise RuleViolation("当日尚未结束，不能生成锚定哈希")
    heads = chain_heads(until=end)
    digest = hashlib.sha256(canonical(heads).encode()).hexdigest()
    anchor, _ = LedgerAnchor.objects.get_or_create(day=day, defaults={"digest": digest, "heads": heads,
                                                                      "created_at": now})
    return anchor
