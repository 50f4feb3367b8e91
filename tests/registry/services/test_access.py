"""Who may approve an application: the unit holding the current step, never its author."""

import pytest

from govmedia.errors import Conflict, PermissionDenied
from govmedia.orgs.models import Role
from govmedia.registry import services
from govmedia.registry.models import ApplicationState
from tests.factories import UserFactory
from tests.registry.services.helpers import approve, fresh, submit_opening

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- who may approve


def test_nobody_approves_their_own_application(district, edu_leader, edu_unit_admin):
    application = submit_opening(edu_leader, district.edu)
    assert not services.can_approve(edu_leader, application)
    with pytest.raises(PermissionDenied):
        approve(application, edu_leader)
    approve(application, edu_unit_admin)
    assert fresh(application).current_step == 1


def test_a_supervisor_cannot_approve_an_application_they_filed(district, supervisor):
    application = submit_opening(supervisor, district.office)
    with pytest.raises(PermissionDenied):
        approve(application, supervisor)


def test_whoever_resubmits_after_a_rejection_counts_as_an_applicant(
    district, edu_operator, edu_leader, edu_unit_admin, edu_reviewer
):
    application = submit_opening(edu_operator, district.edu)
    services.application_reject(application=application, by=edu_unit_admin, comment="名称不规范")
    services.application_resubmit(application=application, by=edu_leader, reason="已按意见修改",
                                  changes={"name": "西海岸教育视频"})
    assert not services.can_approve(edu_leader, fresh(application))
    with pytest.raises(PermissionDenied):
        approve(fresh(application), edu_leader)
    approve(fresh(application), edu_unit_admin)


def test_a_user_of_another_unit_cannot_approve(district, edu_operator, street_leader):
    application = submit_opening(edu_operator, district.edu)
    assert not services.can_approve(street_leader, application)
    with pytest.raises(PermissionDenied):
        approve(application, street_leader)
    assert fresh(application).current_step == 0


def test_only_the_unit_holding_the_current_step_approves(district, school_operator, school_leader, edu_leader,
                                                          supervisor):
    application = submit_opening(school_operator, district.school)
    for too_early in (edu_leader, supervisor):
        with pytest.raises(PermissionDenied):
            approve(application, too_early)
    approve(application, school_leader)
    with pytest.raises(Conflict, match="环节已被处理"):
        approve(fresh(application), school_leader)  # the school has had its say
    assert fresh(application).current_step == 1


@pytest.mark.parametrize("persona", ["edu_reviewer", "edu_operator"])
def test_reviewers_and_operators_do_not_approve_applications(district, persona, edu_unit_admin):
    application = submit_opening(edu_unit_admin, district.edu)
    with pytest.raises(PermissionDenied):
        approve(application, getattr(district, persona))


def test_the_district_office_step_is_for_district_supervisors(district, edu_operator, edu_leader, supervisor):
    office_admin = UserFactory(unit=district.office, role=Role.UNIT_ADMIN)
    application = approve(submit_opening(edu_operator, district.edu), edu_leader)
    with pytest.raises(PermissionDenied):
        approve(application, office_admin)
    approve(application, supervisor)
    assert fresh(application).state == ApplicationState.APPROVED


# ---------------------------------------------------------------- who may withdraw


def test_a_reviewer_cannot_withdraw_a_colleagues_opening(district, edu_operator, edu_reviewer):
    application = submit_opening(edu_operator, district.edu)
    assert not services.may_withdraw(edu_reviewer, application)
    with pytest.raises(PermissionDenied, match="单位管理员"):
        services.application_withdraw(application=application, by=edu_reviewer)
    assert fresh(application).state == ApplicationState.SUBMITTED


def test_a_colleague_operator_cannot_withdraw_an_opening_on_an_account_they_run(
    district, edu_reviewer, assigned_operator, edu_weibo
):
    application = services.change_application_submit(applicant=edu_reviewer, account=edu_weibo,
                                                     changes={"introduction": "新简介"}, reason="更新简介")
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=application, by=assigned_operator)
    assert fresh(application).state == ApplicationState.SUBMITTED


def test_a_leader_of_the_host_unit_cannot_withdraw_a_colleagues_application(district, edu_operator, edu_leader):
    application = submit_opening(edu_operator, district.edu)
    assert not services.may_withdraw(edu_leader, application)


def test_the_applicant_withdraws_their_application(district, edu_reviewer):
    application = submit_opening(edu_reviewer, district.edu)
    services.application_withdraw(application=application, by=edu_reviewer)
    assert fresh(application).state == ApplicationState.WITHDRAWN


def test_the_unit_admin_of_the_host_unit_withdraws_a_colleagues_application(district, edu_reviewer, edu_unit_admin):
    application = submit_opening(edu_reviewer, district.edu)
    services.application_withdraw(application=application, by=edu_unit_admin)
    assert fresh(application).state == ApplicationState.WITHDRAWN


def test_the_unit_admin_of_the_competent_unit_does_not_withdraw_a_subordinates_application(
    district, edu_unit_admin
):
    application = submit_opening(district.school_leader, district.school)
    assert not services.may_withdraw(edu_unit_admin, application)
