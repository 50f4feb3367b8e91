"""What the monitoring pages read: scoped like the registry, the day's posts for duty reading, the unread
backlog, an account's activity, the findings list's filters, repost-task statuses and the overview."""

from datetime import date, datetime, timedelta

import pytest

from govmedia.monitoring import selectors
from govmedia.monitoring.models import DutyReading, FindingState, PostKind, SourceHealth
from govmedia.orgs.models import User
from tests.conftest import BEIJING
from tests.monitoring.factories import (
    AlertFactory,
    RepostCompletionFactory,
    RepostTaskFactory,
    SourceFactory,
)
from tests.monitoring.pages import FindingFactory, PostFactory

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


@pytest.fixture
def posts(frozen_clock, edu_weibo, edu_wechat, school_douyin, street_weibo, water_co_wechat):
    """One post today on each account."""
    return {a.name: PostFactory(account=a) for a in (edu_weibo, edu_wechat, school_douyin, street_weibo,
                                                     water_co_wechat)}


# ---------------------------------------------------------------- scoping


@pytest.mark.parametrize(("persona", "expected"), [
    ("supervisor", {"西海岸教育发布", "西海岸教体", "西海岸实验小学", "灵山卫发布", "西海岸供水服务"}),
    ("edu_unit_admin", {"西海岸教育发布", "西海岸教体", "西海岸实验小学"}),  # the school is edu's subordinate
    ("street_reviewer", {"灵山卫发布"}),
    ("edu_operator", set()),  # an operator sees only the accounts assigned to them: none
    ("assigned_operator", {"西海岸教育发布"}),
    ("water_leader", {"西海岸供水服务"}),  # the competent unit of the water company
])
def test_each_persona_sees_exactly_its_own_accounts_posts_and_findings(request, posts, persona, expected):
    for post in posts.values():
        FindingFactory(post=post)
    user = request.getfixturevalue(persona)
    assert {p.account.name for p in selectors.posts_visible_to(user)} == expected
    assert {f.account.name for f in selectors.findings_visible_to(user)} == expected
    assert {s.account.name for s in selectors.sources_visible_to(user)} == set()


def test_a_unit_sees_the_sources_of_its_accounts_only(edu_unit_admin, edu_weibo, street_weibo):
    mine, theirs = SourceFactory(account=edu_weibo), SourceFactory(account=street_weibo)
    assert list(selectors.sources_visible_to(edu_unit_admin)) == [mine]
    assert theirs not in selectors.sources_visible_to(edu_unit_admin)


def test_alerts_are_the_users_own_and_only_on_findings_they_still_see(frozen_clock, edu_unit_admin, edu_leader,
                                                                      edu_weibo, street_weibo):
    mine = AlertFactory(recipient=edu_unit_admin, finding=FindingFactory(post=PostFactory(account=edu_weibo)))
    AlertFactory(recipient=edu_leader, finding=mine.finding)
    # A login moved away from the street keeps no alert of the street's.
    AlertFactory(recipient=edu_unit_admin, finding=FindingFactory(post=PostFactory(account=street_weibo)))
    assert list(selectors.alerts_for(edu_unit_admin)) == [mine]
    assert selectors.unread_alert_count(edu_unit_admin) == 1
    mine.read_at = frozen_clock.current
    mine.save()
    assert selectors.unread_alert_count(edu_unit_admin) == 0


# ---------------------------------------------------------------- duty reading


def test_duty_reading_holds_the_posts_first_seen_that_day_in_beijing_time(frozen_clock, supervisor, edu_weibo):
    day = frozen_clock.today
    before = PostFactory(account=edu_weibo, first_seen=at(day - timedelta(days=1), 23, 59))
    first = PostFactory(account=edu_weibo, first_seen=at(day, 0, 0))
    last = PostFactory(account=edu_weibo, first_seen=at(day, 23, 59))
    after = PostFactory(account=edu_weibo, first_seen=at(day + timedelta(days=1), 0, 0))
    assert list(selectors.duty_reading(supervisor, day)) == [first, last]
    assert before not in selectors.duty_reading(supervisor, day) and after not in selectors.duty_reading(supervisor, day)


def test_duty_reading_puts_unread_posts_first_and_filters_by_unit_and_read_state(frozen_clock, supervisor, district,
                                                                                edu_weibo, street_weibo):
    read = PostFactory(account=edu_weibo, first_seen=at(frozen_clock.today, 8))
    DutyReading.objects.create(post=read, reader=supervisor, read_at=frozen_clock.current)
    unread = PostFactory(account=edu_weibo, first_seen=at(frozen_clock.today, 9))
    street = PostFactory(account=street_weibo, first_seen=at(frozen_clock.today, 9, 30))
    day = frozen_clock.today
    assert list(selectors.duty_reading(supervisor, day)) == [unread, street, read]
    assert list(selectors.duty_reading(supervisor, day, unit=district.street.pk)) == [street]
    assert list(selectors.duty_reading(supervisor, day, unread_only=True)) == [unread, street]


def test_a_post_for_display_is_escaped_and_its_findings_are_marked_in_title_and_text(frozen_clock, edu_weibo):
    post = PostFactory(account=edu_weibo, title="<b>精减</b>通知", text="<script>alert(1)</script>机构精减方案")
    document = f"{post.title}\n{post.text}"
    in_text = document.index("精减", len(post.title))
    FindingFactory(post=post, evidence={"start": 3, "end": 5, "text": "精减"})
    FindingFactory(post=post, evidence={"start": in_text, "end": in_text + 2, "text": "精减"})
    [shown] = selectors.for_display(selectors.duty_reading(User(is_superuser=True), frozen_clock.today))
    assert shown.marked_title.startswith("&lt;b&gt;<mark") and "精减</mark>&lt;/b&gt;通知" in shown.marked_title
    assert shown.marked_text.startswith("&lt;script&gt;alert(1)&lt;/script&gt;机构<mark")
    assert "<script>" not in shown.marked_text and shown.reading is None


def test_the_unread_backlog_counts_each_units_unread_posts_and_the_oldest(frozen_clock, supervisor, edu_unit_admin,
                                                                          edu_weibo, school_douyin, street_weibo):
    old = PostFactory(account=edu_weibo, first_seen=frozen_clock.current - timedelta(days=3))
    PostFactory(account=edu_weibo)
    read = PostFactory(account=edu_weibo)
    DutyReading.objects.create(post=read, reader=edu_unit_admin, read_at=frozen_clock.current)
    PostFactory(account=school_douyin)
    PostFactory(account=street_weibo)
    rows = {row.unit_name: (row.unread, row.oldest) for row in selectors.unread_backlog(supervisor)}
    assert rows == {"区教育和体育局": (2, old.first_seen), "西海岸新区实验小学": (1, frozen_clock.current),
                    "灵山卫街道": (1, frozen_clock.current)}
    assert [row.unit_name for row in selectors.unread_backlog(supervisor)][0] == "区教育和体育局"
    assert {row.unit_name for row in selectors.unread_backlog(edu_unit_admin)} == {"区教育和体育局",
                                                                                   "西海岸新区实验小学"}


# ---------------------------------------------------------------- an account's activity


def test_account_activity_counts_posts_per_week_by_publish_time_and_leaves_unknown_times_out(frozen_clock,
                                                                                              edu_weibo):
    today = frozen_clock.today  # Monday 2026-03-02
    this_week = PostFactory(account=edu_weibo, published_at=at(today, 9), kind=PostKind.REPOST)
    last_original = PostFactory(account=edu_weibo, published_at=at(today - timedelta(days=1), 9))  # last week
    PostFactory(account=edu_weibo, published_at=at(today - timedelta(days=7), 9))
    PostFactory(account=edu_weibo, published_at=at(today - timedelta(weeks=12), 9))  # outside the 12 weeks
    PostFactory(account=edu_weibo, published_at=None)
    activity = selectors.account_activity(edu_weibo, today)
    assert [w.start for w in activity.weeks][-1] == today and activity.weeks[0].start == today - timedelta(weeks=11)
    assert [w.count for w in activity.weeks] == [0] * 10 + [2, 1]
    assert [w.level for w in activity.weeks][-2:] == [4, 2]
    assert activity.undated_posts == 1 and activity.total_posts == 5
    assert activity.last_update == this_week.published_at
    assert activity.last_original == last_original.published_at


def test_account_activity_shows_each_sources_health_and_open_findings_by_group(frozen_clock, edu_weibo):
    broken = SourceFactory(account=edu_weibo, health=SourceHealth.BROKEN, health_reason="captcha",
                           broken_since=frozen_clock.current)
    post = PostFactory(account=edu_weibo)
    FindingFactory(post=post, code="typo")
    FindingFactory(post=post, code="advertising", state=FindingState.CONFIRMED)
    FindingFactory(post=post, code="broken_link")
    FindingFactory(post=post, code="typo", state=FindingState.FIXED)
    FindingFactory(post=None, account=edu_weibo, code="no_update_2_weeks", state=FindingState.FALSE_POSITIVE)
    activity = selectors.account_activity(edu_weibo, frozen_clock.today)
    assert activity.sources == [broken] and activity.sources[0].get_health_reason_display() == "遇到验证码页"
    assert activity.open_findings == [("content", "内容", 2), ("links", "链接", 1)]
    assert activity.open_findings_total == 3


def test_an_account_without_posts_has_empty_weeks_and_no_last_update(frozen_clock, edu_weibo):
    activity = selectors.account_activity(edu_weibo, frozen_clock.today)
    assert {w.count for w in activity.weeks} == {0} and activity.last_update is None
    assert activity.open_findings == [] and activity.sources == []


# ---------------------------------------------------------------- the findings list


@pytest.fixture
def findings(frozen_clock, edu_weibo, street_weibo):
    now = frozen_clock.current
    return {
        "typo": FindingFactory(post=PostFactory(account=edu_weibo), code="typo", severity="medium"),
        "secret": FindingFactory(post=PostFactory(account=edu_weibo), code="secret_marking", severity="high",
                                 state=FindingState.CONFIRMED, first_found_at=now - timedelta(days=5)),
        "link": FindingFactory(post=PostFactory(account=street_weibo), code="broken_link", severity="medium",
                               first_found_at=now - timedelta(days=2)),
        "fixed": FindingFactory(post=PostFactory(account=edu_weibo), code="typo", state=FindingState.FIXED),
    }


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, {"typo", "secret", "link"}),
    ({"state": "all"}, {"typo", "secret", "link", "fixed"}),
    ({"state": "fixed"}, {"fixed"}),
    ({"group": "content"}, {"typo", "secret"}),
    ({"code": "broken_link"}, {"link"}),
    ({"severity": "high"}, {"secret"}),
    ({"found_from": date(2026, 2, 27), "found_to": date(2026, 2, 28)}, {"link"}),
    ({"found_to": date(2026, 2, 25)}, {"secret"}),
])
def test_the_findings_list_filters(supervisor, findings, filters, expected):
    shown = set(selectors.findings_for_list(supervisor, **filters))
    assert shown == {findings[name] for name in expected}


def test_the_findings_list_filters_by_unit_and_account_within_the_users_scope(district, supervisor,
                                                                              edu_unit_admin, findings):
    street = district.street.pk
    assert set(selectors.findings_for_list(supervisor, unit=street)) == {findings["link"]}
    assert set(selectors.findings_for_list(edu_unit_admin, unit=street)) == set()
    assert set(selectors.findings_for_list(edu_unit_admin, account=findings["link"].account_id)) == set()


# ---------------------------------------------------------------- repost tasks


@pytest.fixture
def task(frozen_clock, supervisor, edu_weibo, edu_wechat, street_weibo):
    task = RepostTaskFactory(issued_by=supervisor, deadline=frozen_clock.current + timedelta(days=1),
                             accounts=[edu_weibo, edu_wechat, street_weibo])
    RepostCompletionFactory(task=task, post=PostFactory(account=edu_weibo, title=task.title))
    return task


def test_each_account_of_a_task_is_done_pending_or_overdue(frozen_clock, supervisor, task):
    statuses = {s.account.name: s.state for s in selectors.repost_statuses(task, supervisor, frozen_clock.current)}
    assert statuses == {"西海岸教育发布": "done", "西海岸教体": "pending", "灵山卫发布": "pending"}
    later = frozen_clock.advance(days=2)
    statuses = selectors.repost_statuses(task, supervisor, later)
    assert [(s.account.name, s.state) for s in statuses] == [
        ("西海岸教体", "overdue"), ("灵山卫发布", "overdue"), ("西海岸教育发布", "done")]
    assert statuses[-1].completion.post.title == task.title and statuses[0].label == "逾期未转载"


def test_a_unit_sees_the_tasks_naming_its_accounts_and_only_its_accounts_status(frozen_clock, supervisor, task,
                                                                                 street_unit_admin, water_co_admin):
    other = RepostTaskFactory(issued_by=supervisor, accounts=[])
    assert list(selectors.repost_tasks_visible_to(street_unit_admin)) == [task]
    assert list(selectors.repost_tasks_visible_to(water_co_admin)) == []
    assert set(selectors.repost_tasks_visible_to(supervisor)) == {task, other}
    statuses = selectors.repost_statuses(task, street_unit_admin, frozen_clock.current)
    assert [s.account.name for s in statuses] == ["灵山卫发布"]


def test_task_counts_and_overdue_reposts_are_scoped(frozen_clock, supervisor, edu_unit_admin, task):
    [counted] = selectors.with_repost_counts([task], supervisor, frozen_clock.current)
    assert counted.counts == {"done": 1, "pending": 2, "overdue": 0}
    later = frozen_clock.advance(days=2)
    [counted] = selectors.with_repost_counts([task], edu_unit_admin, later)
    assert counted.counts == {"done": 1, "pending": 0, "overdue": 1}
    assert [(o.task, o.account.name) for o in selectors.overdue_reposts(edu_unit_admin, later)] == [
        (task, "西海岸教体")]
    assert len(selectors.overdue_reposts(supervisor, later)) == 2


def test_accounts_picked_by_unit_and_platform_are_the_operating_ones(district, supervisor, edu_weibo, edu_wechat,
                                                                     street_weibo):
    weibo = edu_weibo.platform
    assert set(selectors.accounts_picked(supervisor, platforms=[weibo])) == {edu_weibo, street_weibo}
    assert set(selectors.accounts_picked(supervisor, units=[district.edu])) == {edu_weibo, edu_wechat}
    assert set(selectors.accounts_picked(supervisor, units=[district.edu], platforms=[weibo])) == {edu_weibo}
    street_weibo.status = "closed"
    street_weibo.save()
    assert set(selectors.accounts_picked(supervisor, platforms=[weibo])) == {edu_weibo}


# ---------------------------------------------------------------- the overview


def test_the_overview_counts_open_findings_by_unit_and_group_within_the_scope(frozen_clock, supervisor,
                                                                               edu_unit_admin, findings, task):
    SourceFactory(account=findings["link"].account, health=SourceHealth.BROKEN, health_reason="timeout")
    SourceFactory(account=findings["typo"].account, health=SourceHealth.BROKEN, is_active=False)
    data = selectors.overview(supervisor, frozen_clock.current + timedelta(days=2))
    assert data.groups == [("content", "内容", 2), ("links", "链接", 1)]
    assert [(u.unit_name, u.by_group, u.total) for u in data.units] == [
        ("区教育和体育局", {"content": 2}, 2), ("灵山卫街道", {"links": 1}, 1)]
    assert data.units[0].cells[:2] == [("content", 2), ("links", 0)]
    assert [s.get_health_reason_display() for s in data.broken_sources] == ["请求超时"]
    assert data.overdue_reposts_count == 2
    mine = selectors.overview(edu_unit_admin, frozen_clock.current)
    assert [u.unit_name for u in mine.units] == ["区教育和体育局"] and mine.broken_sources_count == 0
