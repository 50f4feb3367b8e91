"""The scale-out path: the same tasks on Redis (django-tasks-rq) with PostgreSQL, two real `govmedia rqworker`
processes sharing a cycle over 50 simulated accounts.

It needs PostgreSQL (DATABASE_URL) and Redis on 127.0.0.1:6379; elsewhere it is skipped, saying why. CI's
PostgreSQL pass sets GOVMEDIA_REQUIRE_SCALEOUT=1 (.ci/run, which also starts Redis): there a missing Redis
fails the test instead of skipping it.
"""

import os
import time
from datetime import UTC, datetime, timedelta

import pytest
import redis
from django.db import connection

from govmedia.monitoring import tasks
from govmedia.monitoring.models import Post, Source
from govmedia.simulator import Account as SimulatedAccount
from govmedia.simulator import Options
from tests.monitoring.simulated import mirror, serve
from tests.monitoring.workers import Worker, wait_for, worker_env

REDIS_URL = "redis://127.0.0.1:6379/13"  # a database of its own, flushed before and after
ACCOUNTS = [SimulatedAccount(f"{1600000000 + n}", "weibo", f"西海岸发布{n}") for n in range(25)] + [
    SimulatedAccount(f"gh_{n:012x}", "wechat-subscription", f"西海岸政务{n}") for n in range(25)]


def _prerequisites() -> str:
    """Why the test cannot run here, or "" when it can."""
    if connection.vendor != "postgresql":
        return "扩展测试需要 PostgreSQL（设置 DATABASE_URL）：多台机器上的 RQ 工作进程共用一个 PostgreSQL"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"扩展测试需要 127.0.0.1:6379 上的 Redis：{error}"
    return ""


@pytest.fixture
def scale_out(settings):
    missing = _prerequisites()
    if missing and os.environ.get("GOVMEDIA_REQUIRE_SCALEOUT") == "1":
        pytest.fail(missing)
    if missing:
        pytest.skip(missing)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    settings.GOVMEDIA_MONITOR_ALLOW_PRIVATE = True
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    yield
    store.flushdb()


@pytest.fixture(scope="module")
def simulator():
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    with serve(ACCOUNTS, now=now, days=3, options=Options(latency_ms=20)) as (base_url, world):
        yield base_url, world


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_rq_workers_share_a_cycle_and_read_every_account_exactly_once(scale_out, simulator, tmp_path):
    base_url, world = simulator
    sources = mirror(base_url, ACCOUNTS)
    env = worker_env(tmp_path, GOVMEDIA_TASKS="rq", GOVMEDIA_REDIS_URL=REDIS_URL)
    workers = [Worker(f"rq-{n}", ["rqworker", "default", "--name", f"govmedia-rq-{n}"], env, tmp_path)
               for n in (1, 2)]
    try:
        store = redis.Redis.from_url(REDIS_URL)
        wait_for(lambda: len(store.smembers("rq:workers")) == 2, timeout=60, what="both RQ workers to start",
                 workers=workers)
        started = time.monotonic()
        enqueued = tasks.monitoring_tick()
        assert len(enqueued) == len(ACCOUNTS)

        def finished() -> bool:  # every source read and given back; then every task's result is final
            if Source.objects.filter(next_due_at__lte=datetime.now(UTC) + timedelta(minutes=5)).exists():
                return False
            return all(tasks.read_source_task.get_result(r.id).is_finished for r in enqueued)

        wait_for(finished, timeout=180, what="the cycle's 50 tasks", workers=workers)
        print(f"two RQ workers: {time.monotonic() - started:.1f} s for {len(ACCOUNTS)} accounts")
    finally:
        for worker in workers:
            worker.stop()

    results = [tasks.read_source_task.get_result(r.id) for r in enqueued]
    assert [r.status for r in results] == ["SUCCESSFUL"] * len(ACCOUNTS), [r.errors for r in results]
    read = sorted(r.return_value["source_id"] for r in results if r.return_value["status"] == "ok")
    assert read == sorted(s.pk for s in sources)  # every account read, none twice
    assert {worker for r in results for worker in r.worker_ids} == {"govmedia-rq-1", "govmedia-rq-2"}

    for source in sources:
        expected = {post.id for post in world.posts(source.account.account_id)}
        assert set(Post.objects.filter(account=source.account).values_list("platform_post_id", flat=True)) == expected
    assert Post.objects.count() == sum(r.return_value["new_posts"] for r in results)
    assert not Post.objects.filter(checked_at__isnull=True).exists()
    assert not Source.objects.filter(lease_until__isnull=False).exists()
    assert tasks.monitoring_tick() == []  # nothing is due again
