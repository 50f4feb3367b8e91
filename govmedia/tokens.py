"""The one mechanism behind govmedia's bearer tokens (the push API's account tokens, the JSON API's personal
tokens): made random, shown once, kept only as a hash, found by that hash, revoked for good.

A token is its kind's prefix and 43 URL-safe characters (256 random bits). Only its SHA-256 and its first
characters (to tell tokens apart on a page) are kept, so a copy of the database lets nobody in. A random
token of that strength needs no slow hash: lookup by hash is the comparison, and a guess costs one indexed
read. Token models have `prefix`, `token_hash`, `revoked_at` and `last_used_at`.
"""

import hashlib
import hmac
import secrets
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from govmedia.audit.services import audited_update
from govmedia.errors import Conflict

# Anything longer is not one of ours; refused before hashing.
MAX_TOKEN_CHARS = 100
RANDOM_SHOWN = 7  # random characters kept after the kind's prefix: enough to tell tokens apart, useless to guess


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token(kind_prefix: str) -> tuple[str, dict]:
    """A raw token of the kind, and the fields a token row keeps of it (its shown prefix and its hash)."""
    raw = kind_prefix + secrets.token_urlsafe(32)
    return raw, {"prefix": raw[:len(kind_prefix) + RANDOM_SHOWN], "token_hash": hash_token(raw)}


def live_token(tokens: QuerySet, raw: str, *, kind_prefix: str, now: datetime):
    """The unrevoked token of `tokens` this raw string is, marked used at `now`; None for anything else
    (unknown, revoked, malformed, another kind's)."""
    if not raw or len(raw) > MAX_TOKEN_CHARS or not raw.startswith(kind_prefix):
        return None
    digest = hash_token(raw)
    token = tokens.filter(token_hash=digest).first()
    if token is None or not hmac.compare_digest(token.token_hash, digest) or token.revoked_at is not None:
        return None
    token.last_used_at = now
    # A program using its credential is no one's decision: kept on the token, not in the audit log.
    type(token).objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def revoke_token(token, *, now: datetime):
    """Revoke for good. A conditional UPDATE: of two people revoking at once, one records the time, the other
    is told when it was revoked."""
    if not audited_update(token, where={"revoked_at__isnull": True}, revoked_at=now):
        token.refresh_from_db()
        raise Conflict(f"令牌 {token.prefix}… 已于 {timezone.localtime(token.revoked_at):%Y-%m-%d %H:%M} 吊销")
    return token
