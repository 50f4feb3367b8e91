"""Every write is audited with who, from where and through which channel; so are logins."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from govmedia.audit.context import acting_as, actor_for_user
from govmedia.audit.middleware import AuditContextMiddleware
from govmedia.audit.models import AuditEntry
from govmedia.orgs.models import Unit, UnitKind
from govmedia.registry import services
from govmedia.registry.models import Account, Application
from govmedia.workdays.models import CalendarDay
from tests.factories import DEFAULT_PASSWORD, UnitFactory, platform

pytestmark = pytest.mark.django_db


def entries_for(obj) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk)).order_by("pk"))


def web_actor(user, ip="10.20.30.40"):
    return acting_as(actor_for_user(user, ip_address=ip, channel="web"))


# ---------------------------------------------------------------- writes


def test_a_plain_orm_create_is_audited_with_its_values(district):
    unit = Unit.objects.create(name="区审计局", kind=UnitKind.DEPARTMENT)
    [entry] = entries_for(unit)
    assert (entry.action, entry.object_repr) == (AuditEntry.Action.CREATE, "区审计局")
    assert entry.changes["name"] == [None, "区审计局"]
    assert "short_name" not in entry.changes  # empty values are left out


def test_an_update_records_only_the_fields_that_changed(district):
    unit = district.street
    unit.address = "灵山卫街道办事处"
    unit.save()
    entry = entries_for(unit)[-1]
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes == {"address": ["", "灵山卫街道办事处"]}


def test_a_save_that_changes_nothing_leaves_no_entry(district):
    before = AuditEntry.objects.count()
    district.street.save()
    assert AuditEntry.objects.count() == before


def test_a_delete_is_audited_with_the_values_it_removed(district):
    unit = UnitFactory(name="临时单位")
    pk = unit.pk
    unit.delete()
    entry = AuditEntry.objects.filter(object_type="orgs.Unit", object_id=str(pk)).latest("pk")
    assert entry.action == AuditEntry.Action.DELETE
    assert entry.changes["name"] == ["临时单位", None]


def test_a_queryset_delete_is_audited_row_by_row(district):
    UnitFactory(name="临时一", kind=UnitKind.CONTRACTOR)
    UnitFactory(name="临时二", kind=UnitKind.CONTRACTOR)
    Unit.objects.filter(name__startswith="临时").delete()
    deleted = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE, object_type="orgs.Unit")
    assert {e.object_repr for e in deleted} == {"临时一", "临时二"}


def test_writes_outside_a_request_are_attributed_to_the_system_command_channel(district):
    unit = UnitFactory(name="命令行单位")
    [entry] = entries_for(unit)
    assert (entry.actor, entry.actor_label, entry.ip_address, entry.channel) == (None, "系统", None, "command")


def test_writes_through_a_service_carry_the_actor_address_and_channel(district, edu_operator):
    values = {"account_id": "xha_dy", "name": "西海岸教体抖音", "platform": platform("douyin").pk,
              "host_unit": district.edu.pk, "registrant_kind": "organisation"}
    with web_actor(edu_operator):
        application = services.open_application_submit(applicant=edu_operator, values=values, reason="开设")
    for obj in (application.account, application, application.events.get()):
        entries = entries_for(obj)
        assert entries[0].action == AuditEntry.Action.CREATE
        assert {(e.actor, e.actor_label, e.ip_address, e.channel) for e in entries} == {
            (edu_operator, "edu_operator", "10.20.30.40", "web")}


def test_an_approval_is_audited_although_it_is_a_conditional_update(district, edu_operator, edu_leader):
    values = {"account_id": "xha_dy", "name": "西海岸教体抖音", "platform": platform("douyin").pk,
              "host_unit": district.edu.pk, "registrant_kind": "organisation"}
    application = services.open_application_submit(applicant=edu_operator, values=values, reason="开设")
    with web_actor(edu_leader, ip="10.0.0.8"):
        services.application_approve(application=application, by=edu_leader, comment="同意")
    entry = entries_for(application)[-1]
    assert (entry.action, entry.actor, entry.ip_address) == (AuditEntry.Action.UPDATE, edu_leader, "10.0.0.8")
    assert entry.changes["current_step"] == [0, 1]


def test_a_rejection_and_a_withdrawal_are_audited(district, edu_operator, edu_leader):
    values = {"account_id": "xha_dy", "name": "西海岸教体抖音", "platform": platform("douyin").pk,
              "host_unit": district.edu.pk, "registrant_kind": "organisation"}
    application = services.open_application_submit(applicant=edu_operator, values=values, reason="开设")
    services.application_reject(application=application, by=edu_leader, comment="暂缓")
    services.application_withdraw(application=Application.objects.get(pk=application.pk), by=edu_operator)
    states = [e.changes.get("state") for e in entries_for(application)[1:]]
    assert states == [["submitted", "rejected"], ["rejected", "withdrawn"]]


def test_assigning_and_removing_operators_is_audited(district, edu_weibo, edu_operator, assigned_operator):
    edu_weibo.operators.add(edu_operator)
    edu_weibo.operators.remove(assigned_operator)
    edu_operator.operated_accounts.clear()  # from the user's side
    changes = [e.changes for e in AuditEntry.objects.filter(changes__has_key="operators").order_by("pk")]
    changes += [e.changes for e in AuditEntry.objects.filter(changes__has_key="operated_accounts").order_by("pk")]
    assert changes == [
        {"operators": {"added": [assigned_operator.pk]}},  # by the fixture
        {"operators": {"added": [edu_operator.pk]}},
        {"operators": {"removed": [assigned_operator.pk]}},
        {"operated_accounts": {"cleared": [edu_weibo.pk]}},
    ]


def test_passwords_never_reach_the_audit_log(district, edu_operator):
    edu_operator.set_password("Another2026pass")
    edu_operator.save()
    for entry in entries_for(edu_operator):
        assert "password" not in entry.changes


def test_the_audit_log_does_not_audit_itself(district):
    assert not AuditEntry.objects.filter(object_type="audit.AuditEntry").exists()
    assert AuditEntry.objects.exists()


def test_models_outside_govmedia_are_not_audited(db):
    store = SessionStore()
    store["k"] = "v"
    store.save()
    assert not AuditEntry.objects.filter(object_type__startswith="sessions").exists()


# ---------------------------------------------------------------- the request context


def _middleware_run(request, write):
    def view(request):
        write()
        return HttpResponse("ok")

    return AuditContextMiddleware(view)(request)


def test_a_write_during_a_web_request_is_attributed_to_the_user_and_address(district, edu_unit_admin):
    request = RequestFactory().post("/registry/accounts/new/", REMOTE_ADDR="172.16.5.9")
    request.user = edu_unit_admin
    _middleware_run(request, lambda: UnitFactory(name="网页单位"))
    [entry] = entries_for(Unit.objects.get(name="网页单位"))
    assert (entry.actor, entry.ip_address, entry.channel) == (edu_unit_admin, "172.16.5.9", "web")


def test_a_write_through_the_admin_is_marked_as_such(district, supervisor):
    request = RequestFactory().post("/admin/orgs/unit/add/", REMOTE_ADDR="172.16.5.10")
    request.user = supervisor
    _middleware_run(request, lambda: UnitFactory(name="后台单位"))
    [entry] = entries_for(Unit.objects.get(name="后台单位"))
    assert (entry.actor, entry.channel) == (supervisor, "admin")


def test_a_forwarded_address_is_ignored_unless_a_proxy_is_trusted(settings, district, edu_unit_admin):
    def run(name):
        request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.1")
        request.user = edu_unit_admin
        _middleware_run(request, lambda: UnitFactory(name=name))
        return entries_for(Unit.objects.get(name=name))[0].ip_address

    assert run("不信任代理") == "10.0.0.1"
    settings.GOVMEDIA_TRUST_X_FORWARDED_FOR = True
    assert run("信任代理") == "203.0.113.7"


def test_the_actor_is_restored_after_the_request(district, edu_unit_admin):
    request = RequestFactory().get("/")
    request.user = edu_unit_admin
    _middleware_run(request, lambda: None)
    [entry] = entries_for(UnitFactory(name="请求之后"))
    assert entry.actor is None and entry.channel == "command"


def test_an_admin_form_write_is_audited_end_to_end(admin_client, admin_user):
    response = admin_client.post("/admin/workdays/calendarday/add/",
                                 {"date": "2027-01-01", "is_working_day": "", "name": "元旦"})
    assert response.status_code == 302
    [entry] = entries_for(CalendarDay.objects.get(name="元旦"))
    assert (entry.actor, entry.channel, entry.ip_address) == (admin_user, "admin", "127.0.0.1")


# ---------------------------------------------------------------- logins


def test_a_login_is_audited_with_the_user_and_address(client, district, edu_leader):
    response = client.post(reverse("login"), {"username": "edu_leader", "password": DEFAULT_PASSWORD},
                           REMOTE_ADDR="192.168.1.20")
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
    assert (entry.actor, entry.actor_label, entry.ip_address, entry.channel) == (
        edu_leader, "edu_leader", "192.168.1.20", "web")


def test_a_failed_login_is_audited_with_the_name_tried_and_the_address(client, district):
    response = client.post(reverse("login"), {"username": "edu_leader", "password": "wrong-password-1"},
                           REMOTE_ADDR="192.168.1.21")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert (entry.actor, entry.actor_label, entry.ip_address) == (None, "edu_leader", "192.168.1.21")
    assert "wrong-password-1" not in str(entry.changes)


def test_a_logout_is_audited(client, district, edu_leader):
    client.force_login(edu_leader)
    client.post(reverse("logout"))
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGOUT, actor=edu_leader).exists()


# ---------------------------------------------------------------- the admin


def test_the_audit_log_can_be_read_in_the_admin(admin_client, district):
    assert admin_client.get("/admin/audit/auditentry/").status_code == 200


def test_nobody_adds_edits_or_deletes_audit_entries_in_the_admin(admin_client, district):
    entry = AuditEntry.objects.first()
    assert admin_client.get("/admin/audit/auditentry/add/").status_code == 403
    change_url = f"/admin/audit/auditentry/{entry.pk}/change/"
    response = admin_client.post(change_url, {"actor_label": "伪造", "action": "login", "object_type": "x"})
    assert response.status_code == 403
    assert admin_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.actor_label != "伪造"
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_only_district_supervisors_read_the_audit_log_in_the_admin(client, district, edu_unit_admin, supervisor):
    for user in (edu_unit_admin, supervisor):
        user.is_staff = True
        user.save()
    client.force_login(edu_unit_admin)
    assert client.get("/admin/audit/auditentry/").status_code == 403
    client.force_login(supervisor)
    assert client.get("/admin/audit/auditentry/").status_code == 200


def test_the_bulk_delete_action_is_not_offered_for_audit_entries(admin_client, district):
    response = admin_client.get("/admin/audit/auditentry/")
    assert "delete_selected" not in response.content.decode()


def test_an_account_created_through_plain_orm_is_audited_too(district):
    account = Account.objects.create(account_id="orm1", name="直接写入", platform=platform("weibo"),
                                     host_unit=district.edu, competent_unit=district.edu)
    assert entries_for(account)[0].action == AuditEntry.Action.CREATE


def test_a_save_with_update_fields_audits_only_the_columns_it_wrote(edu_weibo):
    from govmedia.audit.models import AuditEntry
    from govmedia.registry.models import Account

    stale = Account.objects.get(pk=edu_weibo.pk)
    Account.objects.filter(pk=edu_weibo.pk).update(introduction="别处改过的简介")
    stale.name = "新名称"
    stale.save(update_fields=["name"])
    entry = AuditEntry.objects.filter(object_type="registry.Account", action="update").latest("pk")
    assert set(entry.changes) == {"name"}


# ---------------------------------------------------------------- passwords


NEW_PASSWORD = "Qz7-audit-passw0rd"


@pytest.fixture
def trail_start(district) -> int:
    """The last audit entry before the test acts (the factories set the personas' passwords, audited too)."""
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _password_entries(user, after: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.PASSWORD_CHANGE, object_id=str(user.pk),
                                          pk__gt=after))


def _assert_no_hash_in_the_trail(user):
    user.refresh_from_db()
    hash_value = user.password
    for changes in AuditEntry.objects.values_list("changes", flat=True):
        assert hash_value not in str(changes) and "password" not in changes


def test_a_user_changing_their_own_password_is_audited_without_the_hash(client, trail_start, edu_leader):
    client.force_login(edu_leader)
    response = client.post(reverse("password_change"), {
        "old_password": DEFAULT_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    }, REMOTE_ADDR="192.168.1.30")
    assert response.status_code == 302
    [entry] = _password_entries(edu_leader, trail_start)
    assert (entry.actor, entry.object_type, entry.ip_address, entry.channel) == (
        edu_leader, "orgs.User", "192.168.1.30", "web")
    _assert_no_hash_in_the_trail(edu_leader)


def test_an_administrator_setting_a_password_in_the_admin_is_audited(client, trail_start, supervisor, edu_leader):
    supervisor.is_staff = True
    supervisor.save()
    client.force_login(supervisor)
    response = client.post(f"/admin/orgs/user/{edu_leader.pk}/password/",
                           {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, REMOTE_ADDR="192.168.1.31")
    assert response.status_code == 302
    [entry] = _password_entries(edu_leader, trail_start)
    assert (entry.actor, entry.object_id, entry.channel) == (supervisor, str(edu_leader.pk), "admin")
    _assert_no_hash_in_the_trail(edu_leader)


def test_set_password_outside_a_request_is_audited_as_a_command(trail_start, edu_leader):
    edu_leader.set_password(NEW_PASSWORD)
    edu_leader.save()
    [entry] = _password_entries(edu_leader, trail_start)
    assert (entry.actor, entry.channel) == (None, "command")
    _assert_no_hash_in_the_trail(edu_leader)


def test_a_password_rehash_at_login_is_not_a_password_change(client, settings, trail_start, edu_leader):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    client.post(reverse("login"), {"username": "edu_leader", "password": DEFAULT_PASSWORD})
    edu_leader.refresh_from_db()
    assert edu_leader.password.startswith("pbkdf2")
    assert _password_entries(edu_leader, trail_start) == []
