"""Attachment 1 of the measures (政务新媒体备案登记表) filled in for one account, as DOCX and PDF.

`form_for(account)` lays the form out once, as cells on a six-column grid with spans, mirroring the
printed form; `attachment1_docx` and `attachment1_pdf` only draw that layout.
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from govmedia import clock
from govmedia.registry.models import Account, AccountStatus, ApplicationState, Platform
from govmedia.registry.qr import qr_png

GRID_CM = [2.4, 2.9, 2.3, 3.4, 2.8, 3.2]  # 17 cm: A4 less 2 cm margins
MIN_MENU_ROWS, MIN_TEAM_ROWS = 2, 3  # the printed form's blank rows
HOST_OPINION = ("已知本单位在网络公共平台开办（变更、关停）此政务新媒体账号，并在开办期间建立有关管理制度，"
                "明确对此账号及发布内容负有管理责任。")
MENU_NOTE = ("注：政务新媒体栏目设置项主要针对政务微信及移动客户端（APP）内容的填报。"
             "填报政务微信时，请注明公众号类型（服务号或订阅号及小程序）")
OTHER_EXAMPLES = "其他类型（如：今日头条、一点资讯、美篇、知乎、简书、抖音、快手、火山小视频等）"
FOOTNOTES = [
    "注：1.此纸质备案表一式二份，管委办公室、主办单位承办单位各留备案。",
    "2.账号ID及名称、管理队伍人员或维护方式发生变更，应在7个工作日内以书面形式报主管单位备案。",
]


@dataclass
class Text:
    text: str
    align: str = "left"  # left, center, right
    small: bool = False
    title: str = ""  # names free text that may run long (a PDF prints an over-long one in full after the form)


@dataclass
class Checks:
    """A run of checkboxes: (checked, label, fill). `fill` is written on a line after the label;
    None means no line, "" a blank line to write on."""

    items: list[tuple[bool, str, str | None]]


@dataclass
class Picture:
    png: bytes | None
    width_cm: float = 2.3


@dataclass
class Cell:
    row: int
    col: int
    content: list
    colspan: int = 1
    rowspan: int = 1
    label: bool = False


@dataclass
class Form:
    title: str
    unit_name: str
    filled_on: date
    cells: list[Cell] = field(default_factory=list)
    rows: int = 0
    min_height_cm: dict[int, float] = field(default_factory=dict)


def _d(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _date_line(value: date | None) -> str:
    return _d(value) if value else "年      月      日"


def _yes_no(value: bool) -> Checks:
    return Checks([(value, "是", None), (not value, "否", None)])


def platform_checks(platform: Platform) -> Checks:
    family = Platform.Family
    label = platform.account_type_label
    return Checks([
        (platform.family == family.WEIBO, "微博", None),
        (platform.family == family.WECHAT, "微信（服务号/订阅号/小程序）",
         label if platform.family == family.WECHAT and label else None),
        (platform.family == family.WEISHI, "微视", None),
        (platform.family == family.APP, "移动客户端（APP）", None),
        (platform.family == family.OTHER, OTHER_EXAMPLES, platform.name if platform.family == family.OTHER else ""),
    ])


def status_checks(status: str) -> Checks:
    # During the closure notice the account still operates (art. 7): it is 正常 until the notice ends.
    ticked = {AccountStatus.NORMAL: "正常", AccountStatus.CLOSING: "正常", AccountStatus.CLOSED: "关停",
              AccountStatus.CANCELLED: "注销"}.get(status)
    return Checks([(ticked == label, label, None) for label in ("正常", "关停", "注销")])


def latest_reason(account: Account) -> str:
    application = account.applications.exclude(state=ApplicationState.WITHDRAWN).order_by("-submitted_at").first()
    return application.reason if application else ""


def service_lines(account: Account) -> list[str]:
    """One line per service the account offers, 类型：名称 链接, in the order of the kinds' list."""
    kinds = [kind for kind, _ in account.services.model._meta.get_field("kind").choices]
    services = sorted(account.services.all(), key=lambda s: (kinds.index(s.kind) if s.kind in kinds else len(kinds),
                                                              s.name))
    return [f"{service.get_kind_display()}：{service.name} {service.url}" for service in services]


def latest_followers(account: Account) -> int | None:
    snapshot = account.follower_snapshots.order_by("-taken_on").first()
    return snapshot.followers if snapshot else None


class _Grid:
    def __init__(self, form: Form):
        self.form = form

    def add(self, col, content, *, colspan=1, rowspan=1, label=False, row=None):
        row = self.form.rows if row is None else row
        if isinstance(content, str):
            content = [Text(content, align="center" if label else "left")]
        elif not isinstance(content, list):
            content = [content]
        self.form.cells.append(Cell(row, col, content, colspan, rowspan, label))

    def pair_row(self, label1, value1, label2, value2):
        """label | value (2 columns) | label | value (2 columns): the form's common row shape."""
        self.add(0, label1, label=True)
        self.add(1, value1, colspan=2)
        self.add(3, label2, label=True)
        self.add(4, value2, colspan=2)
        self.form.rows += 1

    def wide_row(self, label, value, min_height_cm=None):
        self.add(0, label, label=True)
        self.add(1, value, colspan=5)
        if min_height_cm:
            self.form.min_height_cm[self.form.rows] = min_height_cm
        self.form.rows += 1


def form_for(account: Account, *, today: date | None = None) -> Form:
    district = getattr(settings, "GOVMEDIA_DISTRICT_NAME", "青岛西海岸新区")
    form = Form(title=f"{district}政务新媒体备案登记表", unit_name=account.host_unit.name,
                filled_on=today or clock.today())
    g = _Grid(form)
    g.pair_row("账号ID\n及名称", f"{account.account_id}\n{account.name}", "创建/注册日期", _d(account.registered_on))
    g.pair_row("发布平台\n（系统）", account.platform.name, "是否通过认证", _yes_no(account.is_verified))
    g.pair_row("主管单位", account.competent_unit.name, "是否取得互联网\n新闻信息服务资质",
               _yes_no(account.has_news_licence))
    for who, unit, name, title, contact in (
        ("主办单位", account.host_unit, account.host_leader_name, account.host_leader_title,
         account.host_leader_contact),
        ("承办单位", account.operating_unit, account.operating_leader_name, account.operating_leader_title,
         account.operating_leader_contact),
    ):
        top = form.rows
        g.add(0, who, rowspan=2, label=True)
        g.add(1, unit.name if unit else "", colspan=2, rowspan=2)
        g.add(3, f"{who}\n分管领导及职务", label=True)
        g.add(4, " ".join(p for p in (name, title) if p), colspan=2)
        g.add(3, "联系电话及方式", label=True, row=top + 1)
        g.add(4, contact, colspan=2, row=top + 1)
        form.rows += 2
    g.add(0, "政务新媒体\n平台功能", label=True)
    g.add(1, platform_checks(account.platform), colspan=3)
    g.add(4, [Text("新媒体二维码："), Picture(qr_png(account))], colspan=2)
    form.rows += 1
    g.add(0, [Text("基本情况介绍："), Text(account.introduction, title="基本情况介绍")], colspan=6)
    form.min_height_cm[form.rows] = 1.6
    form.rows += 1
    g.wide_row("访问链接", account.access_url)
    if services := service_lines(account):
        # Art. 12's services (interaction.AccountService): the printed form has no field for them, so the
        # row appears, after the access link, only for an account that offers some.
        g.wide_row("提供服务", Text("\n".join(services), title="提供服务"))

    menus = list(account.columns.all())
    top = form.rows
    g.add(0, [Text("栏目设置", align="center"), Text(MENU_NOTE, small=True)], rowspan=1 + max(len(menus), MIN_MENU_ROWS),
          label=True)
    for col, header in enumerate(("名  称", "一级菜单", "二级菜单", "三级菜单", "备  注"), start=1):
        g.add(col, header, label=True, row=top)
    for i in range(max(len(menus), MIN_MENU_ROWS)):
        menu = menus[i] if i < len(menus) else None
        for col, key in enumerate(("name", "level1", "level2", "level3", "remark"), start=1):
            g.add(col, getattr(menu, key) if menu else "", row=top + 1 + i)
    form.rows = top + 1 + max(len(menus), MIN_MENU_ROWS)

    team = list(account.team.all())
    top = form.rows
    g.add(0, "管理队伍\n（主要成员）", rowspan=1 + max(len(team), MIN_TEAM_ROWS), label=True)
    g.add(1, "管理员\n姓  名", label=True, row=top)
    g.add(2, "所在单位及职务", colspan=2, label=True, row=top)
    g.add(4, "办公电话", label=True, row=top)
    g.add(5, "手机号码", label=True, row=top)
    for i in range(max(len(team), MIN_TEAM_ROWS)):
        member = team[i] if i < len(team) else None
        g.add(1, member.name if member else "", row=top + 1 + i)
        g.add(2, member.unit_and_title if member else "", colspan=2, row=top + 1 + i)
        g.add(4, member.office_phone if member else "", row=top + 1 + i)
        g.add(5, member.mobile if member else "", row=top + 1 + i)
    form.rows = top + 1 + max(len(team), MIN_TEAM_ROWS)

    g.wide_row("开办\n（变更、关停）\n理由", Text(latest_reason(account), title="开办（变更、关停）理由"),
               min_height_cm=1.0)
    g.wide_row("主办单位\n意    见", [
        Text(HOST_OPINION), Text(f"主要负责人签字：{account.host_opinion_signer}"),
        Text("（加盖印章）", align="right"), Text(_date_line(account.host_opinion_on), align="right"),
    ])
    g.wide_row("主管单位\n意    见", [
        Text(f"负责人签字：{account.competent_opinion_signer}"),
        Text("（加盖印章）", align="right"), Text(_date_line(account.competent_opinion_on), align="right"),
    ])
    followers = latest_followers(account)
    g.add(0, "正式运营\n时    间", label=True)
    g.add(1, _d(account.live_on))
    g.add(2, "关注量/粉丝量", label=True)
    g.add(3, f"{followers:,}" if followers is not None else "")
    g.add(4, "运行状态", label=True)
    g.add(5, status_checks(account.status))
    form.rows += 1
    return form


def check_text(checks: Checks) -> str:
    """The checkbox run as plain text with ☑/☐, e.g. "☑是  ☐否" (for DOCX and for reading back)."""
    parts = []
    for checked, label, fill in checks.items:
        part = ("☑" if checked else "☐") + label
        if fill is not None:
            part += f"：{fill}" if fill else "____________"
        parts.append(part)
    return "  ".join(parts)


def safe_filename(account: Account, suffix: str) -> str:
    name = "".join(ch for ch in account.name if ch.isprintable() and ch not in '\\/:*?"<>|').strip() or str(account.pk)
    return f"备案登记表-{name}.{suffix}"


# ---------------------------------------------------------------- documents
# The renderers import this module's layout classes, so they are imported here on use.


def attachment1_docx(account: Account, *, today: date | None = None) -> bytes:
    from govmedia.registry.attachment1_docx import render_docx

    return render_docx(form_for(account, today=today))


def attachment1_pdf(account: Account, *, today: date | None = None) -> bytes:
    from govmedia.registry.attachment1_pdf import render_pdf

    return render_pdf(form_for(account, today=today))
