"""The back office does not go around the filing flow: state, number, form and dates change only
through the filing services, which record each step."""

from datetime import date

import pytest
from django.test import Client

from govmedia.registry.models import FilingReminder, FilingState
from tests.factories import FilingFactory
from tests.registry.services.helpers import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_client(supervisor):
    supervisor.is_staff = True
    supervisor.save()
    client = Client()
    client.force_login(supervisor)
    return client


def test_a_supervisor_cannot_confirm_a_filing_in_the_back_office(office_client, edu_weibo):
    filing = FilingFactory(account=edu_weibo, due_on=date(2026, 3, 11))
    url = f"/admin/registry/filing/{filing.pk}/change/"
    page = office_client.get(url).content.decode()
    assert 'name="state"' not in page and 'name="filed_on"' not in page and 'name="provincial_filing_no"' not in page
    office_client.post(url, {
        "account": edu_weibo.pk, "kind": "opening", "triggered_on": "2026-03-02", "due_on": "2026-03-11",
        "state": FilingState.CONFIRMED, "filed_on": "2026-03-02", "provincial_filing_no": "自填编号", "note": "",
        "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0",
    })
    filing = fresh(filing)
    assert (filing.state, filing.filed_on, filing.provincial_filing_no) == (FilingState.PENDING, None, "")


def test_reminders_are_a_record_nobody_edits(office_client, edu_weibo, edu_unit_admin):
    reminder = FilingReminder.objects.create(filing=FilingFactory(account=edu_weibo), recipient=edu_unit_admin,
                                             sent_on=date(2026, 3, 2), reason="overdue")
    assert office_client.get("/admin/registry/filingreminder/").status_code == 200
    assert office_client.post(f"/admin/registry/filingreminder/{reminder.pk}/delete/", {"post": "yes"}).status_code == 403
    assert FilingReminder.objects.filter(pk=reminder.pk).exists()
