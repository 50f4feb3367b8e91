"""A post's findings marked in its text for the pages. Everything in a post came from outside: it is
escaped here, and only our own <mark> tags are added.

A finding's evidence holds `start`/`end`, offsets into the post's document (title + "\\n" + text, see
engine.postchecks.post_document), and `text`, what was found there. A post edited on the platform since it
was checked may no longer have that text at those offsets: then the first place it occurs is marked, and
if it occurs nowhere, nothing is (the finding is still listed with its evidence).
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from govmedia.monitoring.engine.postchecks import post_document

EXCERPT_MARGIN = 60


def finding_span(document: str, evidence: dict) -> tuple[int, int] | None:
    """Where in the document the finding's text is, or None."""
    start, end, text = evidence.get("start"), evidence.get("end"), evidence.get("text") or ""
    in_range = isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(document)
    if in_range and (not text or document[start:end] == text):
        return start, end
    if text:
        found = document.find(text)
        if found >= 0:
            return found, found + len(text)
    return None


def _spans(document: str, findings) -> list[tuple[int, int, object]]:
    spans = []
    for finding in findings:
        span = finding_span(document, finding.evidence if isinstance(finding.evidence, dict) else {})
        if span:
            spans.append((*span, finding))
    return sorted(spans, key=lambda s: (s[0], -s[1]))


def _mark(finding, text: str) -> str:
    evidence = finding.evidence if isinstance(finding.evidence, dict) else {}
    suggestion = evidence.get("suggestion") or ""
    title = finding.get_code_display() + (f"（建议：{suggestion}）" if suggestion else "")
    return (f'<mark class="finding sev-{escape(finding.severity)}" title="{escape(title)}" '
            f'data-finding="{finding.pk}">{escape(text)}</mark>')


def marked(document: str, spans, offset: int = 0, length: int | None = None) -> SafeString:
    """document[offset:offset+length], escaped, with each span inside it marked (overlaps folded into the
    first, spans crossing the edges cut at them) and line breaks kept."""
    end_of_part = len(document) if length is None else offset + length
    parts, pos = [], offset
    for start, end, finding in spans:
        start, end = max(start, offset), min(end, end_of_part)
        if start < pos or start >= end:
            continue
        parts.append(escape(document[pos:start]))
        parts.append(_mark(finding, document[start:end]))
        pos = end
    parts.append(escape(document[pos:end_of_part]))
    return mark_safe("".join(parts).replace("\n", "<br>"))


def highlighted_post(post, findings) -> tuple[SafeString, SafeString]:
    """The post's title and text, escaped, with its findings marked."""
    document = post_document(post)
    spans = _spans(document, findings)
    title_length = len(post.title or "")
    return (marked(document, spans, 0, title_length),
            marked(document, spans, title_length + 1))


def excerpt(post, finding, margin: int = EXCERPT_MARGIN) -> SafeString:
    """The passage of the post around the finding, escaped, with the finding marked; the post's opening
    when the finding's text is not found in it."""
    document = post_document(post)
    span = finding_span(document, finding.evidence if isinstance(finding.evidence, dict) else {})
    if span is None:
        return mark_safe(marked(document, [], 0, min(2 * margin, len(document)))
                         + ("…" if len(document) > 2 * margin else ""))
    start, end = max(span[0] - margin, 0), min(span[1] + margin, len(document))
    body = marked(document, [(*span, finding)], start, end - start)
    return mark_safe(("…" if start else "") + body + ("…" if end < len(document) else ""))
