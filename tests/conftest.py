"""Shared fixtures: a small district, its personas, and a frozen clock.

Import factories with `from tests.factories import AccountFactory, UserFactory, platform`.

The district (fixture `district`, a `District`; every attribute is also its own fixture)
------------------------------------------------------------------------------------------
Units
  office        管委办公室              district_office — the district's competent unit (art. 3)
  edu           区教育和体育局          department
  edu_office    区教育和体育局办公室    internal department of edu (may not host accounts, art. 5)
  school        西海岸新区实验小学      subordinate: parent and competent unit = edu
  street        灵山卫街道              town_street — "the other unit"
  water         区水务局                department, industry regulator of water_co
  water_co      区供水公司              enterprise: competent unit = water, no parent
  contractor    西海岸融媒科技有限公司  contractor: operates accounts, never hosts them (art. 4)

Personas (users; role at unit)
  supervisor                       supervisor  at office   (sees and approves everything at the office step)
  edu_unit_admin, edu_leader       unit_admin / leader at edu (both may approve edu's step)
  edu_reviewer, edu_operator       reviewer / operator at edu (edu_operator has no accounts assigned)
  school_leader                    leader at school
  street_unit_admin, street_leader, street_reviewer, street_operator   the same roles at street
  water_leader                     leader at water (competent unit of water_co)
  water_co_admin                   unit_admin at water_co

Accounts (separate fixtures, NORMAL, created only when requested)
  edu_weibo       edu on 新浪微博; operator `assigned_operator` assigned
  edu_wechat      edu on 微信订阅号
  school_douyin   school on 抖音
  street_weibo    street on 新浪微博
  water_co_wechat water_co on 微信服务号
  assigned_operator   an operator of edu assigned to edu_weibo only

Time
  frozen_clock   a FrozenClock patched over govmedia.clock.now; starts 2026-03-02 (Monday) 10:00 Beijing
                 time; `frozen_clock.set(date(2026, 9, 25))`, `frozen_clock.advance(days=3)`.
  frozen_today   the frozen date (requesting it freezes the clock).

Note: orgs.selectors caches a user's remit on the user object (`_managed_unit_ids`); a test that
changes the hierarchy after asking a selector should pass a fresh user (`User.objects.get(pk=…)`).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection

from govmedia import clock as clock_module
from govmedia.orgs.models import Role, Unit, UnitKind, User
from govmedia.registry.models import Account
from tests.factories import AccountFactory, UnitFactory, UserFactory, platform

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="session")
def _sqlite_wal_files():
    """On SQLite the test database is a file in WAL mode (settings); Django removes the file only, so its
    -wal and -shm companions are removed here, after the database is destroyed."""
    yield
    name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if connection.vendor == "sqlite" and name:
        for suffix in ("-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def django_db_setup(_sqlite_wal_files, django_db_setup, django_db_blocker):
    """On PostgreSQL, end sessions the live server's request threads may leave behind (a browser's
    keep-alive connection outlives its test), so the test database can be dropped at the end."""
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Uploads go to a per-test folder; passwords hash fast."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# ---------------------------------------------------------------- time


class FrozenClock:
    """Replaces govmedia.clock.now; everything in govmedia reads the time through that module."""

    def __init__(self, monkeypatch, start: datetime):
        self.current = start
        monkeypatch.setattr(clock_module, "now", lambda: self.current)

    def set(self, when: date | datetime) -> datetime:
        if not isinstance(when, datetime):
            when = datetime.combine(when, time(10, 0), tzinfo=BEIJING)
        elif when.tzinfo is None:
            when = when.replace(tzinfo=BEIJING)
        self.current = when
        return when

    def advance(self, **kwargs) -> datetime:
        self.current += timedelta(**kwargs)
        return self.current

    @property
    def today(self) -> date:
        return clock_module.today()


@pytest.fixture
def frozen_clock(monkeypatch) -> FrozenClock:
    return FrozenClock(monkeypatch, datetime(2026, 3, 2, 10, 0, tzinfo=BEIJING))


@pytest.fixture
def frozen_today(frozen_clock) -> date:
    return frozen_clock.today


# ---------------------------------------------------------------- the district


@dataclass
class District:
    office: Unit
    edu: Unit
    edu_office: Unit
    school: Unit
    street: Unit
    water: Unit
    water_co: Unit
    contractor: Unit
    supervisor: User
    edu_unit_admin: User
    edu_leader: User
    edu_reviewer: User
    edu_operator: User
    school_leader: User
    street_unit_admin: User
    street_leader: User
    street_reviewer: User
    street_operator: User
    water_leader: User
    water_co_admin: User


def _user(username: str, unit: Unit, role: str, name: str, title: str) -> User:
    return UserFactory(username=username, unit=unit, role=role, person__name=name, person__title=title)


@pytest.fixture
def district(db) -> District:
    office = UnitFactory(name="管委办公室", short_name="管委办", kind=UnitKind.DISTRICT_OFFICE)
    edu = UnitFactory(name="区教育和体育局", short_name="教体局", kind=UnitKind.DEPARTMENT)
    edu_office = UnitFactory(name="区教育和体育局办公室", kind=UnitKind.INTERNAL, parent=edu)
    school = UnitFactory(name="西海岸新区实验小学", kind=UnitKind.SUBORDINATE, parent=edu, competent_unit=edu)
    street = UnitFactory(name="灵山卫街道", kind=UnitKind.TOWN_STREET)
    water = UnitFactory(name="区水务局", kind=UnitKind.DEPARTMENT)
    water_co = UnitFactory(name="区供水公司", kind=UnitKind.ENTERPRISE, competent_unit=water)
    contractor = UnitFactory(name="西海岸融媒科技有限公司", kind=UnitKind.CONTRACTOR)
    return District(
        office=office, edu=edu, edu_office=edu_office, school=school, street=street, water=water,
        water_co=water_co, contractor=contractor,
        supervisor=_user("supervisor", office, Role.SUPERVISOR, "王监管", "政务公开科科长"),
        edu_unit_admin=_user("edu_admin", edu, Role.UNIT_ADMIN, "李管理", "办公室主任"),
        edu_leader=_user("edu_leader", edu, Role.LEADER, "赵局长", "副局长"),
        edu_reviewer=_user("edu_reviewer", edu, Role.REVIEWER, "钱审核", "宣传科科长"),
        edu_operator=_user("edu_operator", edu, Role.OPERATOR, "孙运维", "科员"),
        school_leader=_user("school_leader", school, Role.LEADER, "周校长", "校长"),
        street_unit_admin=_user("street_admin", street, Role.UNIT_ADMIN, "吴管理", "党政办主任"),
        street_leader=_user("street_leader", street, Role.LEADER, "郑主任", "街道办事处副主任"),
        street_reviewer=_user("street_reviewer", street, Role.REVIEWER, "冯审核", "宣传委员"),
        street_operator=_user("street_operator", street, Role.OPERATOR, "陈运维", "科员"),
        water_leader=_user("water_leader", water, Role.LEADER, "褚局长", "副局长"),
        water_co_admin=_user("water_co_admin", water_co, Role.UNIT_ADMIN, "卫管理", "综合部部长"),
    )


def _attribute_fixture(name: str):
    def fixture(district):
        return getattr(district, name)

    fixture.__name__ = name
    fixture.__doc__ = f"district.{name} (see the module docstring)."
    return pytest.fixture(fixture, name=name)


for _name in District.__dataclass_fields__:
    globals()[_name] = _attribute_fixture(_name)


# ---------------------------------------------------------------- accounts


@pytest.fixture
def assigned_operator(district) -> User:
    return _user("assigned_operator", district.edu, Role.OPERATOR, "蒋运维", "融媒体专员")


@pytest.fixture
def edu_weibo(district, assigned_operator) -> Account:
    return AccountFactory(host_unit=district.edu, platform=platform("weibo"), name="西海岸教育发布",
                          account_id="xhaedu", operators=[assigned_operator])


@pytest.fixture
def edu_wechat(district) -> Account:
    return AccountFactory(host_unit=district.edu, platform=platform("wechat-subscription"), name="西海岸教体",
                          account_id="gh_xhaedu")


@pytest.fixture
def school_douyin(district) -> Account:
    return AccountFactory(host_unit=district.school, platform=platform("douyin"), name="西海岸实验小学",
                          account_id="xhsy2021")


@pytest.fixture
def street_weibo(district) -> Account:
    return AccountFactory(host_unit=district.street, platform=platform("weibo"), name="灵山卫发布",
                          account_id="lingshanwei")


@pytest.fixture
def water_co_wechat(district) -> Account:
    return AccountFactory(host_unit=district.water_co, platform=platform("wechat-service"), name="西海岸供水服务",
                          account_id="gh_xhwater")
