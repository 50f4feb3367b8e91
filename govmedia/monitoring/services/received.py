"""Posts an account's own systems hand us (push API, platform export), stored through the one ingest path.

A push or an import is a source of the account like a feed: its Source row is made on first use and
marked healthy whenever posts arrive, so the account page shows when it last reported.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from govmedia.monitoring.engine.types import FetchedPost
from govmedia.monitoring.models import Post, Source, SourceHealth, SourceKind
from govmedia.monitoring.services.ingest import ingest_posts
from govmedia.registry.models import Account


@dataclass(frozen=True)
class Received:
    created: int
    updated: int
    unchanged: int


def receiving_source(account: Account, kind: str) -> Source:
    """The account's push or import source, made on first use (several calls at once make one row)."""
    source, _created = Source.objects.get_or_create(account=account, kind=kind, url="")
    return source


def store_received(*, account: Account, kind: str, posts: list[FetchedPost], deleted_ids=frozenset(),
                   now: datetime) -> Received:
    """Store posts of one account, all or none. A post already stored (same platform post id) is updated,
    never duplicated; `deleted_ids` are the posts the sender says were deleted on the platform."""
    assert kind in (SourceKind.PUSH, SourceKind.IMPORT)
    with transaction.atomic():
        source = receiving_source(account, kind)
        outcome = ingest_posts(account=account, source=source, posts=posts, now=now)
        if deleted_ids:
            # Ingest takes any sight of a post as 'still there'; the sender said otherwise for these.
            Post.objects.filter(account=account, platform_post_id__in=list(deleted_ids)).update(
                deleted_on_platform=True)
        # Machine reports, not anyone's decision: the source's own fields say when it last reported.
        Source.objects.filter(pk=source.pk).update(health=SourceHealth.OK, health_reason="", health_detail="",
                                                   broken_since=None, consecutive_failures=0,
                                                   last_attempt_at=now, last_success_at=now)
    created = len(outcome.new_post_ids)
    return Received(created=created, updated=outcome.updated, unchanged=outcome.unchanged)
