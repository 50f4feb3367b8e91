"""What a person marks as read: posts on duty (值班读网), and their own alerts.

A post is read once, by whoever on duty read it first; marking it again changes nothing. Only posts the
person sees may be marked: a crafted request naming another unit's post is refused as a whole.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from govmedia import clock
from govmedia.audit.services import audit_bulk_create
from govmedia.monitoring.models import Alert, DutyReading
from govmedia.monitoring.selectors import posts_visible_to
from govmedia.orgs.models import User
from govmedia.orgs.permissions import may_read_on_duty

# One request marks at most one page of posts or alerts, and a little more.
MAX_MARKED = 500


def _ids(ids, what: str) -> set[int]:
    try:
        ids = {int(i) for i in ids}
    except (TypeError, ValueError):
        raise ValidationError({"ids": [f"{what}编号无效。"]}) from None
    if not ids:
        raise ValidationError({"ids": [f"未选择{what}。"]})
    if len(ids) > MAX_MARKED:
        raise ValidationError({"ids": [f"一次最多标记 {MAX_MARKED} 条{what}（本次 {len(ids)} 条）。"]})
    return ids


@transaction.atomic
def posts_mark_read(*, post_ids, by: User, now: datetime | None = None) -> int:
    """Mark these posts read by `by`; returns how many were not read before."""
    if not may_read_on_duty(by):
        raise PermissionDenied("无权进行值班读网")
    ids = _ids(post_ids, "信息")
    if posts_visible_to(by).filter(pk__in=ids).count() != len(ids):
        raise PermissionDenied("所选信息中有不属于您管理范围的账号，全部未标记")
    now = now or clock.now()
    unread = ids - set(DutyReading.objects.filter(post_id__in=ids).values_list("post_id", flat=True))
    readings = [DutyReading(post_id=pk, reader=by, read_at=now) for pk in sorted(unread)]
    try:
        with transaction.atomic():
            created = DutyReading.objects.bulk_create(readings)
    except IntegrityError:
        # Someone on duty marked some of them meanwhile: theirs stand, the rest are ours (each saved, and so
        # audited, by its signal).
        return sum(DutyReading.objects.get_or_create(post_id=reading.post_id,
                                                     defaults={"reader": by, "read_at": now})[1]
                   for reading in readings)
    audit_bulk_create(created)
    return len(created)


@transaction.atomic
def alerts_mark_read(*, alert_ids, by: User, now: datetime | None = None) -> int:
    """Mark these alerts of `by`'s read; returns how many were unread. Alerts are personal: naming another
    person's alert refuses the whole request."""
    ids = _ids(alert_ids, "提醒")
    mine = list(Alert.objects.select_for_update().filter(pk__in=ids, recipient=by))
    if len(mine) != len(ids):
        raise PermissionDenied("所选提醒中有不属于您的提醒，全部未标记")
    now = now or clock.now()
    marked = 0
    for alert in mine:
        if alert.read_at is None:
            alert.read_at = now
            alert.save(update_fields=["read_at"])
            marked += 1
    return marked
