"""Filings with the province (art. 6, 19)."""

from datetime import date, datetime

import pytest

from govmedia.errors import PermissionDenied, RuleViolation, ValidationError
from govmedia.registry import services
from govmedia.registry.models import Filing, FilingKind, LifecycleEvent
from tests.conftest import BEIJING
from tests.factories import AccountFactory, FilingFactory
from tests.registry.services.helpers import approve, fresh, submit_opening

pytestmark = pytest.mark.django_db

Action = LifecycleEvent.Action


# ---------------------------------------------------------------- filings (art. 6, 19)


def test_an_account_opened_before_the_measures_files_within_20_working_days_of_them(district):
    account = AccountFactory(host_unit=district.edu, registered_on=date(2018, 5, 4))
    filing = services.legacy_filing_for(account)
    # 2020-09-10 plus 20 working days, over National Day 2020 (10-01..10-08 off, 09-27 and 10-10 worked).
    assert (filing.kind, filing.triggered_on, filing.due_on) == (FilingKind.LEGACY, date(2020, 9, 10), date(2020, 10, 14))


@pytest.mark.parametrize("registered_on", [date(2020, 9, 10), date(2024, 1, 1), None])
def test_an_account_opened_under_the_measures_or_of_unknown_age_has_no_legacy_filing(district, registered_on):
    account = AccountFactory(host_unit=district.edu, registered_on=registered_on)
    assert services.legacy_filing_for(account) is None


def test_a_legacy_filing_is_created_only_once(district):
    account = AccountFactory(host_unit=district.edu, registered_on=date(2019, 1, 1))
    services.legacy_filing_for(account)
    assert services.legacy_filing_for(account) is None
    assert account.filings.count() == 1


def test_the_measures_effective_date_comes_from_settings(settings, district):
    settings.MEASURES_EFFECTIVE_DATE = "2021-01-04"
    account = AccountFactory(host_unit=district.edu, registered_on=date(2020, 12, 1))
    assert services.legacy_filing_for(account).triggered_on == date(2021, 1, 4)


def test_recording_a_filing_closes_it_and_keeps_the_provincial_number(frozen_clock, edu_weibo, edu_unit_admin):
    filing = FilingFactory(account=edu_weibo)
    services.filing_record(filing=filing, by=edu_unit_admin, filed_on=date(2026, 2, 27),
                           provincial_filing_no="鲁政媒备2026001")
    filing, account = fresh(filing), fresh(edu_weibo)
    assert (filing.filed_on, filing.filed_by) == (date(2026, 2, 27), edu_unit_admin)
    assert (account.provincial_filing_no, account.provincial_filed_on) == ("鲁政媒备2026001", date(2026, 2, 27))
    event = account.events.get(action=Action.FILE)
    assert event.actor == edu_unit_admin and "2026-02-27" in event.comment


def test_a_filing_recorded_without_a_date_is_filed_today(frozen_clock, edu_weibo, edu_unit_admin):
    filing = services.filing_record(filing=FilingFactory(account=edu_weibo), by=edu_unit_admin)
    assert fresh(filing).filed_on == date(2026, 3, 2)
    assert fresh(edu_weibo).provincial_filing_no == ""


def test_a_filing_cannot_be_recorded_twice(frozen_clock, edu_weibo, edu_unit_admin):
    filing = FilingFactory(account=edu_weibo)
    services.filing_record(filing=filing, by=edu_unit_admin)
    with pytest.raises(RuleViolation):
        services.filing_record(filing=fresh(filing), by=edu_unit_admin)


def test_a_filing_cannot_be_dated_in_the_future(frozen_clock, edu_weibo, edu_unit_admin):
    filing = FilingFactory(account=edu_weibo)
    with pytest.raises(ValidationError):
        services.filing_record(filing=filing, by=edu_unit_admin, filed_on=date(2026, 3, 3))
    assert fresh(filing).filed_on is None


def test_another_unit_cannot_record_a_filing(frozen_clock, edu_weibo, street_unit_admin):
    filing = FilingFactory(account=edu_weibo)
    with pytest.raises(PermissionDenied):
        services.filing_record(filing=filing, by=street_unit_admin)
    assert not Filing.objects.filter(filed_on__isnull=False).exists()


def test_a_filing_recorded_at_a_given_moment_is_dated_then_and_checked_against_that_day(
    frozen_clock, district, edu_operator, edu_leader, supervisor
):
    application = approve(submit_opening(edu_operator, district.edu), edu_leader, supervisor)
    filing = Filing.objects.get(application=application)
    then = datetime(2026, 3, 4, 11, 0, tzinfo=BEIJING)
    with pytest.raises(ValidationError):
        services.filing_record(filing=filing, by=edu_operator, filed_on=date(2026, 3, 5), now=then)
    services.filing_record(filing=fresh(filing), by=edu_operator, now=then)
    assert fresh(filing).filed_on == date(2026, 3, 4)
    assert application.account.events.get(action=Action.FILE).at == then
