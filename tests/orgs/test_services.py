"""Saving people and logins checks the grant whatever the caller: no form is needed to be refused."""

import pytest

from govmedia.errors import PermissionDenied
from govmedia.orgs import services
from govmedia.orgs.models import Role, User
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


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
    with pytest.raises(PermissionDenied):
        services.user_save(user=colleague, by=staff_unit_admin)
    assert not User.objects.get(pk=colleague.pk).is_staff


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
