"""Push-API tokens: issued for one account and shown once, stored as a hash, revocable (govmedia.tokens).
A push token is `gm_` and 43 URL-safe characters."""

from datetime import datetime

from govmedia import clock
from govmedia.errors import PermissionDenied, ValidationError
from govmedia.monitoring.models import PushToken
from govmedia.orgs.models import User
from govmedia.orgs.permissions import may_edit_account_sources
from govmedia.registry.models import Account
from govmedia.tokens import live_token, new_token, revoke_token

TOKEN_PREFIX = "gm_"


def token_issue(*, account: Account, name: str, by: User, now: datetime) -> tuple[PushToken, str]:
    """A new token for the account's push source. The raw token is returned once and never stored."""
    if not may_edit_account_sources(by, account):
        raise PermissionDenied(f"无权为账号“{account.name}”签发推送令牌")
    name = name.strip()
    if len(name) > 100:
        raise ValidationError({"name": [f"用途不能超过 100 个字（现为 {len(name)} 个）"]})
    raw, kept = new_token(TOKEN_PREFIX)
    return PushToken.objects.create(account=account, name=name, created_by=by, created_at=now, **kept), raw


def token_revoke(*, token: PushToken, by: User, now: datetime) -> PushToken:
    """Revoke a token: from now on it is refused. Revoking is final; issue a new token instead."""
    if not may_edit_account_sources(by, token.account):
        raise PermissionDenied(f"无权吊销账号“{token.account.name}”的推送令牌")
    return revoke_token(token, now=now)


def token_authenticate(raw: str, *, now: datetime | None = None) -> PushToken | None:
    """The live token this raw string is, with its account; None for anything else (unknown, revoked,
    malformed). Marks the token used."""
    return live_token(PushToken.objects.select_related("account"), raw, kind_prefix=TOKEN_PREFIX,
                      now=now or clock.now())
