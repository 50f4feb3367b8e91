"""Monitoring in the back office, attacked by persona: a unit admin keeps its own accounts' sources and
nothing else; the approved-source list, intervals and thresholds are the district's; findings, posts and push
tokens are read there and never edited, and no token value is ever shown."""

import pytest
from django.test import Client

from govmedia.monitoring.models import (
    ApprovedSource,
    Finding,
    FindingState,
    MonitoringPolicy,
    PlatformSchedule,
    PushToken,
    Source,
    SourceHealth,
)
from govmedia.orgs.models import Role
from tests.clients import back_office_client
from tests.factories import UserFactory
from tests.monitoring.factories import SourceFactory
from tests.monitoring.pages import FindingFactory, PostFactory, refusals
from tests.registry.services.helpers import fresh

pytestmark = pytest.mark.django_db

ADMIN = "/admin/monitoring"
FEED = "https://rsshub.example.cn/weibo/user/1"


@pytest.fixture
def edu_admin(edu_unit_admin) -> Client:
    return back_office_client(edu_unit_admin)


@pytest.fixture
def office(supervisor) -> Client:
    return back_office_client(supervisor)


@pytest.fixture
def sources(frozen_clock, edu_weibo, street_weibo):
    return {"edu": SourceFactory(account=edu_weibo, url=FEED, health=SourceHealth.BROKEN, health_reason="captcha"),
            "street": SourceFactory(account=street_weibo, url=FEED)}


def source_form(account, **overrides):
    return {"account": account.pk, "kind": "feed", "url": FEED, "is_active": "on", "interval_minutes": "",
            **overrides}


@pytest.mark.parametrize("model", ["source", "approvedsource", "platformschedule", "monitoringpolicy", "finding",
                                   "post", "pushtoken"])
def test_the_supervisor_reads_every_monitoring_list(office, model):
    assert office.get(f"{ADMIN}/{model}/").status_code == 200


def test_a_unit_admin_lists_only_the_sources_of_its_own_accounts(edu_admin, sources):
    response = edu_admin.get(f"{ADMIN}/source/")
    assert list(response.context["cl"].result_list) == [sources["edu"]]


@pytest.mark.parametrize("model", ["approvedsource", "platformschedule", "monitoringpolicy"])
def test_district_settings_are_not_even_shown_to_a_unit_admin(edu_admin, model):
    assert edu_admin.get(f"{ADMIN}/{model}/").status_code == 403
    assert f"/{model}/" not in edu_admin.get("/admin/").content.decode()


def test_a_unit_admin_adds_a_source_of_its_own_account_through_the_service(frozen_clock, edu_admin, edu_weibo):
    response = edu_admin.post(f"{ADMIN}/source/add/", source_form(edu_weibo))
    assert response.status_code == 302
    source = Source.objects.get()
    assert (source.account, source.health, source.next_due_at) == (edu_weibo, SourceHealth.UNKNOWN,
                                                                   frozen_clock.current)


def test_the_account_choices_are_the_unit_admins_own(edu_admin, edu_weibo, school_douyin, street_weibo):
    choices = edu_admin.get(f"{ADMIN}/source/add/").context["adminform"].form.fields["account"].queryset
    assert set(choices) == {edu_weibo, school_douyin}


def test_a_unit_admin_cannot_add_a_source_to_another_units_account_by_a_crafted_post(edu_admin, edu_weibo,
                                                                                     street_weibo):
    response = edu_admin.post(f"{ADMIN}/source/add/", source_form(street_weibo))
    assert response.status_code == 200 and not Source.objects.exists()
    assert "account" in response.context["adminform"].form.errors


def test_a_unit_admin_without_accounts_is_not_offered_the_add_form(edu_admin, street_weibo):
    assert edu_admin.post(f"{ADMIN}/source/add/", source_form(street_weibo)).status_code == 403
    assert not Source.objects.exists() and len(refusals()) == 1


def test_a_unit_admin_cannot_change_another_units_source_by_a_crafted_post(edu_admin, edu_unit_admin, sources):
    target = sources["street"]
    response = edu_admin.post(f"{ADMIN}/source/{target.pk}/change/",
                              {"kind": "feed", "url": "https://evil.example.cn/feed", "is_active": "on"})
    assert response.status_code == 404 and fresh(target).url == FEED
    [entry] = refusals()
    assert (entry.actor, entry.channel, entry.changes["status"]) == (edu_unit_admin, "admin", 404)


def test_a_unit_admin_cannot_delete_another_units_source(edu_admin, sources):
    target = sources["street"]
    assert edu_admin.post(f"{ADMIN}/source/{target.pk}/delete/", {"post": "yes"}).status_code == 404
    edu_admin.post(f"{ADMIN}/source/", {"action": "delete_selected", "post": "yes",
                                        "_selected_action": [target.pk, sources["edu"].pk]})
    assert list(Source.objects.all()) == [target]


def test_the_health_the_cycle_records_is_not_typed_in_and_a_new_address_starts_it_over(edu_admin, sources):
    source = sources["edu"]
    response = edu_admin.post(f"{ADMIN}/source/{source.pk}/change/", {
        "kind": "feed", "url": FEED + "?v=2", "is_active": "on", "health": "ok", "consecutive_failures": "0",
        "account": sources["street"].account_id})
    assert response.status_code == 302
    source = fresh(source)
    assert (source.url, source.health, source.account_id) == (FEED + "?v=2", SourceHealth.UNKNOWN,
                                                              sources["edu"].account_id)


def test_an_invalid_address_is_shown_on_the_admin_form(edu_admin, edu_weibo):
    response = edu_admin.post(f"{ADMIN}/source/add/", source_form(edu_weibo, kind="push"))
    assert response.status_code == 200 and "推送接口类数据源不填写地址" in response.content.decode()


def test_a_competent_units_admin_keeps_the_supervised_companys_sources(district, water_co_wechat):
    water_admin = back_office_client(UserFactory(unit=district.water, role=Role.UNIT_ADMIN))
    assert water_admin.post(f"{ADMIN}/source/add/", source_form(water_co_wechat)).status_code == 302


# ---------------------------------------------------------------- district settings


def test_a_unit_admin_cannot_add_an_approved_source_and_the_attempt_is_audited(edu_admin, edu_unit_admin):
    count = ApprovedSource.objects.count()
    response = edu_admin.post(f"{ADMIN}/approvedsource/add/", {"name": "某某自媒体", "level": "national"})
    assert response.status_code == 403 and ApprovedSource.objects.count() == count
    [entry] = refusals()
    assert entry.actor == edu_unit_admin


def test_a_unit_admin_cannot_change_the_thresholds(edu_admin):
    policy = MonitoringPolicy.objects.create()
    response = edu_admin.post(f"{ADMIN}/monitoringpolicy/{policy.pk}/change/", {
        "sleeping_days": "15", "zombie_days": "16", "follower_growth_factor": "2", "follower_min_growth": "1",
        "popular_post_reads": "1"})
    assert response.status_code == 403 and fresh(policy).sleeping_days == 30 and len(refusals()) == 1


def test_a_unit_admin_cannot_change_a_platforms_interval(edu_admin):
    schedule = PlatformSchedule.objects.first()
    before = schedule.interval_minutes
    assert edu_admin.post(f"{ADMIN}/platformschedule/{schedule.pk}/change/",
                          {"platform": schedule.platform_id, "interval_minutes": "5"}).status_code == 403
    assert fresh(schedule).interval_minutes == before


def test_the_supervisor_changes_the_thresholds_within_the_rules(office):
    policy = MonitoringPolicy.objects.create()
    url = f"{ADMIN}/monitoringpolicy/{policy.pk}/change/"
    data = {"sleeping_days": "60", "zombie_days": "60", "follower_growth_factor": "10", "follower_min_growth": "500",
            "popular_post_reads": "100000"}
    response = office.post(url, data)
    assert response.status_code == 200 and "僵尸天数 60 应大于休眠天数 60" in response.content.decode()
    assert office.post(url, {**data, "zombie_days": "120"}).status_code == 302
    assert (fresh(policy).sleeping_days, fresh(policy).zombie_days) == (60, 120)


def test_there_is_one_set_of_thresholds_and_it_is_not_deleted(office):
    policy = MonitoringPolicy.objects.create()
    assert office.get(f"{ADMIN}/monitoringpolicy/add/").status_code == 403
    assert office.post(f"{ADMIN}/monitoringpolicy/{policy.pk}/delete/", {"post": "yes"}).status_code == 403


def test_the_supervisor_adds_an_approved_source_checked_like_the_page(office):
    response = office.post(f"{ADMIN}/approvedsource/add/", {"name": "新华社客户端", "level": "national",
                                                            "is_active": "on"})
    assert response.status_code == 200 and "与许可转载来源“新华社”" in response.content.decode()
    assert office.post(f"{ADMIN}/approvedsource/add/", {"name": "西海岸发布", "level": "district",
                                                        "is_active": "on"}).status_code == 302


def test_an_interval_out_of_bounds_is_refused_on_the_list_too(office):
    schedule = PlatformSchedule.objects.order_by("pk").first()
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": str(schedule.pk),
            "form-0-interval_minutes": "1", "_save": "保存"}
    response = office.post(f"{ADMIN}/platformschedule/", data)
    assert response.status_code == 200 and fresh(schedule).interval_minutes != 1


# ---------------------------------------------------------------- read-only records


def test_findings_are_read_in_the_back_office_and_changed_only_on_the_page(frozen_clock, edu_admin, edu_weibo,
                                                                           street_weibo):
    mine = FindingFactory(post=PostFactory(account=edu_weibo))
    theirs = FindingFactory(post=PostFactory(account=street_weibo))
    page = edu_admin.get(f"{ADMIN}/finding/{mine.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert edu_admin.get(f"{ADMIN}/finding/{theirs.pk}/change/").status_code == 404
    assert edu_admin.post(f"{ADMIN}/finding/{mine.pk}/change/", {"state": "fixed"}).status_code == 403
    assert Finding.objects.get(pk=mine.pk).state == FindingState.OPEN
    assert edu_admin.get(f"{ADMIN}/finding/add/").status_code == 403


def test_posts_are_read_only_and_scoped(frozen_clock, edu_admin, edu_weibo, street_weibo):
    mine, theirs = PostFactory(account=edu_weibo), PostFactory(account=street_weibo)
    assert edu_admin.get(f"{ADMIN}/post/{mine.pk}/change/").status_code == 200
    assert edu_admin.get(f"{ADMIN}/post/{theirs.pk}/change/").status_code == 404
    assert edu_admin.post(f"{ADMIN}/post/{mine.pk}/delete/", {"post": "yes"}).status_code == 403


@pytest.fixture
def tokens(frozen_clock, edu_unit_admin, street_unit_admin, edu_weibo, street_weibo):
    def token(account, by, n):
        return PushToken.objects.create(account=account, name="运维系统", prefix=f"gm_abcdef{n}",
                                        token_hash=f"{n:064d}", created_by=by, created_at=frozen_clock.current)
    return {"edu": token(edu_weibo, edu_unit_admin, 1), "street": token(street_weibo, street_unit_admin, 2)}


def test_no_token_value_or_hash_is_ever_shown(office, tokens):
    for url in (f"{ADMIN}/pushtoken/", f"{ADMIN}/pushtoken/{tokens['edu'].pk}/change/"):
        page = office.get(url).content.decode()
        assert tokens["edu"].token_hash not in page and "token_hash" not in page
    assert office.get(f"{ADMIN}/pushtoken/add/").status_code == 403


def test_a_unit_admin_revokes_its_own_tokens_and_cannot_reach_another_units(frozen_clock, edu_admin, tokens):
    edu_admin.post(f"{ADMIN}/pushtoken/", {"action": "revoke",
                                           "_selected_action": [tokens["edu"].pk, tokens["street"].pk]})
    assert fresh(tokens["edu"]).revoked_at == frozen_clock.current and fresh(tokens["street"]).revoked_at is None


def test_a_stale_staff_flag_opens_no_monitoring_page(district, edu_reviewer, sources):
    client = back_office_client(edu_reviewer)
    assert client.get(f"{ADMIN}/source/").status_code in (302, 403)
    assert client.post(f"{ADMIN}/source/{sources['edu'].pk}/change/",
                       {"kind": "feed", "url": FEED + "x"}).status_code in (302, 403)
    assert fresh(sources["edu"]).url == FEED
