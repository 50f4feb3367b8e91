"""Closure notices (art. 7): an approved closure or cancellation is published for 15 working days,
then takes effect."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from govmedia.audit.services import audited_update
from govmedia.orgs.models import User
from govmedia.registry.models import (
    AccountStatus,
    Application,
    ApplicationKind,
    ClosureNotice,
    LifecycleEvent,
)
from govmedia.registry.services.events import _event, _set_status, moment
from govmedia.registry.services.notice_text import (
    notice_body,
    notice_event_comment,
    notice_period,
    notice_title,
)
from govmedia.registry.services.recompute import recompute_notice_dates


def _publish_notice(application: Application, by: User, now: datetime) -> ClosureNotice:
    account = application.account
    today = timezone.localdate(now)
    period = notice_period(today)
    notice = ClosureNotice.objects.create(
        account=account, application=application, kind=application.kind,
        title=notice_title(application), body=notice_body(application, period),
        published_on=today, effective_on=period.effective_on, effective_is_provisional=period.provisional,
    )
    comment = notice_event_comment(period)
    if account.status == AccountStatus.NORMAL:
        _set_status(account, AccountStatus.CLOSING, by, application, LifecycleEvent.Action.NOTICE, at=now,
                    comment=comment)
    else:
        # Cancelling an already closed account: it stays closed during the notice, and so does not count
        # again as a live account on its platform (art. 5).
        _event(account, LifecycleEvent.Action.NOTICE, at=now, application=application, actor=by,
               from_state=account.status, to_state=account.status, comment=comment)
    return notice


@transaction.atomic
def closures_take_effect(*, now: datetime | None = None, recompute: bool = True) -> list[ClosureNotice]:
    """Close or cancel every account whose notice period has run out. Run daily (command `registry_daily`).

    `recompute=False` only for a caller that has just recomputed the provisional dates itself."""
    now = moment(now)
    today = timezone.localdate(now)
    if recompute:
        # A holiday entered or learnt since publication may have moved a provisional date later: never act early.
        recompute_notice_dates(now=now)
    due = ClosureNotice.objects.select_related("account").filter(took_effect_at__isnull=True, effective_on__lte=today)
    done = []
    for notice in due:
        status = AccountStatus.CLOSED if notice.kind == ApplicationKind.CLOSE else AccountStatus.CANCELLED
        action = LifecycleEvent.Action.CLOSE if notice.kind == ApplicationKind.CLOSE else LifecycleEvent.Action.CANCEL
        # Conditional UPDATE: a second scheduler run at the same moment finds nothing left to do, and a
        # recomputation that has just moved the date later wins over this stale read.
        if not audited_update(notice, where={"took_effect_at__isnull": True, "effective_on__lte": today},
                              took_effect_at=now):
            continue
        _set_status(notice.account, status, None, notice.application, action, at=now, comment=notice.title)
        done.append(notice)
    return done
