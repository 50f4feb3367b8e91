"""The back office does not go around the lifecycle: fields the services own are not edited there."""

from datetime import date

import pytest
from django import forms
from django.test import Client

from govmedia.registry.models import (
    Account,
    AccountStatus,
    Application,
    ClosureNotice,
    Filing,
    FilingReminder,
    FilingState,
    LifecycleEvent,
)
from tests.clients import back_office_client
from tests.factories import ApplicationFactory, ClosureNoticeFactory, FilingFactory
from tests.registry.services.helpers import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor_client(supervisor) -> Client:
    return back_office_client(supervisor)


def _value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return str(value)


def _form_data(form, data):
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        value = _value(form[name].value())
        if value is not None:
            data[form.add_prefix(name)] = value


def _change_page_data(client, url) -> dict:
    """What the browser would send back from the change page, unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    data: dict = {}
    _form_data(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        _form_data(inline.formset.management_form, data)
        for form in inline.formset.forms:
            _form_data(form, data)
    return data


def test_a_supervisor_cannot_change_an_accounts_status_in_the_admin(supervisor_client, edu_weibo):
    url = f"/admin/registry/account/{edu_weibo.pk}/change/"
    data = _change_page_data(supervisor_client, url)
    assert "status" not in data
    response = supervisor_client.post(url, {**data, "status": AccountStatus.CLOSED, "live_on": "2020-01-01",
                                            "introduction": "管理端修改简介"})
    assert response.status_code == 302
    account = Account.objects.get(pk=edu_weibo.pk)
    assert account.status == AccountStatus.NORMAL and account.live_on != date(2020, 1, 1)
    assert account.introduction == "管理端修改简介"
    assert not account.events.exclude(diff__has_key="introduction").exists()


def test_a_correction_in_the_admin_is_a_change_in_the_accounts_history(supervisor_client, supervisor, edu_weibo):
    url = f"/admin/registry/account/{edu_weibo.pk}/change/"
    supervisor_client.post(url, {**_change_page_data(supervisor_client, url), "name": "西海岸教育发布厅"})
    event = LifecycleEvent.objects.get(account=edu_weibo)
    assert (event.action, event.actor, event.diff) == (
        LifecycleEvent.Action.APPLY_CHANGE, supervisor, {"name": ["西海岸教育发布", "西海岸教育发布厅"]})


def test_a_correction_in_the_admin_still_keeps_one_account_per_platform(supervisor_client, edu_weibo, street_weibo):
    url = f"/admin/registry/account/{street_weibo.pk}/change/"
    data = _change_page_data(supervisor_client, url)
    response = supervisor_client.post(url, {**data, "host_unit": edu_weibo.host_unit_id,
                                            "competent_unit": edu_weibo.competent_unit_id})
    assert response.status_code == 200 and "第五条" in response.content.decode()
    assert Account.objects.get(pk=street_weibo.pk).host_unit_id == street_weibo.host_unit_id
    assert not LifecycleEvent.objects.filter(account=street_weibo).exists()


def test_a_supervisor_cannot_change_the_dates_of_a_closure_notice(supervisor_client, edu_weibo):
    notice = ClosureNoticeFactory(application__account=edu_weibo)
    url = f"/admin/registry/closurenotice/{notice.pk}/change/"
    data = _change_page_data(supervisor_client, url)
    response = supervisor_client.post(url, {
        **data, "published_on": "2026-01-01", "effective_on": "2026-01-02", "effective_is_provisional": "on",
        "took_effect_at_0": "2026-01-02", "took_effect_at_1": "10:00:00", "kind": "cancel",
    })
    assert response.status_code == 302
    notice = ClosureNotice.objects.get(pk=notice.pk)
    assert (notice.published_on, notice.effective_on) == (date(2026, 3, 2), date(2026, 3, 24))
    assert not notice.effective_is_provisional and notice.took_effect_at is None and notice.kind == "close"


def test_a_supervisor_cannot_move_a_filing_deadline_or_mark_it_filed(supervisor_client, edu_weibo):
    filing = FilingFactory(account=edu_weibo)
    url = f"/admin/registry/filing/{filing.pk}/change/"
    data = _change_page_data(supervisor_client, url)
    response = supervisor_client.post(url, {**data, "due_on": "2027-01-01", "filed_on": "2026-03-03",
                                            "due_is_provisional": "on", "note": "已电话提醒"})
    assert response.status_code == 302
    filing = Filing.objects.get(pk=filing.pk)
    assert filing.due_on == date(2026, 3, 11) and filing.filed_on is None and not filing.due_is_provisional
    assert filing.note == "已电话提醒"


def test_applications_are_decided_along_their_chain_not_in_the_admin(supervisor_client, edu_weibo):
    application = ApplicationFactory(account=edu_weibo)
    url = f"/admin/registry/application/{application.pk}/change/"
    supervisor_client.post(url, {"state": "approved", "reason": "改", "kind": "cancel"})
    assert Application.objects.get(pk=application.pk).state == application.state
    assert supervisor_client.post(f"/admin/registry/application/{application.pk}/delete/",
                                  {"post": "yes"}).status_code == 403
    assert Application.objects.filter(pk=application.pk).exists()


@pytest.mark.parametrize("model", ["account", "application", "filing", "closurenotice"])
def test_lifecycle_records_are_not_created_in_the_admin(supervisor_client, model):
    assert supervisor_client.get(f"/admin/registry/{model}/add/").status_code == 403


def test_follower_counts_are_not_entered_in_the_admin_even_by_a_superuser(admin_client, edu_weibo):
    url = f"/admin/registry/account/{edu_weibo.pk}/change/"
    data = _change_page_data(admin_client, url)
    assert data["follower_snapshots-TOTAL_FORMS"] == "0"
    data.update({"follower_snapshots-TOTAL_FORMS": "1", "follower_snapshots-0-taken_on": "2030-01-01",
                 "follower_snapshots-0-followers": "99", "follower_snapshots-0-source": "manual"})
    admin_client.post(url, data)
    assert not edu_weibo.follower_snapshots.exists()


def test_a_supervisor_cannot_confirm_a_filing_in_the_back_office(supervisor_client, edu_weibo):
    filing = FilingFactory(account=edu_weibo, due_on=date(2026, 3, 11))
    url = f"/admin/registry/filing/{filing.pk}/change/"
    page = supervisor_client.get(url).content.decode()
    assert 'name="state"' not in page and 'name="filed_on"' not in page and 'name="provincial_filing_no"' not in page
    supervisor_client.post(url, {
        "account": edu_weibo.pk, "kind": "opening", "triggered_on": "2026-03-02", "due_on": "2026-03-11",
        "state": FilingState.CONFIRMED, "filed_on": "2026-03-02", "provincial_filing_no": "自填编号", "note": "",
        "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0",
    })
    filing = fresh(filing)
    assert (filing.state, filing.filed_on, filing.provincial_filing_no) == (FilingState.PENDING, None, "")


def test_reminders_are_a_record_nobody_edits(supervisor_client, edu_weibo, edu_unit_admin):
    reminder = FilingReminder.objects.create(filing=FilingFactory(account=edu_weibo), recipient=edu_unit_admin,
                                             sent_on=date(2026, 3, 2), reason="overdue")
    assert supervisor_client.get("/admin/registry/filingreminder/").status_code == 200
    assert supervisor_client.post(f"/admin/registry/filingreminder/{reminder.pk}/delete/", {"post": "yes"}).status_code == 403
    assert FilingReminder.objects.filter(pk=reminder.pk).exists()
