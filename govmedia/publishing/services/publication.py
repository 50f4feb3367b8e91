"""After publication: where and when an approved draft went out, recorded by hand or matched to the post
monitoring ingested; either way the draft goes on the unit's ledger (services.ledger)."""

from datetime import datetime

from django.db import transaction
from django.db.models import F

from govmedia import clock
from govmedia.errors import Conflict, PermissionDenied, RuleViolation, ValidationError
from govmedia.monitoring.services.sources import check_http_url
from govmedia.orgs.models import User
from govmedia.orgs.permissions import may_record_publication
from govmedia.publishing.models import Draft, DraftState
from govmedia.publishing.services.ledger import ledger_append
from govmedia.publishing.services.review import STALE


def _publish(draft: Draft, *, url: str, published_at: datetime, post=None) -> Draft:
    now = clock.now()
    won = Draft.objects.filter(pk=draft.pk, revision=draft.revision, state=DraftState.APPROVED).update(
        state=DraftState.PUBLISHED, published_url=url, published_at=published_at, published_post=post,
        revision=F("revision") + 1, updated_at=now)
    if not won:
        raise Conflict(STALE)
    draft.refresh_from_db()
    ledger_append(draft=draft, now=now)
    return draft


@transaction.atomic
def publication_record(*, draft: Draft, by: User, url: str, published_at: datetime) -> Draft:
    """Record by hand where and when an approved draft was published; it goes on the ledger."""
    if not may_record_publication(by, draft):
        raise PermissionDenied("无权登记该稿件的发布情况")
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
