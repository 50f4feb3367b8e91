"""The registry's unit picker in a real Chromium: suggestions from the user's remit, a pick filters the list."""

import pytest
from django.conf import settings
from django.test import Client

from govmedia.orgs.models import Role, UnitKind
from tests.factories import AccountFactory, UnitFactory, UserFactory, platform

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _log_in(page, live_server, user) -> None:
    """Reuse a session made by Django's test client, so the test is about the picker, not the login form."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


def test_a_unit_admin_picks_a_unit_of_their_remit_and_the_registry_shows_its_accounts(live_server, page):
    edu = UnitFactory(name="区教育和体育局", kind=UnitKind.DEPARTMENT)
    school = UnitFactory(name="西海岸新区实验小学", kind=UnitKind.SUBORDINATE, parent=edu, competent_unit=edu)
    UnitFactory(name="实验中学（外区）", kind=UnitKind.DEPARTMENT)
    AccountFactory(host_unit=edu, name="西海岸教育发布")
    AccountFactory(host_unit=school, platform=platform("douyin"), name="实验小学抖音")
    _log_in(page, live_server, UserFactory(unit=edu, role=Role.UNIT_ADMIN))

    page.goto(f"{live_server.url}/registry/accounts/")
    page.fill("input[name=unit_name]", "实验")
    options = page.locator(".unit-picker-list li[role=option]")
    sync_api.expect(options).to_have_text(["西海岸新区实验小学"])  # not the unit outside the remit
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")

    sync_api.expect(page.locator("#account-table")).not_to_contain_text("西海岸教育发布")
    sync_api.expect(page.locator("#account-table")).to_contain_text("实验小学抖音")
    assert page.input_value("input[name=unit]") == str(school.pk)
    assert f"unit={school.pk}" in page.url
