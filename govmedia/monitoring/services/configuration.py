"""District-wide monitoring settings kept by supervisors: each platform's reading interval and the rules'
thresholds (one row). The back office saves them through here."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from govmedia.monitoring.models import MonitoringPolicy, PlatformSchedule
from govmedia.monitoring.services.sources import MAX_INTERVAL_MINUTES, MIN_INTERVAL_MINUTES
from govmedia.orgs.models import User
from govmedia.orgs.permissions import may_configure_monitoring

# The measures' own silence rule is two weeks; a shorter 'sleeping' threshold would only repeat it.
MIN_SLEEPING_DAYS = 14


def _require_may_configure(by: User) -> None:
    if not may_configure_monitoring(by):
        raise PermissionDenied("无权修改监测设置：平台读取间隔和监测规则参数由区级监管员维护")


def check_policy(*, policy: MonitoringPolicy, by: User) -> None:
    _require_may_configure(by)
    if not policy.pk and MonitoringPolicy.objects.exists():
        raise ValidationError("监测规则参数只有一组，请修改现有的一组。")
    if policy.sleeping_days < MIN_SLEEPING_DAYS:
        raise ValidationError({"sleeping_days": [
            f"休眠天数 {policy.sleeping_days} 过短：不应少于 {MIN_SLEEPING_DAYS} 天（两周未更新已另有规则）。"]})
    if policy.zombie_days <= policy.sleeping_days:
        raise ValidationError({"zombie_days": [
            f"僵尸天数 {policy.zombie_days} 应大于休眠天数 {policy.sleeping_days}。"]})
    if not policy.follower_growth_factor > 1:
        raise ValidationError({"follower_growth_factor": [
            f"倍数 {policy.follower_growth_factor} 应大于 1：不超过历史日均的增长不是异常。"]})
    if policy.popular_post_reads < 1:
        raise ValidationError({"popular_post_reads": ["热门信息阅读量应至少为 1。"]})


@transaction.atomic
def policy_save(*, policy: MonitoringPolicy, by: User) -> MonitoringPolicy:
    check_policy(policy=policy, by=by)
    policy.save()
    return policy


def check_schedule(*, schedule: PlatformSchedule, by: User) -> None:
    _require_may_configure(by)
    if not MIN_INTERVAL_MINUTES <= schedule.interval_minutes <= MAX_INTERVAL_MINUTES:
        raise ValidationError({"interval_minutes": [
            f"读取间隔 {schedule.interval_minutes} 分钟超出范围：应在 {MIN_INTERVAL_MINUTES} 至 "
            f"{MAX_INTERVAL_MINUTES} 分钟之间。"]})


@transaction.atomic
def schedule_save(*, schedule: PlatformSchedule, by: User) -> PlatformSchedule:
    check_schedule(schedule=schedule, by=by)
    schedule.save()
    return schedule
