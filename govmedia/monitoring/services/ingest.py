"""Ingesting what a source returned: the source's health, then its posts, merged with what is known.

A broken reading changes the source's health and nothing else: no post is touched and nothing about the
account's activity follows from it. An OK reading marks the source healthy and stores its posts:

- a post is the one already known with the same platform post id within the account, else the same URL,
  else the same content published at the same time, so a feed that renews its guids or links duplicates
  nothing; a known post gets `last_seen` and its latest metrics, and, when the source it came from now
  shows other content (an edit on the platform), the new content, to be checked again;
- new posts are inserted in bulk with `checked_at` empty (checking.py takes them from there); the
  database's (account, platform post id) constraint turns a second insert of the same post, by a
  concurrent reading or the push API, into nothing;
- a known post of this source published inside the span the reading covers (after its oldest dated item,
  up to its newest) that the reading no longer lists is marked deleted on the platform, and unmarked if
  it comes back;
- the follower count the reading carries becomes the day's FollowerSnapshot (source 'feed'; a count
  entered by hand that day is kept).

Everything outside comes in untrusted and is made to fit: NUL characters and broken surrogates are
removed, strings are cut to their columns, metrics out of range are dropped, and platform post ids too long
for their column are replaced by a digest of the whole id, so two ids never merge. Readings come from the
connectors with sanitized HTML; `ingest_posts` (push API, imports) sanitizes itself, with the same policy.

Source health and posts are written in one transaction, under a lock on the account's row, so a worker
killed in between leaves the ETag unchanged and the next reading returns the posts again.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import DateTimeField, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from govmedia.monitoring.engine.approved import ApprovedNames
from govmedia.monitoring.engine.netguard import is_web_url
from govmedia.monitoring.engine.posts import MAX_LINK_CHARS, MAX_LINKS, bounded_id, content_hash
from govmedia.monitoring.engine.sanitize import read_content
from govmedia.monitoring.engine.types import BROKEN, OK, ORIGINAL, REPOST, FetchedPost, SourceReading
from govmedia.monitoring.models import Post, Source, SourceHealth, SourceKind
from govmedia.registry.models import Account, FollowerSnapshot

FOLLOWER_SOURCE = "feed"
MAX_TEXT_CHARS = 500_000  # of a post's text and of its HTML: more is not a post
_BIGINT_MAX = 2**63 - 1
_INT_MAX = 2**31 - 1
_METRICS = ("reads", "likes", "comments", "shares")
_CONTENT_FIELDS = ("title", "text", "html", "kind", "repost_source", "links", "media_count", "content_hash")


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


@dataclass
class IngestOutcome:
    status: str  # the reading's: OK, BROKEN or NOT_MODIFIED
    new_post_ids: list[int] = field(default_factory=list)
    updated: int = 0  # known posts with new metrics or content, or back on the platform
    unchanged: int = 0  # known posts seen again as they were
    deleted: int = 0  # known posts this reading shows deleted on the platform


def ingest_reading(*, source: Source, reading: SourceReading, now: datetime) -> IngestOutcome:
    """Store one reading of `source`: its health, and when it answered, its posts and follower count."""
    if reading.status == BROKEN:
        _mark_broken(source, reading, now)
        return IngestOutcome(status=BROKEN)
    with transaction.atomic():
        lock_account(source.account_id)
        outcome = IngestOutcome(status=reading.status)
        if reading.status == OK:
            # A feed lists its latest items whole; a website reading may leave articles out (skipped, failed, cut
            # off by the deadline), so only a feed's gaps say a post was deleted.
            outcome = _store(source.account_id, source, reading.posts, now,
                             judge_deletions=source.kind == SourceKind.FEED)
            _record_followers(source.account_id, reading.followers, now)
        changes = {"health": SourceHealth.OK, "health_reason": "", "health_detail": "", "broken_since": None,
                   "consecutive_failures": 0, "last_attempt_at": now, "last_success_at": now}
        if reading.etag or reading.last_modified:
            changes |= {"etag": _clip(reading.etag, _max(Source, "etag")),
                        "last_modified": _clip(reading.last_modified, _max(Source, "last_modified"))}
        Source.objects.filter(pk=source.pk).update(**changes)
    for name, value in changes.items():
        setattr(source, name, value)
    return outcome


def ingest_posts(*, account: Account, source: Source | None = None, posts: list[FetchedPost],
                 now: datetime) -> IngestOutcome:
    """Store posts handed in from outside (push API, imports): their HTML is sanitized here, their text
    taken from it when none is given, their links too. Nothing is judged deleted: a push names only
    what it names."""
    clean = []
    for post in posts:
        if post.html:
            content = read_content(post.html, base_url=post.url, own_url=post.url)
            post = replace(post, html=content.html, text=post.text or content.text,
                           links=post.links or content.links)
        clean.append(post)
    with transaction.atomic():
        lock_account(account.pk)
        return _store(account.pk, source, clean, now, judge_deletions=False)


# ---------------------------------------------------------------- source health


def _mark_broken(source: Source, reading: SourceReading, now: datetime) -> None:
    """Bookkeeping of a failed reading, by queryset update (machines' readings are not audited)."""
    changes = {"health": SourceHealth.BROKEN, "health_reason": _clip(reading.reason, _max(Source, "health_reason")),
               "health_detail": _clip(reading.detail, _max(Source, "health_detail")), "last_attempt_at": now,
               # The first failure of a run of failures is when the source broke.
               "broken_since": Coalesce(F("broken_since"), Value(now, output_field=DateTimeField())),
               "consecutive_failures": F("consecutive_failures") + 1}
    Source.objects.filter(pk=source.pk).update(**changes)
    source.refresh_from_db(fields=list(changes))


def lock_account(account_id: int) -> None:
    """Hold the account's row until the transaction ends: one writer of its posts and findings at a time."""
    # Readings of two sources of one account, or a reading and a push, merge posts by URL and content as
    # well as by id; both at once could insert the same post under two ids. NO KEY UPDATE leaves other
    # transactions free to insert rows that refer to the account.
    list(Account.objects.select_for_update(no_key=True).filter(pk=account_id).values_list("pk", flat=True))


def _record_followers(account_id: int, followers: int | None, now: datetime) -> None:
    if followers is None or not 0 <= followers <= _INT_MAX:
        return
    day = timezone.localdate(now)
    if not FollowerSnapshot.objects.filter(account_id=account_id, taken_on=day, source=FOLLOWER_SOURCE).update(
            followers=followers):
        FollowerSnapshot.objects.bulk_create(
            [FollowerSnapshot(account_id=account_id, taken_on=day, followers=followers, source=FOLLOWER_SOURCE)],
            ignore_conflicts=True)


# ---------------------------------------------------------------- posts


def own_names(account_id: int) -> ApprovedNames:
    """The account's and its host unit's names: a post naming one of them as its source (government sites
    write 来源：区教育局 on their own articles) is the account's own, an original."""
    account = Account.objects.select_related("host_unit").get(pk=account_id)
    unit = account.host_unit
    return ApprovedNames.from_names(name for name in (account.name, unit.name, unit.short_name) if name)


def _store(account_id: int, source: Source | None, fetched: list[FetchedPost], now: datetime, *,
           judge_deletions: bool) -> IngestOutcome:
    outcome = IngestOutcome(status=OK)
    incoming: dict[str, Post] = {}
    own = own_names(account_id) if any(item.kind == REPOST and item.repost_source for item in fetched) else None
    for item in fetched:
        if own is not None and item.kind == REPOST and item.repost_source and own.match(item.repost_source):
            item = replace(item, kind=ORIGINAL, repost_source="")
        post = _as_post(item, account_id, source, now)
        incoming.setdefault(post.platform_post_id, post)
    if not incoming:
        return outcome
    known = _Known(account_id, incoming.values())
    seen: dict[int, Post] = {}  # known post id -> the known post
    fresh: list[Post] = []
    changed_fields: set[str] = set()
    changed: list[Post] = []
    for post in incoming.values():
        match = known.match(post)
        if match is None:
            fresh.append(post)
            known.add(post)  # a later item of this reading with the same URL or content is this post
        elif match.pk is None or match.pk in seen:
            continue  # the same post twice in one reading
        else:
            seen[match.pk] = match
            names = _update(match, post, source)
            if names:
                changed_fields |= names
                changed.append(match)
    outcome.updated, outcome.unchanged = len(changed), len(seen) - len(changed)
    if seen:
        Post.objects.filter(pk__in=list(seen)).update(last_seen=now)
    if changed:
        Post.objects.bulk_update(changed, sorted(changed_fields), batch_size=200)
    if judge_deletions and source is not None:
        outcome.deleted = _mark_deleted(account_id, source, incoming.values(), seen)
    if fresh:
        Post.objects.bulk_create(fresh, batch_size=500, ignore_conflicts=True)
        # ignore_conflicts gives no ids back; the rows are read again (a concurrent insert of the same post
        # was skipped by the database and is the one read here).
        outcome.new_post_ids = list(Post.objects.filter(
            account_id=account_id, platform_post_id__in=[p.platform_post_id for p in fresh]).order_by("pk")
            .values_list("pk", flat=True))
    return outcome


class _Known:
    """The account's known posts that an incoming post could be: same id, same URL, or same content."""

    def __init__(self, account_id: int, posts) -> None:
        posts = list(posts)
        ids = [p.platform_post_id for p in posts]
        urls = [p.url for p in posts if p.url]
        hashes = [p.content_hash for p in posts if p.content_hash]
        self.by_id: dict[str, Post] = {}
        self.by_url: dict[str, Post] = {}
        self.by_hash: dict[str, list[Post]] = {}
        candidates = Post.objects.filter(account_id=account_id).filter(
            Q(platform_post_id__in=ids) | Q(url__in=urls) | Q(content_hash__in=hashes)
        ).only("pk", "platform_post_id", "url", "published_at", "content_hash", "source_id",
               "deleted_on_platform", *_METRICS).order_by("pk")
        for post in candidates:
            self.add(post)

    def add(self, post: Post) -> None:
        self.by_id.setdefault(post.platform_post_id, post)
        if post.url:
            self.by_url.setdefault(post.url, post)
        if post.content_hash:
            self.by_hash.setdefault(post.content_hash, []).append(post)

    def match(self, post: Post) -> Post | None:
        found = self.by_id.get(post.platform_post_id) or (self.by_url.get(post.url) if post.url else None)
        if found is None and post.content_hash:
            # The same words at another time are another post (a daily notice repeated), not this one.
            found = next((p for p in self.by_hash.get(post.content_hash, ())
                          if None in (p.published_at, post.published_at) or p.published_at == post.published_at),
                         None)
        return found


def _update(known: Post, post: Post, source: Source | None) -> set[str]:
    """Bring a known post up to date with a new sight of it; the names of the fields changed."""
    names = set()
    for name in _METRICS:
        value = getattr(post, name)
        if value is not None and value != getattr(known, name):
            setattr(known, name, value)
            names.add(name)
    if known.deleted_on_platform:
        known.deleted_on_platform = False
        names.add("deleted_on_platform")
    # Only the source a post came from speaks for its content: a feed that carries only an abstract must
    # not overwrite the full text the push API delivered, and back again every cycle.
    same_source = known.source_id == (source.pk if source else None)
    if same_source and post.content_hash and post.content_hash != known.content_hash:
        for name in _CONTENT_FIELDS:
            setattr(known, name, getattr(post, name))
        names |= {*_CONTENT_FIELDS, "checked_at"}
        known.checked_at = None  # edited: checked again, and what the edit fixed is fixed
        if post.published_at is not None:
            known.published_at = post.published_at
            names.add("published_at")
    return names


def _mark_deleted(account_id: int, source: Source, incoming, seen: dict[int, Post]) -> int:
    times = [p.published_at for p in incoming if p.published_at is not None]
    if not times:
        return 0
    # A feed lists its newest items; one cut at its oldest may leave out others of that same second.
    oldest, newest = min(times), max(times)
    return (Post.objects.filter(account_id=account_id, source=source, deleted_on_platform=False,
                                published_at__gt=oldest, published_at__lte=newest)
            .exclude(pk__in=list(seen)).update(deleted_on_platform=True))


def _as_post(item: FetchedPost, account_id: int, source: Source | None, now: datetime) -> Post:
    title = _clip(item.title, _max(Post, "title"))
    text = _clip(item.text, MAX_TEXT_CHARS)
    return Post(
        account_id=account_id, source=source, platform_post_id=_post_id(item.post_id),
        url=_clip(item.url.strip(), _max(Post, "url")), title=title, published_at=_published(item.published, now),
        text=text, html=_clip(item.html, MAX_TEXT_CHARS), kind=item.kind if item.kind in (ORIGINAL, REPOST) else ORIGINAL,
        repost_source=_clip(item.repost_source.strip(), _max(Post, "repost_source")), links=_links(item.links),
        media_count=_count(item.media_count, _INT_MAX) or 0,
        reads=_count(item.reads), likes=_count(item.likes), comments=_count(item.comments), shares=_count(item.shares),
        # A post of no words has no content to know it by: such posts are told apart by id and URL only.
        content_hash=(_clip(item.content_hash, _max(Post, "content_hash")) or content_hash(title, text)
                      if title.strip() or text.strip() else ""),
        first_seen=now, last_seen=now, checked_at=None,
    )


def _post_id(value: str) -> str:
    return bounded_id(_clean(value.strip()), _max(Post, "platform_post_id"))


def _links(links: list[str]) -> list[str]:
    kept: dict[str, None] = {}
    for link in links:
        link = _clean(link.strip()) if isinstance(link, str) else ""
        if len(link) <= MAX_LINK_CHARS and is_web_url(link):
            kept.setdefault(link, None)
        if len(kept) == MAX_LINKS:
            break
    return list(kept)


# A publish time further ahead than any clock skew is wrong, and believed it would keep the account looking
# active for years: it is recorded as unknown.
MAX_FUTURE = timedelta(days=1)


def _published(moment: datetime | None, now: datetime) -> datetime | None:
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)  # a time without a zone is the district's (Beijing) time
    return None if moment is None or moment > now + MAX_FUTURE else moment


def _count(value, limit: int = _BIGINT_MAX) -> int | None:
    return value if isinstance(value, int) and 0 <= value <= limit else None


def _clean(value: str) -> str:
    # PostgreSQL refuses NUL in text, and a lone surrogate cannot be encoded at all.
    value = value.replace("\x00", "")
    return value if value.isascii() else value.encode("utf-8", "replace").decode("utf-8")


def _clip(value: str | None, limit: int) -> str:
    return _clean(value or "")[:limit]

