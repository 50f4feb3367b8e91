"""Importing posts from a platform export: the template, header variants, per-row errors, all-or-nothing."""

import io
import time
from datetime import datetime

import pytest
from openpyxl import Workbook, load_workbook

from govmedia.errors import PermissionDenied
from govmedia.monitoring.models import Post, Source, SourceKind
from govmedia.monitoring.services import post_import
from govmedia.monitoring.services.post_import import POSTS_SHEET, RowError, import_posts, post_import_template
from tests.conftest import BEIJING
from tests.registry.handmade_xlsx import handmade_xlsx, inline

pytestmark = pytest.mark.django_db

HEADERS = ["信息ID", "标题", "链接", "发布时间", "正文", "类型(原创/转载)", "转载来源", "阅读量", "点赞量", "评论量",
           "转发量", "图片视频数"]


def _xlsx(headers, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = POSTS_SHEET
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _csv(headers, rows, encoding="utf-8") -> bytes:
    lines = [",".join(headers)] + [",".join("" if v is None else str(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _import(account, user, data: bytes, *, name="export.xlsx", now=None, dry_run=False):
    now = now or datetime(2026, 3, 2, 10, 0, tzinfo=BEIJING)
    return import_posts(account=account, file_obj=io.BytesIO(data), filename=name, by=user, now=now,
                        dry_run=dry_run)


def _row(post_id="p1", **values):
    row = dict.fromkeys(HEADERS, None)
    row.update({"信息ID": post_id, "标题": f"标题{post_id}", "发布时间": "2026-03-01 09:30", "阅读量": 10})
    row.update(values)
    return [row[h] for h in HEADERS]


def test_the_template_imports_back_as_its_example_posts(edu_weibo, edu_unit_admin):
    result = _import(edu_weibo, edu_unit_admin, post_import_template(), name="已发布信息导入模板.xlsx")
    assert result.ok, result.errors
    assert (result.rows, result.created) == (2, 2)
    first, second = Post.objects.order_by("platform_post_id")
    assert (first.platform_post_id, first.published_at, first.reads, first.shares, first.media_count) == (
        "2247483650_1", datetime(2026, 3, 2, 9, 30, tzinfo=BEIJING), 1520, 12, 2)
    assert first.url == "https://mp.weixin.qq.com/s/Xihaian2026030201" and first.kind == "original"
    assert (second.kind, second.repost_source, second.published_at, second.reads, second.likes) == (
        "repost", "新华社", None, 100_000, None)
    assert {p.source.kind for p in (first, second)} == {SourceKind.IMPORT}


def test_the_template_has_every_column_and_a_guide_naming_the_header_variants():
    workbook = load_workbook(io.BytesIO(post_import_template()), read_only=True)
    assert workbook.sheetnames == [POSTS_SHEET, "填写说明"]
    assert [c.value for c in next(workbook[POSTS_SHEET].iter_rows(max_row=1))] == HEADERS
    guide = {row[0]: row for row in workbook["填写说明"].iter_rows(min_row=2, values_only=True)}
    assert "阅读次数" in guide["阅读量"][2] and "分享次数" in guide["转发量"][2]


def test_a_3000_row_export_is_imported_whole(edu_weibo, edu_unit_admin):
    rows = [_row(f"id{i}", 正文=f"第{i}条正文 https://www.xihaian.gov.cn/n/{i}") for i in range(3000)]
    started = time.perf_counter()
    result = _import(edu_weibo, edu_unit_admin, _xlsx(HEADERS, rows))
    elapsed = time.perf_counter() - started
    assert result.ok and (result.rows, result.created) == (3000, 3000)
    assert Post.objects.filter(account=edu_weibo).count() == 3000
    assert Post.objects.get(platform_post_id="id7").links == ["https://www.xihaian.gov.cn/n/7"]
    assert elapsed < 60


def test_each_bad_row_is_named_by_row_column_and_value_and_nothing_is_stored(edu_weibo, edu_unit_admin):
    rows = [
        _row("ok"),
        _row("p2", 发布时间="2026-02-30 10:00"),
        _row("p3", 阅读量=-3),
        _row(None, 标题="没有ID"),
        _row("ok"),
        _row("p5", **{"类型(原创/转载)": "分享"}),
        _row("p6", 链接="weibo.com/x"),
        _row("p7", 发布时间="明天"),
        _row("p8", 发布时间="2026-03-09 10:00"),
    ]
    result = _import(edu_weibo, edu_unit_admin, _xlsx(HEADERS, rows))
    assert not result.ok
    assert [(e.row, e.column, e.value) for e in result.errors] == [
        (3, "发布时间", "2026-02-30 10:00"), (4, "阅读量", "-3"), (5, "信息ID", ""), (6, "信息ID", "ok"),
        (7, "类型(原创/转载)", "分享"), (8, "链接", "weibo.com/x"), (9, "发布时间", "明天"),
        (10, "发布时间", "2026-03-09 10:00"),
    ]
    reasons = [e.reason for e in result.errors]
    assert reasons[0] == "不是有效的日期时间"
    assert reasons[1] == "应为非负整数"
    assert reasons[2] == "“信息ID”为必填项"
    assert reasons[3] == "与第2行的信息ID重复"
    assert reasons[4] == "类型只能填“原创”或“转载”"
    assert "晚于导入时间" in reasons[7]
    assert not Post.objects.exists() and not Source.objects.exists()


def test_wechat_export_headers_are_recognised_in_a_gbk_csv(edu_wechat, edu_unit_admin):
    headers = ["内容标题", "发表时间", "总阅读人数", "阅读次数", "分享次数", "点赞人数", "留言数", "文章ID", "原文链接"]
    rows = [["区教体局开学工作会议", "2026/3/1 9:30", 900, "10万+", "1.2万", 30, 2, "2247483650_1",
             "https://mp.weixin.qq.com/s/abc"]]
    result = _import(edu_wechat, edu_unit_admin, _csv(headers, rows, "gbk"), name="图文分析.csv")
    assert result.ok, result.errors
    post = Post.objects.get()
    assert (post.platform_post_id, post.title, post.reads, post.shares, post.likes, post.comments) == (
        "2247483650_1", "区教体局开学工作会议", 100_000, 12_000, 30, 2)
    assert post.published_at == datetime(2026, 3, 1, 9, 30, tzinfo=BEIJING)


def test_reimporting_updates_metrics_and_never_duplicates(edu_weibo, edu_unit_admin):
    _import(edu_weibo, edu_unit_admin, _xlsx(HEADERS, [_row("a"), _row("b")]))
    result = _import(edu_weibo, edu_unit_admin, _xlsx(HEADERS, [_row("a", 阅读量=999), _row("b"), _row("c")]))
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert Post.objects.count() == 3 and Post.objects.get(platform_post_id="a").reads == 999
    assert Source.objects.filter(kind=SourceKind.IMPORT).count() == 1


def test_an_empty_publish_time_is_recorded_as_unknown(edu_weibo, edu_unit_admin):
    _import(edu_weibo, edu_unit_admin, _xlsx(HEADERS, [_row("a", 发布时间=None), _row("b", 发布时间="  ")]))
    assert list(Post.objects.values_list("published_at", flat=True)) == [None, None]


@pytest.mark.parametrize(("written", "expected"), [
    (datetime(2026, 3, 1, 9, 30), datetime(2026, 3, 1, 9, 30, tzinfo=BEIJING)),
    ("2026年3月1日 9:30", datetime(2026, 3, 1, 9, 30, tzinfo=BEIJING)),
    ("2026-03-01T01:30:00Z", datetime(2026, 3, 1, 9, 30, tzinfo=BEIJING)),
    ("2026.3.1", datetime(2026, 3, 1, tzinfo=BEIJING)),
    (46082.396, datetime(2026, 3, 1, 9, 30, 14, 400000, tzinfo=BEIJING)),
])
def test_publish_times_are_read_as_exports_write_them(edu_weibo, edu_unit_admin, written, expected):
    result = _import(edu_weibo, edu_unit_admin, _xlsx(HEADERS, [_row("a", 发布时间=written)]))
    assert result.ok, result.errors
    assert Post.objects.get().published_at == expected


def test_a_file_without_an_id_column_is_one_error_naming_the_column(edu_weibo, edu_unit_admin):
    result = _import(edu_weibo, edu_unit_admin, _xlsx(["标题", "阅读量"], [["x", 1]]))
    assert result.errors == [RowError(1, "信息ID", "信息ID", "缺少必填列“信息ID”")]


def test_a_column_given_twice_under_two_of_its_names_is_refused(edu_weibo, edu_unit_admin):
    result = _import(edu_weibo, edu_unit_admin, _xlsx(["信息ID", "阅读量", "阅读次数"], [["a", 1, 2]]))
    assert len(result.errors) == 1 and "出现了两次" in result.errors[0].reason


def test_more_rows_than_the_cap_are_refused_before_checking(edu_weibo, edu_unit_admin, monkeypatch):
    monkeypatch.setattr(post_import, "MAX_ROWS", 5)
    result = _import(edu_weibo, edu_unit_admin, _xlsx(HEADERS, [_row(f"id{i}") for i in range(6)]))
    assert [e.reason for e in result.errors] == [f"工作表“{POSTS_SHEET}”超过 5 条信息（数据行），请分批导入"]


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("export.xlsx", b"not a zip", "无法读取"),
    ("export.xls", b"\xd0\xcf\x11\xe0", "不支持旧版 .xls"),
    ("export.csv", b"", "文件是空的"),
    ("export.csv", "信息ID,标题\r\n".encode(), "没有信息数据行"),
    ("export.xlsx", handmade_xlsx(['<row r="1">' + inline("A1", "信息ID") + "</row>"], padding_mb=190),
     "压缩比异常"),
])
def test_an_unreadable_or_hostile_file_is_one_clear_error(edu_weibo, edu_unit_admin, name, data, reason):
    started = time.perf_counter()
    result = _import(edu_weibo, edu_unit_admin, data, name=name)
    assert len(result.errors) == 1 and result.errors[0].row == 0 and reason in result.errors[0].reason
    assert time.perf_counter() - started < 5


def test_a_sheet_claiming_the_whole_grid_is_read_by_what_it_holds(edu_weibo, edu_unit_admin):
    rows = ['<row r="1">' + inline("A1", "信息ID") + "</row>", '<row r="1048576">' + inline("A1048576", "x1") + "</row>"]
    result = _import(edu_weibo, edu_unit_admin, handmade_xlsx(rows, dimension="A1:XFD1048576"))
    assert result.ok and Post.objects.get().platform_post_id == "x1"


def test_a_dry_run_checks_everything_and_stores_nothing(edu_weibo, edu_unit_admin):
    result = _import(edu_weibo, edu_unit_admin, _xlsx(HEADERS, [_row("a")]), dry_run=True)
    assert result.ok and result.rows == 1 and result.created == 0
    assert not Post.objects.exists() and not Source.objects.exists()


def test_the_accounts_operator_may_import_and_a_colleague_may_not(edu_weibo, assigned_operator, edu_reviewer):
    assert _import(edu_weibo, assigned_operator, _xlsx(HEADERS, [_row("a")])).created == 1
    with pytest.raises(PermissionDenied, match="无权为账号“西海岸教育发布”导入信息"):
        _import(edu_weibo, edu_reviewer, _xlsx(HEADERS, [_row("b")]))
