"""Who may grant which role to whom: the rules the back office and the services ask."""

import pytest

from govmedia.interaction.services.replies import reply_save_draft
from govmedia.orgs import permissions
from govmedia.orgs.models import Role
from govmedia.publishing.models import Grade
from tests.factories import PersonFactory, UserFactory
from tests.interaction.factories import MessageFactory
from tests.publishing.factories import draft_for

pytestmark = pytest.mark.django_db


def test_only_district_supervisors_grant_the_supervisor_role(district, supervisor, edu_unit_admin):
    person = PersonFactory(unit=district.edu)
    assert permissions.may_grant_role(supervisor, Role.SUPERVISOR, person)
    assert not permissions.may_grant_role(edu_unit_admin, Role.SUPERVISOR, person)


def test_a_unit_admin_grants_unit_roles_to_people_of_their_remit_only(district, edu_unit_admin):
    assert permissions.may_grant_role(edu_unit_admin, Role.UNIT_ADMIN, PersonFactory(unit=district.school))
    assert not permissions.may_grant_role(edu_unit_admin, Role.OPERATOR, PersonFactory(unit=district.street))
    assert not permissions.may_grant_role(edu_unit_admin, Role.OPERATOR, None)


def test_nobody_below_the_district_office_changes_their_own_role_or_person(district, edu_unit_admin):
    own = edu_unit_admin.person
    assert permissions.may_grant_role(edu_unit_admin, Role.UNIT_ADMIN, own, user=edu_unit_admin)
    assert not permissions.may_grant_role(edu_unit_admin, Role.LEADER, own, user=edu_unit_admin)
    other = PersonFactory(unit=district.edu)
    assert not permissions.may_grant_role(edu_unit_admin, Role.UNIT_ADMIN, other, user=edu_unit_admin)


def test_leaders_reviewers_and_operators_grant_nothing(district, edu_leader, edu_reviewer, edu_operator):
    person = PersonFactory(unit=district.edu)
    for user in (edu_leader, edu_reviewer, edu_operator):
        assert permissions.grantable_roles(user) == []
        assert not permissions.may_grant_role(user, Role.OPERATOR, person)


def test_a_unit_admin_may_not_change_a_supervisors_login_even_in_their_remit(district, supervisor):
    office_admin = UserFactory(unit=district.office, role=Role.UNIT_ADMIN, is_staff=True)
    assert not permissions.may_change_user(office_admin, supervisor)
    assert permissions.may_change_user(office_admin, UserFactory(unit=district.office, role=Role.REVIEWER))


def test_a_person_is_placed_only_in_units_of_the_remit(district, edu_unit_admin):
    edu_unit_admin.is_staff = True
    assert permissions.may_place_in_unit(edu_unit_admin, district.school.pk)
    assert not permissions.may_place_in_unit(edu_unit_admin, district.street.pk)


def test_only_operators_are_limited_to_the_accounts_assigned_to_them(edu_operator, edu_reviewer, supervisor):
    assert permissions.acts_only_on_assigned_accounts(edu_operator)
    assert not permissions.acts_only_on_assigned_accounts(edu_reviewer)
    assert not permissions.acts_only_on_assigned_accounts(supervisor)


def test_sources_are_kept_by_supervisors_and_unit_admins_whose_remit_holds_the_host_unit(
        supervisor, edu_unit_admin, street_unit_admin, edu_leader, school_douyin):
    assert permissions.may_edit_account_sources(supervisor, school_douyin)
    assert permissions.may_edit_account_sources(edu_unit_admin, school_douyin)
    assert not permissions.may_edit_account_sources(street_unit_admin, school_douyin)
    assert not permissions.may_edit_account_sources(edu_leader, school_douyin)
    edu_unit_admin.is_active = False
    assert not permissions.may_edit_account_sources(edu_unit_admin, school_douyin)


def test_posts_are_imported_by_who_keeps_sources_and_by_the_accounts_own_operators(
        edu_weibo, edu_wechat, assigned_operator, edu_operator, edu_reviewer, edu_unit_admin):
    assert permissions.may_import_posts(edu_unit_admin, edu_weibo)
    assert permissions.may_import_posts(assigned_operator, edu_weibo)
    assert not permissions.may_import_posts(assigned_operator, edu_wechat)
    assert not permissions.may_import_posts(edu_operator, edu_weibo)
    assert not permissions.may_import_posts(edu_reviewer, edu_weibo)


# ---------------------------------------------------------------- interaction and services (issue 9)

ACTS_FOR_EDU_WEIBO = {"supervisor", "edu_unit_admin", "edu_leader", "edu_reviewer", "assigned_operator"}
PERSONAS = ["supervisor", "edu_unit_admin", "edu_leader", "edu_reviewer", "edu_operator", "assigned_operator",
            "school_leader", "street_unit_admin", "street_leader", "street_reviewer", "water_leader"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_messages_surveys_and_services_are_handled_by_whoever_acts_for_the_accounts_unit(request, frozen_clock,
                                                                                        edu_weibo, persona):
    user, message = request.getfixturevalue(persona), MessageFactory(account=edu_weibo)
    expected = persona in ACTS_FOR_EDU_WEIBO
    assert permissions.may_handle_message(user, message) is expected
    assert permissions.may_enter_messages(user, edu_weibo) is expected
    assert permissions.may_manage_survey(user, edu_weibo) is expected
    assert permissions.may_edit_account_services(user, edu_weibo) is expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_reply_is_released_by_its_messages_handlers(request, frozen_clock, edu_weibo, assigned_operator, persona):
    reply = reply_save_draft(message=MessageFactory(account=edu_weibo), by=assigned_operator, text="答复")
    assert permissions.may_release_reply(request.getfixturevalue(persona), reply) is (persona in ACTS_FOR_EDU_WEIBO)


def test_whoever_wrote_or_edited_a_reply_wrote_it(frozen_clock, edu_weibo, assigned_operator, edu_leader,
                                                  edu_reviewer):
    message = MessageFactory(account=edu_weibo)
    reply_save_draft(message=message, by=assigned_operator, text="答复")
    reply = reply_save_draft(message=message, by=edu_leader, text="改写的答复")
    assert [permissions.wrote_reply(u, reply.draft) for u in (assigned_operator, edu_leader, edu_reviewer)] == [
        True, True, False]


@pytest.mark.parametrize(("persona", "may"), [("supervisor", True), ("edu_unit_admin", False),
                                              ("edu_leader", False)])
def test_the_reply_limits_are_configured_by_supervisors(request, persona, may):
    assert permissions.may_configure_reply_limits(request.getfixturevalue(persona)) is may


# ---------------------------------------------------------------- review before publish (issue 9)


def test_drafts_are_written_by_whoever_acts_for_the_units_accounts(edu_weibo, assigned_operator, edu_unit_admin,
                                                                   edu_operator, street_unit_admin, district):
    assert permissions.may_write_drafts_for(assigned_operator, district.edu.pk)
    assert permissions.may_write_drafts_for(edu_unit_admin, district.edu.pk)
    assert not permissions.may_write_drafts_for(edu_operator, district.edu.pk)  # no account assigned
    assert not permissions.may_write_drafts_for(street_unit_admin, district.edu.pk)


def test_a_step_is_decided_by_its_role_in_the_drafts_unit_or_its_named_users_never_the_author(
        frozen_clock, edu_weibo, assigned_operator, edu_reviewer, edu_leader, street_reviewer, supervisor):
    draft = draft_for(assigned_operator, edu_weibo, marked_grade=Grade.MAJOR, submit=True)
    reviewer_step, leader_step, office_step = draft.steps.order_by("order")
    assert permissions.may_review(edu_reviewer, reviewer_step) and not permissions.may_review(street_reviewer,
                                                                                               reviewer_step)
    assert permissions.may_review(edu_leader, leader_step) and not permissions.may_review(edu_reviewer, leader_step)
    assert permissions.may_review(supervisor, office_step) and not permissions.may_review(edu_leader, office_step)
    reviewer_step.users.add(assigned_operator)
    assert not permissions.may_review(assigned_operator, reviewer_step)


def test_a_units_ledger_is_read_by_its_remits_leaders_admins_reviewers_and_supervisors(
        district, edu_leader, edu_unit_admin, edu_reviewer, edu_operator, school_leader, street_leader, supervisor):
    for reader in (edu_leader, edu_unit_admin, edu_reviewer, supervisor):
        assert permissions.may_export_ledger(reader, district.school.pk)
    for outsider in (edu_operator, school_leader, street_leader):
        assert not permissions.may_export_ledger(outsider, district.edu.pk)
    assert permissions.may_see_ledger_anchors(supervisor) and not permissions.may_see_ledger_anchors(edu_leader)


def test_a_units_chains_are_kept_by_its_remits_unit_admin_and_supervisors(district, edu_unit_admin, edu_leader,
                                                                          street_unit_admin, supervisor):
    assert permissions.may_configure_review_chain(edu_unit_admin, district.school.pk)
    assert permissions.may_configure_review_chain(supervisor, district.edu.pk)
    assert not permissions.may_configure_review_chain(edu_leader, district.edu.pk)
    assert not permissions.may_configure_review_chain(street_unit_admin, district.edu.pk)
