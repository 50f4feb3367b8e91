from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govmedia.orgs.models import UnitKind
from govmedia.registry.consolidation import consolidation_candidates, rule_violations, similarity
from govmedia.registry.models import Account, AccountStatus, FollowerSnapshot
from tests.factories import AccountFactory, UnitFactory, platform

pytestmark = pytest.mark.django_db


def _followers(account, today, now_count, half_year_ago=None):
    FollowerSnapshot.objects.create(account=account, taken_on=today, followers=now_count)
    if half_year_ago is not None:
        FollowerSnapshot.objects.create(account=account, taken_on=today - timedelta(days=200), followers=half_year_ago)


def test_a_low_follower_look_alike_is_suggested_for_merging_into_the_units_biggest_account(
    frozen_today, district, supervisor
):
    big = AccountFactory(host_unit=district.edu, platform=platform("wechat-subscription"), name="西海岸教体",
                         introduction="发布全区教育体育政策和招生考试信息")
    small = AccountFactory(host_unit=district.edu, platform=platform("kuaishou"), name="西海岸教体快讯",
                           introduction="发布全区教育体育政策和招生信息")
    _followers(big, frozen_today, 52000)
    _followers(small, frozen_today, 300)
    [candidate] = consolidation_candidates(supervisor, frozen_today)
    assert candidate.account.pk == small.pk
    assert big.pk in [b.pk for b in candidate.similar_to]
    assert "关注量仅 300" in candidate.reasons[0]
    assert "西海岸教体" in candidate.suggestion and "整合" in candidate.suggestion


def test_a_stagnant_account_without_siblings_is_suggested_for_closing(frozen_today, district, supervisor):
    lonely = AccountFactory(host_unit=district.street, platform=platform("weibo"), name="灵山卫发布")
    _followers(lonely, frozen_today, 5000, half_year_ago=4990)
    [candidate] = consolidation_candidates(supervisor, frozen_today)
    assert "几乎无增长" in candidate.reasons[0]
    assert "关停" in candidate.suggestion


def test_a_well_followed_growing_account_is_not_a_candidate(frozen_today, district, supervisor):
    healthy = AccountFactory(host_unit=district.street, platform=platform("weibo"))
    _followers(healthy, frozen_today, 8000, half_year_ago=6000)
    assert consolidation_candidates(supervisor, frozen_today) == []


def test_candidates_are_limited_to_the_users_remit(frozen_today, district, street_unit_admin):
    edu_small = AccountFactory(host_unit=district.edu, platform=platform("kuaishou"))
    _followers(edu_small, frozen_today, 10)
    assert consolidation_candidates(street_unit_admin, frozen_today) == []


def test_similarity_is_high_for_look_alikes_and_low_for_unrelated_accounts():
    a = Account(name="西海岸文旅", introduction="西海岸文化旅游资讯")
    b = Account(name="西海岸文旅快讯", introduction="西海岸文化旅游资讯发布")
    c = Account(name="灵山卫发布", introduction="街道政务信息")
    assert similarity(a, b) > 0.5 > similarity(a, c)


def test_ledger_accounts_that_break_article_5_are_reported_with_the_reason(district, supervisor):
    AccountFactory(host_unit=district.edu, platform=platform("wechat-subscription"), name="西海岸教体")
    AccountFactory(host_unit=district.edu, platform=platform("wechat-service"), name="西海岸教体服务")
    AccountFactory(host_unit=district.edu_office, platform=platform("douyin"), name="教体办公室")
    AccountFactory(host_unit=district.street, platform=platform("douyin"), name="灵山卫", registrant_kind="individual")
    AccountFactory(host_unit=district.street, platform=platform("weibo"), name="灵山卫发布")
    closed = AccountFactory(host_unit=district.street, platform=platform("weibo"), name="旧号",
                            status=AccountStatus.CLOSED)
    problems = {v.account.name: "".join(v.problems) for v in rule_violations(supervisor)}
    assert set(problems) == {"西海岸教体", "西海岸教体服务", "教体办公室", "灵山卫"}
    assert "同一平台只能开设一个" in problems["西海岸教体"]
    assert "内设机构" in problems["教体办公室"]
    assert "个人" in problems["灵山卫"]
    assert closed.name not in problems


# ---------------------------------------------------------------- the page's cost


def _add_units_breaking_article_5(district, today, count):
    """`count` new subordinate units of edu, each with two little-followed look-alike official accounts
    (one per unit allowed) and an account named after the unit's internal department."""
    for _ in range(count):
        unit = UnitFactory(kind=UnitKind.SUBORDINATE, parent=district.edu, competent_unit=district.edu)
        UnitFactory(name=f"{unit.name}宣传科", short_name="宣传科", kind=UnitKind.INTERNAL, parent=unit)
        for code, name in (("wechat-subscription", "发布"), ("wechat-service", "服务"), ("douyin", "宣传科")):
            account = AccountFactory(host_unit=unit, platform=platform(code), name=f"{unit.name}{name}",
                                     introduction=f"{unit.name}政务信息发布")
            _followers(account, today, 100, half_year_ago=100)


def _queries_of_the_rule_check_page(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/registry/consolidation/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("persona", ["supervisor", "edu_unit_admin"])
def test_the_rule_check_page_costs_the_same_queries_at_two_registry_sizes(persona, request, district, frozen_today,
                                                                         client):
    client.force_login(request.getfixturevalue(persona))
    _add_units_breaking_article_5(district, frozen_today, 2)
    small, page = _queries_of_the_rule_check_page(client)
    assert "不符合开设条件的账号（6）" in page
    _add_units_breaking_article_5(district, frozen_today, 10)
    large, page = _queries_of_the_rule_check_page(client)
    assert "不符合开设条件的账号（36）" in page
    assert large == small


def test_the_candidates_are_shown_a_hundred_at_a_time_with_the_total(district, frozen_today, supervisor, client):
    for i in range(101):
        account = AccountFactory(host_unit=district.street, platform=platform("weibo"), name=f"灵山卫{i}号")
        _followers(account, frozen_today, 10)
    client.force_login(supervisor)
    first = client.get("/registry/consolidation/").content.decode()
    second = client.get("/registry/consolidation/", {"page": 2}).content.decode()
    assert "整合关停建议（101）" in first and "第 1 / 2 页" in first
    assert first.count("关注量仅 10，") == 100 and second.count("关注量仅 10，") == 1
