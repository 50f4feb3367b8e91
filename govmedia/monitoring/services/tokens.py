"""Push-API tokens: issued for one account and shown once, stored as a hash, revocable.

A token is `gm_` and 43 URL-safe characters (256 random bits). Only its SHA-256 and its first characters
(to tell tokens apart on the page) are kept, so a copy of the database lets nobody push. A random token
of that strength needs no slow hash: lookup by hash is the comparison, and a guess costs one indexed read.
"""

import hashlib
import hmac
import secrets
from datetime import datetime

from django.utils import timezone

from govmedia import clock
from govmedia.audit.services import audited_update
from govmedia.errors import Conflict, PermissionDenied, ValidationError
from govmedia.monitoring.models import PushToken
from govmedia.orgs.models import User
from govmedia.orgs.permissions import may_edit_account_sources
from govmedia.registry.models import Account

TOKEN_PREFIX = "gm_"
PREFIX_SHOWN = 10  # "gm_" and 7 random characters: enough to tell a unit's tokens apart, useless to guess
# Anything longer is not one of ours; refused before hashing.
MAX_TOKEN_CHARS = 100


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_issue(*, account: Account, name: str, by: User, now: datetime) -> tuple[PushToken, str]:
    """A new token for the account's push source. The raw token is returned once and never stored."""
    if not may_edit_account_sources(by, account):
        raise PermissionDenied(f"无权为账号“{account.name}”签发推送令牌")
    name = name.strip()
    if len(name) > 100:
        raise ValidationError({"name": [f"用途不能超过 100 个字（现为 {len(name)} 个）"]})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PushToken.objects.create(account=account, name=name, prefix=raw[:PREFIX_SHOWN],
                                     token_hash=hash_token(raw), created_by=by, created_at=now)
    return token, raw


def token_revoke(*, token: PushToken, by: User, now: datetime) -> PushToken:
    """Revoke a token: from now on it is refused. Revoking is final; issue a new token instead."""
    if not may_edit_account_sources(by, token.account):
        raise PermissionDenied(f"无权吊销账号“{token.account.name}”的推送令牌")
    # Conditional UPDATE: of two people revoking at once, one records the time, the other is told.
    if not audited_update(token, where={"revoked_at__isnull": True}, revoked_at=now):
        token.refresh_from_db()
        raise Conflict(f"令牌 {token.prefix}… 已于 {timezone.localtime(token.revoked_at):%Y-%m-%d %H:%M} 吊销")
    return token


def token_authenticate(raw: str, *, now: datetime | None = None) -> PushToken | None:
    """The live token this raw string is, with its account; None for anything else (unknown, revoked,
    malformed). Marks the token used."""
    if not raw or len(raw) > MAX_TOKEN_CHARS or not raw.startswith(TOKEN_PREFIX):
        return None
    digest = hash_token(raw)
    token = PushToken.objects.select_related("account").filter(token_hash=digest).first()
    if token is None or not hmac.compare_digest(token.token_hash, digest) or token.revoked_at is not None:
        return None
    token.last_used_at = now or clock.now()
    # A machine using its credential is no one's decision: kept on the token, not in the audit log.
    PushToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)
    return token
