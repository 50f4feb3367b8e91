"""Findings are recorded once per problem: found again, a problem is the same finding, not a new one.

A finding's fingerprint is sha256 of (account id, code, the post's id or "account", the problem's key):
a post finding's `key()` (code, offsets, text, URL), an account finding's `key` (the first day of a
silence, the Monday of a week, the repost task). Found again, a finding's `last_found_at` and
`times_found` move on and its evidence is brought up to date, without a history row each cycle: only a
FIXED finding found again gets one, as it reopens. A false positive stays a false positive.

New and reopened findings alert their recipients (alerts.py). Rows are written in bulk, with their audit
rows; bumping `last_found_at` is machine bookkeeping and goes by queryset update, unaudited.
"""

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import F

from govmedia.audit.services import audit_bulk_create
from govmedia.bulk import bulk_insert
from govmedia.monitoring.engine import codes
from govmedia.monitoring.engine.types import AccountFinding, LinkVerdict, PostFinding
from govmedia.monitoring.models import Finding, FindingEvent, FindingState, Post
from govmedia.monitoring.services import alerts
from govmedia.registry.models import Account

ACTIVE_STATES = (FindingState.OPEN, FindingState.CONFIRMED)
_SUMMARY_MAX = Finding._meta.get_field("summary").max_length
_NOTE_MAX = FindingEvent._meta.get_field("note").max_length
_LEXICON_MAX = Finding._meta.get_field("lexicon_version").max_length


@dataclass
class Recorded:
    """What recording one post's or one account's findings did."""

    fingerprints: set[str] = field(default_factory=set)  # of every finding given, new or not
    created: list[Finding] = field(default_factory=list)
    reopened: list[Finding] = field(default_factory=list)
    found_again: int = 0  # known findings found again, their state unchanged


def fingerprint(account_id: int, code: str, subject: str, key: str) -> str:
    return hashlib.sha256(f"{account_id}\x1f{code}\x1f{subject}\x1f{key}".encode()).hexdigest()


def post_fingerprint(post: Post, finding: PostFinding) -> str:
    return fingerprint(post.account_id, finding.code, f"post:{post.pk}", finding.key())


def account_fingerprint(account_id: int, finding: AccountFinding) -> str:
    return fingerprint(account_id, finding.code, "account", finding.key)


def record_post_findings(*, post: Post, findings: Iterable[PostFinding], now: datetime,
                         verdicts: Mapping[str, LinkVerdict] | None = None) -> Recorded:
    """Record a post's findings; `verdicts` (by link as in the post) adds each broken link's verdict."""
    verdicts = verdicts or {}
    drafts: dict[str, Finding] = {}
    for found in findings:
        verdict = verdicts.get(found.url) if found.url else None
        evidence = _compact({
            "post_id": post.pk, "category": found.category, "start": found.start, "end": found.end,
            "text": found.text, "suggestion": found.suggestion, "detail": found.detail, "url": found.url,
            "http_status": found.http_status if found.http_status is not None else verdict and verdict.http_status,
            "verdict": verdict and verdict.verdict, "final_url": verdict and verdict.final_url,
        })
        drafts.setdefault(post_fingerprint(post, found), Finding(
            account_id=post.account_id, post_id=post.pk, code=found.code, summary=_post_summary(found),
            evidence=evidence, lexicon_version=found.lexicon_version[:_LEXICON_MAX],
        ))
    return _record(post.account_id, drafts, now)


def record_account_findings(*, account: Account, findings: Iterable[AccountFinding], now: datetime,
                            window: tuple[date, date]) -> Recorded:
    """Record an account's findings over `window` (first and last day judged)."""
    drafts: dict[str, Finding] = {}
    for found in findings:
        evidence = _compact({**found.evidence, "detail": found.detail, "window_start": window[0].isoformat(),
                             "window_end": window[1].isoformat()})
        drafts.setdefault(account_fingerprint(account.pk, found), Finding(
            account_id=account.pk, code=found.code, summary=found.detail[:_SUMMARY_MAX] or codes.LABEL[found.code],
            evidence=evidence))
    return _record(account.pk, drafts, now)


def fix_findings(findings: list[Finding], *, now: datetime, note: str) -> None:
    """Mark open or confirmed findings FIXED because the problem no longer holds, with a history row."""
    findings = [f for f in findings if f.state in ACTIVE_STATES]
    if not findings:
        return
    note = note[:_NOTE_MAX]
    Finding.objects.filter(pk__in=[f.pk for f in findings], state__in=ACTIVE_STATES).update(
        state=FindingState.FIXED, state_reason=note)
    _add_events([FindingEvent(finding_id=f.pk, at=now, action=FindingEvent.Action.STATE, from_state=f.state,
                              to_state=FindingState.FIXED, note=note) for f in findings])
    for finding in findings:
        finding.state, finding.state_reason = FindingState.FIXED, note


def _record(account_id: int, drafts: dict[str, Finding], now: datetime) -> Recorded:
    result = Recorded(fingerprints=set(drafts))
    if not drafts:
        return result
    known = {f.fingerprint: f for f in Finding.objects.filter(account_id=account_id, fingerprint__in=drafts)}
    fresh, unchanged = [], []
    for key, draft in drafts.items():
        finding = known.get(key)
        if finding is None:
            draft.fingerprint, draft.severity = key, codes.SEVERITY.get(draft.code, codes.MEDIUM)
            draft.first_found_at = draft.last_found_at = now
            draft.evidence["found_at"] = now.isoformat()
            fresh.append(draft)
        elif finding.state == FindingState.FIXED:
            _reopen(finding, draft, now)
            result.reopened.append(finding)
        elif _same_evidence(finding, draft):
            unchanged.append(finding)
        else:
            Finding.objects.filter(pk=finding.pk).update(
                last_found_at=now, times_found=F("times_found") + 1, **_evidence_of(draft, now))
            result.found_again += 1
    if unchanged:
        Finding.objects.filter(pk__in=[f.pk for f in unchanged]).update(
            last_found_at=now, times_found=F("times_found") + 1)
        result.found_again += len(unchanged)
    bulk_insert(fresh)
    audit_bulk_create(fresh)
    events = [FindingEvent(finding_id=f.pk, at=now, action=FindingEvent.Action.FOUND, to_state=f.state)
              for f in fresh]
    events += [FindingEvent(finding_id=f.pk, at=now, action=FindingEvent.Action.FOUND_AGAIN,
                            from_state=FindingState.FIXED, to_state=FindingState.OPEN,
                            note="已整改的问题再次发现，重新打开") for f in result.reopened]
    _add_events(events)
    result.created = fresh
    alerts.alert_on_findings(fresh, reopened=result.reopened, now=now)
    return result


def _reopen(finding: Finding, draft: Finding, now: datetime) -> None:
    changes = {"state": FindingState.OPEN, "state_reason": "", "last_found_at": now, **_evidence_of(draft, now)}
    Finding.objects.filter(pk=finding.pk).update(**changes, times_found=F("times_found") + 1)
    for name, value in changes.items():
        setattr(finding, name, value)
    finding.times_found += 1


def _evidence_of(draft: Finding, now: datetime) -> dict:
    return {"summary": draft.summary, "evidence": {**draft.evidence, "found_at": now.isoformat()},
            "lexicon_version": draft.lexicon_version}


def _same_evidence(finding: Finding, draft: Finding) -> bool:
    # found_at says when the evidence was last taken; it changes every cycle and is no change of evidence.
    stored = {k: v for k, v in finding.evidence.items() if k != "found_at"}
    return (stored == draft.evidence and finding.summary == draft.summary
            and finding.lexicon_version == draft.lexicon_version)


def _add_events(events: list[FindingEvent]) -> None:
    bulk_insert(events)
    audit_bulk_create(events)


def _compact(evidence: dict) -> dict:
    return {k: v for k, v in evidence.items() if v not in (None, "")}


def _post_summary(found: PostFinding) -> str:
    label = codes.LABEL.get(found.code, found.code)
    quoted = f"“{found.text}”" if found.text and found.text != found.url else ""
    parts = [part for part in (quoted, found.url, found.detail) if part]
    return (f"{label}：{'，'.join(parts)}" if parts else label)[:_SUMMARY_MAX]
