"""Day-to-day upkeep of an account that needs no approval: its QR code image and its follower counts.

Both are written by whoever may act on the account (access.may_act_on), and audited like every save."""

from datetime import date

from django.db import transaction

from govmedia import clock
from govmedia.errors import ValidationError
from govmedia.orgs.models import User
from govmedia.registry.models import Account, FollowerSnapshot
from govmedia.registry.services.access import _require_may_act_on


@transaction.atomic
def account_qr_set(*, account: Account, by: User, image) -> Account:
    """Replace the account's uploaded QR code image (already validated as an image by the form)."""
    _require_may_act_on(by, account, "更新该账号的二维码")
    account.qr_code = image
    account.save(update_fields=["qr_code", "updated_at"])
    return account


@transaction.atomic
def follower_count_record(*, account: Account, by: User, taken_on: date, followers: int,
                          today: date | None = None) -> FollowerSnapshot:
    """Record the follower count read on `taken_on`; a second reading for the same day replaces the first."""
    _require_may_act_on(by, account, "记录该账号的粉丝量")
    today = today or clock.today()
    if taken_on > today:
        raise ValidationError({"taken_on": [f"日期 {taken_on:%Y-%m-%d} 不能晚于今天。"]})
    if followers < 0:
        raise ValidationError({"followers": [f"粉丝量不能为负数：{followers}"]})
    snapshot, _ = FollowerSnapshot.objects.update_or_create(
        account=account, taken_on=taken_on, defaults={"followers": followers, "source": "manual"})
    return snapshot
