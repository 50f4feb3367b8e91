"""Writes on the calendar in force recompute the provisional dates that rest on it."""

import pytest

from govmedia.audit.models import AuditEntry
from govmedia.registry.models import FilingKind, LifecycleEvent
from govmedia.registry.services.filings import create_filing
from govmedia.workdays.models import CalendarDay, CalendarYear
from govmedia.workdays.services import calendar_entries_delete, calendar_entry_save
from tests.registry.services.helpers import fresh
from tests.uncovered_year import FIRST_WEEKDAY, LAST_COVERED_DAY, YEAR, weekdays

pytestmark = pytest.mark.django_db


@pytest.fixture
def filing(edu_wechat):
    return create_filing(account=edu_wechat, kind=FilingKind.CHANGE, triggered_on=LAST_COVERED_DAY)


def test_saving_a_holiday_moves_the_provisional_deadlines_and_says_who_entered_what(
    filing, supervisor, frozen_clock
):
    result = calendar_entry_save(entry=CalendarDay(date=FIRST_WEEKDAY, is_working_day=False, name="元旦"),
                                 by=supervisor, now=frozen_clock.current)
    assert CalendarDay.objects.filter(date=FIRST_WEEKDAY).exists()
    assert [c.row for c in result.filings] == [filing]
    assert fresh(filing).due_on == weekdays(8)[-1]
    event = filing.account.events.get(action=LifecycleEvent.Action.RESCHEDULE)
    assert event.actor == supervisor
    assert f"王监管录入工作日历“{FIRST_WEEKDAY:%Y-%m-%d} 元旦（放假）”" in event.comment


def test_marking_the_year_complete_makes_the_deadlines_firm(filing, supervisor, frozen_clock):
    calendar_entry_save(entry=CalendarYear(year=YEAR, is_complete=True), by=supervisor, now=frozen_clock.current)
    assert not fresh(filing).due_is_provisional


def test_deleting_a_holiday_moves_the_deadline_back_and_each_deletion_is_audited(filing, supervisor, frozen_clock):
    calendar_entry_save(entry=CalendarDay(date=FIRST_WEEKDAY, is_working_day=False, name="元旦"),
                        by=supervisor, now=frozen_clock.current)
    calendar_entries_delete(entries=CalendarDay.objects.all(), by=supervisor, now=frozen_clock.current)
    assert fresh(filing).due_on == weekdays(7)[-1]
    assert AuditEntry.objects.filter(object_type="workdays.CalendarDay", action=AuditEntry.Action.DELETE).count() == 1
    assert "删除工作日历" in filing.account.events.filter(action=LifecycleEvent.Action.RESCHEDULE).last().comment
