"""Personal tokens for the JSON API (/api/v1/): issued by a user for themselves and shown once, stored as a
hash, revocable (govmedia.tokens). A token acts as its user with exactly the user's rights
(orgs.permissions), so a deactivated user's tokens stop working with the login.

Tokens are `gmu_` and 43 URL-safe characters, told apart from the push API's `gm_` account tokens at a glance.
"""

from datetime import datetime

from govmedia import clock
from govmedia.errors import PermissionDenied, ValidationError
from govmedia.orgs.models import ApiToken, User
from govmedia.orgs.permissions import may_revoke_api_token, may_use_api_tokens
from govmedia.tokens import live_token, new_token, revoke_token

TOKEN_PREFIX = "gmu_"
NAME_MAX = ApiToken._meta.get_field("name").max_length


def api_token_issue(*, user: User, name: str, now: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for the user themselves. The raw token is returned once and never stored."""
    if not may_use_api_tokens(user):
        raise PermissionDenied("停用的用户不能签发接口令牌")
    name = " ".join((name or "").split())
    if len(name) > NAME_MAX:
        raise ValidationError({"name": [f"用途不能超过 {NAME_MAX} 个字（现为 {len(name)} 个）"]})
    raw, kept = new_token(TOKEN_PREFIX)
    return ApiToken.objects.create(user=user, name=name, created_at=now or clock.now(), **kept), raw


def api_token_revoke(*, token: ApiToken, by: User, now: datetime | None = None) -> ApiToken:
    """Revoke a token: from now on it is refused (401). Final; issue a new one instead."""
    if not may_revoke_api_token(by, token):
        raise PermissionDenied("只能吊销本人的接口令牌")
    return revoke_token(token, now=now or clock.now())


def api_token_authenticate(raw: str, *, now: datetime | None = None) -> ApiToken | None:
    """The live token this raw string is, with its active user; None for anything else (unknown, revoked,
    malformed, its user deactivated). Marks the token used."""
    tokens = ApiToken.objects.select_related("user", "user__person").filter(user__is_active=True)
    return live_token(tokens, raw, kind_prefix=TOKEN_PREFIX, now=now or clock.now())
