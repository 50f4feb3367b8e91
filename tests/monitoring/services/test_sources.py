"""An account's sources are kept by its host unit's admins (and supervisors): addresses are http(s) only, a
changed address starts the health over, and an edit never overwrites what the reading cycle recorded."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govmedia.audit.models import AuditEntry
from govmedia.monitoring.models import Post, Source, SourceHealth, SourceKind
from govmedia.monitoring.services.sources import source_delete, source_save, source_set_active
from tests.monitoring.factories import SourceFactory
from tests.monitoring.pages import PostFactory
from tests.registry.services.helpers import fresh

pytestmark = pytest.mark.django_db

FEED = "https://rsshub.example.cn/weibo/user/1234567"


def add(account, by, kind=SourceKind.FEED, url=FEED, **fields) -> Source:
    return source_save(source=Source(account=account, kind=kind, url=url, **fields), by=by)


def test_a_unit_admin_adds_a_feed_to_an_account_of_their_unit_and_it_is_due_at_once(frozen_clock, edu_unit_admin,
                                                                                     edu_weibo):
    source = add(edu_weibo, edu_unit_admin, url=f"  {FEED} ")
    assert (source.url, source.health, source.next_due_at) == (FEED, SourceHealth.UNKNOWN, frozen_clock.current)
    entry = AuditEntry.objects.get(object_type="monitoring.Source", object_id=str(source.pk))
    assert entry.action == AuditEntry.Action.CREATE


def test_a_unit_admin_keeps_the_sources_of_a_subordinate_units_account(edu_unit_admin, school_douyin):
    assert add(school_douyin, edu_unit_admin).pk


@pytest.mark.parametrize("persona", ["street_unit_admin", "water_leader", "edu_reviewer", "assigned_operator"])
def test_others_may_not_add_a_source(request, edu_weibo, water_co_wechat, persona):
    account = water_co_wechat if persona == "water_leader" else edu_weibo
    with pytest.raises(PermissionDenied, match="数据源由账号的主办单位维护"):
        add(account, request.getfixturevalue(persona))
    assert not Source.objects.exists()


def test_a_supervisor_keeps_every_accounts_sources(supervisor, street_weibo):
    assert add(street_weibo, supervisor).pk


@pytest.mark.parametrize("url", ["ftp://example.cn/feed.xml", "javascript:alert(1)", "file:///etc/passwd",
                                 "rsshub.example.cn/weibo", "http://", "https://admin:secret@example.cn/feed",
                                 "https://example.cn/" + "a" * 1000])
def test_only_http_and_https_addresses_without_credentials_are_accepted(edu_unit_admin, edu_weibo, url):
    with pytest.raises(ValidationError) as refused:
        add(edu_weibo, edu_unit_admin, url=url)
    [message] = refused.value.message_dict["url"]
    assert url[:20] in message


def test_a_feed_or_web_source_needs_an_address(edu_unit_admin, edu_weibo):
    with pytest.raises(ValidationError, match="须填写地址"):
        add(edu_weibo, edu_unit_admin, kind=SourceKind.WEB, url="")


def test_a_push_source_takes_no_address_nor_interval(edu_unit_admin, edu_weibo):
    with pytest.raises(ValidationError, match="推送接口类数据源不填写地址"):
        add(edu_weibo, edu_unit_admin, kind=SourceKind.PUSH, url=FEED)
    with pytest.raises(ValidationError, match="不按间隔读取"):
        add(edu_weibo, edu_unit_admin, kind=SourceKind.PUSH, url="", interval_minutes=30)
    assert add(edu_weibo, edu_unit_admin, kind=SourceKind.PUSH, url="").url == ""
    with pytest.raises(ValidationError, match="已有推送接口的数据源"):
        add(edu_weibo, edu_unit_admin, kind=SourceKind.PUSH, url="")


def test_the_same_address_twice_on_one_account_is_refused_naming_it(edu_unit_admin, edu_weibo, edu_wechat):
    add(edu_weibo, edu_unit_admin)
    with pytest.raises(ValidationError, match="已有地址“https://rsshub"):
        add(edu_weibo, edu_unit_admin)
    assert add(edu_wechat, edu_unit_admin).pk  # another account may read the same address


@pytest.mark.parametrize(("minutes", "accepted"), [(4, False), (5, True), (10080, True), (10081, False)])
def test_the_interval_is_between_five_minutes_and_a_week(edu_unit_admin, edu_weibo, minutes, accepted):
    if accepted:
        assert add(edu_weibo, edu_unit_admin, interval_minutes=minutes).interval_minutes == minutes
    else:
        with pytest.raises(ValidationError, match=f"读取间隔 {minutes} 分钟超出范围"):
            add(edu_weibo, edu_unit_admin, interval_minutes=minutes)


@pytest.fixture
def broken(frozen_clock, edu_weibo):
    return SourceFactory(account=edu_weibo, url=FEED, health=SourceHealth.BROKEN, health_reason="captcha",
                         health_detail="遇到验证码", broken_since=frozen_clock.current - timedelta(days=2),
                         consecutive_failures=7, etag='"abc"', next_due_at=frozen_clock.current + timedelta(hours=5))


def test_a_changed_address_starts_the_health_over_and_is_read_at_once(frozen_clock, edu_unit_admin, broken):
    broken.url = FEED + "?limit=20"
    source_save(source=broken, by=edu_unit_admin)
    source = fresh(broken)
    assert (source.health, source.health_reason, source.broken_since, source.consecutive_failures, source.etag) == (
        SourceHealth.UNKNOWN, "", None, 0, "")
    assert source.next_due_at == frozen_clock.current


def test_an_edit_of_the_interval_keeps_the_health_the_cycle_recorded_meanwhile(frozen_clock, edu_unit_admin, broken):
    page_copy = fresh(broken)  # the form was loaded before the worker's latest reading
    Source.objects.filter(pk=broken.pk).update(health=SourceHealth.OK, health_reason="", consecutive_failures=0)
    page_copy.interval_minutes = 120
    source_save(source=page_copy, by=edu_unit_admin)
    source = fresh(broken)
    assert (source.interval_minutes, source.health, source.consecutive_failures) == (120, SourceHealth.OK, 0)
    assert source.next_due_at == frozen_clock.current + timedelta(hours=5)


def test_disabling_stops_reading_and_enabling_makes_the_source_due(frozen_clock, edu_unit_admin, broken):
    source_set_active(source=broken, by=edu_unit_admin, active=False)
    assert fresh(broken).is_active is False
    later = frozen_clock.advance(hours=1)
    source_set_active(source=fresh(broken), by=edu_unit_admin, active=True)
    assert (fresh(broken).is_active, fresh(broken).next_due_at) == (True, later)


def test_a_source_is_not_moved_to_another_account(edu_unit_admin, broken, edu_wechat):
    moved = fresh(broken)
    moved.account = edu_wechat
    with pytest.raises(ValidationError, match="不能改挂到其他账号"):
        source_save(source=moved, by=edu_unit_admin)


def test_deleting_a_source_keeps_the_posts_read_from_it(edu_unit_admin, broken):
    post = PostFactory(account=broken.account, source=broken)
    source_delete(source=broken, by=edu_unit_admin)
    assert not Source.objects.exists() and Post.objects.get(pk=post.pk).source is None


def test_another_unit_may_not_delete_or_disable_a_source(street_unit_admin, broken):
    with pytest.raises(PermissionDenied):
        source_delete(source=broken, by=street_unit_admin)
    with pytest.raises(PermissionDenied):
        source_set_active(source=fresh(broken), by=street_unit_admin, active=False)
    assert fresh(broken).is_active


def test_an_inactive_login_keeps_nothing(edu_unit_admin, edu_weibo):
    edu_unit_admin.is_active = False
    with pytest.raises(PermissionDenied):
        add(edu_weibo, edu_unit_admin)
