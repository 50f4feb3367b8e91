"""Attachment 1 (备案登记表) for one account, as DOCX and PDF."""

import io
import shutil
import subprocess
from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from docx import Document

from govmedia.registry.attachment1 import (
    attachment1_docx,
    attachment1_pdf,
    check_text,
    form_for,
    platform_checks,
    safe_filename,
    status_checks,
)
from govmedia.registry.models import AccountStatus, ApplicationKind, ColumnMenu, FollowerSnapshot, TeamMember
from tests.factories import AccountFactory, ApplicationFactory, platform

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_account(district, frozen_clock):
    account = AccountFactory(
        host_unit=district.edu, platform=platform("wechat-subscription"), name="西海岸教体", account_id="gh_xhaedu",
        registered_on=date(2019, 5, 6), live_on=date(2019, 6, 1), is_verified=True, has_news_licence=False,
        host_leader_name="赵局长", host_leader_title="副局长", host_leader_contact="0532-86981234",
        operating_unit=district.contractor, operating_leader_name="钱经理", operating_leader_title="总经理",
        operating_leader_contact="13800001111", introduction="发布教育政策、招生入学信息。",
        access_url="https://mp.weixin.qq.com/mp/profile_ext?__biz=xhaedu",
        host_opinion_signer="王局长", host_opinion_on=date(2026, 2, 27),
    )
    ColumnMenu.objects.create(account=account, name="政务公开", level1="教育资讯", level2="通知公告", position=0)
    ColumnMenu.objects.create(account=account, name="办事服务", level1="招生入学", level2="报名入口", position=1)
    TeamMember.objects.create(account=account, name="李管理", unit_and_title="区教育和体育局 办公室主任",
                              office_phone="0532-86980001", mobile="13900000001")
    FollowerSnapshot.objects.create(account=account, taken_on=date(2026, 1, 1), followers=1000)
    FollowerSnapshot.objects.create(account=account, taken_on=date(2026, 2, 1), followers=12345)
    ApplicationFactory(account=account, kind=ApplicationKind.CHANGE, reason="调整栏目设置，增加招生入学服务")
    return account


def _docx_cells(data: bytes) -> list[str]:
    table = Document(io.BytesIO(data)).tables[0]
    return [cell.text for row in table.rows for cell in row.cells]


def _docx_cell_after(cells: list[str], label: str) -> str:
    index = cells.index(label)
    return next(text for text in cells[index + 1:] if text != label)


def test_the_form_title_carries_the_district_name_from_settings(full_account, settings):
    settings.GOVMEDIA_DISTRICT_NAME = "某某新区"
    assert form_for(full_account).title == "某某新区政务新媒体备案登记表"


def test_the_docx_has_a_cell_for_every_field_of_the_printed_form(full_account):
    cells = _docx_cells(attachment1_docx(full_account))
    assert _docx_cell_after(cells, "账号ID\n及名称") == "gh_xhaedu\n西海岸教体"
    assert _docx_cell_after(cells, "创建/注册日期") == "2019年5月6日"
    assert _docx_cell_after(cells, "发布平台\n（系统）") == "微信订阅号"
    assert _docx_cell_after(cells, "是否通过认证") == "☑是  ☐否"
    assert _docx_cell_after(cells, "是否取得互联网\n新闻信息服务资质") == "☐是  ☑否"
    assert _docx_cell_after(cells, "主管单位") == "区教育和体育局"
    assert _docx_cell_after(cells, "主办单位\n分管领导及职务") == "赵局长 副局长"
    assert _docx_cell_after(cells, "承办单位") == "西海岸融媒科技有限公司"
    assert _docx_cell_after(cells, "访问链接") == full_account.access_url
    assert _docx_cell_after(cells, "开办\n（变更、关停）\n理由") == "调整栏目设置，增加招生入学服务"
    assert _docx_cell_after(cells, "关注量/粉丝量") == "12,345"
    assert _docx_cell_after(cells, "运行状态") == "☑正常  ☐关停  ☐注销"
    assert "基本情况介绍：\n发布教育政策、招生入学信息。" in cells
    assert any(text.startswith("☐微博  ☑微信（服务号/订阅号/小程序） 订阅号") for text in cells)


def test_the_docx_lists_menus_and_team_in_their_own_rows(full_account):
    table = Document(io.BytesIO(attachment1_docx(full_account))).tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    menu_header = next(i for i, r in enumerate(rows) if r[1] == "名  称")
    assert rows[menu_header][0].startswith("栏目设置\n注：政务新媒体栏目设置项主要针对政务微信")
    assert rows[menu_header][1:] == ["名  称", "一级菜单", "二级菜单", "三级菜单", "备  注"]
    assert rows[menu_header + 1][1:4] == ["政务公开", "教育资讯", "通知公告"]
    assert rows[menu_header + 2][1:4] == ["办事服务", "招生入学", "报名入口"]
    team_header = next(i for i, r in enumerate(rows) if r[1] == "管理员\n姓  名")
    assert rows[team_header + 1][1:] == ["李管理", "区教育和体育局 办公室主任", "区教育和体育局 办公室主任",
                                         "0532-86980001", "13900000001"]
    # The printed form has three team rows even when fewer are filled in.
    assert rows[team_header + 3][1] == ""


def test_the_docx_sets_east_asian_fonts_and_embeds_the_qr_code(full_account):
    document = Document(io.BytesIO(attachment1_docx(full_account)))
    xml = document.element.xml + document.styles.element.xml
    assert 'w:eastAsia="宋体"' in xml
    assert 'w:eastAsia="仿宋"' in xml
    assert len(document.inline_shapes) == 1


def test_the_opinions_carry_the_fixed_sentence_signer_and_date(full_account):
    cells = _docx_cells(attachment1_docx(full_account))
    host = _docx_cell_after(cells, "主办单位\n意    见")
    assert host.startswith("已知本单位在网络公共平台开办（变更、关停）此政务新媒体账号")
    # The 分管领导 (赵局长, 副局长) has his own line; the principal signs the opinion.
    assert "主要负责人签字：王局长" in host and host.endswith("2026年2月27日")
    competent = _docx_cell_after(cells, "主管单位\n意    见")
    assert competent.startswith("负责人签字：") and "年      月      日" in competent


def test_another_platform_is_named_on_the_line_after_other_types():
    checks = platform_checks(platform("douyin"))
    assert check_text(checks).endswith("☑其他类型（如：今日头条、一点资讯、美篇、知乎、简书、抖音、快手、火山小视频等）：抖音")
    assert check_text(platform_checks(platform("weibo"))).startswith("☑微博  ☐微信")


@pytest.mark.parametrize(("status", "ticked"), [
    (AccountStatus.NORMAL, "☑正常"), (AccountStatus.CLOSING, "☑正常"), (AccountStatus.CLOSED, "☑关停"),
    (AccountStatus.CANCELLED, "☑注销"), (AccountStatus.PENDING, None),
])
def test_the_running_status_ticks_one_box(status, ticked):
    text = check_text(status_checks(status))
    assert text.count("☑") == (1 if ticked else 0)
    if ticked:
        assert ticked in text


def test_an_account_without_link_or_image_has_no_qr_and_still_renders(district):
    account = AccountFactory(host_unit=district.street, access_url="", name="灵山卫发布")
    document = Document(io.BytesIO(attachment1_docx(account)))
    assert len(document.inline_shapes) == 0
    assert attachment1_pdf(account).startswith(b"%PDF")


def test_the_pdf_is_a_pdf_with_the_account_name_in_its_text(full_account):
    data = attachment1_pdf(full_account)
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    assert "西海岸教体" in text
    assert "青岛西海岸新区政务新媒体备案登记表" in text
    assert "调整栏目设置，增加招生入学服务" in text


def test_the_pdf_embeds_a_subset_of_an_open_cjk_font(full_account):
    # Adobe's CID fonts (STSong-Light) are never embedded: without the Asian font pack poppler substitutes.
    data = attachment1_pdf(full_account)
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    done = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True)
    fonts = [line.split() for line in done.stdout.decode().splitlines()[2:]]
    cjk = [f for f in fonts if "UMing" in f[0]]
    assert cjk and all(f[0].split("+")[0].isupper() and f[-5:-3] == ["yes", "yes"] for f in cjk)  # emb, sub
    assert not any("STSong" in f[0] for f in fonts)


def test_without_the_font_the_pdf_names_the_package_to_install(full_account, settings, monkeypatch):
    from reportlab.pdfbase import pdfmetrics

    from govmedia.registry import attachment1_pdf as pdf

    monkeypatch.setattr(pdf, "FONT", "GovmediaSongMissing")
    settings.GOVMEDIA_PDF_FONT = "/nonexistent/font.ttc:0"
    with pytest.raises(ImproperlyConfigured, match="fonts-arphic-uming"):
        attachment1_pdf(full_account)
    assert "GovmediaSongMissing" not in pdfmetrics.getRegisteredFontNames()


def test_a_long_form_flows_onto_a_second_page(full_account):
    for i in range(60):
        ColumnMenu.objects.create(account=full_account, level1=f"一级菜单{i}", level2="二级", position=10 + i)
    text = _pdf_text(attachment1_pdf(full_account))
    assert "一级菜单59" in text
    assert "\f" in text.rstrip("\f")  # more than one page


def test_text_with_markup_characters_is_printed_literally(district):
    account = AccountFactory(host_unit=district.street, name="A&B <发布>", introduction="<b>不是标签</b> & 符号")
    text = _pdf_text(attachment1_pdf(account))
    assert "A&B <发布>" in text and "<b>不是标签</b>" in text


def test_the_download_file_name_is_the_account_name_without_path_characters(district):
    account = AccountFactory(host_unit=district.street, name='教体/发布:"A"')
    assert safe_filename(account, "pdf") == "备案登记表-教体发布A.pdf"


def _pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def test_the_docx_reads_the_table_grid_once_however_long_the_form(full_account, monkeypatch):
    # python-docx's table.cell() and merge() rebuild the grid per call: 0.41 s per account before.
    from docx.oxml.table import CT_Tc
    from docx.table import Table

    calls = []
    monkeypatch.setattr(Table, "cell", lambda *a: calls.append("cell"))
    monkeypatch.setattr(CT_Tc, "merge", lambda *a: calls.append("merge"))
    for i in range(40):
        ColumnMenu.objects.create(account=full_account, level1=f"一级菜单{i}", position=10 + i)
    table = Document(io.BytesIO(attachment1_docx(full_account))).tables[0]
    assert calls == []
    rows = [[c.text for c in row.cells] for row in table.rows]
    menu_rows = [r for r in rows if r[0].startswith("栏目设置")]
    assert len(menu_rows) == 1 + 42  # the label spans the header and every menu row
    assert [r[2] for r in rows if r[2] == "一级菜单39"] == ["一级菜单39"]
