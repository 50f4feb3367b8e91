"""The review ledger (信息审核发布登记台账): one entry per published item, chained by hash per unit.

An entry's hash is sha256 over the canonical JSON (sorted keys, no spaces, UTF-8) of
    {"unit": unit id, "sequence": n, "draft": draft id or null, "recorded_at": ISO 8601 UTC with microseconds,
     "content": the entry's content, "previous_hash": the hash of entry n-1 (64 zeros for the first)},
so rewriting any of them, deleting or reordering rows, or moving an entry to another unit or draft breaks
the chain at that entry (verify_chain). Each unit's LedgerHead holds the newest sequence and hash: appends
lock it, and deleting the newest entry leaves it pointing past the end.

Rewriting a unit's whole chain consistently (every hash recomputed, the head too), or deleting it whole,
leaves no broken link; the daily anchors catch it. An anchor stores every unit's chain head at the end of a
day ({unit id: [sequence, hash]}) and a digest over them that supervisors note outside the system.
verify_chain compares the unit's chain with every stored anchor, and each anchor with its own digest; the
command's `--anchor DIGEST` also proves the anchor table itself against a digest noted outside.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

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


def entry_hash(*, unit_id: int, sequence: int, draft_id: int | None, recorded_at: datetime, content: dict,
               previous_hash: str) -> str:
    """The hash of a ledger entry (the module docstring lists what it covers)."""
    covered = {"unit": unit_id, "sequence": sequence, "draft": draft_id,
               "recorded_at": recorded_at.astimezone(UTC).isoformat(timespec="microseconds"),
               "content": content, "previous_hash": previous_hash}
    return hashlib.sha256(canonical(covered).encode()).hexdigest()


def hash_of(entry: LedgerEntry, *, sequence: int | None = None) -> str:
    """The hash the entry's stored fields make (with another sequence number, to find where it came from)."""
    return entry_hash(unit_id=entry.unit_id, sequence=entry.sequence if sequence is None else sequence,
                      draft_id=entry.draft_id, recorded_at=entry.recorded_at, content=entry.content,
                      previous_hash=entry.previous_hash)


def anchor_digest(heads: dict) -> str:
    return hashlib.sha256(canonical(heads).encode()).hexdigest()


def _when(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def ledger_content(draft: Draft) -> dict:
    """What the ledger keeps of a published draft: who wrote it, every decision of every round, the grade,
    the serious findings of any version and how each was handled, the attachments, where and when it went out."""
    decisions = ReviewDecision.objects.filter(step__draft=draft).select_related(
        "step", "reviewer__person", "version").order_by("at", "pk")
    current = draft.current_version
    in_final = set(VersionFinding.objects.filter(version=current).values_list("category", "text"))
    accepted = {(a.category, a.text): a for a in FindingAcceptance.objects.filter(draft=draft).select_related(
        "accepted_by__person").order_by("accepted_at", "pk")}  # the latest acceptance of the words
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
        # Same-name accounts on different platforms are told apart by the platform.
        "accounts": sorted(f"{name}（{platform}）" for name, platform in
                           draft.accounts.values_list("name", "platform__name")),
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
        # What reviewers saw attached, fixed by its digest: a file swapped on disk later no longer matches.
        "attachments": [{"name": name, "sha256": digest}
                        for name, digest in draft.attachments.order_by("pk").values_list("name", "sha256")],
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
    entry = LedgerEntry(unit=draft.unit, sequence=sequence, draft=draft, content=content, previous_hash=previous,
                        recorded_at=now)
    entry.hash = hash_of(entry)
    entry.save()
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
    """The sequence number the entry's hash was made with, if its other fields are unchanged."""
    for sequence in range(1, highest + 1):
        if hash_of(entry, sequence=sequence) == entry.hash:
            return sequence
    return None


def _chain_problem(unit: Unit, entries: list[LedgerEntry]) -> Verdict | None:
    """Each entry rechecked against its hash and its link to the one before, and the head against the end."""
    head = LedgerHead.objects.filter(unit=unit).first()
    highest = max([head.sequence if head else 0, *(e.sequence for e in entries)])
    previous = GENESIS
    for position, entry in enumerate(entries, start=1):
        if hash_of(entry) != entry.hash:
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
    if head is None:
        return Verdict(unit, 0, f"链头记录缺失（台账有 {count} 条）") if count else None
    if head.sequence > count:
        return Verdict(unit, count, f"第{count + 1}条缺失")
    if head.sequence < count:
        return Verdict(unit, head.sequence, f"第{head.sequence + 1}条不是经系统登记的（链头只到第{head.sequence}条）")
    if count and head.hash != previous:
        return Verdict(unit, count - 1, f"第{count}条内容被修改")
    return None


def _well_formed(heads) -> bool:
    return isinstance(heads, dict) and all(
        isinstance(key, str) and key.isdigit() and isinstance(head, list) and len(head) == 2
        and isinstance(head[0], int) and isinstance(head[1], str) for key, head in heads.items())


def anchor_problem(anchor: LedgerAnchor) -> str:
    """Why the anchor row cannot be trusted (its digest is not the digest of its own heads), or ""."""
    if not _well_formed(anchor.heads) or anchor_digest(anchor.heads) != anchor.digest:
        return f"锚定日{anchor.day}的锚定记录被改动（锚定哈希与其记录的各单位链头不符）"
    return ""


def _head_of(anchor: LedgerAnchor, unit_id: int) -> tuple[int, str] | None:
    head = anchor.heads.get(str(unit_id))
    return (head[0], head[1]) if head else None


def _anchor_verdict(unit: Unit, entries: list[LedgerEntry], anchors: list[LedgerAnchor]) -> Verdict | None:
    """The unit's (internally consistent) chain against each anchored head, oldest anchor first: the first
    anchored entry no longer there, or no longer with its anchored hash, is named."""
    by_sequence = {entry.sequence: entry for entry in entries}
    confirmed = 0  # entries up to here carry the hash an earlier anchor fixed
    for anchor in anchors:
        head = _head_of(anchor, unit.pk)
        if head is None:
            continue
        sequence, anchored = head
        if not entries:
            return Verdict(unit, 0, f"单位{unit.name}的台账已被删除：锚定日{anchor.day}时有{sequence}条")
        entry = by_sequence.get(sequence)
        if entry is None:
            count = len(entries)
            return Verdict(unit, min(confirmed, count),
                           f"第{count + 1}条在锚定日{anchor.day}之后被删除（锚定日时有{sequence}条，现仅{count}条）")
        if entry.hash != anchored:
            span = f"（改写始于第{confirmed + 1}至第{sequence}条之间）" if confirmed + 1 < sequence else ""
            return Verdict(unit, confirmed, f"第{sequence}条在锚定日{anchor.day}之后被改写{span}")
        confirmed = max(confirmed, sequence)
    return None


def verify_chain(unit: Unit, *, anchors: list[LedgerAnchor] | None = None) -> Verdict:
    """Walk the unit's chain in sequence order and name the first entry edited, deleted or reordered; then
    compare it with every stored anchor (or the anchors given), each checked against its own digest first."""
    if anchors is None:
        anchors = list(LedgerAnchor.objects.order_by("day"))
    for anchor in anchors:
        if problem := anchor_problem(anchor):
            return Verdict(unit, 0, problem)
    entries = list(LedgerEntry.objects.filter(unit=unit).order_by("sequence", "pk"))
    verdict = _chain_problem(unit, entries) or _anchor_verdict(unit, entries, sorted(anchors, key=lambda a: a.day))
    return verdict or Verdict(unit, len(entries))


def units_with_ledgers():
    return Unit.objects.filter(pk__in=LedgerHead.objects.values("unit_id")).order_by("pk")


def units_to_verify(anchors: list[LedgerAnchor] | None = None) -> list[Unit]:
    """Every unit with a ledger, a chain head or a head in an anchor. A unit an anchor names that no longer
    exists at all is returned unsaved, named by its id, so its missing chain is reported too."""
    if anchors is None:
        anchors = list(LedgerAnchor.objects.all())
    ids = set(LedgerHead.objects.values_list("unit_id", flat=True))
    ids |= set(LedgerEntry.objects.values_list("unit_id", flat=True).distinct())
    for anchor in anchors:
        if _well_formed(anchor.heads):
            ids |= {int(key) for key in anchor.heads}
    found = {unit.pk: unit for unit in Unit.objects.filter(pk__in=ids)}
    return [found.get(pk) or Unit(pk=pk, name=f"#{pk}") for pk in sorted(ids)]


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
    digest = anchor_digest(heads)
    anchor, _ = LedgerAnchor.objects.get_or_create(day=day, defaults={"digest": digest, "heads": heads,
                                                                      "created_at": now})
    return anchor
