"""Marking read: a post is read once by whoever on duty read it first; only posts the person sees; alerts only
one's own. Every mark is in the audit trail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govmedia.audit.models import AuditEntry
from govmedia.monitoring.models import Alert, DutyReading
from govmedia.monitoring.services.duty import MAX_MARKED, alerts_mark_read, posts_mark_read
from tests.monitoring.factories import AlertFactory
from tests.monitoring.pages import FindingFactory, PostFactory
from tests.threads import at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def edu_posts(frozen_clock, edu_weibo, school_douyin):
    return [PostFactory(account=edu_weibo), PostFactory(account=edu_weibo), PostFactory(account=school_douyin)]


def test_marking_posts_read_records_the_reader_and_the_time(frozen_clock, edu_unit_admin, edu_posts):
    assert posts_mark_read(post_ids=[str(p.pk) for p in edu_posts], by=edu_unit_admin) == 3
    assert set(DutyReading.objects.values_list("post_id", "reader_id", "read_at")) == {
        (p.pk, edu_unit_admin.pk, frozen_clock.current) for p in edu_posts}


def test_each_reading_is_audited(edu_unit_admin, edu_posts):
    posts_mark_read(post_ids=[p.pk for p in edu_posts], by=edu_unit_admin)
    entries = AuditEntry.objects.filter(object_type="monitoring.DutyReading", action=AuditEntry.Action.CREATE)
    assert sorted(int(e.object_id) for e in entries) == sorted(DutyReading.objects.values_list("pk", flat=True))


def test_a_post_already_read_keeps_its_first_reader(frozen_clock, edu_unit_admin, edu_leader, edu_posts):
    posts_mark_read(post_ids=[edu_posts[0].pk], by=edu_leader)
    frozen_clock.advance(hours=1)
    assert posts_mark_read(post_ids=[p.pk for p in edu_posts], by=edu_unit_admin) == 2
    assert DutyReading.objects.get(post=edu_posts[0]).reader == edu_leader


def test_a_post_of_another_unit_refuses_the_whole_request(street_unit_admin, street_weibo, edu_posts):
    own = PostFactory(account=street_weibo)
    with pytest.raises(PermissionDenied, match="不属于您管理范围"):
        posts_mark_read(post_ids=[own.pk, edu_posts[0].pk], by=street_unit_admin)
    assert not DutyReading.objects.exists()


def test_a_post_that_does_not_exist_refuses_the_request_too(edu_unit_admin, edu_posts):
    with pytest.raises(PermissionDenied):
        posts_mark_read(post_ids=[edu_posts[0].pk, 999999], by=edu_unit_admin)


@pytest.mark.parametrize(("ids", "message"), [
    ([], "未选择信息"), (["1", "x"], "信息编号无效"), (list(range(1, MAX_MARKED + 2)), f"一次最多标记 {MAX_MARKED} 条信息"),
])
def test_malformed_requests_are_refused_in_chinese(edu_unit_admin, ids, message):
    with pytest.raises(ValidationError, match=message):
        posts_mark_read(post_ids=ids, by=edu_unit_admin)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_on_duty_marking_the_same_posts_at_once_both_succeed_and_each_post_is_read_once(
        frozen_clock, edu_unit_admin, edu_leader, edu_weibo):
    ids = [PostFactory(account=edu_weibo).pk for _ in range(5)]
    results = at_once(*[lambda user=user: (lambda: posts_mark_read(post_ids=ids, by=user))
                        for user in (edu_unit_admin, edu_leader)])
    assert sum(results) == 5, results  # no error, and no post counted twice
    assert DutyReading.objects.count() == 5


# ---------------------------------------------------------------- alerts


def test_one_marks_ones_own_alerts_read(frozen_clock, edu_unit_admin, edu_weibo):
    finding = FindingFactory(post=PostFactory(account=edu_weibo))
    alerts = [AlertFactory(recipient=edu_unit_admin, finding=finding),
              AlertFactory(recipient=edu_unit_admin, finding=FindingFactory(post=finding.post))]
    assert alerts_mark_read(alert_ids=[a.pk for a in alerts], by=edu_unit_admin) == 2
    assert set(Alert.objects.values_list("read_at", flat=True)) == {frozen_clock.current}
    assert alerts_mark_read(alert_ids=[alerts[0].pk], by=edu_unit_admin) == 0


def test_naming_another_persons_alert_refuses_the_whole_request(edu_unit_admin, edu_leader, edu_weibo):
    finding = FindingFactory(post=PostFactory(account=edu_weibo))
    mine = AlertFactory(recipient=edu_unit_admin, finding=finding)
    theirs = AlertFactory(recipient=edu_leader, finding=finding)
    with pytest.raises(PermissionDenied, match="不属于您的提醒"):
        alerts_mark_read(alert_ids=[mine.pk, theirs.pk], by=edu_unit_admin)
    assert not Alert.objects.filter(read_at__isnull=False).exists()
