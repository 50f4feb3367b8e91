"""Provisional dates are counted again once the holiday calendar learns their year (issue 6, item 13).

Dates come from tests.uncovered_year, so the tests follow whatever year the installed chinese-calendar
does not cover yet. A notice published on the last covered day runs its 15 working days wholly in that
year: without holidays they are its first 15 weekdays.
"""

from datetime import timedelta

import pytest

from govmedia.audit.models import AuditEntry
from govmedia.registry import services
from govmedia.registry.models import AccountStatus, ClosureNotice, Filing, FilingKind, LifecycleEvent
from govmedia.registry.services.filings import create_filing
from tests.factories import CalendarDayFactory, CalendarYearFactory
from tests.registry.services.helpers import approve, fresh, submit_closure
from tests.uncovered_year import (
    FIRST_SATURDAY,
    FIRST_WEEKDAY,
    LAST_COVERED_DAY,
    YEAR,
    install_a_release_that_knows_the_year,
    weekdays,
)

pytestmark = pytest.mark.django_db

Action = LifecycleEvent.Action
ONE_DAY = timedelta(days=1)


def _effective_after(working_days: int):
    return weekdays(working_days)[-1] + ONE_DAY


@pytest.fixture
def notice(frozen_clock, edu_weibo, edu_unit_admin, edu_leader, supervisor) -> ClosureNotice:
    frozen_clock.set(LAST_COVERED_DAY)
    return approve(submit_closure(edu_unit_admin, edu_weibo), edu_leader, supervisor).notice


@pytest.fixture
def filing(frozen_clock, edu_wechat) -> Filing:
    return create_filing(account=edu_wechat, kind=FilingKind.CHANGE, triggered_on=LAST_COVERED_DAY)


def _enter_new_years_day():
    CalendarDayFactory(date=FIRST_WEEKDAY, is_working_day=False, name="元旦")


def test_a_notice_into_the_uncovered_year_says_its_dates_are_provisional(notice):
    assert (notice.effective_on, notice.effective_is_provisional) == (_effective_after(15), True)
    assert f"{_effective_after(15):%Y年%m月%d日}（暂定）起关停" in notice.body
    assert "节假日安排尚未公布" in notice.body


def test_entering_new_years_day_moves_the_notice_a_working_day_later_rewrites_its_text_and_records_why(
    notice, frozen_clock, supervisor
):
    old_body = notice.body
    _enter_new_years_day()
    result = services.recompute_provisional_dates(now=frozen_clock.current, by=supervisor, reason="录入元旦")
    notice = fresh(notice)
    assert notice.effective_on == _effective_after(16)
    assert notice.effective_is_provisional  # the rest of the year is still unknown
    assert notice.body != old_body
    assert f"{_effective_after(16):%Y年%m月%d日}（暂定）起关停" in notice.body
    assert f"至{weekdays(16)[-1]:%Y年%m月%d日}（暂定）" in notice.body
    assert f"至{weekdays(15)[-1]:%Y年%m月%d日}" not in notice.body
    [change] = result.notices
    assert (change.old, change.new) == (_effective_after(15), _effective_after(16))
    event = notice.account.events.get(action=Action.RESCHEDULE)
    assert event.actor == supervisor and event.application == notice.application
    assert f"{_effective_after(15):%Y-%m-%d}（暂定） → {_effective_after(16):%Y-%m-%d}（暂定）" in event.comment
    assert "录入元旦" in event.comment
    audit = AuditEntry.objects.filter(object_type="registry.ClosureNotice", object_id=str(notice.pk),
                                      action=AuditEntry.Action.UPDATE).get()
    assert audit.changes["effective_on"] == [str(_effective_after(15)), str(_effective_after(16))]


def test_a_notice_does_not_take_effect_before_its_recomputed_date(notice, frozen_clock):
    _enter_new_years_day()  # straight into the table: no recomputation has run yet
    frozen_clock.set(_effective_after(15))
    assert services.closures_take_effect() == []
    assert fresh(notice.account).status == AccountStatus.CLOSING
    assert fresh(notice).effective_on == _effective_after(16)
    frozen_clock.set(_effective_after(16))
    assert services.closures_take_effect() == [notice]
    assert fresh(notice.account).status == AccountStatus.CLOSED


def test_once_the_year_is_marked_complete_the_dates_are_no_longer_provisional(notice, filing, frozen_clock):
    _enter_new_years_day()
    CalendarYearFactory(year=YEAR, is_complete=True)
    services.recompute_provisional_dates(now=frozen_clock.current)
    notice, filing = fresh(notice), fresh(filing)
    assert (notice.effective_on, notice.effective_is_provisional) == (_effective_after(16), False)
    assert "暂定" not in notice.body and "尚未公布" not in notice.body
    assert (filing.due_on, filing.due_is_provisional) == (weekdays(8)[-1], False)


def test_a_provisional_filing_deadline_moves_with_an_entered_holiday_and_records_it(filing, frozen_clock):
    assert (filing.due_on, filing.due_is_provisional) == (weekdays(7)[-1], True)
    _enter_new_years_day()
    [change] = services.recompute_provisional_dates(now=frozen_clock.current).filings
    assert fresh(filing).due_on == weekdays(8)[-1] == change.new
    event = filing.account.events.get(action=Action.RESCHEDULE)
    assert event.actor is None and event.at == frozen_clock.current
    assert event.comment.startswith(f"变更备案期限 {weekdays(7)[-1]:%Y-%m-%d}（暂定） → {weekdays(8)[-1]:%Y-%m-%d}（暂定）")


def test_a_recorded_filing_and_a_closure_that_took_effect_stay_as_they_were(notice, filing, frozen_clock):
    Filing.objects.filter(pk=filing.pk).update(filed_on=LAST_COVERED_DAY)
    ClosureNotice.objects.filter(pk=notice.pk).update(took_effect_at=frozen_clock.current)
    _enter_new_years_day()
    result = services.recompute_provisional_dates(now=frozen_clock.current)
    assert (result.filings, result.notices) == ([], [])
    assert fresh(filing).due_on == weekdays(7)[-1]
    assert fresh(notice).effective_on == _effective_after(15)


def test_recomputing_again_with_the_same_calendar_changes_nothing(notice, filing, frozen_clock):
    _enter_new_years_day()
    services.recompute_provisional_dates(now=frozen_clock.current)
    events = LifecycleEvent.objects.filter(action=Action.RESCHEDULE).count()
    result = services.recompute_provisional_dates(now=frozen_clock.current)
    assert (result.filings, result.notices) == ([], [])
    assert LifecycleEvent.objects.filter(action=Action.RESCHEDULE).count() == events == 2


def test_a_notice_never_takes_effect_earlier_than_it_announced(notice, frozen_clock):
    CalendarDayFactory(date=FIRST_SATURDAY, is_working_day=True, name="调休上班")  # would end it a day sooner
    CalendarYearFactory(year=YEAR, is_complete=True)
    services.recompute_provisional_dates(now=frozen_clock.current)
    notice = fresh(notice)
    assert (notice.effective_on, notice.effective_is_provisional) == (_effective_after(15), False)
    assert f"至{_effective_after(15) - ONE_DAY:%Y年%m月%d日}，" in notice.body


def test_a_firm_date_in_the_uncovered_year_follows_a_later_correction(notice, frozen_clock):
    CalendarYearFactory(year=YEAR, is_complete=True)
    services.recompute_provisional_dates(now=frozen_clock.current)
    assert not fresh(notice).effective_is_provisional
    _enter_new_years_day()  # the office forgot New Year's Day when it marked the year complete
    services.recompute_provisional_dates(now=frozen_clock.current)
    assert fresh(notice).effective_on == _effective_after(16)


def test_dates_the_package_learns_in_an_upgrade_become_firm(notice, filing, frozen_clock, monkeypatch):
    install_a_release_that_knows_the_year(monkeypatch)
    result = services.recompute_provisional_dates(now=frozen_clock.current)
    assert len(result.notices) == len(result.filings) == 1
    notice, filing = fresh(notice), fresh(filing)
    assert (notice.effective_on, notice.effective_is_provisional) == (_effective_after(16), False)
    assert (filing.due_on, filing.due_is_provisional) == (weekdays(8)[-1], False)
