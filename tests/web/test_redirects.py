"""Every endpoint that takes a `next` sends the user only to a page of this site (no open redirect)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, FilingFactory

pytestmark = pytest.mark.django_db

FOREIGN = ["https://evil.com/phish", "//evil.com/phish", "http://testserver@evil.com/", "javascript:alert(1)",
           "https:/\\evil.com/", "\\\\evil.com"]


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("target", FOREIGN)
def test_recording_a_filing_never_redirects_off_site(target, edu_unit_admin, edu_weibo, frozen_today):
    filing = FilingFactory(account=edu_weibo)
    response = _client_for(edu_unit_admin).post(reverse("filing_record", args=[filing.pk]), {
        "filed_on": frozen_today.isoformat(), "provincial_filing_no": "鲁备001", "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("filing_detail", args=[filing.pk])


def test_recording_a_filing_returns_to_the_page_of_this_site_it_came_from(edu_unit_admin, edu_weibo, frozen_today):
    filing = FilingFactory(account=edu_weibo)
    back = reverse("filing_list") + "?show=all&page=2"
    response = _client_for(edu_unit_admin).post(reverse("filing_record", args=[filing.pk]), {
        "filed_on": frozen_today.isoformat(), "provincial_filing_no": "鲁备001", "next": back})
    assert response["Location"] == back


@pytest.mark.parametrize("target", FOREIGN)
def test_logging_in_never_redirects_off_site(target, edu_unit_admin):
    response = Client().post(reverse("login"), {
        "username": edu_unit_admin.username, "password": DEFAULT_PASSWORD, "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


@pytest.mark.parametrize("target", FOREIGN)
def test_logging_out_never_redirects_off_site(target, edu_unit_admin):
    response = _client_for(edu_unit_admin).post(reverse("logout"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


@pytest.mark.parametrize("target", FOREIGN)
def test_the_back_office_login_never_redirects_off_site(target, supervisor):
    supervisor.is_staff = True
    supervisor.save(update_fields=["is_staff"])
    response = Client().post(reverse("admin:login"), {
        "username": supervisor.username, "password": DEFAULT_PASSWORD, "next": target})
    assert response.status_code == 302
    assert response["Location"] in (reverse("admin:index"), reverse("dashboard"))
