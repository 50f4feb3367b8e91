"""Messages coming in through the pages: entered by hand for an account the user acts for, imported from a
spreadsheet all or nothing with every problem listed by row, column and value, and the import's template."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from govmedia.interaction.models import Message, MessageChannel, MessageKind, MessageStatus
from tests.interaction.views.helpers import client_for, said

pytestmark = pytest.mark.django_db

NEW = reverse("interaction:message_new")
IMPORT = reverse("interaction:message_import")
TEMPLATE = reverse("interaction:message_import_template")
HEADER = "留言编号,类型,收到时间,内容,留言人,联系方式\n"


def entry(account, **overrides):
    return {"account": account.pk, "kind": "complaint", "received_at": "2026-03-02T08:30", "sender_name": "王女士",
            "sender_contact": "13700000000", "platform_message_id": "wb-1", "text": "小区门口的井盖丢了", **overrides}


def csv_file(body: str, name="留言.csv"):
    return SimpleUploadedFile(name, (HEADER + body).encode("utf-8"), content_type="text/csv")


def test_a_message_entered_by_hand_is_stored_and_shown(frozen_clock, edu_unit_admin, edu_weibo):
    client = client_for(edu_unit_admin)
    response = client.post(NEW, entry(edu_weibo))
    message = Message.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("interaction:message_detail",
                                                                             args=[message.pk])
    assert "留言已录入。" in said(response)
    assert (message.account, message.kind, message.channel, message.created_by, message.status) == (
        edu_weibo, MessageKind.COMPLAINT, MessageChannel.MANUAL, edu_unit_admin, MessageStatus.NEW)
    assert message.received_at.isoformat() == "2026-03-02T00:30:00+00:00"  # 08:30 Beijing time
    assert "小区门口的井盖丢了" in client.get(response["Location"]).content.decode()


def test_the_account_choices_are_those_the_user_acts_for(frozen_clock, assigned_operator, edu_weibo, edu_wechat,
                                                         street_weibo):
    page = client_for(assigned_operator).get(NEW).content.decode()
    assert edu_weibo.name in page and edu_wechat.name not in page and street_weibo.name not in page


def test_entering_a_message_for_another_units_account_is_refused(frozen_clock, street_operator, edu_weibo):
    response = client_for(street_operator).post(NEW, entry(edu_weibo))
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not Message.objects.exists()


@pytest.mark.parametrize(("overrides", "error"), [
    ({"text": "长" * 5001}, "留言内容不能超过 5,000 字（现为 5,001 字）。"),
    ({"received_at": "2026-03-03T10:00"}, "收到时间不能晚于当前时间。"),
    ({"sender_contact": "1" * 61}, "联系方式不能超过 60 个字符。"),
])
def test_a_bad_message_is_refused_on_its_field(frozen_clock, edu_unit_admin, edu_weibo, overrides, error):
    response = client_for(edu_unit_admin).post(NEW, entry(edu_weibo, **overrides))
    assert response.status_code == 200 and error in response.content.decode()
    assert not Message.objects.exists()


def test_the_same_platform_id_twice_is_refused_on_its_field(frozen_clock, edu_unit_admin, edu_weibo):
    client = client_for(edu_unit_admin)
    client.post(NEW, entry(edu_weibo))
    response = client.post(NEW, entry(edu_weibo, text="又一次"))
    assert "平台留言编号“wb-1”已录入，不能重复录入。" in response.content.decode()
    assert Message.objects.count() == 1


def test_an_import_stores_every_row(frozen_clock, edu_unit_admin, edu_weibo):
    body = "wb-1,咨询,2026-03-01 09:30,请问报名时间？,张先生,139\n,建议,2026-03-01 14:05,建议增设减速带,,\n"
    response = client_for(edu_unit_admin).post(IMPORT, {"account": edu_weibo.pk, "file": csv_file(body)})
    page = response.content.decode()
    assert '新增 <strong id="created">2</strong> 条' in page
    assert sorted(Message.objects.values_list("kind", "channel", "account")) == [
        ("consultation", "import", edu_weibo.pk), ("suggestion", "import", edu_weibo.pk)]


def test_an_import_with_one_bad_row_stores_nothing_and_lists_each_problem(frozen_clock, edu_unit_admin, edu_weibo):
    body = "wb-1,咨询,2026-03-01 09:30,请问报名时间？,,\nwb-2,表扬,2026-03-01 10:00,好,,\nwb-1,留言,明天,,,\n"
    response = client_for(edu_unit_admin).post(IMPORT, {"account": edu_weibo.pk, "file": csv_file(body)})
    page = response.content.decode()
    assert "未导入任何留言" in page and 'id="import-errors"' in page
    assert "<td>第 3 行</td><td>类型</td><td>表扬</td><td>类型只能填：留言、评论、咨询、投诉、建议</td>" in page
    assert "<td>第 4 行</td><td>收到时间</td><td>明天</td>" in page
    assert not Message.objects.exists()


def test_a_dry_run_checks_without_storing(frozen_clock, edu_unit_admin, edu_weibo):
    response = client_for(edu_unit_admin).post(IMPORT, {"account": edu_weibo.pk, "dry_run": "on",
                                                        "file": csv_file(",咨询,2026-03-01 09:30,请问？,,\n")})
    assert "校验通过：共 1 条留言" in response.content.decode() and not Message.objects.exists()


def test_importing_into_another_units_account_is_refused(frozen_clock, street_unit_admin, edu_weibo):
    response = client_for(street_unit_admin).post(IMPORT, {"account": edu_weibo.pk,
                                                           "file": csv_file(",咨询,2026-03-01 09:30,请问？,,\n")})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not Message.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused_by_name(edu_unit_admin, edu_weibo):
    response = client_for(edu_unit_admin).post(IMPORT, {"account": edu_weibo.pk,
                                                        "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})
    assert "文件“a.pdf”不是 .xlsx 或 .csv 文件" in response.content.decode()


def test_an_import_post_without_the_csrf_token_is_refused(frozen_clock, edu_unit_admin, edu_weibo):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(edu_unit_admin)
    response = client.post(IMPORT, {"account": edu_weibo.pk, "file": csv_file(",咨询,2026-03-01 09:30,请问？,,\n")})
    assert response.status_code == 403 and not Message.objects.exists()


def test_the_template_downloads_as_a_workbook_with_the_columns(edu_operator):
    response = client_for(edu_operator).get(TEMPLATE)
    assert response["Content-Disposition"].startswith('attachment; filename="messages-template.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["互动留言"][1]] == ["留言编号", "类型", "收到时间", "内容", "留言人", "联系方式"]


def test_the_template_downloaded_and_uploaded_unchanged_imports_no_example(frozen_clock, edu_unit_admin, edu_weibo):
    client = client_for(edu_unit_admin)
    workbook = SimpleUploadedFile("模板.xlsx", client.get(TEMPLATE).content)
    response = client.post(IMPORT, {"account": edu_weibo.pk, "file": workbook})
    assert "文件中没有留言数据行" in response.content.decode()
    assert not Message.objects.exists()


def test_the_import_result_is_shown_above_the_upload_form(frozen_clock, edu_unit_admin, edu_weibo):
    body = "wb-1,咨询,2026-03-01 09:30,请问报名时间？,,\n"
    page = client_for(edu_unit_admin).post(IMPORT, {"account": edu_weibo.pk, "file": csv_file(body)}).content.decode()
    assert page.index('id="import-result"') < page.index('id="import-form"')


def test_rows_skipped_as_already_imported_are_listed_by_row(frozen_clock, edu_unit_admin, edu_weibo):
    client = client_for(edu_unit_admin)
    client.post(IMPORT, {"account": edu_weibo.pk, "file": csv_file("wb-1,咨询,2026-03-01 09:30,第一条,,\n")})
    body = "wb-2,咨询,2026-03-01 10:30,第二条,,\nwb-1,咨询,2026-03-01 09:30,第一条,,\n"
    page = client.post(IMPORT, {"account": edu_weibo.pk, "file": csv_file(body)}).content.decode()
    assert "第 3 行“wb-1”" in page


def test_the_entry_pages_require_a_login(client):
    for url in (NEW, IMPORT, TEMPLATE):
        assert client.get(url).status_code == 302
