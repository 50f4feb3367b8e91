"""A production server refuses to start while a login still has the demo's published password."""

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured, ValidationError

from govmedia.demo import checks
from govmedia.demo.checks import check_no_demo_passwords, refuse_to_serve_with_demo_passwords
from govmedia.demo.district import DEMO_PASSWORD
from govmedia.orgs.models import Role, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.GOVMEDIA_DEMO = False
    return settings


@pytest.fixture
def demo_logins(district):
    """As the demo loader makes them: one hash of the demo password, given to every login."""
    shared = make_password(DEMO_PASSWORD)
    for user in (district.supervisor, district.edu_unit_admin, district.street_leader):
        user.password = shared
        user.save(update_fields=["password"])


def test_the_deploy_check_names_every_login_that_has_the_demo_password(production, demo_logins):
    [error] = check_no_demo_passwords()
    assert error.id == "govmedia.E001"
    assert "edu_admin、street_leader、supervisor" in error.msg
    assert "GOVMEDIA_DEMO=1" in error.msg


def test_the_wsgi_start_is_refused_with_demo_logins(production, demo_logins):
    with pytest.raises(ImproperlyConfigured, match="拒绝启动"):
        refuse_to_serve_with_demo_passwords()


def test_an_administrator_who_reused_the_demo_password_is_found_too(production, district):
    admin = UserFactory(username="admin", unit=district.office)
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    [error] = check_no_demo_passwords()
    assert "admin" in error.msg


def test_a_deactivated_demo_login_does_not_block_the_start(production, demo_logins, district):
    for user in (district.supervisor, district.edu_unit_admin, district.street_leader):
        user.is_active = False
        user.save(update_fields=["is_active"])
    assert check_no_demo_passwords() == []


def test_own_passwords_pass(production, district):
    assert check_no_demo_passwords() == []


def test_demo_mode_serves_the_demo_with_its_password(production, demo_logins):
    production.GOVMEDIA_DEMO = True
    assert check_no_demo_passwords() == []
    refuse_to_serve_with_demo_passwords()


def test_nobody_may_choose_the_demo_password_outside_demo_mode(production):
    with pytest.raises(ValidationError, match="不能使用演示密码"):
        validate_password(DEMO_PASSWORD)


def test_production_settings_refuse_the_demo_passwords_even_in_demo_mode(production, demo_logins):
    production.GOVMEDIA_DEMO = True
    production.GOVMEDIA_HTTPS = True
    [error] = check_no_demo_passwords()
    assert "supervisor" in error.msg and "GOVMEDIA_HTTPS" in error.msg
    with pytest.raises(ImproperlyConfigured, match="拒绝启动"):
        refuse_to_serve_with_demo_passwords()


def test_production_settings_refuse_choosing_the_demo_password_even_in_demo_mode(production):
    production.GOVMEDIA_DEMO = True
    production.GOVMEDIA_HTTPS = True
    with pytest.raises(ValidationError, match="不能使用演示密码"):
        validate_password(DEMO_PASSWORD)


def test_any_login_given_the_demo_password_while_demo_mode_allowed_it_is_found(production, district):
    # `boss` is neither a demo login name nor shares a hash: only the flag noted by set_password finds it.
    boss = UserFactory(username="boss", unit=district.office, role=Role.SUPERVISOR)
    boss.set_password(DEMO_PASSWORD)
    boss.save()
    [error] = check_no_demo_passwords()
    assert "用户 boss 仍在使用演示密码" in error.msg


def test_changing_the_demo_password_clears_the_flag(production, district):
    boss = UserFactory(username="boss", unit=district.office, role=Role.SUPERVISOR)
    boss.set_password(DEMO_PASSWORD)
    boss.save()
    boss.set_password("Boss-own-2026")
    boss.save()
    assert not User.objects.get(pk=boss.pk).has_demo_password
    assert check_no_demo_passwords() == []


def test_the_check_verifies_each_candidate_hash_once(production, district, monkeypatch):
    shared = make_password(DEMO_PASSWORD)
    for user in User.objects.all():
        user.password, user.has_demo_password = shared, True
        user.save(update_fields=["password", "has_demo_password"])
    calls = []
    monkeypatch.setattr(checks, "check_password", lambda raw, hashed: calls.append(hashed) or True)
    [error] = check_no_demo_passwords()
    assert len(calls) == 1 and "supervisor" in error.msg
