"""The post import page: upload, counts or the error table, the template, and who may use it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from govmedia.monitoring.models import Post
from govmedia.monitoring.views import post_import as views
from tests.monitoring.services.test_post_import import HEADERS, _row, _xlsx

pytestmark = pytest.mark.django_db


def _url(account) -> str:
    return f"/monitoring/accounts/{account.pk}/import"


def _upload(client, account, data: bytes, name="export.xlsx", **extra):
    return client.post(_url(account), {"file": SimpleUploadedFile(name, data), **extra})


def test_the_page_offers_the_template_and_names_the_accepted_headers(client, edu_unit_admin, edu_weibo):
    client.force_login(edu_unit_admin)
    response = client.get(_url(edu_weibo))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"/monitoring/accounts/{edu_weibo.pk}/import/template.xlsx" in page
    assert "阅读次数" in page and "分享次数" in page and edu_weibo.name in page


def test_the_template_downloads_as_an_xlsx_with_the_import_headers(client, edu_unit_admin, edu_weibo):
    client.force_login(edu_unit_admin)
    response = client.get(f"/monitoring/accounts/{edu_weibo.pk}/import/template.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == HEADERS


def test_a_valid_upload_is_stored_and_the_counts_are_shown(client, edu_unit_admin, edu_weibo):
    client.force_login(edu_unit_admin)
    response = _upload(client, edu_weibo, _xlsx(HEADERS, [_row("a"), _row("b")]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "导入完成：共 2 条信息" in page and 'id="created">2<' in page
    assert Post.objects.filter(account=edu_weibo).count() == 2


def test_a_bad_upload_shows_each_problem_and_stores_nothing(client, edu_unit_admin, edu_weibo):
    client.force_login(edu_unit_admin)
    response = _upload(client, edu_weibo, _xlsx(HEADERS, [_row("a"), _row("b", 阅读量=-1), _row("a")]))
    page = response.content.decode()
    assert "发现 2 个问题，未导入任何信息" in page
    assert "第 3 行" in page and "应为非负整数" in page and "与第2行的信息ID重复" in page
    assert not Post.objects.exists()


def test_a_dry_run_stores_nothing(client, edu_unit_admin, edu_weibo):
    client.force_login(edu_unit_admin)
    response = _upload(client, edu_weibo, _xlsx(HEADERS, [_row("a")]), dry_run="on")
    assert "本次只校验，未导入" in response.content.decode()
    assert not Post.objects.exists()


def test_an_upload_over_the_cap_is_stopped_as_it_arrives(client, edu_unit_admin, edu_weibo, monkeypatch):
    monkeypatch.setattr(views, "MAX_FILE_BYTES", 1000)
    client.force_login(edu_unit_admin)
    response = _upload(client, edu_weibo, b"x" * 5000, name="大.csv")
    assert response.wsgi_request.upload_over_cap == "大.csv"
    assert "超过" in response.content.decode()
    assert not Post.objects.exists()


def test_a_file_of_another_type_is_refused_by_the_form(client, edu_unit_admin, edu_weibo):
    client.force_login(edu_unit_admin)
    response = _upload(client, edu_weibo, b"%PDF-1.4", name="export.pdf")
    assert "不是 .xlsx 或 .csv 文件" in response.content.decode()


@pytest.mark.parametrize("persona", ["street_unit_admin", "street_operator", "water_co_admin"])
def test_another_units_people_get_404_and_store_nothing(request, edu_weibo, persona):
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url(edu_weibo)).status_code == 404
    assert _upload(client, edu_weibo, _xlsx(HEADERS, [_row("a")])).status_code == 404
    assert client.get(f"/monitoring/accounts/{edu_weibo.pk}/import/template.xlsx").status_code == 404
    assert not Post.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [
    ("supervisor", 200), ("edu_unit_admin", 200), ("assigned_operator", 200), ("edu_reviewer", 403),
    ("edu_leader", 403),
])
def test_who_may_import_into_the_units_account(request, edu_weibo, persona, status):
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    assert _upload(client, edu_weibo, _xlsx(HEADERS, [_row("a")])).status_code == status
    assert Post.objects.exists() == (status == 200)


def test_the_upload_needs_the_csrf_token(edu_unit_admin, edu_weibo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(edu_unit_admin)
    assert _upload(client, edu_weibo, _xlsx(HEADERS, [_row("a")])).status_code == 403
    assert not Post.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, edu_weibo):
    response = client.get(_url(edu_weibo))
    assert response.status_code == 302 and "/login" in response["Location"]
