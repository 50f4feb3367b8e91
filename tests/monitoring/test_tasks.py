"""Monitoring's tasks: the tick enqueues each due source once, a task reads its source, the sweep."""

from datetime import datetime, timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from govmedia.monitoring import tasks
from govmedia.monitoring.models import Post, Source
from govmedia.simulator import Account as SimulatedAccount
from tests.conftest import BEIJING
from tests.monitoring.factories import PostFactory, SourceFactory
from tests.monitoring.simulated import mirror, serve

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=BEIJING)
ACCOUNTS = [SimulatedAccount("1234567890", "weibo", "西海岸发布"),
            SimulatedAccount("gh_0123456789ab", "wechat-subscription", "西海岸教体")]
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="module")
def simulator():
    with serve(ACCOUNTS, now=NOW) as (base_url, _):
        yield base_url


def test_the_tick_puts_each_due_source_on_the_database_queue_once(frozen_clock, settings):
    settings.GOVMEDIA_MONITOR_LEASE_SECONDS = 600
    first, second = SourceFactory(), SourceFactory()
    SourceFactory(next_due_at=NOW + timedelta(minutes=5))
    assert len(tasks.monitoring_tick()) == 2
    queued = DBTaskResult.objects.filter(task_path="govmedia.monitoring.tasks.read_source_task")
    mark = (NOW + timedelta(minutes=10)).isoformat()
    assert sorted(row.args_kwargs["args"] for row in queued) == [[first.pk, mark], [second.pk, mark]]
    assert tasks.monitoring_tick() == [] and queued.count() == 2


def test_each_enqueued_task_reads_its_source_once(simulator, frozen_clock, settings):
    settings.GOVMEDIA_MONITOR_ALLOW_PRIVATE = True
    settings.TASKS = IMMEDIATE  # the task runs as it is enqueued
    sources = mirror(simulator, ACCOUNTS)
    assert len(tasks.monitoring_tick()) == 2
    assert {post.source_id for post in Post.objects.all()} == {s.pk for s in sources}
    assert not Post.objects.filter(checked_at__isnull=True).exists()
    assert all(s.next_due_at > NOW + timedelta(minutes=20) for s in Source.objects.all())
    assert tasks.monitoring_tick() == []


def test_a_read_task_reports_what_it_read(simulator, frozen_clock, settings):
    settings.GOVMEDIA_MONITOR_ALLOW_PRIVATE = True
    settings.TASKS = IMMEDIATE
    [source, _] = mirror(simulator, ACCOUNTS)
    result = tasks.read_source_task.enqueue(source.pk)
    assert result.return_value["status"] == "ok" and result.return_value["new_posts"] > 0
    again = tasks.read_source_task.enqueue(source.pk, (NOW - timedelta(minutes=1)).isoformat())
    assert again.return_value["status"] == "skipped"  # not the mark the tick left: read since


def test_the_sweep_checks_posts_left_unchecked(frozen_clock, settings):
    settings.TASKS = IMMEDIATE
    post = PostFactory(checked_at=None, text="我们要再接再励，做好工作。")
    assert tasks.sweep_task.enqueue().return_value == 1
    post.refresh_from_db()
    assert post.checked_at == NOW and post.findings.filter(code="typo").exists()


def test_a_bad_post_published_on_the_simulator_is_found_and_alerted_within_one_scheduled_cycle(
        frozen_clock, settings, edu_unit_admin):
    settings.GOVMEDIA_MONITOR_ALLOW_PRIVATE = True
    settings.TASKS = IMMEDIATE  # the worker: each task runs as it is enqueued
    weibo = SimulatedAccount("1234567890", "weibo", "西海岸教体")
    with serve([weibo], now=NOW) as (base_url, world):
        [source] = mirror(base_url, [weibo], host_unit=edu_unit_admin.unit)
        tasks.monitoring_tick()  # the scheduler's tick reads the account for the first time
        world.publish(weibo.key, title="关于做好秋季开学工作的通知", text="全区教育系统要再接再励，做好开学准备。",
                      now=NOW + timedelta(minutes=5))
        assert tasks.monitoring_tick() == []  # not due yet

        frozen_clock.set(Source.objects.get(pk=source.pk).next_due_at)  # one interval later: 30 minutes
        assert len(tasks.monitoring_tick()) == 1
    post = Post.objects.get(title="关于做好秋季开学工作的通知")
    finding = post.findings.get(code="typo")
    assert finding.first_found_at == NOW + timedelta(minutes=30)
    assert finding.alerts.filter(recipient=edu_unit_admin).exists()
