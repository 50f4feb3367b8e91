"""After publication: where and when an approved draft went out, recorded by hand or matched to the post
monitoring ingested; either way the draft goes on the unit's ledger (services.ledger).

Monitoring asks `unreviewed_post_findings` for each post it checks, of the accounts `review_starts` names:
those whose host unit uses review before publish, i.e. has written at least one draft here. Posts from
before a unit's first draft, and every post of units that do not use publishing, are never judged, so a
unit adopting govmedia's review is not flooded with its history and other units see no change.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Min

from govmedia import clock
from govmedia.audit.services import audited_update
from govmedia.errors import Conflict, PermissionDenied, RuleViolation, ValidationError
from govmedia.monitoring.engine import codes
from govmedia.monitoring.engine.types import PostFinding
from govmedia.monitoring.models import Finding, Post
from govmedia.monitoring.services.findings import ACTIVE_STATES, fix_findings
from govmedia.monitoring.services.sources import check_http_url
from govmedia.orgs.models import User
from govmedia.orgs.permissions import may_record_publication
from govmedia.publishing.models import Draft, DraftKind, DraftState
from govmedia.publishing.services.ledger import ledger_append
from govmedia.publishing.services.review import STALE
from govmedia.registry.models import Account

# A post matches an approved draft by title when it went out within this long after the approval.
MATCH_WINDOW = timedelta(days=7)


def _publish(draft: Draft, *, url: str, published_at: datetime, post=None) -> Draft:
    now = clock.now()
    if not audited_update(draft, where={"revision": draft.revision, "state": DraftState.APPROVED},
                          state=DraftState.PUBLISHED, published_url=url, published_at=published_at,
                          published_post=post, revision=F("revision") + 1, updated_at=now):
        raise Conflict(STALE)
    ledger_append(draft=draft, now=now)
    if url:  # a post flagged as unreviewed before the publication was recorded was this draft after all
        stale = Finding.objects.filter(code=codes.UNREVIEWED_POST, state__in=ACTIVE_STATES, post__url=url,
                                       account__in=draft.accounts.all())
        fix_findings(list(stale), now=now, note="已登记该信息的审核发布记录")
    return draft


@transaction.atomic
def publication_record(*, draft: Draft, by: User, url: str, published_at: datetime) -> Draft:
    """Record by hand where and when an approved draft was published; it goes on the ledger."""
    if not may_record_publication(by, draft):
        raise PermissionDenied("无权登记该稿件的发布情况")
    if draft.kind == DraftKind.REPLY:
        raise RuleViolation("答复在留言处理页面发布，随留言一并记为已答复")
    if draft.state != DraftState.APPROVED:
        raise RuleViolation(f"稿件{draft.get_state_display()}，只有审核通过的稿件可以登记发布")
    url = check_http_url(url, field="published_url", what="发布链接")
    if not url:
        raise ValidationError({"published_url": "请填写发布链接"})
    if published_at > clock.now():
        raise ValidationError({"published_at": "发布时间不能晚于现在"})
    if draft.approved_at and published_at < draft.approved_at:
        raise ValidationError({"published_at": "发布时间早于审核通过时间，请核对"})
    return _publish(draft, url=url, published_at=published_at)


def publication_record_reply(*, draft: Draft, published_at: datetime) -> Draft:
    """A reply (kind REPLY) released under the public's message: published with no URL of its own, onto the
    ledger. Its caller, interaction.services.replies.reply_release, decides who may release it."""
    if draft.kind != DraftKind.REPLY:
        raise RuleViolation("只有答复可以不登记发布链接")
    if draft.state != DraftState.APPROVED:
        raise RuleViolation(f"答复{draft.get_state_display()}，只有审核通过的答复可以发布")
    return _publish(draft, url="", published_at=published_at)


def _same_title(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


def publication_match(*, post: Post, now: datetime) -> Draft | None:
    """The approved or published draft behind an ingested post, if any: a published draft recorded with the
    post's URL, else one of the post's account with the same title approved within MATCH_WINDOW before the
    post went out. An approved draft so matched is published (onto the ledger) with the post's URL and time."""
    drafts = Draft.objects.filter(accounts=post.account_id, kind=DraftKind.POST)  # replies are not posts
    if post.url:
        by_url = drafts.filter(state=DraftState.PUBLISHED, published_url=post.url).first()
        if by_url is not None:
            if by_url.published_post_id is None:
                audited_update(by_url, where={"published_post__isnull": True}, published_post=post)
            return by_url
    when = post.published_at or post.first_seen
    candidates = drafts.filter(state__in=(DraftState.APPROVED, DraftState.PUBLISHED), approved_at__lte=when,
                               approved_at__gte=when - MATCH_WINDOW).order_by("approved_at", "pk")
    draft = next((d for d in candidates if post.title and _same_title(d.title, post.title)), None)
    if draft is None or draft.state == DraftState.PUBLISHED:
        return draft
    try:
        with transaction.atomic():
            return _publish(draft, url=post.url, published_at=when, post=post)
    except Conflict:  # published meanwhile (recorded by hand, or another account's post matched first)
        return Draft.objects.get(pk=draft.pk)


def review_starts(account_ids: Iterable[int]) -> dict[int, datetime]:
    """For each of these accounts whose host unit uses review before publish, when it started (its first
    draft). One query, for a batch of posts."""
    rows = Account.objects.filter(pk__in=list(account_ids)).annotate(
        start=Min("host_unit__drafts__created_at")).filter(start__isnull=False).values_list("pk", "start")
    return dict(rows)


def unreviewed_post_findings(*, post: Post, since: datetime, now: datetime) -> list[PostFinding]:
    """[unreviewed_post] for a post published since its unit started reviewing here with no approved review
    behind it (publication_match); [] otherwise."""
    when = post.published_at or post.first_seen
    if when < since or publication_match(post=post, now=now) is not None:
        return []
    return [PostFinding(code=codes.UNREVIEWED_POST, category=codes.GROUP[codes.UNREVIEWED_POST],
                        text=post.title[:100], detail="该信息发布前未在平台上经过审核（第八条）",
                        severity=codes.SEVERITY[codes.UNREVIEWED_POST])]
