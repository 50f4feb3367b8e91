"""A draft version's text with the checker's findings marked, for the review page. The text came from an
author: it is escaped here, and only our own <mark> tags are added.

A VersionFinding's `start`/`end` index the version's checked document (services.drafts.check_text: the title,
a line break, then the body's plain text) and `text` is what was found there, cut at the field's length. A
finding whose text is not at its offsets (it cannot be, unless the checker changed how it counts) is marked
where that text first occurs, or not at all; it is still listed.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from govmedia.publishing.models import DraftVersion, VersionFinding
from govmedia.publishing.services.drafts import check_text
from govmedia.textcheck.categories import LABEL


def finding_span(document: str, finding: VersionFinding) -> tuple[int, int] | None:
    start, end, text = finding.start, finding.end, finding.text or ""
    if 0 <= start < end <= len(document) and document[start:end].startswith(text):
        return start, end
    found = document.find(text) if text else -1
    return (found, found + len(text)) if found >= 0 else None


def finding_place(title: str, finding: VersionFinding) -> str:
    """Where a finding is, for people: 标题第N字 or 正文第N字 (counted from 1 within the title or the body),
    not its offset into the checked document (title, line break, body)."""
    start, end = finding.start, max(finding.end, finding.start + 1)
    if start < len(title):
        where, first, last = "标题", start + 1, min(end, len(title))
    else:
        where, first, last = "正文", start - len(title), end - len(title) - 1
    return f"{where}第 {first} 字" if first == last else f"{where}第 {first}–{last} 字"


def finding_title(finding: VersionFinding) -> str:
    """What the mark says on hover: the checker's explanation (which names the category, else the category's
    label does) and its suggestion."""
    label = LABEL.get(finding.category, finding.category)
    explanation = finding.explanation or label
    if not explanation.startswith(label):
        explanation = f"{label}：{explanation}"
    suggestion = f"（建议：{finding.suggestion}）" if finding.suggestion else ""
    return f"{explanation}{suggestion}"


def _mark(finding: VersionFinding, text: str) -> str:
    return (f'<mark class="finding sev-{escape(finding.severity)} cat-{escape(finding.category)}" '
            f'title="{escape(finding_title(finding))}" id="finding-{finding.pk}">{escape(text)}</mark>')


def _marked(document: str, spans, start_at: int, stop_at: int) -> SafeString:
    """document[start_at:stop_at], escaped, each span in it marked (overlaps folded into the first, spans
    crossing the edges cut at them), line breaks kept."""
    parts, pos = [], start_at
    for start, end, finding in spans:
        start, end = max(start, start_at), min(end, stop_at)
        if start < pos or start >= end:
            continue
        parts.append(escape(document[pos:start]))
        parts.append(_mark(finding, document[start:end]))
        pos = end
    parts.append(escape(document[pos:stop_at]))
    return mark_safe("".join(parts).replace("\n", "<br>"))


@dataclass(frozen=True)
class MarkedVersion:
    title: SafeString
    body: SafeString
    unplaced: list[VersionFinding]  # findings whose text is nowhere in the version


def marked_version(version: DraftVersion, findings) -> MarkedVersion:
    document = check_text(version.title, version.body_text)
    spans, unplaced = [], []
    for finding in findings:
        span = finding_span(document, finding)
        if span is None:
            unplaced.append(finding)
        else:
            spans.append((*span, finding))
    spans.sort(key=lambda s: (s[0], -s[1]))
    title_end = len(version.title)
    return MarkedVersion(_marked(document, spans, 0, title_end), _marked(document, spans, title_end + 1,
                                                                          len(document)), unplaced)
