"""Attachment 1 names the services the account offers (art. 12) in a row of its own after the access link,
only when it offers some: the printed form has no such field."""

import pytest

from govmedia.registry.attachment1 import attachment1_docx, attachment1_pdf
from tests.interaction.factories import AccountServiceFactory
from tests.registry.test_attachment1 import _docx_cell_after, _docx_cells, _pdf_text, full_account  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_docx_lists_each_service_with_its_kind_and_link_after_the_access_link(full_account):  # noqa: F811
    AccountServiceFactory(account=full_account, kind="appointment", name="体育场馆预约",
                          url="https://edu.example.cn/book")
    AccountServiceFactory(account=full_account, kind="lookup", name="学位查询", url="https://edu.example.cn/q")
    cells = _docx_cells(attachment1_docx(full_account))
    assert _docx_cell_after(cells, "提供服务") == ("信息查询：学位查询 https://edu.example.cn/q\n"
                                                   "预约办理：体育场馆预约 https://edu.example.cn/book")
    assert cells.index("提供服务") > cells.index("访问链接")


def test_an_account_without_services_keeps_the_printed_forms_rows(full_account):  # noqa: F811
    assert "提供服务" not in _docx_cells(attachment1_docx(full_account))


def test_the_pdf_prints_the_services(full_account):  # noqa: F811
    AccountServiceFactory(account=full_account, kind="payment", name="学费缴纳", url="https://pay.example.cn/")
    text = _pdf_text(attachment1_pdf(full_account))
    assert "提供服务" in text and "在线缴费：学费缴纳" in text
