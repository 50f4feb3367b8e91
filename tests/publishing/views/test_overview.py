"""逾期补审与逾期留言 through HTTP: emergency releases past their full-review date, drafts in review for more than
two working days, messages past their reply deadline; each scoped to the user's remit, the whole district for
supervisors, and refused to reviewers and operators."""

from datetime import date, datetime

import pytest
from django.urls import reverse

from govmedia.publishing.services.review import draft_submit, review_approve
from tests.conftest import BEIJING
from tests.interaction.factories import MessageFactory
from tests.monitoring.pages import client_for
from tests.publishing.factories import draft_for

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("publishing:overview")
MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=BEIJING)


@pytest.fixture
def released(frozen_clock, assigned_operator, edu_leader, edu_weibo):
    """Released in an emergency on Monday 2026-03-02; its full review is due three working days later."""
    draft = draft_for(assigned_operator, edu_weibo, title="暴雨预警")
    draft = draft_submit(draft=draft, by=assigned_operator, emergency_reason="暴雨红色预警")
    return review_approve(draft=draft, by=edu_leader)


def rows(response, key):
    return response.context[key]


def test_an_emergency_release_past_its_full_review_date_is_listed(released, frozen_clock, edu_leader, supervisor):
    frozen_clock.set(date(2026, 3, 5))
    assert rows(client_for(supervisor).get(OVERVIEW), "emergencies") == []
    frozen_clock.set(date(2026, 3, 6))
    response = client_for(supervisor).get(OVERVIEW)
    [row] = rows(response, "emergencies")
    assert row["draft"] == released and row["step"].label == "审核员审核"
    text = response.content.decode()
    assert f'href="{reverse("publishing:review", args=[released.pk])}">暴雨预警</a>' in text and "暴雨红色预警" in text
    assert [r["draft"] for r in rows(client_for(edu_leader).get(OVERVIEW), "emergencies")] == [released]


def test_a_draft_in_review_for_more_than_two_working_days_is_listed(frozen_clock, assigned_operator, edu_weibo,
                                                                    edu_unit_admin):
    draft = draft_for(assigned_operator, edu_weibo, title="秋季招生简章", submit=True)
    frozen_clock.set(date(2026, 3, 4))  # Wednesday: two working days
    assert rows(client_for(edu_unit_admin).get(OVERVIEW), "waiting") == []
    frozen_clock.set(date(2026, 3, 5))
    [row] = rows(client_for(edu_unit_admin).get(OVERVIEW), "waiting")
    assert row["draft"] == draft and row["days"] == 3 and row["step"].label == "审核员审核"


def test_a_weekend_does_not_count_as_waiting(frozen_clock, assigned_operator, edu_weibo, edu_unit_admin):
    frozen_clock.set(datetime(2026, 3, 6, 10, 0, tzinfo=BEIJING))  # Friday
    draft_for(assigned_operator, edu_weibo, submit=True)
    frozen_clock.set(date(2026, 3, 10))  # Tuesday: Monday and Tuesday have passed
    assert rows(client_for(edu_unit_admin).get(OVERVIEW), "waiting") == []
    frozen_clock.set(date(2026, 3, 11))
    assert len(rows(client_for(edu_unit_admin).get(OVERVIEW), "waiting")) == 1


def test_overdue_messages_are_listed_in_the_remit_and_the_district(frozen_clock, edu_weibo, street_weibo,
                                                                   edu_leader, supervisor):
    ours = MessageFactory(account=edu_weibo, received_at=MONDAY, created_at=MONDAY, text="请问开学时间？")
    theirs = MessageFactory(account=street_weibo, received_at=MONDAY, created_at=MONDAY, text="路灯坏了")
    MessageFactory(account=edu_weibo, received_at=datetime(2026, 3, 5, 9, 0, tzinfo=BEIJING), created_at=MONDAY)
    frozen_clock.set(date(2026, 3, 6))  # a consultation is due in three working days: Thursday
    response = client_for(edu_leader).get(OVERVIEW)
    assert [r["message"] for r in rows(response, "messages_late")] == [ours]
    assert rows(response, "messages_late")[0]["deadline"] == date(2026, 3, 5)
    assert f'href="{reverse("interaction:message_detail", args=[ours.pk])}"' in response.content.decode()
    assert {r["message"] for r in rows(client_for(supervisor).get(OVERVIEW), "messages_late")} == {ours, theirs}


def test_another_units_lateness_is_not_shown(released, frozen_clock, street_leader, street_unit_admin):
    frozen_clock.set(date(2026, 3, 9))
    for outsider in (street_leader, street_unit_admin):
        response = client_for(outsider).get(OVERVIEW)
        assert rows(response, "emergencies") == [] and "暴雨预警" not in response.content.decode()


def test_reviewers_and_operators_are_refused(frozen_clock, edu_reviewer, assigned_operator, edu_operator):
    for user in (edu_reviewer, assigned_operator, edu_operator):
        assert client_for(user).get(OVERVIEW).status_code == 403


def test_the_overview_needs_a_login(client):
    assert client.get(OVERVIEW).status_code == 302
