"""Interaction in the back office, attacked by persona: a unit admin reads its own accounts' messages (senders'
contacts are personal data) and nothing of another unit's, and edits none; the reply limits are the district's."""

import pytest

from govmedia.interaction.models import ReplyLimit
from tests.clients import back_office_client
from tests.interaction.factories import AccountServiceFactory, MessageFactory, SurveyFactory

pytestmark = pytest.mark.django_db

ADMIN = "/admin/interaction"


@pytest.fixture
def messages(frozen_clock, edu_weibo, street_weibo):
    return {"edu": MessageFactory(account=edu_weibo, sender_contact="13900001111"),
            "street": MessageFactory(account=street_weibo, sender_contact="13700002222")}


def test_a_unit_admin_reads_its_own_accounts_messages_only(edu_unit_admin, messages):
    client = back_office_client(edu_unit_admin)
    listing = client.get(f"{ADMIN}/message/").content.decode()
    assert "西海岸教育发布" in listing and "灵山卫发布" not in listing
    assert "13900001111" in client.get(f"{ADMIN}/message/{messages['edu'].pk}/change/").content.decode()
    assert client.get(f"{ADMIN}/message/{messages['street'].pk}/change/").status_code == 404


def test_a_unit_admin_edits_no_message_and_adds_none(edu_unit_admin, messages):
    client = back_office_client(edu_unit_admin)
    client.post(f"{ADMIN}/message/{messages['edu'].pk}/change/", {"text": "改写", "status": "closed"})
    messages["edu"].refresh_from_db()
    assert (messages["edu"].status, messages["edu"].text != "改写") == ("new", True)
    assert client.get(f"{ADMIN}/message/add/").status_code == 403


def test_surveys_and_services_are_scoped_like_messages(frozen_clock, edu_unit_admin, edu_weibo, street_weibo):
    SurveyFactory(account=street_weibo, title="街道环境整治意见征集")
    AccountServiceFactory(account=street_weibo, name="街道便民服务预约")
    client = back_office_client(edu_unit_admin)
    assert "街道环境整治意见征集" not in client.get(f"{ADMIN}/survey/").content.decode()
    assert "街道便民服务预约" not in client.get(f"{ADMIN}/accountservice/").content.decode()


def test_the_reply_limits_are_kept_by_supervisors_only(supervisor, edu_unit_admin):
    assert back_office_client(edu_unit_admin).get(f"{ADMIN}/replylimit/").status_code == 403
    response = back_office_client(supervisor).post(f"{ADMIN}/replylimit/add/",
                                                   {"kind": "consultation", "working_days": "2"})
    assert response.status_code == 302
    assert ReplyLimit.objects.get().working_days == 2


def test_a_reply_limit_is_between_1_and_60_working_days(supervisor):
    response = back_office_client(supervisor).post(f"{ADMIN}/replylimit/add/",
                                                   {"kind": "consultation", "working_days": "0"})
    assert response.status_code == 200 and not ReplyLimit.objects.exists()
