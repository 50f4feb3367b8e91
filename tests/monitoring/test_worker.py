"""A real `govmedia db_worker` killed mid-run: another worker resumes, and the district ends up with exactly the
posts and findings an uninterrupted run gives, every post checked.

The workers are subprocesses on the test database (SQLite file or PostgreSQL, per DATABASE_URL), reading the
simulator (in a thread of this process, with latency so the run takes some seconds). This process plays the
scheduler: it ticks, as `govmedia scheduler` does every minute, here every half second.
"""

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Count
from django_tasks_db.models import DBTaskResult

from govmedia.monitoring import tasks
from govmedia.monitoring.models import Alert, Finding, Post, RepostCompletion, Source, SourceHealth
from govmedia.monitoring.services import cycle
from govmedia.registry.models import FollowerSnapshot
from govmedia.simulator import Account as SimulatedAccount
from govmedia.simulator import Options
from tests.monitoring.simulated import mirror, serve
from tests.monitoring.workers import Worker, wait_for, worker_env

LEASE_SECONDS = 3  # how soon a dead worker's source is taken up again
ACCOUNTS = [
    *(SimulatedAccount(f"{1700000000 + n}", "weibo", f"西海岸发布{n}", plants=frozenset({"typo"}) if n % 4 == 0
                       else frozenset()) for n in range(12)),
    *(SimulatedAccount(f"gh_{n:012x}", "wechat-subscription", f"西海岸教体{n}",
                       plants=frozenset({"advertising"}) if n % 3 == 0 else frozenset()) for n in range(11)),
    SimulatedAccount("1799999999", "weibo", "灵山卫街道", source="http_server_error"),
]


@pytest.fixture(scope="module")
def simulator():
    # A fixed moment (a little before the real one): the feeds stay the same between the two runs.
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    with serve(ACCOUNTS, now=now, days=10, options=Options(latency_ms=120)) as (base_url, _):
        yield base_url


def snapshot() -> tuple[dict, set, int]:
    """Each account's post ids, every finding (account, code, post, what it says), and the number of findings.
    Not the fingerprints: those of a post's findings name the post's row, new in the second run."""
    posts: dict[int, set[str]] = {}
    for account_id, post_id in Post.objects.values_list("account_id", "platform_post_id"):
        posts.setdefault(account_id, set()).add(post_id)
    findings = set(Finding.objects.values_list("account_id", "code", "post__platform_post_id", "summary"))
    return posts, findings, Finding.objects.count()


def forget_the_run() -> None:
    """Back to before the first reading; today's link verdicts stay, as they would for a second run today."""
    Alert.objects.all().delete()
    Finding.objects.all().delete()
    RepostCompletion.objects.all().delete()
    Post.objects.all().delete()
    FollowerSnapshot.objects.all().delete()
    Source.objects.update(health=SourceHealth.UNKNOWN, health_reason="", health_detail="", etag="", last_modified="",
                          next_due_at=None, consecutive_failures=0, broken_since=None, last_attempt_at=None,
                          last_success_at=None, lease_token="", lease_until=None)


def all_read() -> bool:
    """Nothing held, nothing queued, and every source rescheduled (a mark is at most a lease ahead)."""
    soon = datetime.now(UTC) + timedelta(seconds=LEASE_SECONDS + 5)
    return (not Source.objects.filter(lease_until__isnull=False).exists()
            and not Source.objects.filter(next_due_at__lte=soon).exists()
            and not DBTaskResult.objects.ready().exists())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_run_is_taken_over_without_duplicating_posts_or_findings(simulator, settings, tmp_path):
    settings.GOVMEDIA_MONITOR_ALLOW_PRIVATE = True
    settings.GOVMEDIA_MONITOR_LEASE_SECONDS = LEASE_SECONDS
    mirror(simulator, ACCOUNTS)

    cycle.run_cycle(now=datetime.now(UTC))  # the uninterrupted run
    expected_posts, expected_findings, finding_count = snapshot()
    total = sum(len(ids) for ids in expected_posts.values())
    assert total > 100 and len(expected_findings) == finding_count > 0
    forget_the_run()

    env = worker_env(tmp_path, GOVMEDIA_MONITOR_LEASE_SECONDS=str(LEASE_SECONDS))
    args = ["db_worker", "--no-startup-delay", "--interval", "0.1"]
    started = time.monotonic()
    assert len(tasks.monitoring_tick()) == len(ACCOUNTS)
    first = Worker("db_worker-1", args, env, tmp_path)
    wait_for(lambda: Post.objects.count() >= total * 0.4 and DBTaskResult.objects.running().exists(),
             timeout=120, what="the first worker to be half-way through a task", workers=[first])
    first.kill()
    at_kill = Post.objects.count()
    [stranded] = DBTaskResult.objects.running()  # killed in the middle of this task
    assert 0 < at_kill < total

    second = Worker("db_worker-2", args, env, tmp_path)
    try:
        def resumed() -> bool:
            tasks.monitoring_tick()  # the scheduler's tick: re-enqueues what the dead worker held
            return all_read()

        wait_for(resumed, timeout=180, what="the second worker to finish the run", workers=[second])
    finally:
        second.stop()
    print(f"killed-worker run: {time.monotonic() - started:.1f} s, {total} posts, killed at {at_kill}")

    posts, findings, count = snapshot()
    assert posts == expected_posts
    assert findings == expected_findings and count == finding_count
    assert not Post.objects.filter(checked_at__isnull=True).exists()
    assert not Post.objects.values("account_id", "platform_post_id").annotate(n=Count("pk")).filter(n__gt=1)
    stranded_source = stranded.args_kwargs["args"][0]
    assert DBTaskResult.objects.filter(args_kwargs__args__0=stranded_source).count() >= 2  # taken up again
