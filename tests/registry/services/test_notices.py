"""Closure notices (art. 7): published for 15 working days, then the closure takes effect."""

from datetime import date

import pytest

from govmedia.registry import services
from govmedia.registry.models import AccountStatus, ApplicationKind, ClosureNotice, LifecycleEvent
from govmedia.workdays.selectors import working_days_between
from tests.factories import AccountFactory, platform
from tests.registry.services.helpers import approve, fresh, submit_closure, submit_opening
from tests.uncovered_year import YEAR

pytestmark = pytest.mark.django_db

Action = LifecycleEvent.Action


# ---------------------------------------------------------------- closure notices (art. 7)


def test_closure_approval_publishes_a_notice_for_15_working_days(
    frozen_clock, edu_weibo, edu_unit_admin, edu_leader, supervisor
):
    frozen_clock.set(date(2026, 9, 25))
    application = approve(submit_closure(edu_unit_admin, edu_weibo), edu_leader, supervisor)
    notice = ClosureNotice.objects.get(application=application)
    assert notice.published_on == date(2026, 9, 25)
    # 9-28, 29, 30; National Day 10-01..10-07 off; 10-08, 09, Saturday 10-10 worked; 10-12 … 10-22.
    assert notice.effective_on == date(2026, 10, 23)
    notice_period_end = date(2026, 10, 22)
    assert working_days_between(notice.published_on, notice_period_end) == 15
    assert working_days_between(notice_period_end, notice.effective_on) == 1
    assert not notice.effective_is_provisional
    assert "西海岸教育发布" in notice.title and "2026年10月23日" in notice.body
    assert fresh(edu_weibo).status == AccountStatus.CLOSING
    assert edu_weibo.events.filter(action=Action.NOTICE, to_state=AccountStatus.CLOSING).exists()


def test_a_notice_running_into_an_uncovered_year_has_a_provisional_effective_date(
    frozen_clock, edu_weibo, edu_unit_admin, edu_leader, supervisor
):
    frozen_clock.set(date(YEAR - 1, 12, 15))
    application = approve(submit_closure(edu_unit_admin, edu_weibo), edu_leader, supervisor)
    assert application.notice.effective_is_provisional


def test_a_closure_takes_effect_on_its_effective_date_and_not_before(
    frozen_clock, edu_weibo, edu_unit_admin, edu_leader, supervisor
):
    frozen_clock.set(date(2026, 9, 25))
    notice = approve(submit_closure(edu_unit_admin, edu_weibo), edu_leader, supervisor).notice
    frozen_clock.set(date(2026, 10, 22))
    assert services.closures_take_effect() == []
    assert fresh(edu_weibo).status == AccountStatus.CLOSING
    frozen_clock.set(date(2026, 10, 23))
    assert services.closures_take_effect() == [notice]
    assert fresh(edu_weibo).status == AccountStatus.CLOSED
    assert fresh(notice).took_effect_at == frozen_clock.current
    event = edu_weibo.events.get(action=Action.CLOSE)
    assert (event.actor, event.from_state, event.to_state) == (None, AccountStatus.CLOSING, AccountStatus.CLOSED)
    frozen_clock.advance(days=1)
    assert services.closures_take_effect() == []  # done once


def test_a_late_run_still_closes_accounts_whose_notice_ran_out(
    frozen_clock, edu_weibo, edu_unit_admin, edu_leader, supervisor
):
    approve(submit_closure(edu_unit_admin, edu_weibo), edu_leader, supervisor)
    frozen_clock.set(date(2026, 6, 1))
    assert len(services.closures_take_effect()) == 1
    assert fresh(edu_weibo).status == AccountStatus.CLOSED


def test_a_cancellation_ends_with_the_account_cancelled(
    frozen_clock, edu_weibo, edu_unit_admin, edu_leader, supervisor
):
    notice = approve(submit_closure(edu_unit_admin, edu_weibo, ApplicationKind.CANCEL), edu_leader, supervisor).notice
    assert "注销" in notice.title
    frozen_clock.set(notice.effective_on)
    services.closures_take_effect()
    assert fresh(edu_weibo).status == AccountStatus.CANCELLED
    assert edu_weibo.events.filter(action=Action.CANCEL).exists()


def test_cancelling_a_closed_account_does_not_revive_it_on_its_platform(
    frozen_clock, district, edu_unit_admin, edu_leader, edu_operator, supervisor
):
    old = AccountFactory(host_unit=district.edu, platform=platform("weibo"), status=AccountStatus.CLOSED)
    notice = approve(submit_closure(edu_unit_admin, old, ApplicationKind.CANCEL), edu_leader, supervisor).notice
    assert fresh(old).status == AccountStatus.CLOSED
    assert old.events.filter(action=Action.NOTICE).exists()
    submit_opening(edu_operator, district.edu, "weibo")  # the platform is still free
    frozen_clock.set(notice.effective_on)
    services.closures_take_effect()
    assert fresh(old).status == AccountStatus.CANCELLED
