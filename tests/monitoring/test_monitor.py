"""`govmedia monitor run|tick|sweep`."""

from datetime import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult

from govmedia.monitoring.models import Post
from govmedia.simulator import Account as SimulatedAccount
from tests.conftest import BEIJING
from tests.monitoring.factories import SourceFactory
from tests.monitoring.simulated import mirror, serve

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=BEIJING)
ACCOUNTS = [SimulatedAccount("1234567890", "weibo", "西海岸发布"),
            SimulatedAccount("gh_0123456789ab", "wechat-subscription", "西海岸教体", plants=frozenset({"typo"})),
            SimulatedAccount("2345678901", "weibo", "灵山卫街道", source="cookies_expired")]


@pytest.fixture(scope="module")
def simulator():
    with serve(ACCOUNTS, now=NOW) as (base_url, _):
        yield base_url


@pytest.fixture
def sources(simulator, frozen_clock, settings):
    settings.GOVMEDIA_MONITOR_ALLOW_PRIVATE = True
    return mirror(simulator, ACCOUNTS)


def monitor(*args: str) -> str:
    out = StringIO()
    call_command("monitor", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_run_reads_everything_due_and_says_what_it_found_in_chinese(sources):
    output = monitor("run")
    posts = Post.objects.count()
    assert "读取数据源 3 个：正常 2，无更新 0，故障 1。" in output
    assert f"新信息 {posts:,} 条，检查信息 {posts:,} 条" in output and posts > 0
    assert "新发现问题" in output and "新提醒" in output
    assert "故障数据源：\n  灵山卫街道：登录凭据（Cookie）已过期" in output


def test_run_for_an_account_reads_that_accounts_sources_only(sources):
    output = monitor("run", "--account", "gh_0123456789ab")
    assert "读取数据源 1 个：正常 1" in output
    assert set(Post.objects.values_list("account__account_id", flat=True)) == {"gh_0123456789ab"}


def test_run_names_an_account_it_cannot_find(sources):
    with pytest.raises(CommandError, match="没有找到账号“gh_nobody”"):
        monitor("run", "--account", "gh_nobody")


def test_tick_enqueues_the_due_sources_and_sweep_the_sweep(frozen_clock):
    SourceFactory(), SourceFactory()
    assert monitor("tick") == "已排入读取任务 2 个。\n"
    assert monitor("tick") == ""  # nothing due: the scheduler's minute ticks stay quiet
    assert "已排入全面复查任务" in monitor("sweep")
    assert DBTaskResult.objects.filter(task_path="govmedia.monitoring.tasks.sweep_task").count() == 1


def test_probe_reached_through_django_points_to_the_database_free_command():
    with pytest.raises(CommandError, match="govmedia monitor probe"):
        monitor("probe", "http://127.0.0.1/feed")
