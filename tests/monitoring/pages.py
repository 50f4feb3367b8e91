"""Helpers of the monitoring page tests (selectors, services, views, admin).

PostFactory and FindingFactory of tests.monitoring.factories take their default times from the clock
function as it was imported, so a frozen clock does not reach them; these wrappers read it at each call."""

from django.contrib.messages import get_messages
from django.test import Client

from govmedia import clock
from govmedia.audit.models import AuditEntry
from tests.monitoring import factories


def PostFactory(**kwargs):  # noqa: N802 -- stands in for the factory class
    kwargs.setdefault("first_seen", clock.now())
    return factories.PostFactory(**kwargs)


def FindingFactory(**kwargs):  # noqa: N802
    kwargs.setdefault("first_found_at", clock.now())
    if "post" not in kwargs and "account" not in kwargs:
        kwargs["post"] = PostFactory()
    return factories.FindingFactory(**kwargs)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def refusals() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.DENIED))
