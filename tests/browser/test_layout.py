"""The layout in a real Chromium: usable on a 390 px phone, and a registry print with every row and no
menu or buttons."""

import pytest

from govmedia.orgs.models import Person, Role, Unit, UnitKind, User
from govmedia.registry.models import Account, AccountStatus, ColumnMenu, Platform, TeamMember

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "Browser2026test"


@pytest.fixture
def supervisor_with_accounts():
    office = Unit.objects.create(name="青岛西海岸新区管委办公室", kind=UnitKind.DISTRICT_OFFICE)
    person = Person.objects.create(name="孙监管", unit=office, title="政务公开科科长")
    User.objects.create_user(username="supervisor", password=PASSWORD, person=person, role=Role.SUPERVISOR)
    platforms = list(Platform.objects.all())
    accounts = [Account.objects.create(
        account_id=f"xha{i:03d}", name=f"西海岸发布{i:03d}", platform=platforms[i % len(platforms)],
        host_unit=office, competent_unit=office, status=AccountStatus.NORMAL,
        host_leader_name="吴国庆", host_leader_title="党工委委员、办事处副主任",
        host_leader_contact="0532-84277286，13392603916", introduction="发布新区权威信息、政策解读和重大活动。" * 3,
        access_url="https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=ODg2MTgzNDQwNQ==#wechat_redirect",
    ) for i in range(60)]
    ColumnMenu.objects.create(account=accounts[0], name="西海岸发布", level1="西海岸要闻", level2="权威发布",
                              remark="订阅号", position=0)
    TeamMember.objects.create(account=accounts[0], name="乔宏伟", unit_and_title="青岛西海岸新区管委办公室 政务公开科科员",
                              office_phone="0532-81465165", mobile="13642267626")
    return accounts


def _login(page, base):
    page.goto(f"{base}/login/")
    page.fill("#id_username", "supervisor")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_on_a_390_px_phone_the_account_page_fits_and_the_menu_stays_short(live_server, supervisor_with_accounts, page):
    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, live_server.url)
    page.goto(f"{live_server.url}{supervisor_with_accounts[0].get_absolute_url()}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The registration card and the side card stack, each the full width (not a 45 px column of text).
    cards = page.locator(".cards-main-side > .card")
    assert all(cards.nth(i).bounding_box()["width"] > 300 for i in range(cards.count()))
    # Eight menu entries wrap onto two rows of whole words, not one character per line.
    assert page.locator(".mainnav").bounding_box()["height"] <= 60
    assert page.locator(".mainnav a", has_text="账号台账").bounding_box()["height"] < 30
    # The registry and the opening form (its menu and team tables included) fit as well.
    for path in ("/registry/accounts/", "/registry/accounts/new/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path


def test_printing_the_registry_gives_every_filtered_row_without_menu_or_buttons(
    live_server, supervisor_with_accounts, page
):
    _login(page, live_server.url)
    page.goto(f"{live_server.url}/registry/accounts/?q=西海岸发布")
    assert page.locator("#account-table tr").count() == 1 + 50  # the screen shows one page
    page.click("#print-registry")
    page.emulate_media(media="print")
    assert page.locator("#account-table tr").count() == 1 + 60
    assert not page.locator(".topbar").is_visible()
    assert not any(button.is_visible() for button in page.locator(".btn").all())


def test_at_1366_px_every_menu_label_stays_on_one_line(live_server, supervisor_with_accounts, page):
    page.set_viewport_size({"width": 1366, "height": 768})
    _login(page, live_server.url)
    links = page.locator(".mainnav a")
    assert links.count() >= 12
    heights = {links.nth(i).inner_text(): links.nth(i).bounding_box()["height"] for i in range(links.count())}
    assert all(height < 30 for height in heights.values()), heights
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
