"""Views for documents: attachment-1 downloads, the XLSX export and the ledger import page."""

import io
import time
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import Workbook, load_workbook

from govmedia.registry.ledger import COLUMNS
from govmedia.registry.models import Account, AccountStatus
from tests.registry.handmade_xlsx import handmade_xlsx, inline

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in COLUMNS]


def _ledger(*rows: dict) -> SimpleUploadedFile:
    workbook = Workbook()
    ws = workbook.active
    ws.append(HEADERS)
    for row in rows:
        ws.append([row.get(h, "") for h in HEADERS])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("台账.xlsx", out.getvalue())


GOOD = {"主办单位": "区教育和体育局", "账号名称": "西海岸教体", "账号ID": "gh_xhaedu", "发布平台": "微信订阅号",
        "运行状态": "正常", "创建/注册日期": "2021-01-05"}


def _filename(response) -> str:
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    return unquote(disposition.split("filename*=UTF-8''", 1)[1])


@pytest.mark.parametrize("name", ["attachment1_docx", "attachment1_pdf"])
def test_a_user_of_another_unit_gets_404_on_the_filing_form(client, name, street_unit_admin, edu_weibo):
    client.force_login(street_unit_admin)
    assert client.get(reverse(name, args=[edu_weibo.pk])).status_code == 404


@pytest.mark.parametrize("name", ["attachment1_docx", "attachment1_pdf", "registry_export", "ledger_import"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, name, edu_weibo):
    url = reverse(name, args=[edu_weibo.pk]) if name.startswith("attachment1") else reverse(name)
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_filing_form_downloads_as_word_with_a_chinese_file_name(client, edu_unit_admin, edu_weibo):
    client.force_login(edu_unit_admin)
    response = client.get(reverse("attachment1_docx", args=[edu_weibo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert _filename(response) == "备案登记表-西海岸教育发布.docx"
    assert f'filename="attachment1-{edu_weibo.pk}.docx"' in response["Content-Disposition"]
    cells = [c.text for row in Document(io.BytesIO(response.content)).tables[0].rows for c in row.cells]
    assert "xhaedu\n西海岸教育发布" in cells


def test_the_filing_form_downloads_as_pdf(client, edu_unit_admin, edu_weibo):
    client.force_login(edu_unit_admin)
    response = client.get(reverse("attachment1_pdf", args=[edu_weibo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert _filename(response) == "备案登记表-西海岸教育发布.pdf"


def test_an_operator_can_print_the_form_of_an_account_assigned_to_them(client, assigned_operator, edu_weibo,
                                                                        edu_wechat):
    client.force_login(assigned_operator)
    assert client.get(reverse("attachment1_pdf", args=[edu_weibo.pk])).status_code == 200
    assert client.get(reverse("attachment1_pdf", args=[edu_wechat.pk])).status_code == 404


# ---------------------------------------------------------------- export


def test_the_export_downloads_what_the_list_shows_with_its_filters(client, supervisor, edu_weibo, street_weibo):
    client.force_login(supervisor)
    response = client.get(reverse("registry_export"), {"q": "灵山卫"})
    assert response.status_code == 200
    assert _filename(response).startswith("政务新媒体台账-") and _filename(response).endswith(".xlsx")
    ws = load_workbook(io.BytesIO(response.content))["账号台账"]
    assert [row[1] for row in ws.iter_rows(min_row=2, values_only=True)] == ["灵山卫发布"]


def test_junk_filter_values_are_ignored_rather_than_failing(client, supervisor, edu_weibo):
    client.force_login(supervisor)
    response = client.get(reverse("registry_export"), {"unit": "abc", "platform": "1;drop", "status": "nope"})
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content))["账号台账"].max_row == 2


def test_the_status_filter_narrows_the_export(client, supervisor, edu_weibo):
    client.force_login(supervisor)
    response = client.get(reverse("registry_export"), {"status": AccountStatus.CLOSED})
    assert load_workbook(io.BytesIO(response.content))["账号台账"].max_row == 1


# ---------------------------------------------------------------- import page


def test_the_import_page_offers_an_upload_form_and_a_template(client, edu_unit_admin):
    client.force_login(edu_unit_admin)
    page = client.get(reverse("ledger_import")).content.decode()
    assert 'type="file"' in page and "只校验不导入" in page and "?template=1" in page
    template = client.get(reverse("ledger_import"), {"template": "1"})
    assert template.status_code == 200
    assert _filename(template) == "政务新媒体台账导入模板.xlsx"
    ws = load_workbook(io.BytesIO(template.content))["账号台账"]
    assert [c.value for c in ws[1]] == HEADERS and ws.max_row == 2


def test_a_valid_file_is_imported_and_the_user_returns_to_the_registry(client, edu_unit_admin):
    client.force_login(edu_unit_admin)
    response = client.post(reverse("ledger_import"), {"file": _ledger(GOOD)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("account_list")
    assert "已从“台账.xlsx”导入 1 个账号" in response.content.decode()
    assert Account.objects.get().name == "西海岸教体"


def test_a_bad_file_shows_every_problem_with_row_column_value_and_reason(client, edu_unit_admin):
    client.force_login(edu_unit_admin)
    response = client.post(reverse("ledger_import"), {
        "file": _ledger(GOOD, {**GOOD, "账号ID": "x2", "发布平台": "脸书"}, {**GOOD, "账号ID": "x3", "运行状态": "暂停"}),
    })
    assert response.status_code == 200
    page = response.content.decode()
    assert "发现 2 个问题，未导入任何数据" in page
    assert "第 3 行" in page and "脸书" in page and "未知的发布平台" in page
    assert "第 4 行" in page and "暂停" in page
    assert not Account.objects.exists()


def test_a_dry_run_checks_and_writes_nothing(client, edu_unit_admin):
    client.force_login(edu_unit_admin)
    response = client.post(reverse("ledger_import"), {"file": _ledger(GOOD), "dry_run": "on"})
    assert response.status_code == 200
    assert "校验通过：共 1 个账号" in response.content.decode()
    assert not Account.objects.exists()


def test_an_old_xls_file_is_refused_by_the_form(client, edu_unit_admin):
    client.force_login(edu_unit_admin)
    response = client.post(reverse("ledger_import"), {"file": SimpleUploadedFile("台账.xls", b"\xd0\xcf")})
    assert "另存为 .xlsx" in response.content.decode()
    assert not Account.objects.exists()


@pytest.mark.parametrize(("build", "message"), [
    (lambda: handmade_xlsx(['<row r="1048576">' + inline("XFD1048576", "账号ID") + "</row>"],
                           dimension="A1:XFD1048576"), "文件是空的"),
    (lambda: handmade_xlsx(['<row r="1">' + inline("A1", "账号ID") + "</row>"], padding_mb=190), "压缩比异常"),
], ids=["declared-whole-grid", "whitespace-zip-bomb"])
def test_a_hostile_upload_gets_a_chinese_message_within_seconds(client, edu_unit_admin, build, message):
    data = build()
    client.force_login(edu_unit_admin)
    start = time.perf_counter()
    response = client.post(reverse("ledger_import"), {"file": SimpleUploadedFile("台账.xlsx", data)})
    assert time.perf_counter() - start < 10
    assert response.status_code == 200 and message in response.content.decode()
    assert not Account.objects.exists()


def test_an_operator_may_not_open_the_import_page(client, edu_operator):
    client.force_login(edu_operator)
    assert client.get(reverse("ledger_import")).status_code == 403
