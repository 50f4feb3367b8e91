"""The registry list's unit filter: a searchable picker scoped to the user's remit, usable without JavaScript."""

import re

import pytest

from govmedia.orgs.models import Role
from tests.factories import AccountFactory, UnitFactory, UserFactory, platform

pytestmark = pytest.mark.django_db


def _suggested(client, user, q: str) -> set[str]:
    client.force_login(user)
    response = client.get("/registry/units/search", {"q": q})
    assert response.status_code == 200
    return {unit["name"] for unit in response.json()["results"]}


# ---------------------------------------------------------------- the search endpoint


def test_a_unit_admin_is_offered_only_the_units_of_their_remit(client, district, edu_unit_admin):
    assert _suggested(client, edu_unit_admin, "") == {"区教育和体育局", "西海岸新区实验小学"}
    assert _suggested(client, edu_unit_admin, "灵山卫") == set()
    assert _suggested(client, edu_unit_admin, "管委") == set()


def test_the_supervisor_is_offered_every_unit_that_may_host_accounts(client, district, supervisor):
    assert _suggested(client, supervisor, "灵山卫") == {"灵山卫街道"}
    assert _suggested(client, supervisor, "融媒科技") == set()  # a contractor only operates accounts
    assert _suggested(client, supervisor, "办公室") == {"管委办公室"}  # not edu's internal 办公室


def test_an_operator_is_offered_their_unit_and_the_host_units_of_their_accounts(client, district, edu_weibo):
    contractor_operator = UserFactory(unit=district.contractor, role=Role.OPERATOR)
    AccountFactory(host_unit=district.street, platform=platform("douyin"), operators=[contractor_operator])
    assert _suggested(client, contractor_operator, "") == {"灵山卫街道"}


def test_the_search_needs_a_login(client, district):
    assert client.get("/registry/units/search", {"q": "区"}).status_code == 302


def test_at_most_twenty_units_are_suggested(client, district, supervisor):
    for i in range(25):
        UnitFactory(name=f"区测试局{i}")
    assert len(_suggested(client, supervisor, "测试局")) == 20


# ---------------------------------------------------------------- the registry list


def _rows(client, **params) -> set[str]:
    page = client.get("/registry/accounts/", params).content.decode()
    table = page[page.index('id="account-table"'):]
    return set(re.findall(r'<a href="/registry/accounts/\d+/">([^<]+)</a>', table))


def test_the_registry_filter_no_longer_lists_every_unit(client, district, supervisor):
    for i in range(30):
        UnitFactory(name=f"没有账号的单位{i}")
    client.force_login(supervisor)
    page = client.get("/registry/accounts/").content.decode()
    assert 'name="unit_name"' in page and 'data-unit-search="/registry/units/search"' in page
    assert "没有账号的单位" not in page and '<select name="unit"' not in page


def test_a_picked_unit_filters_the_list(client, district, supervisor, edu_weibo, school_douyin):
    client.force_login(supervisor)
    assert _rows(client, unit=district.school.pk, unit_name=district.school.name) == {school_douyin.name}


def test_without_javascript_a_typed_name_that_fits_one_unit_selects_it(client, district, supervisor, edu_weibo,
                                                                        school_douyin):
    client.force_login(supervisor)
    assert _rows(client, unit="", unit_name="实验小学") == {school_douyin.name}
    page = client.get("/registry/accounts/", {"unit": "", "unit_name": "实验小学"}).content.decode()
    assert f'value="{district.school.name}"' in page
    assert f"/registry/export.xlsx?unit={district.school.pk}" in page


def test_a_typed_name_replaces_the_unit_picked_before(client, district, supervisor, edu_weibo, street_weibo):
    client.force_login(supervisor)
    assert _rows(client, unit=district.edu.pk, unit_name="灵山卫街道") == {street_weibo.name}
    assert _rows(client, unit=district.edu.pk, unit_name="") == {edu_weibo.name, street_weibo.name}


def test_a_name_that_fits_several_units_offers_them_as_links(client, district, supervisor, edu_weibo):
    client.force_login(supervisor)
    page = client.get("/registry/accounts/", {"unit_name": "区"}).content.decode()
    choices = page[page.index('id="unit-choices"'):page.index('id="account-table"')]
    assert f"unit={district.edu.pk}" in choices and f"unit={district.water.pk}" in choices
    assert "灵山卫" not in choices


def test_a_name_that_fits_no_unit_says_so(client, district, supervisor, edu_weibo):
    client.force_login(supervisor)
    assert "没有名称含“不存在”的主办单位" in client.get("/registry/accounts/", {"unit_name": "不存在"}).content.decode()


def test_a_link_with_a_unit_id_shows_the_units_name(client, district, edu_unit_admin, school_douyin, edu_weibo):
    client.force_login(edu_unit_admin)
    page = client.get("/registry/accounts/", {"unit": district.school.pk}).content.decode()
    assert f'value="{district.school.name}"' in page
    assert _rows(client, unit=district.school.pk) == {school_douyin.name}


def test_a_unit_outside_the_remit_shows_nothing_and_is_not_named(client, district, edu_unit_admin, street_weibo,
                                                                  edu_weibo):
    client.force_login(edu_unit_admin)
    page = client.get("/registry/accounts/", {"unit": district.street.pk}).content.decode()
    assert "灵山卫" not in page
    assert street_weibo.name not in _rows(client, unit=district.street.pk, unit_name="灵山卫街道")
