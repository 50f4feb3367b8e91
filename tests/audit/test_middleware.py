"""Refused write attempts are security events in the audit trail, whoever tried them and however refused."""

import pytest
from django.test import Client
from django.urls import reverse

from govmedia.audit.models import AuditEntry
from govmedia.orgs.models import Role
from govmedia.registry.models import Application
from tests.factories import FilingFactory, UserFactory
from tests.registry.services.helpers import submit_opening

pytestmark = pytest.mark.django_db


def _client(user, staff=False) -> Client:
    if staff:
        user.is_staff = True
        user.save()
    client = Client(REMOTE_ADDR="10.7.7.7")
    client.force_login(user)
    return client


def _refusals():
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.DENIED))


def test_an_admin_403_on_a_write_is_recorded_with_who_and_where(district):
    office_admin = UserFactory(unit=district.office, role=Role.UNIT_ADMIN)
    url = f"/admin/orgs/user/{district.supervisor.pk}/password/"
    response = _client(office_admin, staff=True).post(url, {"password1": "Abc-12345678", "password2": "Abc-12345678"})
    assert response.status_code == 403
    [entry] = _refusals()
    assert (entry.actor, entry.ip_address, entry.channel) == (office_admin, "10.7.7.7", "admin")
    assert entry.object_repr == f"POST {url}" and entry.changes["status"] == 403


def test_a_permission_denied_raised_by_a_view_is_recorded_with_its_reason(assigned_operator):
    response = _client(assigned_operator).post(reverse("ledger_import"), {})
    assert response.status_code == 403
    [entry] = _refusals()
    assert (entry.actor, entry.channel, entry.ip_address) == (assigned_operator, "web", "10.7.7.7")
    assert "导入台账" in entry.changes["reason"]


def test_a_write_to_another_units_object_answered_404_is_recorded(street_operator, edu_weibo):
    url = reverse("account_followers_add", args=[edu_weibo.pk])
    response = _client(street_operator).post(url, {"taken_on": "2026-01-01", "followers": "1"})
    assert response.status_code == 404
    [entry] = _refusals()
    assert (entry.actor, entry.channel, entry.ip_address) == (street_operator, "web", "10.7.7.7")
    assert entry.object_repr == f"POST {url}" and entry.changes["status"] == 404


@pytest.mark.parametrize("name", ["application_approve", "filing_confirm", "account_qr_upload"])
def test_lifecycle_writes_to_another_units_objects_are_recorded(district, edu_operator, street_unit_admin,
                                                                edu_weibo, name):
    target = {"application_approve": lambda: submit_opening(edu_operator, district.edu).pk}.get(
        name, lambda: edu_weibo.pk)()
    if name == "filing_confirm":
        target = FilingFactory(account=edu_weibo).pk
    response = _client(street_unit_admin).post(reverse(name, args=[target]), {})
    assert response.status_code == 404
    [entry] = _refusals()
    assert entry.actor == street_unit_admin and entry.object_repr == f"POST {reverse(name, args=[target])}"


def test_a_404_to_a_read_is_not_a_refusal(street_operator, edu_weibo):
    assert _client(street_operator).get(edu_weibo.get_absolute_url()).status_code == 404
    assert _refusals() == []


def test_a_refusal_shown_as_a_message_is_recorded_too(district, edu_operator, edu_reviewer):
    application = submit_opening(edu_operator, district.edu)
    _client(edu_reviewer).post(reverse("application_withdraw", args=[application.pk]))
    [entry] = _refusals()
    assert entry.actor == edu_reviewer and "撤回" in entry.changes["reason"]
    assert Application.objects.get(pk=application.pk).state == "submitted"


def test_a_refused_get_is_not_a_write_attempt(edu_unit_admin):
    assert _client(edu_unit_admin, staff=True).get("/admin/workdays/calendarday/").status_code == 403
    assert _refusals() == []


def test_a_post_without_a_csrf_token_is_recorded(edu_unit_admin, edu_weibo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(edu_unit_admin)
    client.post(reverse("account_followers_add", args=[edu_weibo.pk]), {"taken_on": "2026-01-01", "followers": "5"})
    [entry] = _refusals()
    assert entry.actor == edu_unit_admin and entry.changes["status"] == 403
