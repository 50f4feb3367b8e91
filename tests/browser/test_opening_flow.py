"""End to end in a real Chromium: an operator files an opening application, the unit head and the
district supervisor approve it, and the account appears in the registry."""

import pytest

from govmedia.orgs.models import Person, Role, Unit, UnitKind, User
from govmedia.registry.models import Account, AccountStatus, Platform

pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "Browser2026test"


def _user(username, unit, role, name):
    person = Person.objects.create(name=name, unit=unit, title="科员")
    user = User.objects.create_user(username=username, password=PASSWORD, person=person, role=role)
    return user


@pytest.fixture
def district():
    office = Unit.objects.create(name="青岛西海岸新区管委办公室", kind=UnitKind.DISTRICT_OFFICE)
    bureau = Unit.objects.create(name="区教育和体育局", kind=UnitKind.DEPARTMENT, parent=office, competent_unit=office)
    contractor = Unit.objects.create(name="西海岸融媒科技有限公司", kind=UnitKind.CONTRACTOR)
    operator = _user("operator", contractor, Role.OPERATOR, "王运维")
    existing = Account.objects.create(
        account_id="gh_edu0001", name="西海岸教体", platform=Platform.objects.get(code="wechat-subscription"),
        host_unit=bureau, competent_unit=office, status=AccountStatus.NORMAL,
    )
    existing.operators.add(operator)
    Person.objects.create(name="赵责任", unit=bureau, title="宣传科科长", mobile="13800000001")
    return {
        "bureau": bureau,
        "operator": operator,
        "leader": _user("leader", bureau, Role.LEADER, "李局长"),
        "supervisor": _user("supervisor", office, Role.SUPERVISOR, "孙监管"),
    }


def _login(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _logout(page):
    page.click("text=退出")
    page.wait_for_url("**/login/")


def test_operator_files_an_opening_and_two_approvers_bring_the_account_into_the_registry(live_server, district, page):
    base = live_server.url
    _login(page, base, "operator")
    page.goto(f"{base}/registry/accounts/new/")
    page.fill("#id_account_id", "xhaedu_douyin")
    page.fill("#id_name", "西海岸教体抖音")
    page.select_option("#id_platform", label="抖音")
    page.select_option("#id_host_unit", label="区教育和体育局")
    page.fill("#id_registered_on", "2026-11-20")
    page.fill("#id_access_url", "https://www.douyin.com/user/xhaedu")
    page.fill("#id_introduction", "发布全区教育体育政策解读、招生考试信息和校园动态。")
    page.select_option("#id_responsible_person", index=1)
    page.fill("#id_col-0-level1", "政务公开")
    page.fill("#id_team-0-name", "王运维")
    page.fill("#id_team-0-unit_and_title", "西海岸融媒科技有限公司 运营专员")
    page.fill("textarea[name=reason]", "面向学生家长发布短视频形式的政策解读。")
    page.click("#account-form button[type=submit]")
    page.wait_for_url("**/registry/applications/*/")
    assert "审批中" in page.inner_text("#application-state")
    _logout(page)

    _login(page, base, "leader")
    page.goto(f"{base}/registry/applications/")
    page.click("#inbox-table >> text=西海岸教体抖音")
    page.fill("#id_comment", "同意开设。")
    page.click("text=审批通过")
    assert "已审批通过" in page.inner_text(".messages")
    _logout(page)

    _login(page, base, "supervisor")
    page.goto(f"{base}/registry/applications/")
    page.click("#inbox-table >> text=西海岸教体抖音")
    page.click("text=审批通过")
    assert "已批准" in page.inner_text("#application-state")

    page.goto(f"{base}/registry/accounts/?q=西海岸教体抖音")
    row = page.locator("#account-table tr", has_text="西海岸教体抖音")
    assert row.count() == 1
    assert "正常" in row.inner_text()
    account = Account.objects.get(account_id="xhaedu_douyin")
    assert account.status == AccountStatus.NORMAL
    assert account.filings.filter(kind="opening", filed_on__isnull=True).exists()
