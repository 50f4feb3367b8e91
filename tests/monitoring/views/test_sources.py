"""The account page's monitoring panel and its sources through HTTP: activity and source health shown to
whoever sees the account; sources added, edited, disabled and deleted by its host unit's admins only."""

from datetime import timedelta

import pytest
from django.urls import reverse

from govmedia.monitoring.models import Source, SourceHealth
from tests.monitoring.factories import SourceFactory
from tests.monitoring.pages import FindingFactory, PostFactory, client_for, refusals, said
from tests.registry.services.helpers import fresh

pytestmark = pytest.mark.django_db

FEED = "https://rsshub.example.cn/weibo/user/1234567"


@pytest.fixture
def source(frozen_clock, edu_weibo):
    return SourceFactory(account=edu_weibo, url=FEED, health=SourceHealth.BROKEN, health_reason="cookies_expired",
                         broken_since=frozen_clock.current - timedelta(days=1))


def test_the_account_page_shows_activity_source_health_and_open_findings(frozen_clock, edu_unit_admin, edu_weibo,
                                                                         source):
    FindingFactory(post=PostFactory(account=edu_weibo, published_at=frozen_clock.current))
    page = client_for(edu_unit_admin).get(edu_weibo.get_absolute_url()).content.decode()
    assert 'id="monitoring-activity"' in page and "数据源故障：登录凭据（Cookie）已过期" in page
    assert "未办结问题" in page and f"?account={edu_weibo.pk}" in page
    assert f'{reverse("monitoring:source_edit", args=[source.pk])}' in page
    assert reverse("monitoring:push_tokens", args=[edu_weibo.pk]) in page


@pytest.mark.parametrize("persona", ["edu_reviewer", "assigned_operator"])
def test_those_who_see_the_account_but_do_not_keep_its_sources_get_no_edit_links(request, edu_weibo, source,
                                                                                 persona):
    page = client_for(request.getfixturevalue(persona)).get(edu_weibo.get_absolute_url()).content.decode()
    assert "数据源故障" in page and reverse("monitoring:source_edit", args=[source.pk]) not in page
    assert reverse("monitoring:source_add", args=[edu_weibo.pk]) not in page


def test_a_unit_admin_adds_a_feed_through_the_form(frozen_clock, edu_unit_admin, edu_weibo):
    response = client_for(edu_unit_admin).post(reverse("monitoring:source_add", args=[edu_weibo.pk]),
                                               {"kind": "feed", "url": FEED, "is_active": "on"})
    assert response.status_code == 302 and response.url == edu_weibo.get_absolute_url()
    source = Source.objects.get()
    assert (source.account, source.url, source.next_due_at) == (edu_weibo, FEED, frozen_clock.current)


def test_a_bad_address_is_shown_on_the_form(edu_unit_admin, edu_weibo):
    response = client_for(edu_unit_admin).post(reverse("monitoring:source_add", args=[edu_weibo.pk]),
                                               {"kind": "push", "url": FEED, "is_active": "on"})
    assert response.status_code == 200 and "推送接口类数据源不填写地址" in str(response.context["form"].errors["url"])
    assert not Source.objects.exists()


def test_editing_the_address_through_the_form_starts_the_health_over(edu_unit_admin, source):
    client_for(edu_unit_admin).post(reverse("monitoring:source_edit", args=[source.pk]),
                                    {"kind": "feed", "url": FEED + "/new", "is_active": "on"})
    assert (fresh(source).url, fresh(source).health) == (FEED + "/new", SourceHealth.UNKNOWN)


def test_disabling_and_deleting_through_the_page(edu_unit_admin, source):
    client = client_for(edu_unit_admin)
    response = client.post(reverse("monitoring:source_active", args=[source.pk]), {"active": "0"})
    assert "数据源已停用" in said(response) and fresh(source).is_active is False
    client.post(reverse("monitoring:source_delete", args=[source.pk]))
    assert not Source.objects.exists()


def test_a_competent_unit_reads_the_sources_but_may_not_open_the_edit_form(water_leader, water_co_wechat):
    source = SourceFactory(account=water_co_wechat)
    client = client_for(water_leader)
    assert "订阅源" in client.get(water_co_wechat.get_absolute_url()).content.decode()
    assert client.get(reverse("monitoring:source_edit", args=[source.pk])).status_code == 403
    response = client.post(reverse("monitoring:source_active", args=[source.pk]), {"active": "0"})
    assert response.status_code == 403 and fresh(source).is_active
    [entry] = refusals()
    assert "数据源由账号的主办单位维护" in entry.changes["reason"]


@pytest.mark.parametrize("url", ["monitoring:source_edit", "monitoring:source_active", "monitoring:source_delete"])
def test_crafted_writes_to_another_units_source_are_not_found_and_audited(street_unit_admin, source, url):
    response = client_for(street_unit_admin).post(reverse(url, args=[source.pk]),
                                                  {"kind": "feed", "url": "https://evil.example.cn/", "active": "0"})
    assert response.status_code == 404
    assert (fresh(source).url, fresh(source).is_active) == (FEED, True)
    [entry] = refusals()
    assert entry.actor == street_unit_admin and entry.changes["status"] == 404


def test_adding_a_source_to_another_units_account_is_not_found(street_unit_admin, edu_weibo):
    response = client_for(street_unit_admin).post(reverse("monitoring:source_add", args=[edu_weibo.pk]),
                                                  {"kind": "feed", "url": FEED})
    assert response.status_code == 404 and not Source.objects.exists()
