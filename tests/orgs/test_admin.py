"""The back office's user and person pages, attacked the way a unit admin would: every crafted POST
must leave the database as it was."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from govmedia.audit.models import AuditEntry
from govmedia.orgs.models import Person, Role, User
from govmedia.registry.models import Platform
from tests.clients import back_office_client
from tests.factories import PersonFactory, PlatformFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Xk2-grant-test-88"


def _add_user(client, **fields):
    data = {"username": "newcomer", "usable_password": "true", "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD, "role": Role.OPERATOR, **fields}
    return client.post("/admin/orgs/user/add/", data)


def _change_data(user, **fields) -> dict:
    data = {"username": user.username, "first_name": "", "last_name": "", "email": "", "is_active": "on",
            "person": user.person_id or "", "role": user.role, "date_joined_0": "2026-03-02",
            "date_joined_1": "10:00:00"}
    data.update(fields)
    return data


def _change_user(client, user, **fields):
    return client.post(f"/admin/orgs/user/{user.pk}/change/", _change_data(user, **fields))


def _snapshot():
    return sorted(User.objects.values_list("pk", "username", "role", "person_id", "is_staff", "is_superuser"))


def test_a_unit_admin_cannot_create_a_district_supervisor(district, edu_unit_admin):
    client = back_office_client(edu_unit_admin)
    before = _snapshot()
    person = PersonFactory(unit=district.edu)
    response = _add_user(client, person=person.pk, role=Role.SUPERVISOR)
    assert response.status_code == 200
    assert _snapshot() == before


def test_a_unit_admin_cannot_change_their_own_role(district, edu_unit_admin):
    client = back_office_client(edu_unit_admin)
    before = _snapshot()
    _change_user(client, edu_unit_admin, role=Role.SUPERVISOR)
    _change_user(client, edu_unit_admin, role=Role.LEADER)
    assert _snapshot() == before


def test_a_unit_admin_cannot_attach_a_person_of_another_unit(district, edu_unit_admin, street_operator):
    client = back_office_client(edu_unit_admin)
    foreign = PersonFactory(unit=district.street)
    before = _snapshot()
    assert _add_user(client, person=foreign.pk).status_code == 200
    colleague = UserFactory(unit=district.edu, role=Role.REVIEWER)
    before = _snapshot()
    _change_user(client, colleague, person=foreign.pk)
    _change_user(client, edu_unit_admin, person=foreign.pk)
    assert _snapshot() == before


def test_the_person_drop_down_lists_only_people_of_the_remit(district, edu_unit_admin):
    PersonFactory(unit=district.street, name="外单位人员")
    PersonFactory(unit=district.school, name="下属单位人员")
    page = back_office_client(edu_unit_admin).get("/admin/orgs/user/add/").content.decode()
    assert "下属单位人员" in page and "外单位人员" not in page
    assert 'value="supervisor"' not in page


def test_a_unit_admin_cannot_change_a_user_of_another_unit(district, edu_unit_admin, street_reviewer):
    client = back_office_client(edu_unit_admin)
    before = _snapshot()
    assert _change_user(client, street_reviewer, role=Role.UNIT_ADMIN).status_code == 404
    assert _snapshot() == before


def test_a_unit_admin_cannot_touch_a_district_supervisors_login_in_their_remit(district):
    office_admin = UserFactory(unit=district.office, role=Role.UNIT_ADMIN)
    client = back_office_client(office_admin)
    before = _snapshot()
    supervisor = district.supervisor
    assert _change_user(client, supervisor, role=Role.OPERATOR).status_code == 403
    password_url = f"/admin/orgs/user/{supervisor.pk}/password/"
    assert client.post(password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 403
    assert _snapshot() == before
    supervisor.refresh_from_db()
    assert not supervisor.check_password(NEW_PASSWORD)


def test_staff_and_superuser_rights_stay_with_the_district_office(district, edu_unit_admin):
    client = back_office_client(edu_unit_admin)
    colleague = UserFactory(unit=district.edu, role=Role.REVIEWER)
    group = Group.objects.create(name="全部权限")
    permission = Permission.objects.get(codename="change_user")
    before = _snapshot()
    _change_user(client, colleague, is_staff="on", is_superuser="on", groups=[group.pk],
                 user_permissions=[permission.pk])
    _change_user(client, edu_unit_admin, is_superuser="on", groups=[group.pk], user_permissions=[permission.pk])
    assert not group.user_set.exists() and not permission.user_set.exists()
    _add_user(client, person=PersonFactory(unit=district.edu).pk, is_staff="on", is_superuser="on")
    assert User.objects.filter(username="newcomer", is_staff=False, is_superuser=False).exists()
    assert sorted(row for row in _snapshot() if row[1] != "newcomer") == before


def test_a_unit_admin_grants_roles_of_their_remit_to_people_of_their_remit(district, edu_unit_admin):
    client = back_office_client(edu_unit_admin)
    person = PersonFactory(unit=district.school)
    assert _add_user(client, person=person.pk, role=Role.UNIT_ADMIN).status_code == 302
    created = User.objects.get(username="newcomer")
    # A unit admin works in the back office: the new one can log in there.
    assert created.role == Role.UNIT_ADMIN and created.person == person and created.is_staff
    assert _change_user(client, created, role=Role.LEADER).status_code == 302
    created.refresh_from_db()
    assert created.role == Role.LEADER and not created.is_staff


def test_a_unit_admin_may_edit_their_own_name_but_keeps_role_and_person(district, edu_unit_admin):
    client = back_office_client(edu_unit_admin)
    page = client.get(f"/admin/orgs/user/{edu_unit_admin.pk}/change/").content.decode()
    assert 'name="role"' not in page and 'name="person"' not in page
    assert _change_user(client, edu_unit_admin, first_name="小李").status_code == 302
    edu_unit_admin.refresh_from_db()
    assert edu_unit_admin.first_name == "小李" and edu_unit_admin.role == Role.UNIT_ADMIN


def test_a_supervisor_grants_the_supervisor_role(district, supervisor):
    client = back_office_client(supervisor)
    assert _add_user(client, person=PersonFactory(unit=district.street).pk, role=Role.SUPERVISOR).status_code == 302
    assert User.objects.get(username="newcomer").role == Role.SUPERVISOR


def _person_data(person, **fields) -> dict:
    return {"name": person.name, "unit": person.unit_id, "title": person.title, "office_phone": "",
            "mobile": "", **fields}


def test_a_unit_admin_cannot_move_a_person_to_another_unit(district, edu_unit_admin):
    client = back_office_client(edu_unit_admin)
    person = PersonFactory(unit=district.edu)
    response = client.post(f"/admin/orgs/person/{person.pk}/change/", _person_data(person, unit=district.street.pk))
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.unit == district.edu


def test_a_unit_admin_cannot_create_a_person_in_another_unit(district, edu_unit_admin):
    client = back_office_client(edu_unit_admin)
    response = client.post("/admin/orgs/person/add/", {"name": "外派人员", "unit": district.street.pk,
                                                        "title": "", "office_phone": "", "mobile": ""})
    assert response.status_code == 200
    assert not Person.objects.filter(name="外派人员").exists()


def test_a_unit_admin_cannot_change_a_person_of_another_unit(district, edu_unit_admin):
    client = back_office_client(edu_unit_admin)
    foreign = PersonFactory(unit=district.street, name="外单位人员")
    response = client.post(f"/admin/orgs/person/{foreign.pk}/change/", _person_data(foreign, name="改名"))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "外单位人员"


def test_a_unit_admin_moves_a_person_within_their_remit(district, edu_unit_admin):
    client = back_office_client(edu_unit_admin)
    person = PersonFactory(unit=district.edu)
    response = client.post(f"/admin/orgs/person/{person.pk}/change/", _person_data(person, unit=district.school.pk))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.unit == district.school


def test_a_unit_admin_cannot_edit_the_person_of_a_district_supervisor_in_their_remit(district, supervisor):
    office_admin = UserFactory(unit=district.office, role=Role.UNIT_ADMIN)
    person = supervisor.person
    response = back_office_client(office_admin).post(f"/admin/orgs/person/{person.pk}/change/",
                                                _person_data(person, name="冒名"))
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.name == "王监管"


# ---------------------------------------------------------------- back-office access follows the role


def _refusals():
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.DENIED))


def test_a_demoted_unit_admin_leaves_the_back_office(district, edu_unit_admin):
    school_admin = UserFactory(username="school_admin", unit=district.school, role=Role.UNIT_ADMIN, is_staff=True)
    client = back_office_client(edu_unit_admin)
    assert _change_user(client, school_admin, role=Role.OPERATOR).status_code == 302
    school_admin.refresh_from_db()
    assert school_admin.role == Role.OPERATOR and not school_admin.is_staff
    demoted = Client()
    demoted.force_login(school_admin)
    assert demoted.get("/admin/").status_code == 302
    assert demoted.get("/admin/orgs/user/").status_code == 302
    assert demoted.get("/admin/orgs/person/").status_code == 302


@pytest.mark.parametrize("role", [Role.LEADER, Role.REVIEWER, Role.OPERATOR])
def test_a_stale_staff_flag_opens_no_page_of_the_back_office(district, role):
    stale = UserFactory(unit=district.edu, role=role, is_staff=True)
    client = Client()
    client.force_login(stale)
    for url in ("/admin/", "/admin/orgs/user/", "/admin/orgs/person/", "/admin/registry/platform/",
                f"/admin/orgs/user/{stale.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url


def test_a_unit_admin_created_by_a_unit_admin_can_use_the_back_office(district, edu_unit_admin):
    client = back_office_client(edu_unit_admin)
    person = PersonFactory(unit=district.school)
    assert _add_user(client, person=person.pk, role=Role.UNIT_ADMIN).status_code == 302
    newcomer = Client()
    newcomer.force_login(User.objects.get(username="newcomer"))
    assert newcomer.get("/admin/orgs/person/").status_code == 200


# ---------------------------------------------------------------- fields the system or the office keeps


def test_a_unit_admin_cannot_deactivate_their_own_login(district, edu_unit_admin):
    client = back_office_client(edu_unit_admin)
    data = _change_data(edu_unit_admin)
    del data["is_active"]
    client.post(f"/admin/orgs/user/{edu_unit_admin.pk}/change/", data)
    edu_unit_admin.refresh_from_db()
    assert edu_unit_admin.is_active


def test_a_unit_admin_may_deactivate_another_login_of_their_remit(district, edu_unit_admin, edu_reviewer):
    client = back_office_client(edu_unit_admin)
    data = _change_data(edu_reviewer)
    del data["is_active"]
    assert client.post(f"/admin/orgs/user/{edu_reviewer.pk}/change/", data).status_code == 302
    edu_reviewer.refresh_from_db()
    assert not edu_reviewer.is_active


def test_nobody_rewrites_when_a_login_joined_or_last_logged_in(district, supervisor, edu_reviewer):
    before = User.objects.filter(pk=edu_reviewer.pk).values_list("date_joined", "last_login").get()
    for editor in (supervisor, district.edu_unit_admin):
        _change_user(back_office_client(editor), edu_reviewer, date_joined_0="2001-01-01", date_joined_1="00:00:00",
                     last_login_0="2001-01-01", last_login_1="00:00:00")
    assert User.objects.filter(pk=edu_reviewer.pk).values_list("date_joined", "last_login").get() == before


# ---------------------------------------------------------------- refused attempts are security events


def test_posting_the_supervisor_role_is_recorded_as_a_refusal(district, edu_unit_admin):
    client = back_office_client(edu_unit_admin)
    _add_user(client, person=PersonFactory(unit=district.edu).pk, role=Role.SUPERVISOR)
    [entry] = _refusals()
    assert entry.actor == edu_unit_admin and "role=supervisor" in entry.changes["reason"]
    assert entry.object_repr == "POST /admin/orgs/user/add/"


def test_posting_staff_rights_is_recorded_though_the_form_ignores_them(district, edu_unit_admin, edu_reviewer):
    client = back_office_client(edu_unit_admin)
    group = Group.objects.create(name="全部权限")
    _change_user(client, edu_reviewer, is_staff="on", is_superuser="on", groups=[group.pk])
    [entry] = _refusals()
    assert entry.actor == edu_unit_admin
    assert all(name in entry.changes["reason"] for name in ("is_staff", "is_superuser", "groups"))
    edu_reviewer.refresh_from_db()
    assert not (edu_reviewer.is_staff or edu_reviewer.is_superuser or edu_reviewer.groups.exists())


def test_posting_a_person_of_another_unit_is_recorded(district, edu_unit_admin, street_operator):
    client = back_office_client(edu_unit_admin)
    _add_user(client, person=street_operator.person_id)
    [entry] = _refusals()
    assert f"person={street_operator.person_id}" in entry.changes["reason"]


def test_an_ordinary_edit_is_no_refusal(district, edu_unit_admin, edu_reviewer):
    assert _change_user(back_office_client(edu_unit_admin), edu_reviewer, first_name="审核").status_code == 302
    assert _refusals() == []


def test_a_refused_admin_action_is_recorded(district, edu_unit_admin):
    platform = Platform.objects.first() or PlatformFactory()
    client = back_office_client(edu_unit_admin)
    client.post("/admin/registry/platform/", {"action": "delete_selected", "_selected_action": [platform.pk]})
    assert Platform.objects.filter(pk=platform.pk).exists()
    [entry] = _refusals()
    assert entry.actor == edu_unit_admin and "delete_selected" in entry.changes["reason"]
