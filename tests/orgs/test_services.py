"""Writes on people and logins: the first supervisor of a deployment started without the demo, and every
save checks the grant whatever the caller (no form is needed to be refused)."""

import pytest
from django.core.exceptions import ValidationError

from govmedia.audit.models import AuditEntry
from govmedia.errors import PermissionDenied
from govmedia.orgs import services
from govmedia.orgs.models import Role, Unit, UnitKind, User
from govmedia.orgs.services import supervisor_create
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Xihai2026first"


def test_the_first_supervisor_brings_the_district_office_on_an_empty_database(settings):
    settings.GOVMEDIA_DISTRICT_NAME = "青岛西海岸新区"
    user = supervisor_create(username="wang", password=PASSWORD, name="王监管", title="政务公开科科长")
    assert user.role == Role.SUPERVISOR and user.is_staff and not user.is_superuser
    assert user.is_district_supervisor
    assert user.unit == Unit.objects.get(kind=UnitKind.DISTRICT_OFFICE, name="青岛西海岸新区管委办公室")
    assert user.check_password(PASSWORD)
    assert AuditEntry.objects.filter(object_type__icontains="user", object_id=str(user.pk)).exists()


def test_a_second_supervisor_joins_the_existing_district_office(district):
    user = supervisor_create(username="li", password=PASSWORD, name="李监管")
    assert user.unit == district.office
    assert Unit.objects.filter(kind=UnitKind.DISTRICT_OFFICE).count() == 1


def test_a_weak_password_is_refused_in_chinese_and_nothing_is_written(db):
    with pytest.raises(ValidationError) as refused:
        supervisor_create(username="wang", password="12345678", name="王监管")
    assert any("密码" in m for m in refused.value.message_dict["password"])
    assert not User.objects.exists() and not Unit.objects.exists()


def test_a_user_name_taken_in_another_letter_case_is_refused_like_the_admin_form_does(district):
    with pytest.raises(ValidationError, match="已存在"):
        supervisor_create(username="Supervisor", password=PASSWORD, name="王监管")


def test_a_taken_user_name_is_refused(district):
    with pytest.raises(ValidationError, match="用户名“supervisor”已存在"):
        supervisor_create(username="supervisor", password=PASSWORD, name="王监管")



@pytest.fixture
def staff_unit_admin(edu_unit_admin):
    edu_unit_admin.is_staff = True
    edu_unit_admin.save()
    return edu_unit_admin


def test_saving_a_user_with_the_supervisor_role_is_refused_for_a_unit_admin(district, staff_unit_admin):
    user = User(username="sneaky", role=Role.SUPERVISOR, person=PersonFactory(unit=district.edu))
    with pytest.raises(PermissionDenied, match="区级监管员"):
        services.user_save(user=user, by=staff_unit_admin)
    assert not User.objects.filter(username="sneaky").exists()


def test_a_unit_admin_cannot_raise_their_own_role_through_the_service(staff_unit_admin):
    staff_unit_admin.role = Role.SUPERVISOR
    with pytest.raises(PermissionDenied, match="本人"):
        services.user_save(user=staff_unit_admin, by=staff_unit_admin)
    assert User.objects.get(pk=staff_unit_admin.pk).role == Role.UNIT_ADMIN


def test_a_unit_admin_cannot_grant_staff_rights_through_the_service(district, staff_unit_admin):
    colleague = UserFactory(unit=district.edu, role=Role.REVIEWER)
    colleague.is_staff = True
    services.user_save(user=colleague, by=staff_unit_admin)
    assert not User.objects.get(pk=colleague.pk).is_staff


def test_a_unit_admin_cannot_grant_superuser_rights_through_the_service(district, staff_unit_admin):
    colleague = UserFactory(unit=district.edu, role=Role.REVIEWER)
    colleague.is_superuser = True
    with pytest.raises(PermissionDenied):
        services.user_save(user=colleague, by=staff_unit_admin)
    assert not User.objects.get(pk=colleague.pk).is_superuser


@pytest.mark.parametrize(("role", "staff"), [(Role.SUPERVISOR, True), (Role.UNIT_ADMIN, True), (Role.LEADER, False),
                                              (Role.REVIEWER, False), (Role.OPERATOR, False)])
def test_back_office_access_follows_the_role_whenever_a_login_is_saved(district, role, staff):
    login = UserFactory(unit=district.edu, role=role)
    login.is_staff = not staff
    services.user_save(user=login, by=district.supervisor)
    assert User.objects.get(pk=login.pk).is_staff is staff


def test_a_superuser_keeps_the_back_office_whatever_their_role(district):
    login = UserFactory(unit=district.office, role=Role.OPERATOR, is_superuser=True)
    services.user_save(user=login, by=district.supervisor)
    assert User.objects.get(pk=login.pk).is_staff


def test_nobody_deactivates_their_own_login_through_the_service(staff_unit_admin):
    staff_unit_admin.is_active = False
    with pytest.raises(PermissionDenied, match="本人"):
        services.user_save(user=staff_unit_admin, by=staff_unit_admin)
    assert User.objects.get(pk=staff_unit_admin.pk).is_active


def test_a_foreign_person_is_named_in_the_refusal(district, staff_unit_admin):
    foreign = PersonFactory(unit=district.street, name="外单位人员")
    with pytest.raises(PermissionDenied, match="外单位人员"):
        services.user_save(user=User(username="x", role=Role.OPERATOR, person=foreign), by=staff_unit_admin)


def test_a_person_cannot_be_moved_out_of_the_remit(district, staff_unit_admin):
    person = PersonFactory(unit=district.edu)
    person.unit = district.street
    with pytest.raises(PermissionDenied):
        services.person_save(person=person, by=staff_unit_admin)
    person.refresh_from_db()
    assert person.unit == district.edu
