"""Upkeep of an account that needs no approval: its QR code image and follower counts, written by whoever
may act on the account (access.may_act_on); and the district office's corrections of registered details.
Every write is audited like every save."""

from datetime import date, datetime

from django.db import transaction

from govmedia import clock
from govmedia.errors import PermissionDenied, ValidationError
from govmedia.orgs.models import User
from govmedia.registry import fields as account_fields
from govmedia.registry.models import Account, FollowerSnapshot, LifecycleEvent
from govmedia.registry.services.access import _require_may_act_on
from govmedia.registry.services.applications import _check_holder
from govmedia.registry.services.events import _event, moment

# Changing any of these re-judges who may hold the account (art. 3 and 5).
HOLDER_FIELDS = frozenset({"host_unit", "competent_unit", "platform", "name", "registrant_kind"})


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


@transaction.atomic
def check_account_correction(*, account: Account, by: User) -> dict:
    """What the edited (unsaved) `account` changes against its stored row, as a diff; raises if refused.

    Units change their accounts through change applications; the district office corrects its registry
    directly, but the rules on who may hold an account still apply.
    """
    if not by.is_district_supervisor:
        raise PermissionDenied("只有区级监管员可以直接更正账号登记信息；其他单位请提交变更申请")
    before = account_fields.field_values(Account.objects.get(pk=account.pk))
    after = account_fields.field_values(account)
    changes = account_fields.diff(before, after)
    if HOLDER_FIELDS & set(changes):
        _check_holder(after, exclude_account=account, changed=changes)
    return changes


@transaction.atomic
def account_correct(*, account: Account, by: User, now: datetime | None = None) -> Account:
    """Save the district office's correction of an account's registered details, as a change in its history."""
    changes = check_account_correction(account=account, by=by)
    account.save()
    if changes:
        _event(account, LifecycleEvent.Action.APPLY_CHANGE, at=moment(now), actor=by, diff=changes,
               comment="区级监管员更正登记信息")
    return account
