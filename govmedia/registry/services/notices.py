"""Closure notices (art. 7): an approved closure or cancellation is published for 15 working days,
then takes effect."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from govmedia.audit.services import audited_update
from govmedia.orgs.models import User
from govmedia.registry.models import (
    AccountStatus,
    Application,
    ApplicationKind,
    ClosureNotice,
    DecisionKind,
    LifecycleEvent,
)
from govmedia.registry.services.events import _event, _set_status, moment
from govmedia.workdays.selectors import add_working_days

NOTICE_WORKING_DAYS = 15  # art. 7


def _publish_notice(application: Application, by: User, now: datetime) -> ClosureNotice:
    account = application.account
    today = timezone.localdate(now)
    notice_end = add_working_days(today, NOTICE_WORKING_DAYS)
    effective_on = notice_end.date + timedelta(days=1)
    verb = "关停" if application.kind == ApplicationKind.CLOSE else "注销"
    notice = ClosureNotice.objects.create(
        account=account, application=application, kind=application.kind,
        title=f"关于{verb}“{account.name}”{account.platform.name}账号的公告",
        body=(
            f"经{account.host_unit.name}"
            f"{'集体研究决定' if application.decision_kind == DecisionKind.COLLECTIVE else '主要领导同意'}，"
            f"并报管委办公室备案，{account.host_unit.name}主办的{account.platform.name}账号“{account.name}”"
            f"（账号ID：{account.account_id}）将于{effective_on:%Y年%m月%d日}起{verb}。\n"
            f"{verb}原因：{application.reason}\n"
            f"公告期自{today:%Y年%m月%d日}起至{notice_end.date:%Y年%m月%d日}，不少于15个工作日。"
            "公告期内如有疑问，请与主办单位联系。"
        ),
        published_on=today, effective_on=effective_on, effective_is_provisional=notice_end.provisional,
    )
    comment = f"公告至{notice_end.date:%Y-%m-%d}，{effective_on:%Y-%m-%d}起生效"
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
def closures_take_effect(*, now: datetime | None = None) -> list[ClosureNotice]:
    """Close or cancel every account whose notice period has run out. Run daily (command `registry_daily`)."""
    now = moment(now)
    today = timezone.localdate(now)
    due = ClosureNotice.objects.select_related("account").filter(took_effect_at__isnull=True, effective_on__lte=today)
    done = []
    for notice in due:
        status = AccountStatus.CLOSED if notice.kind == ApplicationKind.CLOSE else AccountStatus.CANCELLED
        action = LifecycleEvent.Action.CLOSE if notice.kind == ApplicationKind.CLOSE else LifecycleEvent.Action.CANCEL
        # Conditional UPDATE: a second scheduler run at the same moment finds nothing left to do.
        if not audited_update(notice, where={"took_effect_at__isnull": True}, took_effect_at=now):
            continue
        _set_status(notice.account, status, None, notice.application, action, at=now, comment=notice.title)
        done.append(notice)
    return done
