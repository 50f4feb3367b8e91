"""The back office is all Chinese: strings Django 6.1's zh_Hans catalogs and django-axes leave in English
are translated by the project's locale (govmedia/locale)."""

import json

import pytest
from django.test import Client
from django.utils import translation

from govmedia.orgs.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def back_office(district) -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", unit=district.office, role=Role.SUPERVISOR, is_staff=True,
                                   is_superuser=True))
    return client


@pytest.mark.parametrize(("english", "chinese"), [
    ("- Select an option -", "- 请选择 -"),
    ("Filter by %(field_name)s", "按%(field_name)s筛选"),
    ("access attempts", "登录尝试"),
])
def test_strings_missing_from_djangos_chinese_catalog_are_chinese(english, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(english) == chinese


def test_the_admin_list_has_no_english_placeholder_or_date_filter(back_office):
    accounts = back_office.get("/admin/orgs/person/").content.decode()
    assert "- Select an option -" not in accounts and "- 请选择 -" in accounts
    audit = back_office.get("/admin/audit/auditentry/").content.decode()
    assert "Filter by" not in audit and "按时间筛选" in audit


def test_the_back_office_names_the_login_lockout_app_in_chinese(back_office):
    page = back_office.get("/admin/").content.decode()
    assert "登录锁定" in page and "Access attempts" not in page


def test_the_time_zone_note_under_date_time_fields_is_chinese(back_office):
    catalog = back_office.get("/admin/jsi18n/").content.decode()
    # The catalog is JSON with non-ASCII characters escaped.
    assert json.dumps("注意：请按 %(timezone)s 时区填写时间")[1:-1] in catalog
    assert f'"server": {json.dumps("服务器")}' in catalog  # the time zone's name when the page gives none
