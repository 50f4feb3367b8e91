"""Reading intervals and rule thresholds hold for the whole district: supervisors set them, within bounds that
keep the rules meaningful."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govmedia.monitoring.models import MonitoringPolicy, PlatformSchedule
from govmedia.monitoring.services.configuration import policy_save, schedule_save
from tests.factories import platform

pytestmark = pytest.mark.django_db


def test_a_supervisor_sets_the_thresholds(supervisor):
    policy = policy_save(policy=MonitoringPolicy(sleeping_days=60, zombie_days=180), by=supervisor)
    assert (policy.sleeping_days, policy.zombie_days) == (60, 180)


def test_a_unit_admin_changes_no_threshold(edu_unit_admin):
    with pytest.raises(PermissionDenied, match="由区级监管员维护"):
        policy_save(policy=MonitoringPolicy(), by=edu_unit_admin)


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"sleeping_days": 10}, "sleeping_days", "休眠天数 10 过短"),
    ({"sleeping_days": 90, "zombie_days": 90}, "zombie_days", "僵尸天数 90 应大于休眠天数 90"),
    ({"follower_growth_factor": 1.0}, "follower_growth_factor", "倍数 1.0 应大于 1"),
    ({"popular_post_reads": 0}, "popular_post_reads", "热门信息阅读量应至少为 1"),
])
def test_thresholds_that_would_make_the_rules_meaningless_are_refused(supervisor, values, field, message):
    with pytest.raises(ValidationError) as refused:
        policy_save(policy=MonitoringPolicy(**values), by=supervisor)
    assert message in refused.value.message_dict[field][0]


def test_there_is_one_set_of_thresholds(supervisor):
    policy_save(policy=MonitoringPolicy(), by=supervisor)
    with pytest.raises(ValidationError, match="只有一组"):
        policy_save(policy=MonitoringPolicy(), by=supervisor)


def test_a_platforms_interval_is_set_by_supervisors_within_bounds(supervisor, edu_unit_admin):
    schedule = PlatformSchedule.objects.get(platform=platform("weibo"))
    schedule.interval_minutes = 30
    with pytest.raises(PermissionDenied):
        schedule_save(schedule=schedule, by=edu_unit_admin)
    assert schedule_save(schedule=schedule, by=supervisor).interval_minutes == 30
    schedule.interval_minutes = 2
    with pytest.raises(ValidationError, match="读取间隔 2 分钟超出范围"):
        schedule_save(schedule=schedule, by=supervisor)
