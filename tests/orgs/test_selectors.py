"""Who sees which units and people: the remit every list, detail and write starts from."""

import pytest
from django.contrib.auth.models import AnonymousUser

from govmedia.orgs.models import Role, UnitKind, User
from govmedia.orgs.selectors import (
    account_owning_units_matching,
    account_owning_units_visible_to,
    district_office,
    people_visible_to,
    unit_ids_managed_by,
    units_visible_to,
)
from tests.factories import AccountFactory, PersonFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def names(units) -> set[str]:
    return {u.name for u in units}


def test_a_unit_admin_sees_their_unit_its_internal_departments_and_subordinates(district, edu_unit_admin):
    assert names(units_visible_to(edu_unit_admin)) == {"区教育和体育局", "区教育和体育局办公室", "西海岸新区实验小学"}


def test_leaders_and_reviewers_have_the_same_remit_as_the_unit_admin(edu_unit_admin, edu_leader, edu_reviewer):
    assert unit_ids_managed_by(edu_leader) == unit_ids_managed_by(edu_reviewer) == unit_ids_managed_by(edu_unit_admin)


def test_an_industry_regulator_sees_the_enterprises_it_is_competent_for(district, water_leader):
    assert names(units_visible_to(water_leader)) == {"区水务局", "区供水公司"}


def test_the_remit_follows_subordinates_of_supervised_units(district, water_leader):
    branch = UnitFactory(name="区供水公司黄岛分公司", kind=UnitKind.SUBORDINATE, parent=district.water_co)
    assert branch.pk in unit_ids_managed_by(water_leader)


def test_a_unit_does_not_see_another_unit(district, street_unit_admin, edu_unit_admin):
    assert district.edu.pk not in unit_ids_managed_by(street_unit_admin)
    assert district.street.pk not in unit_ids_managed_by(edu_unit_admin)
    assert district.water_co.pk not in unit_ids_managed_by(edu_unit_admin)


def test_a_subordinate_unit_does_not_see_its_parent(district, school_leader):
    assert unit_ids_managed_by(school_leader) == {district.school.pk}


def test_an_operator_sees_only_their_own_unit_without_subordinates(district, edu_operator):
    assert unit_ids_managed_by(edu_operator) == {district.edu.pk}


def test_a_contractor_operator_acts_for_the_host_units_of_the_accounts_assigned_to_them(district):
    operator = UserFactory(unit=district.contractor, role=Role.OPERATOR)
    AccountFactory(host_unit=district.street, operators=[operator])
    assert unit_ids_managed_by(operator) == {district.contractor.pk, district.street.pk}
    assert names(account_owning_units_visible_to(operator)) == {"灵山卫街道"}


def test_the_district_supervisor_sees_every_unit(district, supervisor):
    assert unit_ids_managed_by(supervisor) is None
    assert units_visible_to(supervisor).count() == 8


def test_a_superuser_without_the_supervisor_role_also_sees_everything(district):
    admin = User.objects.create_superuser("root", password="Xihai2020an")
    assert unit_ids_managed_by(admin) is None


def test_an_anonymous_user_or_a_user_without_a_person_sees_nothing(district):
    assert unit_ids_managed_by(AnonymousUser()) == set()
    loner = User.objects.create_user("loner", password="Xihai2020an", role=Role.UNIT_ADMIN)
    assert units_visible_to(loner).count() == 0


def test_internal_departments_contractors_and_inactive_units_cannot_be_chosen_to_host(district, supervisor):
    UnitFactory(name="已撤销单位", kind=UnitKind.DEPARTMENT, is_active=False)
    hosts = names(account_owning_units_visible_to(supervisor))
    assert "区教育和体育局" in hosts and "区供水公司" in hosts
    assert {"区教育和体育局办公室", "西海岸融媒科技有限公司", "已撤销单位"}.isdisjoint(hosts)


def test_unit_suggestions_match_name_or_short_name_within_the_remit_exact_names_first(district, edu_unit_admin):
    assert names(account_owning_units_matching(edu_unit_admin, "实验小学")) == {"西海岸新区实验小学"}
    assert names(account_owning_units_matching(edu_unit_admin, "教体局")) == {"区教育和体育局"}
    assert account_owning_units_matching(edu_unit_admin, "灵山卫") == []
    UnitFactory(name="区教育和体育局教研中心", kind=UnitKind.SUBORDINATE, parent=district.edu)
    assert [u.name for u in account_owning_units_matching(edu_unit_admin, "区教育和体育局")][0] == "区教育和体育局"
    assert len(account_owning_units_matching(edu_unit_admin, "", limit=2)) == 2


def test_people_are_visible_within_the_remit_only(district, edu_unit_admin):
    visible = {p.name for p in people_visible_to(edu_unit_admin)}
    assert {"李管理", "周校长"} <= visible
    assert "吴管理" not in visible  # 灵山卫街道


def test_the_supervisor_sees_everybody(district, supervisor):
    PersonFactory(unit=district.contractor, name="外包人员")
    assert "外包人员" in {p.name for p in people_visible_to(supervisor)}


def test_the_district_office_is_found_by_its_kind(district):
    assert district_office() == district.office
