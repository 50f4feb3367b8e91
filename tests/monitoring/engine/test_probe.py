"""`govmedia monitor probe`: feeds read from a real local server, every check run, no Django, no database."""

import json
import os
import subprocess
import sys
from contextlib import redirect_stdout
from datetime import date, datetime, timedelta
from email.utils import format_datetime
from io import StringIO
from pathlib import Path

import pytest

from govmedia.cli import main
from govmedia.monitoring.engine.dates import BEIJING
from govmedia.monitoring.engine.probe import Probe, render_text
from govmedia.monitoring.engine.types import FetchedPost, PostFinding, SourceReading
from tests.monitoring.local_server import Reply

AS_OF = date(2026, 11, 22)
ROOT = Path(__file__).resolve().parents[3]
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}


def at(days_before: int, hour: int = 10) -> datetime:
    day = AS_OF - timedelta(days=days_before)
    return datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING)


def item(guid: str, title: str, html: str, published: datetime | None) -> str:
    when = f"<pubDate>{format_datetime(published)}</pubDate>" if published else ""
    return (f"<item><guid isPermaLink=\"false\">{guid}</guid><title>{title}</title>"
            f"<link>https://weibo.example.cn/{guid}</link>{when}"
            f"<description><![CDATA[{html}]]></description></item>")


def rss(*items: str) -> str:
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>西海岸发布</title>"
            f"<link>https://weibo.example.cn/</link><description>测试</description>{''.join(items)}</channel></rss>")


def clean_items(days: range) -> list[str]:
    return [item(f"clean-{n}", f"区政府召开第{n}次常务会议", "<p>会议研究部署冬季安全生产工作。</p>", at(n)) for n in days]


@pytest.fixture
def feeds(local_server):
    """A troubled account (typo, ad, broken link, reposts), a silent one, a clean one and a failing one."""
    base = local_server.base
    local_server.routes["/ok"] = Reply(body="<html><body>原文</body></html>", headers={"Content-Type": "text/html"})
    local_server.routes["/troubled.xml"] = Reply(headers=RSS, body=rss(
        *clean_items(range(0, 27, 3)),
        item("typo", "全区干部再接再厉", "<p>我们要在接再厉，迎难而上。</p>", at(1)),
        item("ad", "便民服务", "<p>加微信领取优惠券。</p>", at(2)),
        item("link", "关于冬季供暖的通知", f'<p>详见<a href="{base}/gone">通知原文</a>和<a href="{base}/ok">附件</a>。</p>',
             at(4)),
        item("bare-repost", "【转载】全国秋粮收购进展顺利", "<p>秋粮收购有序推进。</p>", at(5)),
        item("self-media", "一图读懂冬季取暖", "<p>来源：某某观察</p><p>取暖季注意事项。</p>", at(6)),
        item("approved", "国务院常务会议召开", "<p>来源：新华社</p><p>会议部署有关工作。</p>", at(7)),
        item("undated", "通知", "<p>请查收。</p>", None),
    ))
    local_server.routes["/silent.xml"] = Reply(headers=RSS, body=rss(
        item("old-1", "夏季防汛工作部署", "<p>防汛工作有序开展。</p>", at(82)),
        item("old-2", "夏季防汛工作动员", "<p>防汛工作有序开展。</p>", at(90)),
    ))
    local_server.routes["/clean.xml"] = Reply(headers=RSS, body=rss(*clean_items(range(0, 40, 3))))
    local_server.routes["/busy.xml"] = Reply(headers=RSS, body=rss(
        *[item(f"busy-{n}", f"今日第{n}条便民信息", "<p>天气晴好。</p>", at(n // 10, 8 + n % 10)) for n in range(20)]))
    local_server.routes["/broken.xml"] = Reply(500, "<html><body>Internal Server Error</body></html>")
    return local_server


def probe_json(*args: str) -> tuple[int, list[dict]]:
    out = StringIO()
    with redirect_stdout(out):
        code = main(["monitor", "probe", "--allow-private", "--as-of", AS_OF.isoformat(), "--format", "json", *args])
    return code, json.loads(out.getvalue())


def by_id(entry: dict) -> dict[str, list[tuple[str, str]]]:
    return {post["id"]: [(f["code"], f["text"]) for f in post["findings"]] for post in entry["posts"]}


def test_each_planted_problem_is_found_on_its_post(feeds):
    code, [entry] = probe_json(feeds.url("/troubled.xml"))
    assert code == 1
    assert entry["source"] == {"status": "ok", "reason": ""}
    found = by_id(entry)
    assert ("typo", "在接再厉") in found["typo"]
    assert ("advertising", "加微信") in found["ad"]
    assert found["link"] == [("broken_link", feeds.url("/gone"))]
    assert found["bare-repost"] == [("repost_without_source", "")]
    assert found["self-media"] == [("repost_unapproved_source", "某某观察")]
    assert found["approved"] == []
    assert all(found[f"clean-{n}"] == [] for n in range(0, 27, 3))


def test_the_json_has_the_documented_shape(feeds):
    _, [entry] = probe_json(feeds.url("/troubled.xml"))
    assert set(entry) == {"url", "source", "account_findings", "posts"}
    assert entry["url"] == feeds.url("/troubled.xml")
    posts = {post["id"]: post for post in entry["posts"]}
    assert set(posts["self-media"]) == {"id", "url", "title", "published", "kind", "source", "findings"}
    assert posts["self-media"]["kind"] == "repost"
    assert posts["self-media"]["source"] == "某某观察"
    assert posts["typo"]["kind"] == "original"
    assert datetime.fromisoformat(posts["typo"]["published"]) == at(1)
    assert posts["undated"]["published"] is None
    typo = next(f for f in posts["typo"]["findings"] if f["text"] == "在接再厉")
    assert set(typo) == {"code", "category", "text", "start", "end", "detail"}
    document = posts["typo"]["title"] + "\n" + "我们要在接再厉，迎难而上。"
    assert document[typo["start"]:typo["end"]] == "在接再厉"
    assert typo["category"] == "content"


def test_a_silent_account_gets_the_veto_sleeping_and_silent_weeks_with_dates(feeds):
    code, [entry] = probe_json(feeds.url("/silent.xml"))
    assert code == 1
    found = {(f["code"], f["detail"]) for f in entry["account_findings"]}
    codes = sorted(code for code, _ in found)
    assert codes == ["no_original_2_weeks", "no_update_2_weeks", "not_weekly", "not_weekly", "not_weekly",
                     "not_weekly", "sleeping"]
    assert ("no_update_2_weeks", "2026-11-09 至 2026-11-22 无更新（最近一次更新 2026-09-01）") in found


def test_an_undated_post_is_named_in_the_account_findings_and_does_not_count(feeds):
    _, [entry] = probe_json(feeds.url("/troubled.xml"))
    assert entry["account_findings"] == []  # dated posts every few days
    feeds.routes["/undated-only.xml"] = Reply(headers=RSS, body=rss(item("u", "通知", "<p>请查收。</p>", None)))
    _, [entry] = probe_json(feeds.url("/undated-only.xml"))
    veto = next(f for f in entry["account_findings"] if f["code"] == "no_update_2_weeks")
    assert veto["detail"].endswith("；另有 1 条信息发布时间未知，未计入")


def test_a_clean_account_exits_0(feeds):
    code, [entry] = probe_json(feeds.url("/clean.xml"))
    assert (code, entry["account_findings"]) == (0, [])
    assert all(post["findings"] == [] for post in entry["posts"])


def test_a_feed_listing_only_its_latest_items_is_not_judged_silent_before_the_oldest(feeds):
    code, [entry] = probe_json(feeds.url("/busy.xml"))
    assert (code, entry["account_findings"]) == (0, [])


def test_a_broken_source_is_reported_with_its_reason_and_no_activity_findings_and_exits_1(feeds):
    code, [entry] = probe_json(feeds.url("/broken.xml"))
    assert code == 1
    assert entry == {"url": feeds.url("/broken.xml"), "source": {"status": "broken", "reason": "http_server_error"},
                     "account_findings": [], "posts": []}


def test_several_urls_give_one_entry_each_in_order(feeds):
    urls = [feeds.url("/clean.xml"), feeds.url("/broken.xml"), feeds.url("/silent.xml")]
    _, entries = probe_json(*urls)
    assert [entry["url"] for entry in entries] == urls
    assert [entry["source"]["status"] for entry in entries] == ["ok", "broken", "ok"]


def test_loopback_is_refused_without_allow_private(feeds, capsys):
    code = main(["monitor", "probe", "--as-of", AS_OF.isoformat(), "--format", "json", feeds.url("/clean.xml")])
    [entry] = json.loads(capsys.readouterr().out)
    assert code == 1
    assert entry["source"] == {"status": "broken", "reason": "blocked_address"}
    assert feeds.requests == []


def test_the_text_report_is_in_chinese_and_names_the_problems(feeds, capsys):
    code = main(["monitor", "probe", "--allow-private", "--as-of", AS_OF.isoformat(),
                 feeds.url("/troubled.xml"), feeds.url("/silent.xml"), feeds.url("/broken.xml")])
    out = capsys.readouterr()
    assert code == 1
    assert "[错别字 typo] “在接再厉” 正文第 4–7 字：疑似错别字" in out.out
    assert "[商业广告 advertising] “加微信” 正文第 1–3 字" in out.out
    assert f"[链接不可用 broken_link] 链接不可用（客户端错误（4xx），HTTP 404）：{feeds.url('/gone')}" in out.out
    assert "[转载来源不在许可名单 repost_unapproved_source] “某某观察”" in out.out
    assert "[监测前两周内未更新 no_update_2_weeks] 2026-11-09 至 2026-11-22 无更新" in out.out
    assert "数据源：故障 [http_server_error] HTTP 5xx 错误" in out.out
    assert "区政府召开第3次常务会议" not in out.out  # posts without findings are counted, not listed
    assert "信息问题：5 条信息有问题，11 条未发现问题" in out.out
    assert "读取 3 个数据源，1 个故障" in out.err


@pytest.mark.parametrize(("args", "message"), [
    ([], "参数错误"),
    (["--as-of", "2026-13-01", "https://example.cn/feed"], "--as-of 日期“2026-13-01”无效"),
    (["ftp://example.cn/feed"], "地址“ftp://example.cn/feed”不是有效的 http 或 https 地址"),
    (["https://"], "地址“https://”不是有效的 http 或 https 地址"),
    (["--format", "xml", "https://example.cn/feed"], "参数错误"),
])
def test_usage_errors_exit_2_with_a_chinese_message_naming_the_bad_value(args, message, capsys):
    assert main(["monitor", "probe", *args]) == 2
    assert message in capsys.readouterr().err


def test_the_probe_runs_as_a_command_without_django_settings_and_never_imports_django(feeds):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    script = ("import sys; from govmedia.cli import main; code = main(sys.argv[1:]); "
              "print('django imported' if 'django' in sys.modules else 'django not imported', file=sys.stderr); "
              "sys.exit(code)")
    done = subprocess.run(
        [sys.executable, "-c", script, "monitor", "probe", "--allow-private", "--as-of", AS_OF.isoformat(),
         "--format", "json", feeds.url("/troubled.xml")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "django not imported" in done.stderr
    [entry] = json.loads(done.stdout)
    assert ("typo", "在接再厉") in by_id(entry)["typo"]


def test_python_m_govmedia_cli_monitor_probe_exits_0_on_a_clean_feed(feeds):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-m", "govmedia.cli", "monitor", "probe", "--allow-private", "--as-of", AS_OF.isoformat(),
         feeds.url("/clean.xml")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "数据源：正常" in done.stdout


def test_the_text_report_places_a_finding_in_the_title_or_the_text():
    post = FetchedPost("1", title="加微信抽奖", text="详见正文。")
    findings = [PostFinding("advertising", "content", "加微信", 0, 3, "疑似商业广告"),
                PostFinding("typo", "content", "正文", 8, 10, "疑似错别字")]
    report = render_text([Probe("https://example.cn/feed", SourceReading("ok"), AS_OF, [], [(post, findings)])], AS_OF)
    assert "“加微信” 标题第 1–3 字：疑似商业广告" in report
    assert "“正文” 正文第 3–4 字：疑似错别字" in report
