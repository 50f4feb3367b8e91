"""Applications to open, change, close and cancel accounts (art. 6, 7): submission, validation and effect."""

from datetime import date

import pytest

from govmedia.errors import PermissionDenied, RuleViolation, ValidationError
from govmedia.registry import services
from govmedia.registry.models import (
    Account,
    AccountStatus,
    ApplicationKind,
    ApplicationState,
    DecisionKind,
    FilingKind,
    LifecycleEvent,
)
from tests.factories import AccountFactory, PersonFactory, platform
from tests.registry.services.helpers import approve, fresh, open_values, submit_closure, submit_opening

pytestmark = pytest.mark.django_db

Action = LifecycleEvent.Action


# ---------------------------------------------------------------- opening and the approval chain


def test_an_opening_registers_a_pending_account_and_waits_for_the_host_unit(
    frozen_clock, district, edu_operator
):
    application = submit_opening(edu_operator, district.edu)
    account = application.account
    assert account.status == AccountStatus.PENDING
    assert account.competent_unit == district.edu  # a department is its own competent unit
    assert application.state == ApplicationState.SUBMITTED
    assert application.current_unit_id == district.edu.pk
    assert application.submitted_at == frozen_clock.current
    assert application.changes["name"] == account.name


def test_the_operator_who_files_an_opening_is_assigned_to_the_account(frozen_clock, district, edu_operator):
    account = submit_opening(edu_operator, district.edu).account
    assert list(account.operators.all()) == [edu_operator]


def test_a_subordinate_units_opening_goes_to_its_head_then_its_competent_unit_then_the_district_office(
    frozen_clock, district, school_operator, school_leader, edu_leader, supervisor
):
    application = submit_opening(school_operator, district.school)
    assert application.steps == [district.school.pk, district.edu.pk, district.office.pk]
    approve(application, school_leader)
    assert fresh(application).current_unit_id == district.edu.pk
    approve(application, edu_leader)
    assert fresh(application).current_unit_id == district.office.pk
    assert fresh(application.account).status == AccountStatus.PENDING
    approve(application, supervisor)
    application = fresh(application)
    assert application.state == ApplicationState.APPROVED
    assert application.decided_at == frozen_clock.current
    assert application.current_unit_id is None


def test_final_approval_puts_the_account_into_service_and_opens_a_filing_due_in_7_working_days(
    frozen_clock, district, school_operator, school_leader, edu_leader, supervisor
):
    application = approve(submit_opening(school_operator, district.school), school_leader, edu_leader, supervisor)
    account = fresh(application.account)
    assert account.status == AccountStatus.NORMAL
    assert account.live_on == date(2026, 3, 2)
    filing = account.filings.get()
    assert (filing.kind, filing.triggered_on, filing.due_on) == (FilingKind.OPENING, date(2026, 3, 2), date(2026, 3, 11))
    assert not filing.due_is_provisional
    assert filing.application == application


def test_the_approvers_are_written_into_the_attachment_1_opinions(
    frozen_clock, district, school_operator, school_leader, edu_leader, supervisor
):
    account = approve(submit_opening(school_operator, district.school), school_leader, edu_leader, supervisor).account
    account = fresh(account)
    assert (account.host_opinion_signer, account.host_opinion_on) == ("周校长", date(2026, 3, 2))
    assert (account.competent_opinion_signer, account.competent_opinion_on) == ("赵局长", date(2026, 3, 2))


def test_an_enterprise_is_approved_by_its_industry_regulator(district, water_co_admin):
    application = submit_opening(water_co_admin, district.water_co)
    assert application.account.competent_unit == district.water
    assert application.steps == [district.water_co.pk, district.water.pk, district.office.pk]


def test_the_competent_unit_step_is_dropped_when_the_host_unit_is_its_own_competent_unit(district, edu_operator):
    assert submit_opening(edu_operator, district.edu).steps == [district.edu.pk, district.office.pk]


def test_an_account_of_the_district_office_is_approved_by_the_district_office_alone(district, supervisor):
    assert submit_opening(supervisor, district.office).steps == [district.office.pk]


def test_an_opening_cannot_name_a_competent_unit_that_would_skip_the_regulator(district, school_leader):
    with pytest.raises(RuleViolation) as caught:
        submit_opening(school_leader, district.school, competent_unit=district.school.pk)
    assert "competent_unit" in caught.value.message_dict
    assert not Account.objects.exists()


def test_an_opening_on_a_platform_the_unit_already_holds_is_refused(district, edu_operator, edu_wechat):
    with pytest.raises(RuleViolation):
        submit_opening(edu_operator, district.edu, "wechat-service")
    assert Account.objects.count() == 1


def test_a_pending_opening_blocks_a_second_opening_on_the_same_platform(district, edu_operator, edu_reviewer):
    submit_opening(edu_operator, district.edu, account_id="first")
    with pytest.raises(RuleViolation):
        submit_opening(edu_reviewer, district.edu, account_id="second")


def test_a_unit_cannot_apply_to_open_an_account_for_another_unit(district, street_unit_admin):
    with pytest.raises(PermissionDenied):
        submit_opening(street_unit_admin, district.edu)


def test_a_competent_unit_may_apply_for_the_units_it_supervises(district, water_leader):
    assert submit_opening(water_leader, district.water_co).account.host_unit == district.water_co


def test_an_application_cannot_set_the_status_or_other_lifecycle_fields(district, edu_operator):
    with pytest.raises(ValidationError):
        submit_opening(edu_operator, district.edu, status=AccountStatus.NORMAL)
    assert not Account.objects.exists()


def test_an_application_needs_a_reason(district, edu_operator):
    with pytest.raises(ValidationError) as caught:
        services.open_application_submit(applicant=edu_operator, values=open_values(district.edu), reason="  ")
    assert "reason" in caught.value.message_dict


# ---------------------------------------------------------------- changes


def test_a_change_takes_effect_only_on_final_approval(district, edu_weibo, edu_unit_admin, edu_leader, supervisor):
    application = services.change_application_submit(
        applicant=edu_unit_admin, account=edu_weibo, changes={"name": "西海岸教体发布"}, reason="机构更名")
    assert application.changes == {"name": "西海岸教体发布"}
    approve(application, edu_leader)
    assert fresh(edu_weibo).name == "西海岸教育发布"
    approve(fresh(application), supervisor)
    assert fresh(edu_weibo).name == "西海岸教体发布"
    event = edu_weibo.events.get(action=Action.APPLY_CHANGE)
    assert (event.actor, event.diff) == (supervisor, {"name": ["西海岸教育发布", "西海岸教体发布"]})


def test_a_change_to_the_name_is_filed_within_7_working_days(
    frozen_clock, district, edu_weibo, edu_unit_admin, edu_leader, supervisor
):
    frozen_clock.set(date(2026, 9, 30))
    application = services.change_application_submit(
        applicant=edu_unit_admin, account=edu_weibo, changes={"name": "西海岸教体发布"}, reason="机构更名")
    approve(application, edu_leader, supervisor)
    filing = edu_weibo.filings.get()
    # National Day 10-01..10-07 off, Saturday 10-10 worked: 10-08, 09, 10, 12, 13, 14, 15.
    assert (filing.kind, filing.triggered_on, filing.due_on) == (FilingKind.CHANGE, date(2026, 9, 30), date(2026, 10, 15))


@pytest.mark.parametrize(
    ("changes", "filed"),
    [
        ({"introduction": "新的简介"}, False),
        ({"access_url": "https://weibo.com/xhaedu"}, False),
        ({"account_id": "xhaedu2026"}, True),
        ({"operating_unit": "contractor"}, True),
        ({"team": [{"name": "蒋运维", "unit_and_title": "融媒体专员", "office_phone": "", "mobile": "13900000001"}]},
         True),
    ],
)
def test_only_changes_of_id_name_team_or_operator_need_a_new_filing(
    district, edu_weibo, edu_unit_admin, edu_leader, supervisor, changes, filed
):
    if changes.get("operating_unit") == "contractor":
        changes = {"operating_unit": district.contractor.pk}
    application = services.change_application_submit(
        applicant=edu_unit_admin, account=edu_weibo, changes=changes, reason="更新信息")
    approve(application, edu_leader, supervisor)
    assert edu_weibo.filings.filter(kind=FilingKind.CHANGE).exists() == filed


def test_a_change_without_any_difference_is_refused(edu_weibo, edu_unit_admin):
    with pytest.raises(ValidationError):
        services.change_application_submit(applicant=edu_unit_admin, account=edu_weibo,
                                           changes={"name": edu_weibo.name}, reason="无")


def test_a_change_onto_a_platform_the_unit_already_holds_is_refused(edu_weibo, edu_wechat, edu_unit_admin):
    with pytest.raises(RuleViolation):
        services.change_application_submit(applicant=edu_unit_admin, account=edu_weibo,
                                           changes={"platform": platform("wechat-service").pk}, reason="迁移")


def test_a_change_is_checked_against_article_5_again_on_final_approval(
    district, edu_weibo, edu_unit_admin, edu_leader, edu_operator, supervisor
):
    change = services.change_application_submit(
        applicant=edu_unit_admin, account=edu_weibo, changes={"platform": platform("douyin").pk}, reason="转平台")
    submit_opening(edu_operator, district.edu, "douyin")  # filed meanwhile for the same platform
    approve(change, edu_leader)
    with pytest.raises(RuleViolation):
        approve(fresh(change), supervisor)
    assert fresh(change).state == ApplicationState.SUBMITTED  # nothing of the approval was kept
    assert fresh(edu_weibo).platform.code == "weibo"


def test_a_change_cannot_hand_the_account_to_a_unit_outside_the_applicants_remit(
    district, edu_weibo, edu_unit_admin
):
    with pytest.raises(PermissionDenied):
        services.change_application_submit(
            applicant=edu_unit_admin, account=edu_weibo, reason="移交",
            changes={"host_unit": district.street.pk, "competent_unit": district.street.pk})


def test_a_change_cannot_pick_a_competent_unit_that_would_skip_the_regulator(district, school_douyin, school_leader):
    with pytest.raises(RuleViolation):
        services.change_application_submit(applicant=school_leader, account=school_douyin, reason="调整",
                                           changes={"competent_unit": district.school.pk})


def test_an_account_has_at_most_one_open_application(edu_weibo, edu_unit_admin, edu_leader):
    services.change_application_submit(applicant=edu_unit_admin, account=edu_weibo,
                                       changes={"introduction": "一"}, reason="更新")
    with pytest.raises(RuleViolation):
        services.change_application_submit(applicant=edu_leader, account=edu_weibo,
                                           changes={"introduction": "二"}, reason="更新")
    with pytest.raises(RuleViolation):
        submit_closure(edu_leader, edu_weibo)


def test_an_operator_applies_only_for_the_accounts_assigned_to_them(
    edu_weibo, edu_wechat, edu_operator, assigned_operator
):
    with pytest.raises(PermissionDenied):
        services.change_application_submit(applicant=edu_operator, account=edu_weibo,
                                           changes={"introduction": "新"}, reason="更新")
    with pytest.raises(PermissionDenied):
        submit_closure(assigned_operator, edu_wechat)
    services.change_application_submit(applicant=assigned_operator, account=edu_weibo,
                                       changes={"introduction": "新"}, reason="更新")


def test_another_unit_cannot_apply_to_change_an_account(edu_weibo, street_unit_admin):
    with pytest.raises(PermissionDenied):
        services.change_application_submit(applicant=street_unit_admin, account=edu_weibo,
                                           changes={"introduction": "新"}, reason="更新")


def test_every_approved_application_renews_the_host_units_opinion(
    frozen_clock, district, edu_weibo, edu_unit_admin, edu_leader, supervisor
):
    PersonFactory(unit=district.edu, name="王局长", title="党组书记、局长")
    Account.objects.filter(pk=edu_weibo.pk).update(host_opinion_signer="老局长", host_opinion_on=date(2021, 3, 1))
    frozen_clock.set(date(2026, 4, 1))
    application = services.change_application_submit(
        applicant=edu_unit_admin, account=fresh(edu_weibo), changes={"name": "西海岸教体发布"}, reason="更名")
    approve(application, edu_leader, supervisor)
    account = fresh(edu_weibo)
    assert (account.host_opinion_signer, account.host_opinion_on) == ("王局长", date(2026, 4, 1))


def test_a_deputy_approving_for_the_host_unit_does_not_sign_as_its_principal(
    frozen_clock, edu_weibo, edu_unit_admin, edu_leader, supervisor
):
    # 赵局长 is the 副局长 in charge (分管); the unit has no 局长 on record, so the line stays blank to sign by hand.
    application = services.change_application_submit(
        applicant=edu_unit_admin, account=fresh(edu_weibo), changes={"name": "西海岸教体发布"}, reason="更名")
    approve(application, edu_leader, supervisor)
    assert fresh(edu_weibo).host_opinion_signer == ""


def test_a_rejected_change_can_be_corrected_and_resubmitted(edu_weibo, edu_unit_admin, edu_leader, supervisor):
    application = services.change_application_submit(
        applicant=edu_unit_admin, account=edu_weibo, changes={"name": "教体发布"}, reason="更名")
    services.application_reject(application=application, by=edu_leader, comment="名称应体现西海岸")
    services.application_resubmit(application=fresh(application), by=edu_unit_admin, reason="已修改",
                                  changes={"name": "西海岸教体发布"})
    assert fresh(application).changes == {"name": "西海岸教体发布"}
    assert fresh(edu_weibo).name == "西海岸教育发布"  # still only proposed
    approve(fresh(application), edu_leader, supervisor)
    assert fresh(edu_weibo).name == "西海岸教体发布"


# ---------------------------------------------------------------- closure and cancellation (art. 7)


def test_a_closure_needs_a_collective_decision_or_the_heads_consent_on_file(edu_weibo, edu_unit_admin):
    with pytest.raises(ValidationError) as caught:
        services.closure_application_submit(applicant=edu_unit_admin, account=edu_weibo, kind=ApplicationKind.CLOSE,
                                            reason="整合", decision_kind="", decision_document=None)
    assert set(caught.value.message_dict) == {"decision_kind", "decision_document"}
    assert not edu_weibo.applications.exists()


def test_a_closure_keeps_its_decision_document(edu_weibo, edu_unit_admin):
    application = submit_closure(edu_unit_admin, edu_weibo)
    assert application.decision_kind == DecisionKind.COLLECTIVE
    assert application.decision_document.read() == b"%PDF-1.4 collective decision"
    assert fresh(edu_weibo).status == AccountStatus.NORMAL  # nothing happens before approval


def test_only_a_running_account_can_be_closed_and_only_a_closed_or_running_one_cancelled(district, edu_unit_admin):
    pending = AccountFactory(host_unit=district.edu, status=AccountStatus.PENDING)
    closed = AccountFactory(host_unit=district.edu, status=AccountStatus.CLOSED, platform=platform("douyin"))
    with pytest.raises(RuleViolation):
        submit_closure(edu_unit_admin, pending)
    with pytest.raises(RuleViolation):
        submit_closure(edu_unit_admin, closed)
    assert submit_closure(edu_unit_admin, closed, kind=ApplicationKind.CANCEL).kind == ApplicationKind.CANCEL
