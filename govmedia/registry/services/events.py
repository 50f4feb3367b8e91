"""Shared private helpers of the registry services: every transition is a LifecycleEvent row.

Each service takes `now` (default: the clock) and stamps every row it writes with it, so that a history
can be told at past times (the demo) and a test can act at any moment without freezing the clock."""

from datetime import datetime

from govmedia import clock
from govmedia.registry.models import Account, LifecycleEvent


def moment(now: datetime | None) -> datetime:
    """The time a service acts at: the one it was given, else the clock's."""
    return now if now is not None else clock.now()


def _event(account, action, *, at: datetime, application=None, actor=None, step=None, from_state="", to_state="",
           comment="", diff=None) -> LifecycleEvent:
    return LifecycleEvent.objects.create(
        account=account, application=application, actor=actor, action=action, step=step,
        from_state=from_state, to_state=to_state, comment=comment, diff=diff or {}, at=at,
    )


def _set_status(account: Account, status: str, by, application, action, *, at: datetime, comment="") -> None:
    old = account.status
    account.status = status
    account.save(update_fields=["status", "updated_at"])
    _event(account, action, at=at, application=application, actor=by, from_state=old, to_state=status,
           comment=comment)
