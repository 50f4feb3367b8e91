"""Shared private helpers of the registry services: every transition is a LifecycleEvent row."""

from govmedia import clock
from govmedia.registry.models import Account, LifecycleEvent


def _event(account, action, *, application=None, actor=None, step=None, from_state="", to_state="",
           comment="", diff=None, at=None) -> LifecycleEvent:
    return LifecycleEvent.objects.create(
        account=account, application=application, actor=actor, action=action, step=step,
        from_state=from_state, to_state=to_state, comment=comment, diff=diff or {}, at=at or clock.now(),
    )


def _set_status(account: Account, status: str, by, application, action, comment="") -> None:
    old = account.status
    account.status = status
    account.save(update_fields=["status", "updated_at"])
    _event(account, action, application=application, actor=by, from_state=old, to_state=status, comment=comment)
