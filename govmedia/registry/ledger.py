"""The account ledger (台账) as a spreadsheet: import an existing ledger, export the registry.

Import validates every row of every sheet first and collects all problems as RowError(row, column,
value, reason); only a file without a single problem is written, in one transaction. Export writes
the same columns, so an exported file imports again unchanged (sheets 账号台账, 栏目设置, 管理队伍).
Reading cells, dates and files lives in `ledger_cells`, writing a checked ledger in `ledger_write`;
this module holds the ledger's rules.
"""

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery

from govmedia import clock
from govmedia.errors import PermissionDenied, RuleViolation, ValidationError
from govmedia.orgs.models import Role, Unit, User
from govmedia.orgs.selectors import unit_ids_managed_by
from govmedia.registry.ledger_cells import (
    COLUMNS_SHEET,
    MAIN_SHEET,
    TEAM_SHEET,
    CellProblem,
    Col,
    FileProblem,
    Sheet,
    map_headers,
    normalise,
    parse_bool,
    parse_date,
    parse_int,
    read_sheets,
    text,
    write_workbook,
)
from govmedia.registry.ledger_write import Draft, write_drafts
from govmedia.registry.models import (
    LIVE_STATUSES,
    Account,
    AccountStatus,
    ColumnMenu,
    Filing,
    FollowerSnapshot,
    Platform,
    TeamMember,
)
from govmedia.registry.rules import HolderFacts, check_account_holder, default_competent_unit_id
from govmedia.registry.selectors import registry_list

# The main sheet, in the order of attachment 1. `key` is an Account field unless noted in _EXTRA_KEYS.
COLUMNS = [
    Col("主办单位", "host_unit", "unit", required=True, width=26),
    Col("账号名称", "name", required=True, width=22),
    Col("账号ID", "account_id", required=True, width=20, aliases=("账号id", "账号ID号")),
    Col("发布平台", "platform", "platform", required=True, width=16, aliases=("发布平台(系统)", "平台")),
    Col("注册主体", "registrant_kind", "registrant", width=10),
    Col("创建/注册日期", "registered_on", "date", aliases=("创建日期", "注册日期", "创建(注册)日期")),
    Col("是否通过认证", "is_verified", "bool"),
    Col("是否取得互联网新闻信息服务资质", "has_news_licence", "bool", width=18),
    Col("主管单位", "competent_unit", "unit", width=26),
    Col("主办单位分管领导", "host_leader_name"),
    Col("主办单位分管领导职务", "host_leader_title"),
    Col("主办单位联系电话及方式", "host_leader_contact", width=18),
    Col("承办单位", "operating_unit", "unit", width=26),
    Col("承办单位分管领导", "operating_leader_name"),
    Col("承办单位分管领导职务", "operating_leader_title"),
    Col("承办单位联系电话及方式", "operating_leader_contact", width=18),
    Col("基本情况介绍", "introduction", width=40),
    Col("访问链接", "access_url", width=32),
    Col("正式运营时间", "live_on", "date"),
    Col("关注量/粉丝量", "followers", "int", aliases=("关注量", "粉丝量")),
    Col("运行状态", "status", "status", required=True, width=10),
    Col("省备案系统编号", "provincial_filing_no", width=18),
    Col("省备案日期", "provincial_filed_on", "date"),
    Col("账号具体责任人", "responsible_name", aliases=("责任人",)),
    Col("责任人职务", "responsible_title"),
    Col("责任人手机", "responsible_mobile", aliases=("责任人手机号码", "责任人联系电话")),
    Col("主办单位意见签字人", "host_opinion_signer"),
    Col("主办单位意见日期", "host_opinion_on", "date"),
    Col("主管单位意见签字人", "competent_opinion_signer"),
    Col("主管单位意见日期", "competent_opinion_on", "date"),
]
_EXTRA_KEYS = {"followers", "responsible_name", "responsible_title", "responsible_mobile"}
# Export-only columns; an import ignores them (and any other column it does not know).
EXPORT_EXTRA = [("粉丝量统计日期", 14), ("待办备案事项", 16), ("待办备案期限", 14), ("期限是否暂定", 12)]
_ACCOUNT_KEYS = [Col("发布平台", "platform", "platform", required=True, width=16),
                 Col("账号ID", "account_id", required=True, width=20),
                 Col("账号名称", "account_name", width=22)]
MENU_COLUMNS = _ACCOUNT_KEYS + [Col("名称", "name"), Col("一级菜单", "level1", required=True),
                                Col("二级菜单", "level2"), Col("三级菜单", "level3"), Col("备注", "remark", width=30)]
TEAM_COLUMNS = _ACCOUNT_KEYS + [Col("管理员姓名", "name", required=True),
                                Col("所在单位及职务", "unit_and_title", required=True, width=30),
                                Col("办公电话", "office_phone", width=16), Col("手机号码", "mobile", width=16)]

IMPORTABLE_STATUSES = {"正常": AccountStatus.NORMAL, "关停": AccountStatus.CLOSED, "注销": AccountStatus.CANCELLED}
REGISTRANT_KINDS = {"": "organisation", "单位": "organisation", "个人": "individual"}
IMPORT_ROLES = {Role.SUPERVISOR, Role.UNIT_ADMIN, Role.LEADER}
_FOREIGN_KEYS = ["platform", "host_unit", "competent_unit", "operating_unit", "responsible_person"]
_HEADER_BY_KEY = {c.key: c.header for c in COLUMNS}
_HEADER_BY_KEY["qr_code"] = "新媒体二维码"


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's own row number (header is row 1); 0 for problems with the whole file
    column: str
    value: str
    reason: str
    sheet: str = MAIN_SHEET


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    rows: int = 0  # account rows checked
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def may_import(user: User) -> bool:
    return user.is_authenticated and (user.is_district_supervisor or user.role in IMPORT_ROLES)


def import_ledger(*, file_obj, filename: str, user: User, dry_run: bool = False) -> ImportResult:
    """Check a ledger file and, when every row is valid and not dry_run, create its accounts.

    Data problems come back in ImportResult.errors; nothing is written unless there are none.
    """
    # An import builds some hundred thousand objects that all live until it ends; the cyclic collector
    # would walk them again and again (a third of the time of a 3,000-row ledger) and free nothing.
    with gc_paused():
        return _import_ledger(file_obj=file_obj, filename=filename, user=user, dry_run=dry_run)


@contextmanager
def gc_paused():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _import_ledger(*, file_obj, filename: str, user: User, dry_run: bool) -> ImportResult:
    if not may_import(user):
        raise PermissionDenied("只有单位管理员、单位负责人或区级监管员可以导入台账")
    result = ImportResult(dry_run=dry_run)
    try:
        sheets = read_sheets(file_obj, filename, [MAIN_SHEET, COLUMNS_SHEET, TEAM_SHEET])
    except FileProblem as problem:
        result.errors.append(RowError(0, "", filename, str(problem)))
        return result
    if not sheets[MAIN_SHEET].headers:
        result.errors.append(RowError(0, "", filename, "文件是空的，没有账号数据"))
        return result
    checker = _Checker(user)
    drafts = checker.accounts(sheets[MAIN_SHEET])
    result.rows = len(sheets[MAIN_SHEET].rows)
    checker.attach(drafts, sheets.get(COLUMNS_SHEET), MENU_COLUMNS, "columns")
    checker.attach(drafts, sheets.get(TEAM_SHEET), TEAM_COLUMNS, "team")
    result.errors = checker.errors
    if not drafts and not result.errors:
        result.errors.append(RowError(0, "", filename, "文件中没有账号数据行"))
    if result.errors or dry_run:
        return result
    try:
        with transaction.atomic():
            write_drafts(drafts, user=user, filename=filename)
    except (IntegrityError, ValidationError) as exc:
        # Someone registered the same account between our check and our write: nothing was kept.
        result.errors.append(RowError(0, "", filename, f"写入时发生冲突，未导入任何数据，请重试：{exc}"))
        return result
    result.created = len(drafts)
    return result


class _Checker:
    """Validates rows into unsaved Accounts, collecting every problem instead of stopping at the first."""

    def __init__(self, user: User):
        self.user = user
        self.remit = unit_ids_managed_by(user)
        self.today = clock.today()
        self.errors: list[RowError] = []
        self.units_by_pk = Unit.objects.in_bulk()
        self.units = {normalise(u.name): u for u in self.units_by_pk.values()}
        # Any unit may be named as host in the file: the facts cover them all, in a few queries.
        self.facts = HolderFacts(Unit.objects.values("pk"), units_by_pk=self.units_by_pk)
        self.registered = {(p, a): (name, unit, unit_id) for p, a, name, unit, unit_id in Account.objects.values_list(
            "platform_id", "account_id", "name", "host_unit__name", "host_unit_id")}
        self.platforms: dict[str, Platform] = {}
        for p in Platform.objects.all():
            self.platforms[normalise(p.name)] = p
            self.platforms.setdefault(normalise(p.code), p)
        # How each kind of column (Col.kind) reads a cell; any other kind is plain text.
        self._parsers = {"unit": self._unit, "platform": self._platform, "date": parse_date, "bool": parse_bool,
                         "int": parse_int, "status": self._status, "registrant": self._registrant}

    def error(self, sheet: Sheet, row: int, column: str, value, reason: str) -> None:
        self.errors.append(RowError(row, column, text(value), reason, sheet.name))

    def _values(self, sheet: Sheet, spec: list[Col]):
        """Yield each data row as (row, {key: (cleaned value, raw)}), or (row, None) when a cell is bad;
        cell-level problems are recorded as the row is reached, so errors come out in row order."""
        columns, problems = map_headers(sheet.headers, spec)
        for header, reason in problems:
            self.error(sheet, sheet.header_row, header, header, reason)
        if problems:
            return
        for row, cells in sheet.rows:
            values, bad = {}, False
            for index, col in columns.items():
                raw = cells[index] if index < len(cells) else None
                try:
                    values[col.key] = (self._cell(col, raw), raw)
                except CellProblem as problem:
                    self.error(sheet, row, col.header, raw, str(problem))
                    bad = True
            for col in spec:
                if col.required and col.key in values and values[col.key][0] in ("", None):
                    self.error(sheet, row, col.header, "", f"“{col.header}”为必填项")
                    bad = True
            yield row, (values if not bad else None)

    def _cell(self, col: Col, raw):
        parse = self._parsers.get(col.kind)
        return text(raw) if parse is None else parse(raw)

    def _unit(self, raw) -> Unit | None:
        name = text(raw)
        if not name:
            return None
        unit = self.units.get(normalise(name))
        if unit is None:
            raise CellProblem(f"系统中没有名为“{name}”的单位，请先在后台添加或核对名称")
        return unit

    def _platform(self, raw) -> Platform | None:
        name = text(raw)
        if not name:
            return None
        found = self.platforms.get(normalise(name))
        if found is None:
            raise CellProblem(f"未知的发布平台“{name}”；可填平台名称（如 新浪微博、微信订阅号）或代码")
        return found

    @staticmethod
    def _status(raw) -> str:
        value = text(raw)
        if value and value not in IMPORTABLE_STATUSES:
            raise CellProblem("运行状态只能填“正常”“关停”或“注销”")
        return IMPORTABLE_STATUSES.get(value, "")

    @staticmethod
    def _registrant(raw) -> str:
        value = text(raw)
        if value not in REGISTRANT_KINDS:
            raise CellProblem("注册主体只能填“单位”或“个人”，不填视为单位")
        return REGISTRANT_KINDS[value]

    def accounts(self, sheet: Sheet) -> list[Draft]:
        drafts: list[Draft] = []
        by_key: dict[tuple[int, str], int] = {}
        by_exclusive: dict[tuple[int, str], int] = {}
        for row, values in self._values(sheet, COLUMNS):
            if values is None:
                continue
            draft = self._account(sheet, row, {k: v for k, (v, _raw) in values.items()}, values)
            if draft is None:
                continue
            account = draft.account
            key = (account.platform_id, account.account_id)
            if key in by_key:
                self.error(sheet, row, "账号ID", account.account_id,
                           f"与第{by_key[key]}行重复：同一平台的账号ID只能登记一次")
                continue
            by_key[key] = row
            if account.status in LIVE_STATUSES:
                exclusive = (account.host_unit_id, account.platform.exclusivity_key)
                if exclusive in by_exclusive:
                    self.error(sheet, row, "发布平台", account.platform.name,
                               f"与第{by_exclusive[exclusive]}行同为{account.host_unit.name}在同一平台的账号；"
                               "一个单位在同一平台只能开设一个政务新媒体账号（第五条）")
                    continue
                by_exclusive[exclusive] = row
            drafts.append(draft)
        return drafts

    def _account(self, sheet: Sheet, row: int, v: dict, raw: dict) -> Draft | None:
        before = len(self.errors)
        host: Unit = v["host_unit"]
        outside = not self._within_remit(host.pk)
        if outside:
            self.error(sheet, row, "主办单位", host.name, "该单位不在您的管理范围内，不能导入其账号")
        for key in ("registered_on", "provincial_filed_on", "host_opinion_on", "competent_opinion_on"):
            if v.get(key) and v[key] > self.today:
                self.error(sheet, row, _HEADER_BY_KEY[key], raw[key][1], "日期不能晚于今天")
        responsible = (v.get("responsible_name", ""), v.get("responsible_title", ""), v.get("responsible_mobile", ""))
        if not responsible[0] and (responsible[1] or responsible[2]):
            self.error(sheet, row, "账号具体责任人", "", "填写了责任人职务或手机，但未填写账号具体责任人姓名")
        fields = {k: x for k, x in v.items() if k not in _EXTRA_KEYS and x is not None}
        fields.setdefault("competent_unit", self.units_by_pk[default_competent_unit_id(host)])
        account = Account(**fields)
        try:
            # Foreign keys hold objects loaded above, so skip re-fetching each of them per row.
            account.full_clean(exclude=["qr_code", *_FOREIGN_KEYS], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                column = _HEADER_BY_KEY.get(key, key)
                value = raw.get(key, ("", ""))[1]
                for message in messages:
                    self.error(sheet, row, column, value, message)
        clash = self.registered.get((account.platform_id, account.account_id))
        if clash is not None:
            # Another unit's registry is not this importer's to read: only the fact of the clash is told.
            owner = f"为“{clash[0]}”（{clash[1]}）" if self._within_remit(clash[2]) else "（属其他单位）"
            self.error(sheet, row, "账号ID", account.account_id,
                       f"{account.platform.name}账号ID“{account.account_id}”已登记{owner}")
        if outside:
            # The art. 5 check would name the unit's other accounts; the row is refused already.
            return None
        try:
            check_account_holder(host_unit=host, platform=account.platform, name=account.name,
                                 registrant_kind=account.registrant_kind,
                                 competent_unit_id=account.competent_unit_id, facts=self.facts)
        except RuleViolation as violation:
            for key, messages in violation.message_dict.items():
                # A closed or cancelled account holds no place on its platform any more.
                if key == "platform" and account.status not in LIVE_STATUSES:
                    continue
                for message in messages:
                    self.error(sheet, row, _HEADER_BY_KEY.get(key, key), getattr(account, key, ""), message)
        if len(self.errors) > before:
            return None
        return Draft(row=row, account=account, followers=v.get("followers"), responsible=responsible)

    def _within_remit(self, unit_id: int) -> bool:
        return self.remit is None or unit_id in self.remit

    def attach(self, drafts: list[Draft], sheet: Sheet | None, spec: list[Col], into: str) -> None:
        """Rows of 栏目设置 / 管理队伍 belong to the main sheet's account with the same platform and ID."""
        if sheet is None or not sheet.headers:
            return
        model = ColumnMenu if into == "columns" else TeamMember
        by_key = {(d.account.platform_id, d.account.account_id): d for d in drafts}
        own_keys = [c.key for c in spec[len(_ACCOUNT_KEYS):]]
        for row, values in self._values(sheet, spec):
            if values is None:
                continue
            platform, account_id = values["platform"][0], values["account_id"][0]
            draft = by_key.get((platform.pk, account_id))
            if draft is None:
                self.error(sheet, row, "账号ID", account_id,
                           f"“{MAIN_SHEET}”中没有{platform.name}账号ID为“{account_id}”的有效行")
                continue
            item = {k: values[k][0] if k in values else "" for k in own_keys}
            child = model(account=draft.account, **item)
            try:
                # Its fields: the account is the draft's, checked above (a unique rule would involve it too).
                child.full_clean(exclude=["account"], validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    header = next((c.header for c in spec if c.key == key), key)
                    for message in messages:
                        self.error(sheet, row, header, item.get(key, ""), message)
                continue
            getattr(draft, into).append(child)


# ---------------------------------------------------------------- export


def _latest(model, field_name: str, order: str, **filters):
    return Subquery(model.objects.filter(account=OuterRef("pk"), **filters).order_by(order).values(field_name)[:1])


def export_queryset(user: User, **filters):
    return (
        registry_list(user, **filters)
        .select_related("responsible_person")
        .prefetch_related("columns", "team")
        .annotate(
            latest_followers=_latest(FollowerSnapshot, "followers", "-taken_on"),
            latest_followers_on=_latest(FollowerSnapshot, "taken_on", "-taken_on"),
            open_filing_kind=_latest(Filing, "kind", "due_on", filed_on__isnull=True),
            open_filing_due=_latest(Filing, "due_on", "due_on", filed_on__isnull=True),
            open_filing_due_provisional=_latest(Filing, "due_is_provisional", "due_on", filed_on__isnull=True),
        )
    )


def _account_row(account: Account) -> list:
    person = account.responsible_person
    values = {
        "host_unit": account.host_unit.name, "platform": account.platform.name,
        "registrant_kind": "个人" if account.registrant_kind == "individual" else "单位",
        "competent_unit": account.competent_unit.name,
        "operating_unit": account.operating_unit.name if account.operating_unit_id else "",
        "followers": getattr(account, "latest_followers", None),
        "status": account.get_status_display(),
        "responsible_name": person.name if person else "", "responsible_title": person.title if person else "",
        "responsible_mobile": person.mobile if person else "",
    }
    row = []
    for col in COLUMNS:
        value = values[col.key] if col.key in values else getattr(account, col.key)
        row.append(("是" if value else "否") if col.kind == "bool" else value)
    kind = getattr(account, "open_filing_kind", None)
    kind_label = dict(Filing._meta.get_field("kind").choices).get(kind, "") if kind else ""
    due, provisional = getattr(account, "open_filing_due", None), getattr(account, "open_filing_due_provisional", None)
    return row + [getattr(account, "latest_followers_on", None), kind_label, due,
                  ("是" if provisional else "否") if due else ""]


def export_registry(user: User, **filters) -> bytes:
    """XLSX of every account the user may see, narrowed by the registry list's filters."""
    main, menus, team = [], [], []
    for account in export_queryset(user, **filters):
        main.append(_account_row(account))
        key = [account.platform.name, account.account_id, account.name]
        menus += [key + [c.name, c.level1, c.level2, c.level3, c.remark] for c in account.columns.all()]
        team += [key + [m.name, m.unit_and_title, m.office_phone, m.mobile] for m in account.team.all()]
    return write_workbook([
        (MAIN_SHEET, [(c.header, c.width) for c in COLUMNS] + EXPORT_EXTRA, main),
        (COLUMNS_SHEET, [(c.header, c.width) for c in MENU_COLUMNS], menus),
        (TEAM_SHEET, [(c.header, c.width) for c in TEAM_COLUMNS], team),
    ])


def ledger_template(user: User) -> bytes:
    """An empty ledger to fill in: the import's headers, one example row per sheet, and a guide sheet."""
    unit = user.unit.name if user.unit else "青岛西海岸新区某某局"
    example = {
        "host_unit": unit, "name": "西海岸某某发布", "account_id": "gh_0123456789ab", "platform": "微信订阅号",
        "registrant_kind": "单位", "registered_on": date(2019, 5, 6), "is_verified": "是", "has_news_licence": "否",
        "competent_unit": "", "host_leader_name": "张三", "host_leader_title": "副局长",
        "host_leader_contact": "0532-86980000", "operating_unit": "", "introduction": "发布本单位政务信息、办事指南。",
        "access_url": "https://mp.weixin.qq.com/", "live_on": date(2019, 6, 1), "followers": 12000, "status": "正常",
        "responsible_name": "李四", "responsible_title": "办公室主任", "responsible_mobile": "13900000000",
    }
    key = ["微信订阅号", "gh_0123456789ab", "西海岸某某发布"]
    guide = [[c.header, "必填" if c.required else "", _GUIDE.get(c.kind, "")] for c in COLUMNS]
    return write_workbook([
        (MAIN_SHEET, [(c.header, c.width) for c in COLUMNS], [[example.get(c.key, "") for c in COLUMNS]]),
        (COLUMNS_SHEET, [(c.header, c.width) for c in MENU_COLUMNS], [key + ["", "政务公开", "通知公告", "", ""]]),
        (TEAM_SHEET, [(c.header, c.width) for c in TEAM_COLUMNS],
         [key + ["王五", f"{unit} 科员", "0532-86980001", "13900000001"]]),
        ("填写说明", [("列名", 30), ("是否必填", 10), ("填写要求", 70)], guide),
    ])


_GUIDE = {
    "unit": "填写系统中单位的全称；主管单位不填则取主办单位的主管单位",
    "platform": "填写平台名称（如 新浪微博、微信订阅号、抖音）或平台代码",
    "date": "YYYY-MM-DD、YYYY/MM/DD、YYYY年M月D日或 Excel 日期",
    "bool": "是 / 否，不填视为否",
    "int": "非负整数，可写“1.2万”",
    "status": "正常 / 关停 / 注销",
    "registrant": "单位 / 个人，不填视为单位；以个人身份注册的账号不得作为政务新媒体（第五条）",
}
