"""Importing an existing ledger (all or nothing, every problem named) and exporting the registry."""

import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from govmedia.errors import PermissionDenied
from govmedia.orgs.models import Person
from govmedia.registry.ledger import (
    COLUMNS,
    export_registry,
    import_ledger,
    ledger_template,
)
from govmedia.registry.ledger_cells import MAX_ACCOUNTS
from govmedia.registry.models import (
    Account,
    AccountStatus,
    ColumnMenu,
    Filing,
    FilingKind,
    FollowerSnapshot,
    LifecycleEvent,
    TeamMember,
)
from govmedia.workdays.selectors import add_working_days
from tests.factories import AccountFactory, PersonFactory, platform
from tests.uncovered_year import LAST_COVERED_DAY, weekdays

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in COLUMNS]


def _row(**values) -> dict:
    base = {
        "主办单位": "区教育和体育局", "账号名称": "西海岸教体", "账号ID": "gh_xhaedu", "发布平台": "微信订阅号",
        "创建/注册日期": "2019-05-06", "是否通过认证": "是", "是否取得互联网新闻信息服务资质": "否",
        "主办单位分管领导": "赵局长", "主办单位分管领导职务": "副局长", "基本情况介绍": "发布教育政策。",
        "访问链接": "https://mp.weixin.qq.com/xhaedu", "正式运营时间": "2019-06-01", "关注量/粉丝量": "12000",
        "运行状态": "正常", "账号具体责任人": "钱审核", "责任人职务": "宣传科科长", "责任人手机": "13900000002",
    }
    base.update(values)
    return base


def _xlsx(rows: list[dict], headers: list[str] = HEADERS, *, sheets: dict | None = None) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = "账号台账"
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h, "") for h in headers])
    for name, (sheet_headers, sheet_rows) in (sheets or {}).items():
        extra = workbook.create_sheet(name)
        extra.append(sheet_headers)
        for row in sheet_rows:
            extra.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _csv(rows: list[dict], encoding: str, headers: list[str] = HEADERS) -> bytes:
    lines = [",".join(headers)] + [",".join(str(row.get(h, "")) for h in headers) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _import(data: bytes, user, name="台账.xlsx", **kwargs):
    return import_ledger(file_obj=SimpleUploadedFile(name, data), filename=name, user=user, **kwargs)


def _problems(result) -> list[tuple]:
    return [(e.row, e.column, e.value) for e in result.errors]


# ---------------------------------------------------------------- a good file


def test_a_valid_ledger_creates_every_account_with_its_history(edu_unit_admin, district, frozen_clock):
    rows = [_row(), _row(主办单位="西海岸新区实验小学", 账号名称="实验小学", 账号ID="xhsy", 发布平台="douyin",
                     主管单位="区教育和体育局", 账号具体责任人="周校长", 责任人职务="", 责任人手机="")]
    result = _import(_xlsx(rows), edu_unit_admin)

    assert result.ok, result.errors
    assert result.created == 2
    account = Account.objects.get(account_id="gh_xhaedu")
    assert account.host_unit == district.edu and account.competent_unit == district.edu
    assert account.platform == platform("wechat-subscription")
    assert account.status == AccountStatus.NORMAL
    assert account.is_verified and not account.has_news_licence
    assert account.registered_on == date(2019, 5, 6) and account.live_on == date(2019, 6, 1)
    event = account.events.get()
    assert event.action == LifecycleEvent.Action.IMPORT and event.actor == edu_unit_admin
    snapshot = account.follower_snapshots.get()
    assert (snapshot.followers, snapshot.taken_on) == (12000, frozen_clock.today)
    assert Account.objects.get(account_id="xhsy").platform == platform("douyin")


def test_the_responsible_person_is_found_by_name_in_the_host_unit_or_created(edu_unit_admin, district):
    existing = Person.objects.get(unit=district.edu, name="钱审核")
    result = _import(_xlsx([_row(), _row(账号ID="wb1", 发布平台="新浪微博", 账号名称="教体微博",
                                         账号具体责任人="新同事", 责任人手机="13911112222")]), edu_unit_admin)
    assert result.ok, result.errors
    assert Account.objects.get(account_id="gh_xhaedu").responsible_person == existing
    created = Account.objects.get(account_id="wb1").responsible_person
    assert (created.name, created.unit, created.mobile) == ("新同事", district.edu, "13911112222")


def test_menus_and_team_come_from_their_own_sheets(edu_unit_admin):
    key = ["微信订阅号", "gh_xhaedu", "西海岸教体"]
    sheets = {
        "栏目设置": (["发布平台", "账号ID", "账号名称", "名称", "一级菜单", "二级菜单", "三级菜单", "备注"],
                 [key + ["政务公开", "教育资讯", "通知公告", "", ""], key + ["", "办事服务", "", "", "小程序"]]),
        "管理队伍": (["发布平台", "账号ID", "账号名称", "管理员姓名", "所在单位及职务", "办公电话", "手机号码"],
                 [key + ["李管理", "区教育和体育局 办公室主任", "0532-86980001", "13900000001"]]),
    }
    result = _import(_xlsx([_row()], sheets=sheets), edu_unit_admin)
    assert result.ok, result.errors
    account = Account.objects.get(account_id="gh_xhaedu")
    assert [c.level1 for c in account.columns.all()] == ["教育资讯", "办事服务"]
    assert account.team.get().mobile == "13900000001"


def test_a_menu_row_for_an_account_not_in_the_main_sheet_is_an_error(edu_unit_admin):
    sheets = {"栏目设置": (["发布平台", "账号ID", "一级菜单"], [["新浪微博", "nobody", "首页"]])}
    result = _import(_xlsx([_row()], sheets=sheets), edu_unit_admin)
    assert [(e.sheet, e.row, e.column, e.value) for e in result.errors] == [("栏目设置", 2, "账号ID", "nobody")]
    assert not Account.objects.exists()


@pytest.mark.parametrize("cell", ["2019-05-06", "2019/5/6", "2019年5月6日", "２０１９年５月６日",
                                  datetime(2019, 5, 6), 43591])
def test_dates_may_be_written_the_usual_ways_or_be_excel_date_cells(edu_unit_admin, cell):
    result = _import(_xlsx([_row(**{"创建/注册日期": cell})]), edu_unit_admin)
    assert result.ok, result.errors
    assert Account.objects.get().registered_on == date(2019, 5, 6)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_a_csv_saved_as_utf8_with_or_without_bom_or_as_gbk_imports(edu_unit_admin, encoding):
    result = _import(_csv([_row()], encoding), edu_unit_admin, name="台账.csv")
    assert result.ok, result.errors
    assert Account.objects.get().name == "西海岸教体"


def test_a_title_row_above_the_header_and_bare_duty_and_phone_headers_are_understood(edu_unit_admin):
    workbook = Workbook()
    ws = workbook.active
    ws.append(["区教育和体育局政务新媒体台账"])
    ws.append(["主办单位", "账号名称", "账号ID", "发布平台", "运行状态", "主办单位分管领导", "职务", "联系电话",
               "承办单位", "分管领导", "职务", "联系电话", "账号具体责任人", "职务", "手机"])
    ws.append(["区教育和体育局", "西海岸教体", "gh_xhaedu", "微信订阅号", "正常", "赵局长", "副局长", "0532-1",
               "西海岸融媒科技有限公司", "钱经理", "总经理", "138", "钱审核", "宣传科科长", "139"])
    out = io.BytesIO()
    workbook.save(out)
    result = _import(out.getvalue(), edu_unit_admin)
    assert result.ok, result.errors
    account = Account.objects.get()
    assert (account.host_leader_name, account.host_leader_title, account.host_leader_contact) == (
        "赵局长", "副局长", "0532-1")
    assert (account.operating_leader_name, account.operating_leader_title, account.operating_leader_contact) == (
        "钱经理", "总经理", "138")
    assert account.responsible_person.title == "宣传科科长"


def test_followers_may_be_written_in_wan(edu_unit_admin):
    assert _import(_xlsx([_row(**{"关注量/粉丝量": "1.2万"})]), edu_unit_admin).ok
    assert FollowerSnapshot.objects.get().followers == 12000


# ---------------------------------------------------------------- bad rows: all reported, nothing written


def test_a_row_with_an_unknown_platform_is_reported_with_row_and_column_and_nothing_is_written(edu_unit_admin):
    rows = [_row(), _row(账号ID="x2", 发布平台="脸书")]
    result = _import(_xlsx(rows), edu_unit_admin)
    assert _problems(result) == [(3, "发布平台", "脸书")]
    assert "未知的发布平台" in result.errors[0].reason
    assert result.created == 0
    assert not Account.objects.exists()
    assert not LifecycleEvent.objects.exists()


def test_an_unknown_unit_is_reported_naming_row_column_and_value(edu_unit_admin):
    result = _import(_xlsx([_row(主办单位="不存在的局")]), edu_unit_admin)
    assert _problems(result) == [(2, "主办单位", "不存在的局")]


def test_every_bad_row_is_reported_not_only_the_first(edu_unit_admin):
    rows = [
        _row(账号ID="a", 发布平台="新浪微博", **{"创建/注册日期": "2019-13-01"}),
        _row(账号ID="b", 发布平台="抖音", 是否通过认证="可能"),
        _row(账号ID="c", 发布平台="快手", 运行状态="暂停"),
        _row(账号ID="", 发布平台="今日头条"),
        _row(账号ID="e", 发布平台="知乎", 访问链接="不是链接"),
        _row(账号ID="f", 发布平台="美篇", **{"关注量/粉丝量": "-5"}),
    ]
    result = _import(_xlsx(rows), edu_unit_admin)
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "创建/注册日期"), (3, "是否通过认证"), (4, "运行状态"), (5, "账号ID"), (6, "访问链接"), (7, "关注量/粉丝量"),
    ]
    assert all(e.reason for e in result.errors)
    assert not Account.objects.exists()


def test_a_row_for_another_unit_tells_nothing_of_that_units_accounts(edu_unit_admin, street_weibo):
    result = _import(_xlsx([_row(主办单位="灵山卫街道", 账号ID="lsw2", 发布平台="新浪微博"),
                            _row(账号ID=street_weibo.account_id, 发布平台="新浪微博")]), edu_unit_admin)
    reasons = " ".join(e.reason for e in result.errors)
    assert "管理范围" in reasons and "属其他单位" in reasons
    assert street_weibo.name not in reasons and "一个单位在同一平台" not in reasons


def test_a_unit_outside_the_importers_remit_is_refused_for_that_row(edu_unit_admin):
    result = _import(_xlsx([_row(), _row(主办单位="灵山卫街道", 账号ID="lsw", 发布平台="新浪微博")]), edu_unit_admin)
    assert _problems(result) == [(3, "主办单位", "灵山卫街道")]
    assert "管理范围" in result.errors[0].reason
    assert not Account.objects.exists()


def test_two_rows_of_one_unit_on_the_same_platform_break_article_5(edu_unit_admin):
    rows = [_row(), _row(账号ID="gh_service", 账号名称="教体服务", 发布平台="微信服务号")]
    result = _import(_xlsx(rows), edu_unit_admin)
    assert _problems(result) == [(3, "发布平台", "微信服务号")]
    assert "第2行" in result.errors[0].reason and "第五条" in result.errors[0].reason


def test_two_rows_with_the_same_platform_and_account_id_are_refused(edu_unit_admin):
    rows = [_row(), _row(主办单位="西海岸新区实验小学", 账号名称="实验小学", 主管单位="区教育和体育局")]
    result = _import(_xlsx(rows), edu_unit_admin)
    assert _problems(result) == [(3, "账号ID", "gh_xhaedu")]


def test_an_account_already_in_the_registry_is_refused(edu_unit_admin, edu_wechat):
    result = _import(_xlsx([_row()]), edu_unit_admin)
    columns = {e.column for e in result.errors}
    assert columns == {"账号ID", "发布平台"}  # same ID already registered; and edu already has a WeChat account
    assert Account.objects.count() == 1


def test_an_internal_department_may_not_host_an_account(edu_unit_admin):
    result = _import(_xlsx([_row(主办单位="区教育和体育局办公室", 主管单位="区教育和体育局")]), edu_unit_admin)
    assert [(e.column, "内设机构" in e.reason) for e in result.errors] == [("主办单位", True)]


def test_the_competent_unit_must_be_the_host_units_own(edu_unit_admin):
    result = _import(_xlsx([_row(主办单位="西海岸新区实验小学", 主管单位="管委办公室")]), edu_unit_admin)
    assert _problems(result) == [(2, "主管单位", "管委办公室")]


def test_a_closed_account_may_be_imported_beside_a_live_one_on_the_same_platform(edu_unit_admin, edu_wechat):
    result = _import(_xlsx([_row(账号ID="gh_old", 账号名称="旧公众号", 运行状态="关停")]), edu_unit_admin)
    assert result.ok, result.errors
    assert Account.objects.get(account_id="gh_old").status == AccountStatus.CLOSED


def test_a_missing_required_column_is_reported_once_for_the_file(edu_unit_admin):
    headers = [h for h in HEADERS if h != "发布平台"]
    result = _import(_xlsx([_row()], headers=headers), edu_unit_admin)
    assert _problems(result) == [(1, "发布平台", "发布平台")]


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("台账.xls", b"\xd0\xcf\x11\xe0", "另存为"),
    ("台账.txt", b"abc", ".xlsx 或 .csv"),
    ("台账.xlsx", b"not a zip at all", "无法读取"),
    ("台账.csv", b"", "没有账号数据"),
])
def test_an_unreadable_file_is_one_clear_error(edu_unit_admin, name, data, reason):
    result = _import(data, edu_unit_admin, name=name)
    assert len(result.errors) == 1 and result.errors[0].row == 0
    assert reason in result.errors[0].reason


def test_a_file_with_too_many_rows_is_refused_before_checking(edu_unit_admin):
    rows = [_row(账号ID=f"id{i}") for i in range(MAX_ACCOUNTS + 1)]
    result = _import(_csv(rows, "utf-8"), edu_unit_admin, name="big.csv")
    assert len(result.errors) == 1 and "超过" in result.errors[0].reason


def test_a_file_over_10mb_is_refused(edu_unit_admin):
    result = _import(b"x" * (10 * 1024 * 1024 + 1), edu_unit_admin, name="big.csv")
    assert "10MB" in result.errors[0].reason


def test_dry_run_checks_everything_and_writes_nothing(edu_unit_admin):
    result = _import(_xlsx([_row()]), edu_unit_admin, dry_run=True)
    assert result.ok and result.rows == 1 and result.created == 0
    assert not Account.objects.exists()


def test_an_operator_may_not_import(edu_operator):
    with pytest.raises(PermissionDenied):
        _import(_xlsx([_row()]), edu_operator)


# ---------------------------------------------------------------- legacy filings (art. 19)


def test_an_account_opened_before_the_measures_gets_a_legacy_filing(edu_unit_admin, frozen_clock):
    assert _import(_xlsx([_row()]), edu_unit_admin).ok
    filing = Filing.objects.get()
    assert filing.kind == FilingKind.LEGACY and filing.filed_on is None
    assert filing.triggered_on == date(2020, 9, 10)
    assert filing.due_on == add_working_days(date(2020, 9, 10), 20).date


def test_a_legacy_account_with_a_provincial_filing_is_recorded_as_filed(edu_unit_admin, frozen_clock):
    row = _row(省备案系统编号="SD-2020-001", 省备案日期="2020-09-30")
    assert _import(_xlsx([row]), edu_unit_admin).ok
    filing = Filing.objects.get()
    assert filing.filed_on == date(2020, 9, 30) and filing.filed_by == edu_unit_admin
    account = filing.account
    assert (account.provincial_filing_no, account.provincial_filed_on) == ("SD-2020-001", date(2020, 9, 30))


def test_an_account_opened_after_the_measures_or_already_closed_gets_no_legacy_filing(edu_unit_admin, frozen_clock):
    rows = [_row(**{"创建/注册日期": "2021-01-05"}),
            _row(账号ID="old", 账号名称="旧微博", 发布平台="新浪微博", 运行状态="注销")]
    assert _import(_xlsx(rows), edu_unit_admin).ok
    assert not Filing.objects.exists()


# ---------------------------------------------------------------- export


def _sheet_rows(data: bytes, name: str) -> list[dict]:
    ws = load_workbook(io.BytesIO(data))[name]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_export_has_three_sheets_with_a_styled_frozen_header(supervisor, edu_wechat):
    workbook = load_workbook(io.BytesIO(export_registry(supervisor)))
    assert workbook.sheetnames == ["账号台账", "栏目设置", "管理队伍"]
    ws = workbook["账号台账"]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.bold and ws["A1"].value == "主办单位"
    assert ws.column_dimensions["A"].width > 20
    assert [c.value for c in ws[1]][-4:] == ["粉丝量统计日期", "待办备案事项", "待办备案期限", "期限是否暂定"]


def test_the_export_shows_latest_followers_and_the_open_filing_deadline(supervisor, edu_wechat):
    FollowerSnapshot.objects.create(account=edu_wechat, taken_on=date(2026, 1, 1), followers=10)
    FollowerSnapshot.objects.create(account=edu_wechat, taken_on=date(2026, 2, 1), followers=20)
    Filing.objects.create(account=edu_wechat, kind=FilingKind.CHANGE, triggered_on=date(2026, 2, 2),
                          due_on=date(2026, 2, 11))
    [row] = _sheet_rows(export_registry(supervisor), "账号台账")
    assert row["关注量/粉丝量"] == 20 and row["粉丝量统计日期"].date() == date(2026, 2, 1)
    assert row["待办备案事项"] == "变更备案" and row["待办备案期限"].date() == date(2026, 2, 11)
    assert row["期限是否暂定"] == "否"


def test_the_export_marks_a_provisional_filing_deadline(supervisor, edu_wechat):
    Filing.objects.create(account=edu_wechat, kind=FilingKind.CHANGE, triggered_on=LAST_COVERED_DAY,
                          due_on=weekdays(7)[-1], due_is_provisional=True)
    [row] = _sheet_rows(export_registry(supervisor), "账号台账")
    assert row["待办备案期限"].date() == weekdays(7)[-1] and row["期限是否暂定"] == "是"


def test_the_export_holds_only_what_the_user_sees_and_honours_the_list_filters(
        street_unit_admin, supervisor, edu_wechat, street_weibo, edu_weibo):
    names = [r["账号名称"] for r in _sheet_rows(export_registry(street_unit_admin), "账号台账")]
    assert names == ["灵山卫发布"]
    filtered = _sheet_rows(export_registry(supervisor, platform=platform("weibo").pk, q="教育"), "账号台账")
    assert [r["账号名称"] for r in filtered] == ["西海岸教育发布"]


def test_text_that_looks_like_a_formula_is_exported_as_text(supervisor, district):
    AccountFactory(host_unit=district.street, name="=HYPERLINK(\"http://evil\")")
    ws = load_workbook(io.BytesIO(export_registry(supervisor)))["账号台账"]
    assert ws["B2"].data_type == "s"


def test_export_then_import_into_an_empty_registry_recreates_the_accounts(supervisor, district, frozen_clock):
    responsible = PersonFactory(unit=district.edu, name="钱审核", title="宣传科科长", mobile="13900000002")
    accounts = [
        AccountFactory(host_unit=district.edu, platform=platform("wechat-subscription"), name="西海岸教体",
                       account_id="gh_xhaedu", registered_on=date(2019, 5, 6), is_verified=True,
                       host_leader_name="赵局长", host_leader_title="副局长", host_leader_contact="0532-1",
                       operating_unit=district.contractor, operating_leader_name="钱经理",
                       introduction="发布教育政策。\n第二段", access_url="https://mp.weixin.qq.com/x",
                       responsible_person=responsible, provincial_filing_no="SD-1", provincial_filed_on=date(2020, 9, 30),
                       host_opinion_signer="赵局长", host_opinion_on=date(2020, 9, 1)),
        AccountFactory(host_unit=district.water_co, platform=platform("douyin"), name="供水服务", account_id="12345678",
                       status=AccountStatus.CLOSED, registrant_kind="organisation", live_on=None),
        AccountFactory(host_unit=district.school, platform=platform("weibo"), name="=实验小学", account_id="007"),
    ]
    ColumnMenu.objects.create(account=accounts[0], name="政务公开", level1="教育资讯", level2="通知公告", position=0)
    TeamMember.objects.create(account=accounts[0], name="李管理", unit_and_title="办公室主任", mobile="13900000001")
    FollowerSnapshot.objects.create(account=accounts[0], taken_on=date(2026, 2, 1), followers=12345)

    def snapshot():
        fields = [f.name for f in Account._meta.concrete_fields if f.name not in ("id", "created_at", "updated_at")]
        return {
            a.account_id: (
                {f: getattr(a, f) for f in fields},
                [(c.name, c.level1, c.level2, c.level3, c.remark) for c in a.columns.all()],
                [(m.name, m.unit_and_title, m.office_phone, m.mobile) for m in a.team.all()],
                a.follower_snapshots.values_list("followers", flat=True).first(),
            ) for a in Account.objects.order_by("account_id")
        }

    before = snapshot()
    data = export_registry(supervisor)
    Account.objects.all().delete()

    result = _import(data, supervisor, name="导出.xlsx")

    assert result.ok, result.errors
    assert result.created == 3
    assert snapshot() == before


def test_the_import_template_passes_its_own_check(edu_unit_admin):
    result = _import(ledger_template(edu_unit_admin), edu_unit_admin, name="模板.xlsx", dry_run=True)
    assert result.ok, result.errors
    assert result.rows == 1


# ---------------------------------------------------------------- management commands


def test_the_import_command_reports_problems_and_fails_without_writing(edu_unit_admin, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(_xlsx([_row(发布平台="脸书")]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="发现 1 个问题"):
        call_command("import_ledger", str(path), user="edu_admin", stderr=err)
    assert "账号台账 第2行\t发布平台\t脸书\t" in err.getvalue()
    assert not Account.objects.exists()


def test_the_import_command_imports_and_the_export_command_writes_the_registry(edu_unit_admin, tmp_path):
    source = tmp_path / "台账.csv"
    source.write_bytes(_csv([_row()], "gbk"))
    out = io.StringIO()
    call_command("import_ledger", str(source), user="edu_admin", stdout=out)
    assert "已导入 1 个账号" in out.getvalue()
    target = tmp_path / "导出.xlsx"
    call_command("export_registry", str(target), user="edu_admin", stdout=io.StringIO())
    assert [r["账号ID"] for r in _sheet_rows(target.read_bytes(), "账号台账")] == ["gh_xhaedu"]
