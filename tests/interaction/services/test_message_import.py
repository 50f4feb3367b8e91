"""Importing an account's messages from XLSX or CSV: every problem named by row, column and value, nothing
stored unless the whole file is valid, an export imported again adds only what is new."""

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from govmedia.errors import PermissionDenied
from govmedia.interaction.models import Message, MessageEvent, MessageKind
from govmedia.interaction.services.message_import import import_messages, message_import_template
from govmedia.registry.ledger_cells import write_workbook
from tests.conftest import BEIJING

pytestmark = pytest.mark.django_db

HEADER = "留言编号,类型,收到时间,内容,留言人,联系方式\n"


def csv_file(*lines: str) -> io.BytesIO:
    return io.BytesIO((HEADER + "\n".join(lines) + "\n").encode("utf-8"))


def run(account, by, frozen_clock, file_obj, filename="messages.csv", **kwargs):
    return import_messages(account=account, file_obj=file_obj, filename=filename, by=by, now=frozen_clock.current,
                           **kwargs)


def test_a_valid_csv_is_imported_with_beijing_times_and_history_rows(frozen_clock, edu_weibo, assigned_operator):
    result = run(edu_weibo, assigned_operator, frozen_clock, csv_file(
        "wb-1,咨询,2026-03-01 09:30,请问报名时间？,张先生,13900001111",
        "wb-2,,2026/3/1 20:00,学校门口太堵了,,"))
    assert (result.ok, result.rows, result.created, result.skipped) == (True, 2, 2, 0)
    first, second = Message.objects.order_by("platform_message_id")
    assert (first.kind, first.channel, first.received_at, first.sender_contact) == (
        MessageKind.CONSULTATION, "import", datetime(2026, 3, 1, 9, 30, tzinfo=BEIJING), "13900001111")
    assert second.kind == MessageKind.MESSAGE  # an empty kind is a 留言
    assert MessageEvent.objects.filter(action="created", note="导入").count() == 2


def test_every_bad_row_is_named_and_nothing_is_stored(frozen_clock, edu_weibo, edu_unit_admin):
    result = run(edu_weibo, edu_unit_admin, frozen_clock, csv_file(
        "wb-1,咨询,2026-03-01 09:30,好的,,",
        "wb-2,表扬,2026-03-01 09:30,谢谢,,",
        "wb-3,咨询,昨天,问一下,,",
        "wb-4,咨询,2026-03-01 09:30,,,",
        "wb-1,咨询,2026-03-01 10:30,重复编号,,",
        "wb-6,咨询,2026-03-09 09:30,未来的留言,,",
        "wb-7,咨询,,没有时间,,"))
    assert [(e.row, e.column, e.value, e.reason) for e in result.errors] == [
        (3, "类型", "表扬", "类型只能填：留言、评论、咨询、投诉、建议"),
        (4, "收到时间", "昨天", "收到时间格式应为2026-03-02 09:30、2026/3/2 9:30 或 2026年3月2日 9:30（可只写日期）"),
        (5, "内容", "", "留言内容不能为空。"),
        (6, "留言编号", "wb-1", "与第2行的留言编号重复"),
        (7, "收到时间", "2026-03-09 09:30", "收到时间不能晚于当前时间。"),
        (8, "收到时间", "", "“收到时间”为必填项"),
    ]
    assert not Message.objects.exists()


def test_an_overlong_text_is_refused_with_its_row(frozen_clock, edu_weibo, edu_unit_admin):
    result = run(edu_weibo, edu_unit_admin, frozen_clock, csv_file(f"wb-1,咨询,2026-03-01 09:30,{'长' * 5001},,"))
    [error] = result.errors
    assert (error.row, error.column, error.reason) == (2, "内容", "留言内容不能超过 5,000 字（现为 5,001 字）。")


def test_an_export_imported_again_adds_only_the_new_messages(frozen_clock, edu_weibo, edu_unit_admin):
    run(edu_weibo, edu_unit_admin, frozen_clock, csv_file("wb-1,咨询,2026-03-01 09:30,第一条,,"))
    result = run(edu_weibo, edu_unit_admin, frozen_clock, csv_file(
        "wb-1,咨询,2026-03-01 09:30,第一条,,", "wb-2,咨询,2026-03-01 10:30,第二条,,"))
    assert (result.created, result.skipped) == (1, 1)
    assert Message.objects.count() == 2


def test_a_dry_run_checks_and_stores_nothing(frozen_clock, edu_weibo, edu_unit_admin):
    result = run(edu_weibo, edu_unit_admin, frozen_clock, csv_file("wb-1,咨询,2026-03-01 09:30,第一条,,"),
                 dry_run=True)
    assert (result.ok, result.created) == (True, 1)
    assert not Message.objects.exists()


def test_an_xlsx_with_export_headers_in_any_order_is_imported(frozen_clock, edu_weibo, edu_unit_admin):
    data = write_workbook([("Sheet1", [("评论内容", 10), ("评论时间", 10), ("用户昵称", 10), ("评论ID", 10)],
                            [["支持！", datetime(2026, 3, 1, 8, 0), "小王", "c-9"]])])
    result = run(edu_weibo, edu_unit_admin, frozen_clock, io.BytesIO(data), filename="评论导出.xlsx")
    assert result.ok, result.errors
    message = Message.objects.get()
    assert (message.text, message.sender_name, message.platform_message_id, message.received_at) == (
        "支持！", "小王", "c-9", datetime(2026, 3, 1, 8, 0, tzinfo=BEIJING))


def test_a_file_of_another_format_is_refused(frozen_clock, edu_weibo, edu_unit_admin):
    result = run(edu_weibo, edu_unit_admin, frozen_clock, io.BytesIO(b"%PDF-1.4"), filename="messages.pdf")
    assert [(e.row, e.reason) for e in result.errors] == [(0, "只支持 .xlsx 或 .csv 文件")]


def test_a_file_without_rows_is_refused(frozen_clock, edu_weibo, edu_unit_admin):
    result = run(edu_weibo, edu_unit_admin, frozen_clock, csv_file())
    assert [e.reason for e in result.errors] == ["文件中没有留言数据行"]


def test_another_units_staff_cannot_import(frozen_clock, edu_weibo, street_unit_admin):
    with pytest.raises(PermissionDenied):
        run(edu_weibo, street_unit_admin, frozen_clock, csv_file("wb-1,咨询,2026-03-01 09:30,第一条,,"))


def test_the_templates_examples_sit_on_their_own_sheet_and_are_never_imported(frozen_clock, edu_weibo,
                                                                               edu_unit_admin):
    data = message_import_template()
    book = load_workbook(io.BytesIO(data))
    assert [c.value for c in book["互动留言"][1]] == ["留言编号", "类型", "收到时间", "内容", "留言人", "联系方式"]
    assert book["互动留言"].max_row == 1 and book["填写示例（不导入）"].max_row == 3
    result = run(edu_weibo, edu_unit_admin, frozen_clock, io.BytesIO(data), filename="template.xlsx")
    assert [e.reason for e in result.errors] == ["文件中没有留言数据行"]
    assert not Message.objects.exists()


def test_the_template_filled_in_on_its_import_sheet_is_imported(frozen_clock, edu_weibo, edu_unit_admin):
    book = load_workbook(io.BytesIO(message_import_template()))
    book["互动留言"].append(["wb-9", "咨询", "2026-03-01 09:30", "请问报名时间？", "", ""])
    filled = io.BytesIO()
    book.save(filled)
    filled.seek(0)
    result = run(edu_weibo, edu_unit_admin, frozen_clock, filled, filename="filled.xlsx")
    assert (result.ok, result.created) == (True, 1), result.errors


def test_every_problem_of_a_row_is_listed_not_only_the_first(frozen_clock, edu_weibo, edu_unit_admin):
    result = run(edu_weibo, edu_unit_admin, frozen_clock, csv_file(
        f"wb-1,表扬,昨天,,{'名' * 41},",
        "wb-2,咨询,2026-03-01 09:30,好的,,"))
    assert [(e.row, e.column) for e in result.errors] == [(2, "类型"), (2, "收到时间"), (2, "内容"), (2, "留言人")]


def test_a_留言编号_repeated_in_the_file_is_reported_even_when_its_first_row_has_problems(frozen_clock, edu_weibo,
                                                                                       edu_unit_admin):
    result = run(edu_weibo, edu_unit_admin, frozen_clock, csv_file(
        "wb-1,表扬,2026-03-01 09:30,第一条,,",
        "wb-1,咨询,2026-03-01 10:30,第二条,,"))
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (2, "类型", "类型只能填：留言、评论、咨询、投诉、建议"), (3, "留言编号", "与第2行的留言编号重复")]


def test_rows_skipped_as_already_imported_are_named_by_row_and_留言编号(frozen_clock, edu_weibo, edu_unit_admin):
    run(edu_weibo, edu_unit_admin, frozen_clock, csv_file("wb-1,咨询,2026-03-01 09:30,第一条,,"))
    result = run(edu_weibo, edu_unit_admin, frozen_clock, csv_file(
        "wb-2,咨询,2026-03-01 10:30,第二条,,", "wb-1,咨询,2026-03-01 09:30,第一条,,"))
    assert (result.created, result.skipped, result.skipped_rows) == (1, 1, [(3, "wb-1")])
