"""Personal tokens for the JSON API (/api/v1/): issued by a user for themselves and shown once, stored as a
hash, revocable. A token acts as its user with exactly the user's rights (orgs.permissions), so a
deactivated user's tokens stop working with the login.

Tokens are `gmu_` and 43 URL-safe characters (256 random bits), told apart from the push API's `gm_`
account tokens at a glance. As for those (monitoring.services.tokens, whose hash this shares), only the
SHA-256 and the first characters are kept.
"""

import hmac
import secrets
from datetime import datetime

from django.utils import timezone

from govmedia import clock
from govmedia.audit.services import audited_update
from govmedia.errors import Conflict, PermissionDenied, ValidationError
from govmedia.monitoring.services.tokens import MAX_TOKEN_CHARS, hash_token
from govmedia.orgs.models import ApiToken, User
from govmedia.orgs.permissions import may_revoke_api_token, may_use_api_tokens

TOKEN_PREFIX = "gmu_"
PREFIX_SHOWN = 11  # "gmu_" and 7 random characters
NAME_MAX = ApiToken._meta.get_field("name").max_length


def api_token_issue(*, user: User, name: str, now: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for the user themselves. The raw token is returned once and never stored."""
    if not may_use_api_tokens(user):
        raise PermissionDenied("停用的用户不能签发接口令牌")
    name = " ".join((name or "").split())
    if len(name) > NAME_MAX:
        raise ValidationError({"name": [f"用途不能超过 {NAME_MAX} 个字（现为 {len(name)} 个）"]})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:PREFIX_SHOWN], token_hash=hash_token(raw),
                                    created_at=now or clock.now())
    return token, raw


def api_token_revoke(*, token: ApiToken, by: User, now: datetime | None = None) -> ApiToken:
    """Revoke a token: from now on it is refused (401). Final; issue a new one instead."""
    if not may_revoke_api_token(by, token):
        raise PermissionDenied("只能吊销本人的接口令牌")
    if not audited_update(token, where={"revoked_at__isnull": True}, revoked_at=now or clock.now()):
        token.refresh_from_db()
        raise Conflict(f"令牌 {token.prefix}… 已于 {timezone.localtime(token.revoked_at):%Y-%m-%d %H:%M} 吊销")
    return token


def api_token_authenticate(raw: str, *, now: datetime | None = None) -> ApiToken | None:
    """The live token this raw string is, with its active user; None for anything else (unknown, revoked,
    malformed, its user deactivated). Marks the token used."""
    if not raw or len(raw) > MAX_TOKEN_CHARS or not raw.startswith(TOKEN_PREFIX):
        return None
    digest = hash_token(raw)
    token = ApiToken.objects.select_related("user", "user__person").filter(token_hash=digest).first()
    if (token is None or not hmac.compare_digest(token.token_hash, digest) or token.revoked_at is not None
            or not token.user.is_active):
        return None
    token.last_used_at = now or clock.now()
    # A program using its credential is no one's decision: kept on the token, not in the audit log.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)
    return token
