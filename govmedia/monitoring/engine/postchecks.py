"""The checks on one post: its content (the text checker), its links and, for a repost, its source (art. 11).

A finding's `code` is the stable code (the text checker's category for content findings) and its
`category` the attachment-2 group it counts towards (content, links, reposts; `codes.GROUP`).
"""

from __future__ import annotations

from collections.abc import Mapping

from govmedia.textcheck import Checker

from . import codes
from .approved import ApprovedNames
from .types import LINK_VERDICTS, REPOST, FetchedPost, LinkVerdict, PostFinding

__all__ = ["ApprovedNames", "check_post", "post_document"]


def post_document(post: FetchedPost) -> str:
    """What the text checker reads: the title, a line break, the text. Finding offsets are into this."""
    return f"{post.title}\n{post.text}"


def check_post(post: FetchedPost, *, checker: Checker, verdicts: Mapping[str, LinkVerdict],
               approved: ApprovedNames) -> list[PostFinding]:
    """All findings of one post. `verdicts` holds the link checker's verdicts by URL; a link without one
    has not been checked and gives no finding."""
    document = post_document(post)
    return [*content_findings(document, checker), *link_findings(post, document, verdicts),
            *repost_findings(post, approved)]


def content_findings(document: str, checker: Checker) -> list[PostFinding]:
    return [PostFinding(code=f.category, category=codes.GROUP[f.category], text=f.text, start=f.start,
                        end=f.end, detail=f.explanation, severity=f.severity, suggestion=f.suggestion or "",
                        lexicon_version=f.lexicon_version)
            for f in checker.check(document)]


def link_findings(post: FetchedPost, document: str, verdicts: Mapping[str, LinkVerdict]) -> list[PostFinding]:
    found = []
    for url in dict.fromkeys(post.links):
        verdict = verdicts.get(url)
        if verdict is None or not verdict.is_broken:
            continue
        status = f"，HTTP {verdict.http_status}" if verdict.http_status else ""
        at = document.find(url)  # offsets only when the link is written out in the text
        found.append(PostFinding(
            code=codes.BROKEN_LINK, category=codes.GROUP[codes.BROKEN_LINK], text=url,
            start=at if at >= 0 else None, end=at + len(url) if at >= 0 else None,
            detail=f"链接不可用（{LINK_VERDICTS.get(verdict.verdict, verdict.verdict)}{status}）：{url}",
            severity=codes.SEVERITY[codes.BROKEN_LINK], url=url, http_status=verdict.http_status))
    return found


def repost_findings(post: FetchedPost, approved: ApprovedNames) -> list[PostFinding]:
    if post.kind != REPOST:
        return []
    source = post.repost_source.strip()
    if not source:
        return [PostFinding(code=codes.REPOST_WITHOUT_SOURCE, category=codes.GROUP[codes.REPOST_WITHOUT_SOURCE],
                            detail="转载信息未注明来源", severity=codes.SEVERITY[codes.REPOST_WITHOUT_SOURCE])]
    if approved.match(source):
        return []
    return [PostFinding(code=codes.REPOST_UNAPPROVED_SOURCE, category=codes.GROUP[codes.REPOST_UNAPPROVED_SOURCE],
                        text=source, detail=f"转载来源“{source}”不在许可转载来源名单中",
                        severity=codes.SEVERITY[codes.REPOST_UNAPPROVED_SOURCE])]
