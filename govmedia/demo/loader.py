"""Load the demo district once, through the domain services.

Accounts opened after the measures took effect go through the real approval chain
(open_application_submit → application_approve → filing_record); closures through
closure_application_submit and closures_take_effect; legacy accounts get their art. 19 filing
from legacy_filing_for. Only the deliberate rule violations, which the services rightly refuse,
are written with the ORM, each with a REGISTER event so its history is not empty.

Nothing is frozen. The services stamp the real date and time, so a story that happened weeks
ago is acted out now and then aged (see `_Loader.dated`): what is overdue is overdue on
whatever day the demo is loaded.
"""

import base64
import io
import random
import re
import string
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from govmedia import clock
from govmedia.audit.context import Actor, acting_as
from govmedia.demo import district
from govmedia.demo.district import AccountSpec, UnitSpec
from govmedia.orgs.models import Person, Role, Unit, UnitKind, User
from govmedia.registry import fields as account_fields
from govmedia.registry import selectors, services
from govmedia.registry.models import (
    Account,
    AccountStatus,
    Application,
    ApplicationKind,
    ApplicationState,
    ClosureNotice,
    DecisionKind,
    Filing,
    FollowerSnapshot,
    LifecycleEvent,
    Platform,
)
from govmedia.registry.rules import check_account_holder
from govmedia.settings_access import measures_effective_date
from govmedia.workdays.selectors import work_calendar

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
    )


def format_summary(s: DemoSummary) -> list[str]:
    statuses = "，".join(f"{label} {n}" for label, n in s.accounts_by_status)
    return [
        f"  单位 {s.units}，人员 {s.people}，用户 {s.users}",
        f"  账号 {s.accounts}：{statuses}；覆盖平台 {s.platforms_used}/{s.platforms}",
        f"  待审批申请 {s.pending_applications}，已退回待修改 {s.rejected_applications}",
        f"  待备案 {s.open_filings}，其中逾期 {s.overdue_filings}；关停注销公告公示中 {s.notices_under_way}",
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
NOTICE_DATE_FORMATS = ("%Y年%m月%d日", "%Y-%m-%d")
ACCOUNT_DATE_FIELDS = ("live_on", "host_opinion_on", "competent_opinion_on", "provincial_filed_on")


def full_name(unit: Unit) -> str:
    """区教育和体育局 → 青岛西海岸新区教育和体育局; 灵山卫街道 → 青岛西海岸新区灵山卫街道."""
    if unit.name.startswith(district.DISTRICT) or unit.name.startswith("青岛"):
        return unit.name
    return district.DISTRICT + unit.name.removeprefix("区")


class _Loader:
    def __init__(self):
        self.today = clock.today()
        self.calendar = work_calendar()
        self.effective = measures_effective_date()
        self.rng = random.Random(20200910)  # the same district every time; only the dates move with today
        self.specs: dict[str, UnitSpec] = {u.code: u for u in district.UNITS}
        self.units: dict[str, Unit] = {}
        self.code_of: dict[int, str] = {}
        self.leader: dict[str, Person] = {}
        self.staff: dict[str, Person] = {}
        self.users: dict[str, User] = {}
        self.team: dict[str, list[dict]] = {}
        self.platforms = {p.code: p for p in Platform.objects.all()}
        self.names_used: set[str] = set()
        self.ids_used: set[tuple[str, str]] = set()
        self.filing_numbers: Counter = Counter()
        self.minutes: dict[date, int] = {}
        self.final_followers: dict[int, int] = {}
        self._working: dict[date, bool] = {}

    # -- dates -------------------------------------------------------------------------------

    def working_days_ago(self, n: int) -> date:
        return self.before(self.today, n)

    def before(self, day: date, n: int) -> date:
        """The n-th working day before `day`."""
        counted = 0
        while counted < n:
            day -= timedelta(days=1)
            counted += self.is_working_day(day)
        return day

    def is_working_day(self, day: date) -> bool:
        if day not in self._working:
            self._working[day] = self.calendar.is_working_day(day)
        return self._working[day]

    def after(self, day: date, n: int) -> date:
        return self.calendar.add_working_days(day, n).date

    def workday_from(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def moment(self, day: date) -> datetime:
        """A plausible office-hours time on `day`, later than every earlier moment of that day."""
        if day in self.minutes:
            self.minutes[day] += self.rng.randint(2, 25)
        else:
            self.minutes[day] = self.rng.choice((9, 10, 11, 14, 15, 16)) * 60 + self.rng.randint(0, 45)
        return timezone.make_aware(datetime.combine(day, time()) + timedelta(minutes=self.minutes[day]))

    def registration_date(self, spec: AccountSpec) -> date:
        year = spec.year
        if year == self.effective.year:  # the year the measures took effect: open after them
            start, end = self.effective + timedelta(days=5), date(year, 12, 20)
        else:
            start, end = date(year, 1, 4), date(year, 12, 24)
        latest = self.today - timedelta(days=45)  # room for the approval chain and the filing
        end = min(end, latest)
        start = min(start, end)
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def dated(self, day: date, service, **kwargs):
        """Call a service now, then move what it stamped with the current date and time back to `day`:
        event and application timestamps, the dates it wrote on the account, filing triggers with
        their working-day deadlines, and notice periods (whose text quotes the dates).

        Only govmedia.clock is trusted here (tests may freeze it); Django's auto_now fields follow the
        real time, so the account touched is found from the service's result, not by updated_at."""
        started, real_today = clock.now(), clock.today()
        result = service(**kwargs)
        at = self.moment(day)
        LifecycleEvent.objects.filter(at__gte=started).update(at=at)
        touched = set()  # every service here acts on one account, named by its result or arguments
        if isinstance(result, Application):
            touched.add(result.account_id)
        if "filing" in kwargs:
            touched.add(kwargs["filing"].account_id)
        if service is services.closures_take_effect:
            touched.update(notice.account_id for notice in result)
            ClosureNotice.objects.filter(took_effect_at__gte=started).update(took_effect_at=at)
        for row in Account.objects.filter(pk__in=touched).values("pk", *ACCOUNT_DATE_FIELDS):
            moved = {name: day for name in ACCOUNT_DATE_FIELDS if row[name] == real_today}
            if service is services.open_application_submit:
                moved["created_at"] = at
            Account.objects.filter(pk=row["pk"]).update(updated_at=at, **moved)
        if isinstance(result, Application):  # the services hand back the application as stored
            moved = {name: at for name in ("submitted_at", "decided_at")
                     if getattr(result, name) and getattr(result, name) >= started}
            if moved:
                Application.objects.filter(pk=result.pk).update(**moved)
            if result.state == ApplicationState.APPROVED and "decided_at" in moved:  # carried out just now
                for filing in Filing.objects.filter(application=result, triggered_on=real_today):
                    deadline = self.calendar.add_working_days(day, services.FILING_WORKING_DAYS)
                    Filing.objects.filter(pk=filing.pk).update(
                        triggered_on=day, due_on=deadline.date, due_is_provisional=deadline.provisional)
                for notice in ClosureNotice.objects.filter(application=result, published_on=real_today):
                    self._republish(notice, day)
        return result

    def _republish(self, notice: ClosureNotice, day: date) -> None:
        old_end = self.calendar.add_working_days(notice.published_on, services.NOTICE_WORKING_DAYS).date
        end = self.calendar.add_working_days(day, services.NOTICE_WORKING_DAYS)
        effective = end.date + timedelta(days=1)
        moves = {}
        for fmt in NOTICE_DATE_FORMATS:
            for old, new in ((notice.published_on, day), (old_end, end.date), (notice.effective_on, effective)):
                moves[old.strftime(fmt)] = new.strftime(fmt)
        pattern = re.compile("|".join(re.escape(k) for k in moves))

        def swap(text: str) -> str:  # one pass, so a new date is never mistaken for an old one
            return pattern.sub(lambda m: moves[m.group(0)], text)

        ClosureNotice.objects.filter(pk=notice.pk).update(
            published_on=day, effective_on=effective, effective_is_provisional=end.provisional,
            body=swap(notice.body))
        for event in LifecycleEvent.objects.filter(application_id=notice.application_id,
                                                   action=LifecycleEvent.Action.NOTICE):
            LifecycleEvent.objects.filter(pk=event.pk).update(comment=swap(event.comment))

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

    def create_units(self) -> None:
        for spec in district.UNITS:  # listed so that a competent unit or parent comes first
            unit = Unit.objects.create(
                name=spec.name, short_name=spec.short_name, kind=spec.kind,
                competent_unit=self.units.get(spec.competent), parent=self.units.get(spec.parent),
                credit_code=self.credit_code(spec), address=self.address(spec),
            )
            self.units[spec.code], self.code_of[unit.pk] = unit, spec.code

    def credit_code(self, spec: UnitSpec) -> str:
        # Shape of a 统一社会信用代码 (18 characters); the check character is not computed.
        prefix = {UnitKind.ENTERPRISE: "91", UnitKind.CONTRACTOR: "91", UnitKind.SUBORDINATE: "12"}.get(spec.kind, "11")
        tail = "".join(self.rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
        return f"{prefix}370211{tail}X"

    def address(self, spec: UnitSpec) -> str:
        roads = ["长江中路", "珠江路", "井冈山路", "武夷山路", "嘉陵江路", "香江路", "峨眉山路", "庐山路", "紫金山路"]
        if spec.kind == UnitKind.TOWN_STREET:
            return f"{district.DISTRICT}{spec.name}{spec.short_name}路{self.rng.randint(1, 199)}号"
        return f"{district.DISTRICT}{self.rng.choice(roads)}{self.rng.randint(1, 699)}号"

    def create_people_and_users(self) -> None:
        for spec in district.UNITS:
            self.leader[spec.code] = self.person(spec.code, spec.leader_title)
            self.staff[spec.code] = self.person(spec.code, spec.staff_title)
        password = make_password(district.DEMO_PASSWORD)  # hashed once: 80 hashes would take a minute

        def user(username, role, person, **extra):
            self.users[username] = User.objects.create(username=username, password=password, role=role,
                                                       person=person, **extra)

        user("supervisor", Role.SUPERVISOR, self.person("office", "政务公开科科长"))
        user("office_admin", Role.UNIT_ADMIN, self.staff["office"])
        for spec in district.UNITS:
            unit = self.units[spec.code]
            if spec.code != "office" and unit.may_own_accounts:
                user(f"{spec.code}_admin", Role.UNIT_ADMIN, self.staff[spec.code])
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

    # -- stories -----------------------------------------------------------------------------

    def tell(self, spec: AccountSpec) -> None:
        story = spec.story or ("legacy" if self.registration_is_legacy(spec) else "opened")
        getattr(self, f"story_{story}")(spec)

    def registration_is_legacy(self, spec: AccountSpec) -> bool:
        return spec.year is not None and spec.year < self.effective.year

    def admin_of(self, spec: AccountSpec) -> User:
        return self.users[f"{spec.unit}_admin" if spec.unit != "office" else "office_admin"]

    def register(self, spec: AccountSpec, *, registered_on: date, on: date, comment: str, actor: User | None,
                 check: bool = True, name: str | None = None, registrant_kind: str = "organisation") -> Account:
        """Put an account into the ledger directly (no application), with a REGISTER event dated `on`."""
        values = self.values(spec, name=name, registered_on=registered_on,
                             live_on=registered_on + timedelta(days=self.rng.randint(2, 20)),
                             registrant_kind=registrant_kind)
        if check:
            check_account_holder(host_unit=self.units[spec.unit], platform=self.platforms[spec.platform],
                                 name=values["name"], registrant_kind=registrant_kind,
                                 competent_unit_id=values["competent_unit"])
        account = Account(status=AccountStatus.NORMAL, platform=self.platforms[spec.platform])
        account_fields.apply_values(account, values)
        at = self.moment(on)
        account.created_at = account.updated_at = at
        Account.objects.filter(pk=account.pk).update(created_at=at, updated_at=at)
        LifecycleEvent.objects.create(account=account, actor=actor, action=LifecycleEvent.Action.REGISTER,
                                      to_state=AccountStatus.NORMAL, comment=comment, at=at)
        self.final_followers[account.pk] = spec.followers
        if spec.unit == "edu":
            account.operators.add(self.users["edu_operator"])
        return account

    def legacy(self, spec: AccountSpec, *, name: str | None = None) -> Account:
        """Art. 19: opened before the measures; entered in the ledger and filed within 20 working days."""
        due = self.calendar.add_working_days(self.effective, services.LEGACY_FILING_WORKING_DAYS).date
        entered = self.after(self.effective, self.rng.randint(1, 4))
        filed_on = min(self.after(entered, self.rng.randint(1, 12)), due)
        account = self.register(spec, registered_on=self.registration_date(spec), on=entered, name=name,
                                actor=self.admin_of(spec), comment="存量账号登记：《管理办法》施行前开设，按第十九条补办备案。")
        # The attachment-1 form they filed carries the host and competent units' opinions.
        competent_id = account.competent_unit_id
        has_competent = competent_id != account.host_unit_id
        Account.objects.filter(pk=account.pk).update(
            host_opinion_signer=self.leader[spec.unit].name, host_opinion_on=entered,
            competent_opinion_signer=self.approver(competent_id).display_name if has_competent else "",
            competent_opinion_on=filed_on if has_competent else None,
        )
        account.refresh_from_db()
        filing = services.legacy_filing_for(account)
        self.dated(filed_on, services.filing_record, filing=filing, by=self.admin_of(spec), filed_on=filed_on,
                   provincial_filing_no=self.filing_number(filed_on))
        return account

    def story_legacy(self, spec: AccountSpec) -> None:
        self.legacy(spec)

    def submit_opening(self, spec: AccountSpec, *, submitted_on: date, registered_on: date | None) -> Application:
        values = self.values(spec, registered_on=registered_on)
        application = self.dated(submitted_on, services.open_application_submit, applicant=self.admin_of(spec),
                                 values=values, reason=self.opening_reason(spec))
        self.final_followers[application.account_id] = spec.followers
        if spec.unit == "edu":
            application.account.operators.add(self.users["edu_operator"])
        return application

    def opening_reason(self, spec: AccountSpec) -> str:
        noun = PLATFORM_NOUN[spec.platform]
        unit = self.units[spec.unit]
        return (f"为拓展{unit.short_name or unit.name}政务信息发布和政民互动渠道，拟开设{noun}“{spec.name}”，"
                f"由专人负责内容审核与日常运维，落实先审后发制度。")

    def approve(self, application: Application, first_day: date, *, steps: int | None = None) -> date:
        """Approve `steps` steps (all that remain when None), a working day or two apart from `first_day`.
        Returns the day of the last approval."""
        days, day = [], first_day
        for _ in range(self.remaining_steps(application) if steps is None else steps):
            days.append(day)
            day = self.after(day, self.rng.choice((1, 1, 2)))
        return self.approve_on(application, days)

    def approve_ending(self, application: Application, last_day: date) -> date:
        """Approve every remaining step, one working day apart, the last one on `last_day`."""
        n = self.remaining_steps(application)
        return self.approve_on(application, [self.before(last_day, n - 1 - i) for i in range(n)])

    @staticmethod
    def remaining_steps(application: Application) -> int:
        return len(application.steps) - application.current_step

    def approve_on(self, application: Application, days: list[date]) -> date:
        for day in days:  # application_approve refreshes the application it is given
            is_last = application.current_step + 1 == len(application.steps)
            self.dated(day, services.application_approve, application=application,
                       by=self.approver(application.current_unit_id),
                       comment=self.approval_comment(application, is_last))
        return days[-1]

    @staticmethod
    def approval_comment(application: Application, is_last: bool) -> str:
        if application.kind == ApplicationKind.OPEN:
            return "同意开设，请于7个工作日内完成备案（第六条）。" if is_last else "同意，请上级单位审批。"
        if application.kind == ApplicationKind.CHANGE:
            return "同意变更，请于7个工作日内报备。" if is_last else "同意。"
        return "同意，请按规定发布公告，公告期不少于15个工作日（第七条）。" if is_last else "同意。"

    def open_and_approve(self, spec: AccountSpec, *, submitted_on: date, registered_on: date | None = None,
                         steps: int | None = None) -> tuple[Application, date]:
        application = self.submit_opening(spec, submitted_on=submitted_on, registered_on=registered_on)
        decided = self.approve(application, self.after(submitted_on, 1), steps=steps)
        return Application.objects.get(pk=application.pk), decided

    def file(self, application: Application, filed_on: date) -> None:
        filing = Filing.objects.get(application=application, filed_on__isnull=True)
        self.dated(filed_on, services.filing_record, filing=filing, by=self.admin_of_unit(application.account),
                   filed_on=filed_on, provincial_filing_no=self.filing_number(filed_on))

    def admin_of_unit(self, account: Account) -> User:
        code = self.code_of[account.host_unit_id]
        return self.users["office_admin" if code == "office" else f"{code}_admin"]

    def story_opened(self, spec: AccountSpec) -> Application:
        """Opened after the measures: the full approval chain, then filed within 7 working days."""
        registered = self.registration_date(spec)
        submitted = self.workday_from(registered + timedelta(days=self.rng.randint(1, 6)))
        application, decided = self.open_and_approve(spec, submitted_on=submitted, registered_on=registered)
        self.file(application, self.after(decided, self.rng.randint(1, 6)))
        return application

    # Pending applications, one at each step of the chain.

    def story_pending_host(self, spec: AccountSpec) -> None:
        submitted = self.working_days_ago(2 if spec.unit == "edu" else 1)
        self.submit_opening(spec, submitted_on=submitted, registered_on=submitted - timedelta(days=3))

    def story_pending_competent(self, spec: AccountSpec) -> None:
        submitted = self.working_days_ago(4)
        self.open_and_approve(spec, submitted_on=submitted, registered_on=submitted - timedelta(days=6), steps=1)

    def story_pending_office(self, spec: AccountSpec) -> None:
        submitted = self.working_days_ago(5)
        self.open_and_approve(spec, submitted_on=submitted, registered_on=None, steps=1)

    def story_rejected(self, spec: AccountSpec) -> None:
        submitted = self.working_days_ago(9)
        application, _ = self.open_and_approve(spec, submitted_on=submitted, registered_on=None, steps=1)
        self.dated(self.working_days_ago(6), services.application_reject, application=application,
                   by=self.users["supervisor"],
                   comment="该账号定位与本单位已开设的抖音账号功能相近，且未明确运维力量和内容规划。"
                           "请补充运维人员、更新频次安排后重新提交（第五条）。")

    def story_withdrawn(self, spec: AccountSpec) -> None:
        submitted = self.working_days_ago(30)
        application = self.submit_opening(spec, submitted_on=submitted, registered_on=None)
        self.dated(self.working_days_ago(29), services.application_reject, application=application,
                   by=self.users[f"{spec.unit}_leader"],
                   comment="街道暂无视频制作和运维力量，难以保证每周更新。建议依托区融媒体中心平台开设专版（第十二条），请撤回。")
        application = Application.objects.get(pk=application.pk)
        self.dated(self.working_days_ago(27), services.application_withdraw, application=application,
                   by=self.admin_of(spec))

    # Filings: overdue, due soon, changed.

    def story_overdue_opening(self, spec: AccountSpec) -> None:
        """Opened 15 working days ago; the filing due within 7 working days was never made."""
        submitted = self.working_days_ago(19)
        application = self.submit_opening(spec, submitted_on=submitted, registered_on=submitted - timedelta(days=4))
        self.approve_ending(application, self.working_days_ago(15))

    def story_filing_due_soon(self, spec: AccountSpec) -> None:
        submitted = self.working_days_ago(5)
        self.open_and_approve(spec, submitted_on=submitted, registered_on=submitted - timedelta(days=2))

    def story_overdue_change(self, spec: AccountSpec) -> None:
        """A legacy account whose responsible person changed ~10 working days ago; not yet filed again."""
        account = self.legacy(spec)
        newcomer = self.person(spec.unit, "办公室科员")
        team = [self.team_row(newcomer.name, f"{account.host_unit.name} 办公室科员", newcomer.office_phone,
                              newcomer.mobile), *self.team[spec.unit][1:]]
        application = self.dated(
            self.working_days_ago(14), services.change_application_submit, applicant=self.admin_of(spec),
            account=Account.objects.get(pk=account.pk),
            changes={"responsible_person": newcomer.pk, "team": team},
            reason="原账号具体责任人岗位调整，变更账号具体责任人及管理队伍成员。",
        )
        self.approve_ending(application, self.working_days_ago(10))

    def story_renamed(self, spec: AccountSpec) -> None:
        """Registered as 黄岛公安 before the district's renaming; renamed through a change application, filed."""
        account = self.legacy(spec, name=spec.name.replace("西海岸", "黄岛"))
        submitted = self.workday_from(date(2021, 3, 8))
        application = self.dated(
            submitted, services.change_application_submit, applicant=self.admin_of(spec),
            account=Account.objects.get(pk=account.pk), changes={"name": spec.name},
            reason=f"按照新区政务新媒体统一命名要求，账号名称由“{account.name}”变更为“{spec.name}”。",
        )
        decided = self.approve(application, self.after(submitted, 1))
        self.file(application, self.after(decided, 3))

    def story_pending_change(self, spec: AccountSpec) -> None:
        application = self.story_opened(spec)
        account = Account.objects.get(pk=application.account_id)
        newcomer = self.person(spec.unit, "新媒体编辑")
        team = [*self.team[spec.unit], self.team_row(newcomer.name, f"{account.host_unit.name} 新媒体编辑",
                                                     newcomer.office_phone, newcomer.mobile)]
        change = self.dated(
            self.working_days_ago(4), services.change_application_submit, applicant=self.admin_of(spec),
            account=account, reason="视频号运维力量调整，增补管理队伍成员并更新账号简介。",
            changes={"team": team, "introduction": account.introduction + "每周发布西海岸文旅短视频和直播预告。"},
        )
        self.approve(change, self.working_days_ago(3), steps=1)

    # Closures: a pending application, a notice under way, one that took effect, a cancellation.

    def decision_document(self, account: Account, kind: str) -> ContentFile:
        verb = "关停" if kind == ApplicationKind.CLOSE else "注销"
        unit = account.host_unit
        title = f"{unit.name}关于{verb}“{account.name}”{account.platform.name}账号的会议纪要（摘录）"
        lines = [f"经{unit.name}领导班子集体研究，该账号关注量低、更新困难，内容已整合至本单位其他政务新媒体。",
                 f"会议决定：{verb}{account.platform.name}账号“{account.name}”（账号ID：{account.account_id}），",
                 "报管委办公室备案后向社会公告，公告期不少于15个工作日。", "（演示数据）"]
        return ContentFile(_pdf(title, lines), name=f"decision-{account.pk}.pdf")

    def close(self, spec: AccountSpec, kind: str, *, submitted_on: date, decided_on: date | None = None,
              steps: int | None = None) -> Application:
        """Apply to close or cancel; approve through the whole chain by `decided_on`, or only `steps` steps."""
        account = self.legacy(spec) if self.registration_is_legacy(spec) else Account.objects.get(
            pk=self.story_opened(spec).account_id)
        verb = "关停" if kind == ApplicationKind.CLOSE else "注销"
        application = self.dated(
            submitted_on, services.closure_application_submit, applicant=self.admin_of(spec),
            account=Account.objects.get(pk=account.pk), kind=kind,
            reason=f"该账号关注量低、互动少，内容已整合至本单位微信公众号和抖音号，经研究决定{verb}（第五条、第七条）。",
            decision_kind=DecisionKind.COLLECTIVE if kind == ApplicationKind.CLOSE else DecisionKind.HEAD_CONSENT,
            decision_document=self.decision_document(account, kind),
        )
        if decided_on is None:
            self.approve(application, self.after(submitted_on, 1), steps=steps)
        else:
            self.approve_ending(application, decided_on)
        return Application.objects.get(pk=application.pk)

    def take_effect(self, application: Application) -> None:
        """The daily job (registry_daily) closes the account on the day after the notice period."""
        notice = ClosureNotice.objects.get(application=application)
        self.dated(notice.effective_on, services.closures_take_effect)

    def story_pending_closure(self, spec: AccountSpec) -> None:
        self.close(spec, ApplicationKind.CLOSE, submitted_on=self.working_days_ago(3), steps=1)

    def story_closing(self, spec: AccountSpec) -> None:
        self.close(spec, ApplicationKind.CLOSE, submitted_on=self.working_days_ago(6),
                   decided_on=self.working_days_ago(3))

    def story_closed(self, spec: AccountSpec) -> None:
        self.take_effect(self.close(spec, ApplicationKind.CLOSE, submitted_on=self.working_days_ago(29),
                                    decided_on=self.working_days_ago(25)))

    def story_cancelled(self, spec: AccountSpec) -> None:
        self.take_effect(self.close(spec, ApplicationKind.CANCEL, submitted_on=self.working_days_ago(50),
                                    decided_on=self.working_days_ago(45)))

    # Deliberate violations of art. 5, which the services refuse: found by district monitoring.

    def violation(self, spec: AccountSpec, comment: str, **kwargs) -> None:
        registered = self.registration_date(spec)
        self.register(spec, registered_on=registered, on=self.working_days_ago(self.rng.randint(20, 40)),
                      actor=self.users["supervisor"], check=False, comment=comment, **kwargs)

    def story_second_wechat(self, spec: AccountSpec) -> None:
        self.violation(spec, "区级监测发现：该单位已有微信订阅号“西海岸人社”，又未经审批开设服务号，"
                             "违反“一个单位在同一平台只能开设一个账号”（第五条、第六条），补登入台账，责令整合。")

    def story_internal_host(self, spec: AccountSpec) -> None:
        self.violation(spec, "区级监测发现：以内设机构名义开设的账号（第五条），补登入台账，责令整改。")

    def story_individual(self, spec: AccountSpec) -> None:
        self.violation(spec, "区级监测发现：以个人身份注册、以单位名义运营的账号（第五条），补登入台账，责令整改。",
                       registrant_kind="individual")

    def story_legacy_unfiled(self, spec: AccountSpec) -> None:
        """Opened in 2016, found by monitoring; its art. 19 filing (due in October 2020) was never made."""
        self.register(spec, registered_on=self.registration_date(spec), on=self.working_days_ago(40),
                      actor=self.users["supervisor"],
                      comment="区级监测发现未登记的存量账号，补登入台账；第十九条补办备案逾期未办。")
        services.legacy_filing_for(Account.objects.get(host_unit=self.units[spec.unit],
                                                       platform=self.platforms[spec.platform]))

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


def _pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF standing in for the collective decision (art. 7 requires one on record)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(title)
    page.setFont("STSong-Light", 13)
    page.drawString(56, 780, title)
    page.setFont("STSong-Light", 11)
    for i, line in enumerate(lines):
        page.drawString(56, 740 - 22 * i, line)
    page.save()
    return buffer.getvalue()
