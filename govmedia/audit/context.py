"""Who is acting right now, so that signal-level auditing can attribute every write."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    label: str
    ip_address: str | None = None
    channel: str = "command"


SYSTEM = Actor(user_id=None, label="系统", channel="command")
_current: ContextVar[Actor] = ContextVar("govmedia_actor", default=SYSTEM)


def current_actor() -> Actor:
    return _current.get()


@contextmanager
def acting_as(actor: Actor):
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def actor_for_user(user, *, ip_address=None, channel="command") -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(user_id=None, label="匿名", ip_address=ip_address, channel=channel)
    return Actor(user_id=user.pk, label=user.get_username(), ip_address=ip_address, channel=channel)
