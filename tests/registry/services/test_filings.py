"""Filings (art. 6, 19): the unit submits the provincial number and the stamped form; the district office
confirms or returns it; every step is a row."""

from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govmedia.audit.models import AuditEntry
from govmedia.errors import Conflict, PermissionDenied, RuleViolation, ValidationError
from govmedia.orgs.models import Role
from govmedia.registry import services
from govmedia.registry.models import AccountStatus, Filing, FilingKind, FilingState, LifecycleEvent
from tests.conftest import BEIJING
from tests.factories import AccountFactory, FilingFactory, UserFactory
from tests.registry.services.helpers import approve, fresh, submit_opening
from tests.threads import at_once

pytestmark = pytest.mark.django_db

Action = LifecycleEvent.Action
NUMBER = "鲁政新媒备〔2026〕0001号"


def stamped_form(name="备案登记表.pdf", content=b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def submit(filing, by, number=NUMBER, form=None):
    return services.filing_submit(filing=fresh(filing), by=by, provincial_filing_no=number,
                                  form=form or stamped_form())


# ---------------------------------------------------------------- obligations (art. 6, 19)


def test_an_account_opened_before_the_measures_files_within_20_working_days_of_them(district):
    account = AccountFactory(host_unit=district.edu, registered_on=date(2018, 5, 4))
    filing = services.legacy_filing_for(account)
    # 2020-09-10 plus 20 working days, over National Day 2020 (10-01..10-08 off, 09-27 and 10-10 worked).
    assert (filing.kind, filing.triggered_on, filing.due_on) == (FilingKind.LEGACY, date(2020, 9, 10), date(2020, 10, 14))
    assert filing.state == FilingState.PENDING


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


def test_an_operating_account_without_any_filing_gets_its_article_19_obligation_already_overdue(
    frozen_clock, district
):
    never = AccountFactory(host_unit=district.edu, registered_on=date(2024, 5, 1))
    unknown_age = AccountFactory(host_unit=district.edu, registered_on=None)
    filed = AccountFactory(host_unit=district.edu)
    FilingFactory(account=filed, filed_on=date(2025, 1, 2))
    AccountFactory(host_unit=district.edu, status=AccountStatus.PENDING)  # not operating yet: its opening files
    opened = services.open_missing_filings()
    assert {f.account for f in opened} == {never, unknown_age}
    assert all(f.kind == FilingKind.LEGACY and f.due_on == date(2020, 10, 14) for f in opened)
    assert services.open_missing_filings() == []


# ---------------------------------------------------------------- submission


def test_the_unit_submits_the_provincial_number_and_the_stamped_form(frozen_clock, edu_weibo, edu_unit_admin):
    filing = submit(FilingFactory(account=edu_weibo), edu_unit_admin)
    filing = fresh(filing)
    assert filing.state == FilingState.SUBMITTED
    assert (filing.provincial_filing_no, filing.filed_on, filing.filed_by) == (NUMBER, date(2026, 3, 2), edu_unit_admin)
    assert filing.form.read().startswith(b"%PDF-")
    event = filing.events.get()
    assert (event.action, event.actor, event.from_state, event.to_state) == (
        "submit", edu_unit_admin, FilingState.PENDING, FilingState.SUBMITTED)
    # Not filed until the district office confirms: the account keeps no number yet.
    assert fresh(edu_weibo).provincial_filing_no == ""


def test_the_stored_form_gets_a_name_of_our_making(frozen_clock, edu_weibo, edu_unit_admin):
    filing = submit(FilingFactory(account=edu_weibo), edu_unit_admin,
                    form=stamped_form(name="../../etc/备案 表<script>.PDF"))
    name = fresh(filing).form.name
    assert name.startswith(f"filings/{edu_weibo.pk}/") and name.endswith(".pdf")
    assert ".." not in name and "<" not in name and "备案" not in name


@pytest.mark.parametrize("number", ["", "   "])
def test_a_submission_needs_the_provincial_number(frozen_clock, edu_weibo, edu_unit_admin, number):
    filing = FilingFactory(account=edu_weibo)
    with pytest.raises(ValidationError) as refused:
        submit(filing, edu_unit_admin, number=number)
    assert "备案编号" in str(refused.value)
    assert fresh(filing).state == FilingState.PENDING and not fresh(filing).events.exists()


def test_a_submission_needs_the_stamped_form(frozen_clock, edu_weibo, edu_unit_admin):
    filing = FilingFactory(account=edu_weibo)
    with pytest.raises(ValidationError):
        services.filing_submit(filing=filing, by=edu_unit_admin, provincial_filing_no=NUMBER, form=None)
    assert fresh(filing).state == FilingState.PENDING


def test_a_refused_form_leaves_nothing_behind(frozen_clock, edu_weibo, edu_unit_admin, settings):
    filing = FilingFactory(account=edu_weibo)
    with pytest.raises(ValidationError):
        submit(filing, edu_unit_admin, form=stamped_form(name="表.pdf", content=b"MZ\x90\x00 not a pdf"))
    assert fresh(filing).state == FilingState.PENDING
    media = settings.MEDIA_ROOT / "filings"
    assert not media.exists() or not any(media.rglob("*"))


def test_another_unit_cannot_submit_a_filing(frozen_clock, edu_weibo, street_unit_admin):
    filing = FilingFactory(account=edu_weibo)
    with pytest.raises(PermissionDenied):
        submit(filing, street_unit_admin)
    assert fresh(filing).state == FilingState.PENDING


def test_an_operator_not_assigned_to_the_account_cannot_submit_its_filing(frozen_clock, edu_weibo, edu_operator,
                                                                          assigned_operator):
    filing = FilingFactory(account=edu_weibo)
    with pytest.raises(PermissionDenied):
        submit(filing, edu_operator)
    submit(filing, assigned_operator)
    assert fresh(filing).state == FilingState.SUBMITTED


def test_a_submitted_filing_cannot_be_submitted_again(frozen_clock, edu_weibo, edu_unit_admin):
    filing = submit(FilingFactory(account=edu_weibo), edu_unit_admin)
    with pytest.raises(RuleViolation):
        submit(filing, edu_unit_admin)


# ---------------------------------------------------------------- confirmation and return


def test_the_district_office_confirms_and_the_account_carries_the_number(frozen_clock, edu_weibo, edu_unit_admin,
                                                                         supervisor):
    filing = submit(FilingFactory(account=edu_weibo), edu_unit_admin)
    frozen_clock.advance(days=2)
    services.filing_confirm(filing=fresh(filing), by=supervisor, comment="材料齐全")
    filing, account = fresh(filing), fresh(edu_weibo)
    assert filing.state == FilingState.CONFIRMED and filing.filed_on == date(2026, 3, 2)
    assert (account.provincial_filing_no, account.provincial_filed_on) == (NUMBER, date(2026, 3, 2))
    confirm = filing.events.get(action="confirm")
    assert (confirm.actor, confirm.comment, confirm.at.date()) == (supervisor, "材料齐全", date(2026, 3, 4))
    assert account.events.get(action=Action.FILE).actor == supervisor


@pytest.mark.parametrize("persona", ["edu_unit_admin", "edu_leader", "street_unit_admin"])
def test_only_the_district_office_confirms_or_returns(frozen_clock, edu_weibo, edu_unit_admin, persona, request):
    filing = submit(FilingFactory(account=edu_weibo), edu_unit_admin)
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.filing_confirm(filing=fresh(filing), by=user)
    with pytest.raises(PermissionDenied):
        services.filing_return(filing=fresh(filing), by=user, reason="不行")
    assert fresh(filing).state == FilingState.SUBMITTED
    assert AuditEntry.objects.filter(object_type="registry.Filing", action="update").count() == 1  # the submission


def test_a_supervisor_does_not_confirm_a_filing_they_submitted(frozen_clock, district, supervisor):
    account = AccountFactory(host_unit=district.office)
    filing = submit(FilingFactory(account=account), supervisor)
    with pytest.raises(PermissionDenied):
        services.filing_confirm(filing=fresh(filing), by=supervisor)


def test_a_returned_filing_is_resubmitted_and_then_confirmed_by_its_new_date(frozen_clock, edu_weibo, edu_unit_admin,
                                                                             supervisor):
    filing = submit(FilingFactory(account=edu_weibo, due_on=date(2026, 3, 11)), edu_unit_admin, number="错号")
    frozen_clock.advance(days=1)
    services.filing_return(filing=fresh(filing), by=supervisor, reason="备案登记表未加盖公章")
    returned = fresh(filing)
    assert returned.state == FilingState.RETURNED and returned.filed_on is None
    assert returned.events.get(action="return").comment == "备案登记表未加盖公章"

    frozen_clock.set(date(2026, 3, 13))  # after the deadline
    submit(returned, edu_unit_admin)
    services.filing_confirm(filing=fresh(filing), by=supervisor)
    done = fresh(filing)
    assert (done.state, done.filed_on, done.provincial_filing_no) == (FilingState.CONFIRMED, date(2026, 3, 13), NUMBER)
    assert [e.action for e in done.events.all()] == ["submit", "return", "resubmit", "confirm"]
    assert [(e.from_state, e.to_state) for e in done.events.all()] == [
        ("pending", "submitted"), ("submitted", "returned"), ("returned", "submitted"), ("submitted", "confirmed")]


def test_a_return_needs_a_reason(frozen_clock, edu_weibo, edu_unit_admin, supervisor):
    filing = submit(FilingFactory(account=edu_weibo), edu_unit_admin)
    with pytest.raises(ValidationError) as refused:
        services.filing_return(filing=fresh(filing), by=supervisor, reason="  ")
    assert "退回原因" in str(refused.value)
    assert fresh(filing).state == FilingState.SUBMITTED


def test_only_a_submitted_filing_is_confirmed(frozen_clock, edu_weibo, supervisor):
    filing = FilingFactory(account=edu_weibo)
    with pytest.raises(RuleViolation):
        services.filing_confirm(filing=filing, by=supervisor)


def test_every_step_is_audited(frozen_clock, edu_weibo, edu_unit_admin, supervisor):
    filing = submit(FilingFactory(account=edu_weibo), edu_unit_admin)
    services.filing_confirm(filing=fresh(filing), by=supervisor)
    updates = AuditEntry.objects.filter(object_type="registry.Filing", object_id=str(filing.pk), action="update")
    assert [e.changes["state"] for e in updates.order_by("pk")] == [["pending", "submitted"], ["submitted", "confirmed"]]
    assert AuditEntry.objects.filter(object_type="registry.FilingEvent", action="create").count() == 2


def test_a_confirmation_that_loses_a_race_is_told_to_reload(frozen_clock, edu_weibo, edu_unit_admin, supervisor):
    filing = submit(FilingFactory(account=edu_weibo), edu_unit_admin)
    stale = fresh(filing)
    services.filing_return(filing=fresh(filing), by=supervisor, reason="缺少公章")
    with pytest.raises(Conflict):
        services.filing_confirm(filing=stale, by=supervisor)
    assert fresh(filing).state == FilingState.RETURNED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_supervisors_deciding_at_once_leave_exactly_one_decision(district, edu_weibo, edu_unit_admin, supervisor):
    filing = submit(FilingFactory(account=edu_weibo), edu_unit_admin)
    colleague = UserFactory(unit=district.office, role=Role.SUPERVISOR)

    def deciding(service, by, **extra):
        def load():
            mine = fresh(filing)
            return lambda: service(filing=mine, by=by, **extra)
        return load

    results = at_once(deciding(services.filing_confirm, supervisor),
                      deciding(services.filing_return, colleague, reason="缺少公章"))
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Filing"]
    assert fresh(filing).events.filter(action__in=["confirm", "return"]).count() == 1


# ---------------------------------------------------------------- filings made before the platform


def test_a_filing_recorded_by_a_unit_waits_for_the_district_office(frozen_clock, edu_weibo, edu_unit_admin):
    filing = FilingFactory(account=edu_weibo)
    services.filing_record(filing=filing, by=edu_unit_admin, filed_on=date(2026, 2, 27), provincial_filing_no=NUMBER)
    filing = fresh(filing)
    assert (filing.state, filing.filed_on, filing.provincial_filing_no) == (
        FilingState.SUBMITTED, date(2026, 2, 27), NUMBER)
    assert fresh(edu_weibo).provincial_filing_no == ""


def test_a_filing_recorded_by_the_district_office_is_confirmed_at_once(frozen_clock, edu_weibo, supervisor):
    filing = FilingFactory(account=edu_weibo)
    services.filing_record(filing=filing, by=supervisor, filed_on=date(2026, 2, 27), provincial_filing_no=NUMBER)
    account = fresh(edu_weibo)
    assert fresh(filing).state == FilingState.CONFIRMED
    assert (account.provincial_filing_no, account.provincial_filed_on) == (NUMBER, date(2026, 2, 27))
    assert account.events.get(action=Action.FILE).actor == supervisor


def test_a_filing_recorded_without_a_date_is_filed_today(frozen_clock, edu_weibo, edu_unit_admin):
    filing = services.filing_record(filing=FilingFactory(account=edu_weibo), by=edu_unit_admin)
    assert fresh(filing).filed_on == date(2026, 3, 2)


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
    assert fresh(filing).events.get().at == then  # the unit's record awaits the office's confirmation
