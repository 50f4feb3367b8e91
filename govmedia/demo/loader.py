"""Load the demo district once, and say what it holds and how to log in.

The district (district.py) is built in order: units, people and logins, then each account by acting
out its story through the domain services (stories.py), then a year of follower counts. People, phone
numbers, platform ids and the values on the application forms are generated here from one seeded
random sequence, so the district is the same every time.

Nothing is frozen. A story that happened weeks ago is acted out through services told the moment
they act at (timeline.py), counted in working days back from today: what is overdue is overdue on
whatever day the demo is loaded, and every write is in the audit trail.
"""

import base64
import random
import re
import string
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count

from govmedia import clock
from govmedia.audit.context import Actor, acting_as
from govmedia.demo import district, interaction, monitoring, publishing
from govmedia.demo.district import AccountSpec, UnitSpec
from govmedia.demo.stories import Stories
from govmedia.interaction.models import OPEN_STATUSES, Message
from govmedia.interaction.selectors import overdue_messages
from govmedia.monitoring.models import RepostTask, Source
from govmedia.orgs.leadership import principal_rank
from govmedia.orgs.models import Person, Role, Unit, UnitKind, User
from govmedia.publishing.models import Draft, DraftState, LedgerEntry
from govmedia.registry import selectors
from govmedia.registry.models import (
    Account,
    AccountStatus,
    Application,
    ApplicationState,
    ClosureNotice,
    FollowerSnapshot,
    Platform,
)
from govmedia.settings_access import measures_effective_date

DEMO_ACTOR = Actor(user_id=None, label="系统（演示数据）", channel="command")
MARKER_USERNAME = "supervisor"


class DemoRefused(Exception):
    """The database holds other data; the demo is loaded into an empty registry only."""


def demo_present() -> bool:
    return (Unit.objects.filter(name=district.OFFICE).exists()
            and User.objects.filter(username=MARKER_USERNAME).exists())


def load_demo() -> bool:
    """Load the demo district. False (and no change) when it is already there."""
    if demo_present():
        return False
    if Unit.objects.exists() or Account.objects.exists():
        raise DemoRefused("数据库中已有单位或账号数据（非演示数据），演示数据只能载入空库。")
    taken = set(User.objects.filter(username__in=[u.username for u in district.DEMO_USERS])
                .exclude(username="admin").values_list("username", flat=True))
    if taken:
        raise DemoRefused(f"用户名已被占用：{'、'.join(sorted(taken))}")
    with acting_as(DEMO_ACTOR), transaction.atomic():
        _Loader().run()
    return True


@dataclass
class DemoSummary:
    units: int
    people: int
    users: int
    accounts: int
    accounts_by_status: list[tuple[str, int]]
    platforms_used: int
    platforms: int
    pending_applications: int
    rejected_applications: int
    open_filings: int
    overdue_filings: int
    notices_under_way: int
    sources: int
    repost_tasks: int
    ledger_entries: int
    drafts_in_review: int
    messages: int
    messages_open: int
    messages_overdue: int


def summarize() -> DemoSummary:
    supervisor = User.objects.get(username=MARKER_USERNAME)
    labels = dict(AccountStatus.choices)
    by_status = [(labels[row["status"]], row["n"]) for row in
                 Account.objects.values("status").annotate(n=Count("pk")).order_by("-n")]
    return DemoSummary(
        units=Unit.objects.count(),
        people=Person.objects.count(),
        users=User.objects.count(),
        accounts=Account.objects.count(),
        accounts_by_status=by_status,
        platforms_used=Platform.objects.filter(accounts__isnull=False).distinct().count(),
        platforms=Platform.objects.count(),
        pending_applications=Application.objects.filter(state=ApplicationState.SUBMITTED).count(),
        rejected_applications=Application.objects.filter(state=ApplicationState.REJECTED).count(),
        open_filings=selectors.open_filings(supervisor).count(),
        overdue_filings=selectors.overdue_filings(supervisor).count(),
        notices_under_way=selectors.notices_under_way().count(),
        sources=Source.objects.count(),
        repost_tasks=RepostTask.objects.count(),
        ledger_entries=LedgerEntry.objects.count(),
        drafts_in_review=Draft.objects.filter(state=DraftState.IN_REVIEW).count(),
        messages=Message.objects.count(),
        messages_open=Message.objects.filter(status__in=OPEN_STATUSES).count(),
        messages_overdue=len(overdue_messages(Message.objects.all(), clock.today())),
    )


def format_summary(s: DemoSummary) -> list[str]:
    statuses = "，".join(f"{label} {n}" for label, n in s.accounts_by_status)
    return [
        f"  单位 {s.units}，人员 {s.people}，用户 {s.users}",
        f"  账号 {s.accounts}：{statuses}；覆盖平台 {s.platforms_used}/{s.platforms}",
        f"  待审批申请 {s.pending_applications}，已退回待修改 {s.rejected_applications}",
        f"  待备案 {s.open_filings}，其中逾期 {s.overdue_filings}；关停注销公告公示中 {s.notices_under_way}",
        f"  监测数据源 {s.sources}（在平台模拟器上，make run 启动并先读取一轮），区级转载任务 {s.repost_tasks} 项",
        f"  审核发布台账 {s.ledger_entries} 条，审核中稿件 {s.drafts_in_review} 件；"
        f"互动留言 {s.messages} 条，待答复 {s.messages_open}，其中逾期 {s.messages_overdue}",
    ]


def _pad(text: str, width: int) -> str:
    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - shown, 1)


def format_logins() -> list[str]:
    lines = [f"演示登录（密码均为 {district.DEMO_PASSWORD}）：",
             "  " + _pad("用户名", 18) + _pad("角色", 28) + "单位"]
    lines += ["  " + _pad(u.username, 18) + _pad(u.role_label, 28) + u.unit for u in district.DEMO_USERS]
    lines.append("  其他单位：<单位代码>_admin（单位管理员）、<单位代码>_leader（单位负责人），"
                 "如 police_admin、culture_leader，密码相同。")
    return lines


# ---------------------------------------------------------------------------------------------

SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
            "阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺")
GIVEN = (
    "建国", "丽娜", "志强", "秀英", "海燕", "晓东", "文静", "俊杰", "晓燕", "国庆", "玉兰", "立新", "春梅", "明辉",
    "雪梅", "振华", "晓光", "红霞", "德胜", "婷婷", "永强", "淑珍", "海涛", "宏伟", "晓丽", "冬梅", "子涵", "思远",
    "雨欣", "浩然", "一鸣", "晨曦", "佳琪", "嘉怡", "梦瑶", "博文", "欣怡", "宇航", "磊", "静", "伟", "敏",
    "强", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平", "刚", "桂英",
    "爱华", "少波", "金凤", "家豪", "鹏飞", "文博", "雅婷", "心怡", "凯", "琳", "斌", "倩", "瑞", "鑫",
)

# What an account is called on each platform, for the introductions.
PLATFORM_NOUN = {
    "weibo": "微博", "wechat-service": "微信服务号", "wechat-subscription": "微信公众号",
    "wechat-miniprogram": "微信小程序", "wechat-channels": "视频号", "weishi": "微视号", "app": "移动客户端",
    "toutiao": "头条号", "douyin": "抖音号", "kuaishou": "快手号", "huoshan": "火山小视频号", "bilibili": "B站账号",
    "yidian": "一点号", "meipian": "美篇号", "zhihu": "知乎机构号", "jianshu": "简书号", "xiaohongshu": "小红书账号",
    "baijiahao": "百家号",
}
MENU_PLATFORMS = {"wechat-service", "wechat-subscription", "wechat-miniprogram", "app"}
UNVERIFIED_PLATFORMS = {"meipian", "jianshu", "weishi", "huoshan"}


def full_name(unit: Unit) -> str:
    """区教育和体育局 → 青岛西海岸新区教育和体育局; 灵山卫街道 → 青岛西海岸新区灵山卫街道."""
    if unit.name.startswith(district.DISTRICT) or unit.name.startswith("青岛"):
        return unit.name
    return district.DISTRICT + unit.name.removeprefix("区")


class _Loader(Stories):
    def __init__(self):
        super().__init__(random.Random(20200910))  # the same district every time; only the dates move with today
        self.effective = measures_effective_date()
        self.specs: dict[str, UnitSpec] = {u.code: u for u in district.UNITS}
        self.units: dict[str, Unit] = {}
        self.code_of: dict[int, str] = {}
        self.leader: dict[str, Person] = {}  # the 分管领导 of new media, who approves in the system
        self.principal: dict[str, Person] = {}  # the 主要负责人, who signs the unit's opinion on attachment 1
        self.staff: dict[str, Person] = {}
        self.users: dict[str, User] = {}
        self.team: dict[str, list[dict]] = {}
        self.platforms = {p.code: p for p in Platform.objects.all()}
        self.names_used: set[str] = set()
        self.ids_used: set[tuple[str, str]] = set()
        self.filing_numbers: Counter = Counter()
        self.final_followers: dict[int, int] = {}
        self.password = ""  # the demo password's hash, made once for every login

    # -- people ------------------------------------------------------------------------------

    def person_name(self) -> str:
        while True:
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
            if name not in self.names_used:
                self.names_used.add(name)
                return name

    def office_phone(self) -> str:
        return f"0532-8{self.rng.randint(0, 9_999_999):07d}"

    def mobile(self) -> str:
        return f"13{self.rng.randint(0, 999_999_999):09d}"

    def person(self, code: str, title: str) -> Person:
        return Person.objects.create(name=self.person_name(), unit=self.units[code], title=title,
                                     office_phone=self.office_phone(), mobile=self.mobile())

    # -- build -------------------------------------------------------------------------------

    def run(self) -> None:
        self.create_units()
        self.create_people_and_users()
        for spec in district.ACCOUNTS:
            self.tell(spec)
        self.add_follower_snapshots()
        monitoring.add_sources()
        monitoring.designate_district_outlet()
        monitoring.issue_repost_tasks(issued_by=self.users["supervisor"], now=clock.now())
        newsroom = publishing.add_publishing(self)
        desk = interaction.add_interaction(self, newsroom)
        newsroom.publish_in_order()
        desk.alert()

    def create_units(self) -> None:
        for spec in district.UNITS:  # listed so that a competent unit or parent comes first
            unit = Unit.objects.create(
                name=spec.name, short_name=spec.short_name, kind=spec.kind,
                competent_unit=self.units.get(spec.competent), parent=self.units.get(spec.parent),
                credit_code=self.credit_code(spec), address=self.address(spec), phone=self.unit_phone(spec),
            )
            self.units[spec.code], self.code_of[unit.pk] = unit, spec.code

    def credit_code(self, spec: UnitSpec) -> str:
        # Shape of a 统一社会信用代码 (18 characters); the check character is not computed.
        prefix = {UnitKind.ENTERPRISE: "91", UnitKind.CONTRACTOR: "91", UnitKind.SUBORDINATE: "12"}.get(spec.kind, "11")
        tail = "".join(self.rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
        return f"{prefix}370211{tail}X"

    @staticmethod
    def unit_phone(spec: UnitSpec) -> str:
        # Derived from the unit's code rather than drawn from self.rng, so every other random choice
        # (and with it each story) stays what it was before units had a public phone.
        return f"0532-8{zlib.crc32(spec.code.encode()) % 10_000_000:07d}"

    def address(self, spec: UnitSpec) -> str:
        roads = ["长江中路", "珠江路", "井冈山路", "武夷山路", "嘉陵江路", "香江路", "峨眉山路", "庐山路", "紫金山路"]
        if spec.kind == UnitKind.TOWN_STREET:
            return f"{district.DISTRICT}{spec.name}{spec.short_name}路{self.rng.randint(1, 199)}号"
        return f"{district.DISTRICT}{self.rng.choice(roads)}{self.rng.randint(1, 699)}号"

    def create_people_and_users(self) -> None:
        for spec in district.UNITS:
            self.leader[spec.code] = self.person(spec.code, spec.leader_title)
            self.staff[spec.code] = self.person(spec.code, spec.staff_title)
            # A deputy leader (副局长) has a principal above them: the same post without 副.
            head_title = re.split(r"[、，]", spec.leader_title)[-1].replace("副", "")
            self.principal[spec.code] = self.leader[spec.code] if principal_rank(spec.leader_title) is not None \
                else self.person(spec.code, head_title)
        password = self.password = make_password(district.DEMO_PASSWORD)  # hashed once: 80 would take a minute

        def user(username, role, person, **extra):
            self.users[username] = User.objects.create(username=username, password=password, role=role,
                                                       person=person, has_demo_password=True, **extra)

        # Supervisors keep the calendar and lexicons, unit admins their people: both work in the back office.
        user("supervisor", Role.SUPERVISOR, self.person("office", "政务公开科科长"), is_staff=True)
        user("office_admin", Role.UNIT_ADMIN, self.staff["office"], is_staff=True)
        for spec in district.UNITS:
            unit = self.units[spec.code]
            if spec.code != "office" and unit.may_own_accounts:
                user(f"{spec.code}_admin", Role.UNIT_ADMIN, self.staff[spec.code], is_staff=True)
                user(f"{spec.code}_leader", Role.LEADER, self.leader[spec.code])
        user("edu_reviewer", Role.REVIEWER, self.person("edu", "办公室副主任"))
        user("edu_operator", Role.OPERATOR, self.staff["mediaA"])
        if not User.objects.filter(username="admin").exists():
            user("admin", Role.SUPERVISOR, None, is_staff=True, is_superuser=True)
        for spec in district.UNITS:
            self.team[spec.code] = self.team_for(spec.code)

    def team_for(self, code: str) -> list[dict]:
        unit = self.units[code]
        staff = self.staff[code]
        rows = [self.team_row(staff.name, f"{unit.name} {staff.title}", staff.office_phone, staff.mobile),
                self.team_row(self.person_name(), f"{unit.name} 信息宣传干事", self.office_phone(), self.mobile())]
        operator_code = district.OPERATED_BY.get(code)
        if operator_code:
            operator = self.staff[operator_code]
            rows.append(self.team_row(operator.name, f"{operator.unit.name} {operator.title}",
                                      operator.office_phone, operator.mobile))
        return rows

    @staticmethod
    def team_row(name, unit_and_title, office_phone, mobile) -> dict:
        return {"name": name, "unit_and_title": unit_and_title, "office_phone": office_phone, "mobile": mobile}

    def approver(self, unit_id: int) -> User:
        code = self.code_of[unit_id]
        return self.users["supervisor"] if code == "office" else self.users[f"{code}_leader"]

    def admin_of(self, spec: AccountSpec) -> User:
        return self.users[f"{spec.unit}_admin" if spec.unit != "office" else "office_admin"]

    def admin_of_unit(self, account: Account) -> User:
        code = self.code_of[account.host_unit_id]
        return self.users["office_admin" if code == "office" else f"{code}_admin"]

    # -- account values ----------------------------------------------------------------------

    def _hex(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def _digits(self, n: int) -> str:
        return str(self.rng.randint(1, 9)) + "".join(self.rng.choice(string.digits) for _ in range(n - 1))

    def _alnum(self, n: int) -> str:
        return "".join(self.rng.choice(string.ascii_lowercase + string.digits) for _ in range(n))

    def identity(self, spec: AccountSpec) -> tuple[str, str]:
        """A platform-shaped account id and access URL."""
        r, hexes, digits, alnum = self.rng, self._hex, self._digits, self._alnum
        slug = f"xha{spec.unit.lower()}"  # 西海岸 + the unit's code: xhaedu, xhalsw
        match spec.platform:
            case "wechat-service" | "wechat-subscription":
                biz = base64.b64encode(digits(10).encode()).decode()
                return f"gh_{hexes(12)}", f"https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz={biz}#wechat_redirect"
            case "wechat-miniprogram":
                return f"wx{hexes(16)}", ""
            case "wechat-channels":
                return f"sph{alnum(7)}", ""
            case "weibo":
                uid = digits(10)
                return uid, f"https://weibo.com/u/{uid}"
            case "douyin":
                sec = "".join(r.choice(string.ascii_letters + string.digits + "-_") for _ in range(43))
                return f"{slug}{digits(3)}", f"https://www.douyin.com/user/MS4wLjABAAAA{sec}"
            case "kuaishou":
                kid = f"3x{alnum(13)}"
                return kid, f"https://www.kuaishou.com/profile/{kid}"
            case "toutiao":
                uid = digits(11)
                return uid, f"https://www.toutiao.com/c/user/{uid}/"
            case "bilibili":
                uid = digits(10)
                return uid, f"https://space.bilibili.com/{uid}"
            case "xiaohongshu":
                return digits(10), f"https://www.xiaohongshu.com/user/profile/{hexes(24)}"
            case "weishi":
                wid = digits(16)
                return wid, f"https://isee.weishi.qq.com/ws/app-pages/wspersonal/index.html?id={wid}"
            case "huoshan":
                hid = digits(11)
                return hid, f"https://www.huoshan.com/share/user/{hid}/"
            case "yidian":
                mid = f"m{digits(6)}"
                return mid, f"https://www.yidianzixun.com/channel/{mid}"
            case "meipian":
                mid = digits(8)
                return mid, f"https://www.meipian.cn/c/{mid}"
            case "zhihu":
                slug = f"{slug}-{digits(2)}"
                return slug, f"https://www.zhihu.com/org/{slug}"
            case "jianshu":
                jid = hexes(12)
                return jid, f"https://www.jianshu.com/u/{jid}"
            case "baijiahao":
                bid = digits(16)
                return bid, f"https://author.baidu.com/home/{bid}"
            case "app":
                return f"cn.gov.{slug}", f"https://apps.apple.com/cn/app/id{digits(10)}"
        return f"{slug}{digits(6)}", ""

    def unique_identity(self, spec: AccountSpec) -> tuple[str, str]:
        while True:
            account_id, url = self.identity(spec)
            if (spec.platform, account_id) not in self.ids_used:
                self.ids_used.add((spec.platform, account_id))
                return account_id, url

    def columns(self, spec: AccountSpec, name: str) -> list[dict]:
        if spec.platform not in MENU_PLATFORMS:
            return []
        unit_spec = self.specs[spec.unit]
        rows = []
        for level1, subs in district.MENUS[unit_spec.menu]:
            for level2 in subs:
                rows.append({"name": "", "level1": level1, "level2": level2, "level3": "", "remark": ""})
        rows[0]["name"] = name
        label = self.platforms[spec.platform].account_type_label
        rows[0]["remark"] = label or "移动客户端"
        return rows

    def values(self, spec: AccountSpec, *, name: str | None = None, registered_on: date | None,
               live_on: date | None = None, registrant_kind: str = "organisation") -> dict:
        """The attachment-1 fields as an application carries them (registry.fields)."""
        code, name = spec.unit, name or spec.name
        unit, platform = self.units[code], self.platforms[spec.platform]
        leader, staff = self.leader[code], self.staff[code]
        account_id, url = self.unique_identity(spec)
        operator_code = district.OPERATED_BY.get(code)
        operating = self.units[operator_code] if operator_code else None
        op_leader = self.leader[operator_code] if operator_code else None
        duties = self.specs[code].duties or self.specs[self.code_of[unit.parent_id]].duties
        verified = spec.platform not in UNVERIFIED_PLATFORMS and registrant_kind == "organisation" \
            and self.rng.random() > 0.06
        return {
            "account_id": account_id,
            "name": name,
            "platform": platform.pk,
            "registrant_kind": registrant_kind,
            "registered_on": registered_on.isoformat() if registered_on else None,
            "is_verified": verified,
            "has_news_licence": code == "office" and spec.platform in ("wechat-subscription", "app"),
            "competent_unit": unit.competent_unit_id or unit.pk,  # the district office supervises itself
            "host_unit": unit.pk,
            "host_leader_name": leader.name,
            "host_leader_title": leader.title,
            "host_leader_contact": f"{leader.office_phone}，{leader.mobile}",
            "operating_unit": operating.pk if operating else None,
            "operating_leader_name": op_leader.name if op_leader else "",
            "operating_leader_title": op_leader.title if op_leader else "",
            "operating_leader_contact": f"{op_leader.office_phone}，{op_leader.mobile}" if op_leader else "",
            "introduction": spec.intro or f"{full_name(unit)}官方{PLATFORM_NOUN[spec.platform]}，{duties}。",
            "access_url": url,
            "live_on": live_on.isoformat() if live_on else None,
            "responsible_person": staff.pk,
            "columns": self.columns(spec, name),
            "team": self.team[code],
        }

    def filing_number(self, filed_on: date) -> str:
        self.filing_numbers[filed_on.year] += 1
        return f"鲁政新媒备〔{filed_on.year}〕{self.filing_numbers[filed_on.year] + 100:04d}号"

    def opening_reason(self, spec: AccountSpec) -> str:
        noun = PLATFORM_NOUN[spec.platform]
        unit = self.units[spec.unit]
        return (f"为拓展{unit.short_name or unit.name}政务信息发布和政民互动渠道，拟开设{noun}“{spec.name}”，"
                f"由专人负责内容审核与日常运维，落实先审后发制度。")

    # -- followers ---------------------------------------------------------------------------

    def add_follower_snapshots(self) -> None:
        """A monthly series for the last 12 months, growing. Bulk-created: ~1,800 measurements are
        monitoring data, not registry decisions, and auditing each would dominate the load time."""
        ended = dict(ClosureNotice.objects.filter(took_effect_at__isnull=False)
                     .values_list("account_id", "effective_on"))
        rows = []
        accounts = Account.objects.exclude(status__in=[AccountStatus.PENDING, AccountStatus.REJECTED])
        for account in accounts.only("pk", "live_on", "registered_on"):
            final = self.final_followers.get(account.pk, 0)
            start = (account.live_on or account.registered_on or self.today).replace(day=1)
            end = ended.get(account.pk, self.today)
            months = [m for m in _month_starts(end, 12) if m >= start]
            if not final or not months:
                continue
            growth = 1.0 + (self.rng.uniform(0.0, 0.01) if final < 500 else self.rng.uniform(0.008, 0.045))
            new = months[-1] == start  # opened within the year: ramps up from its first month
            for back, month_start in enumerate(months):
                share = (len(months) - back) / len(months) if new else 1 / growth ** back
                rows.append(FollowerSnapshot(account_id=account.pk, taken_on=month_start,
                                             followers=max(1, round(final * share)), source="demo"))
        FollowerSnapshot.objects.bulk_create(rows)


def _month_starts(last: date, n: int) -> list[date]:
    """The first days of the n months up to and including `last`'s, newest first."""
    year, month, starts = last.year, last.month, []
    for _ in range(n):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts
