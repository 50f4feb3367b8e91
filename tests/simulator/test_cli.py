import json
import subprocess
import sys

import feedparser
import httpx
import pytest

from govmedia.simulator import start_in_process
from govmedia.simulator.cli import main


@pytest.fixture(scope="module")
def simulator(tmp_path_factory):
    accounts = tmp_path_factory.mktemp("sim") / "accounts.json"
    accounts.write_text(json.dumps([{"key": "1234567890", "platform": "新浪微博", "name": "西海岸教体"},
                                    {"key": "gh_0123456789ab", "platform": "微信订阅号"}]), encoding="utf-8")
    url, stop = start_in_process("--accounts-file", str(accounts), "--now", "2026-03-02T10:00", "--seed", "3")
    yield url
    stop()


def test_the_server_process_serves_the_accounts_file_at_the_fixed_now(simulator):
    parsed = feedparser.parse(httpx.get(f"{simulator}/weibo/user/1234567890").content)
    assert parsed.feed.title == "西海岸教体 - 新浪微博"
    assert parsed.entries[0].published.startswith(("Mon, 02 Mar 2026", "Sun, 01 Mar 2026"))
    manifest = httpx.get(f"{simulator}/_manifest").json()
    assert manifest["now"] == "2026-03-02T10:00:00+08:00" and manifest["seed"] == 3
    assert set(manifest["accounts"]) == {"1234567890", "gh_0123456789ab"}


def test_publish_adds_a_post_to_the_running_simulator(simulator, capsys):
    code = main(["publish", "--url", simulator, "--account", "gh_0123456789ab", "--title", "关于征求意见的通知",
                 "--text", "内部资料，注意保存。", "--link", f"{simulator}/link/gone/c1"])
    assert code == 0
    post_id = json.loads(capsys.readouterr().out)["id"]
    first = feedparser.parse(httpx.get(f"{simulator}/wechat/mp/gh_0123456789ab").content).entries[0]
    assert first.id == post_id and "内部资料" in first.description and "/link/gone/c1" in first.description


def test_publish_to_an_unknown_account_fails_with_the_servers_reason(simulator, capsys):
    assert main(["publish", "--url", simulator, "--account", "nobody", "--title", "t", "--text", "x"]) == 1
    assert "nobody" in capsys.readouterr().err


def test_a_bad_accounts_file_stops_the_server_before_it_starts(tmp_path):
    accounts = tmp_path / "accounts.json"
    accounts.write_text('[{"key": "k1", "platform": "推特"}]', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "govmedia.simulator", "--port", "0", "--accounts-file",
                             str(accounts)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "推特" in result.stderr


def test_the_simulator_runs_without_django():
    probe = "import sys, govmedia.simulator.cli; print(sorted(m for m in sys.modules if m.startswith('django')))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=30, check=True)
    assert result.stdout.strip() == "[]"
