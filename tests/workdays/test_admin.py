"""The calendar in the back office: what a supervisor enters there moves the stored provisional dates at once."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from govmedia.registry.models import FilingKind, LifecycleEvent
from govmedia.registry.services.filings import create_filing
from govmedia.workdays.models import CalendarDay
from tests.clients import back_office_client
from tests.registry.services.helpers import approve, fresh, submit_closure
from tests.uncovered_year import FIRST_WEEKDAY, LAST_COVERED_DAY, YEAR, weekdays

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(frozen_clock, edu_weibo, edu_unit_admin, edu_leader, supervisor):
    frozen_clock.set(LAST_COVERED_DAY)
    return approve(submit_closure(edu_unit_admin, edu_weibo), edu_leader, supervisor).notice


def test_a_holiday_entered_in_the_admin_moves_a_notice_and_its_public_text(notice, supervisor):
    client = back_office_client(supervisor)
    response = client.post(reverse("admin:workdays_calendarday_add"),
                           {"date": FIRST_WEEKDAY.isoformat(), "is_working_day": "", "name": "元旦"}, follow=True)
    assert response.status_code == 200
    assert "已按新的工作日历重新计算 0 项备案期限、1 份关停注销公告的日期" in response.content.decode()
    moved = weekdays(16)[-1] + timedelta(days=1)
    assert fresh(notice).effective_on == moved
    page = Client().get(notice.get_absolute_url()).content.decode()
    assert f"将于{moved:%Y年%m月%d日}（暂定）起关停" in page
    assert notice.account.events.filter(action=LifecycleEvent.Action.RESCHEDULE, actor=supervisor).exists()


def test_marking_the_year_complete_in_the_admin_makes_the_notice_firm(notice, supervisor):
    back_office_client(supervisor).post(reverse("admin:workdays_calendaryear_add"),
                                   {"year": YEAR, "is_complete": "on", "source": "国办发明电"})
    assert not fresh(notice).effective_is_provisional
    assert "暂定" not in Client().get(notice.get_absolute_url()).content.decode()


def test_deleting_a_holiday_in_the_admin_moves_a_filing_deadline_back(edu_wechat, supervisor):
    filing = create_filing(account=edu_wechat, kind=FilingKind.CHANGE, triggered_on=LAST_COVERED_DAY)
    client = back_office_client(supervisor)
    client.post(reverse("admin:workdays_calendarday_add"),
                {"date": FIRST_WEEKDAY.isoformat(), "is_working_day": "", "name": "元旦"})
    assert fresh(filing).due_on == weekdays(8)[-1]
    client.post(reverse("admin:workdays_calendarday_delete", args=[CalendarDay.objects.get().pk]), {"post": "yes"})
    assert not CalendarDay.objects.exists()
    assert fresh(filing).due_on == weekdays(7)[-1]


def test_a_unit_admin_cannot_change_the_calendar(notice, edu_unit_admin):
    response = back_office_client(edu_unit_admin).post(reverse("admin:workdays_calendarday_add"),
                                                  {"date": FIRST_WEEKDAY.isoformat(), "is_working_day": "",
                                                   "name": "元旦"})
    assert response.status_code == 403
    assert not CalendarDay.objects.exists()
