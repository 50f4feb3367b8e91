"""The one clock: every 'now' and 'today' in govmedia comes from here, so tests can freeze time."""

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def today() -> date:
    return timezone.localdate(now())
