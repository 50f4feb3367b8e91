"""Helpers of the message page tests: messages received on a given Beijing day, logged-in clients."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.urls import reverse

from tests.interaction.factories import MessageFactory
from tests.monitoring.pages import client_for, refusals, said

__all__ = ["at", "client_for", "detail", "msg", "refusals", "said"]

BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=BEIJING)


def msg(account, received: date = date(2026, 3, 2), **kwargs):
    """A message received on `received` at 10:00 Beijing time (the factory's own default time is not frozen)."""
    return MessageFactory(account=account, received_at=at(received), created_at=at(received), **kwargs)


def detail(message) -> str:
    return reverse("interaction:message_detail", args=[message.pk])
