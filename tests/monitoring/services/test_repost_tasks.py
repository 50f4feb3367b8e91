"""Required reposts are issued, changed and withdrawn by the district office, for operating accounts, with a
deadline still to come and match phrases that cannot match everything."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govmedia.monitoring.models import RepostCompletion, RepostTask
from govmedia.monitoring.services.repost_tasks import (
    repost_task_change,
    repost_task_issue,
    repost_task_withdraw,
)
from govmedia.registry.models import AccountStatus
from tests.monitoring.factories import RepostCompletionFactory
from tests.monitoring.pages import PostFactory

pytestmark = pytest.mark.django_db

TITLE = "关于做好冬季森林防火工作的通告"


def issue(by, accounts, clock, **overrides) -> RepostTask:
    values = {"title": TITLE, "deadline": clock.current + timedelta(days=2), "accounts": accounts,
              "notice_url": "https://www.qingdao.gov.cn/n1.html", "match_phrases": "森林防火\n森林防火\n 冬季防火 "}
    values.update(overrides)
    return repost_task_issue(by=by, **values)


def test_a_supervisor_issues_a_task_to_accounts(frozen_clock, supervisor, edu_weibo, street_weibo):
    task = issue(supervisor, [edu_weibo, street_weibo], frozen_clock)
    assert (task.title, task.issued_by, task.issued_at, task.match_phrases) == (
        TITLE, supervisor, frozen_clock.current, "森林防火\n冬季防火")
    assert set(task.accounts.all()) == {edu_weibo, street_weibo}


@pytest.mark.parametrize("persona", ["edu_unit_admin", "edu_leader"])
def test_units_do_not_issue_tasks(request, frozen_clock, edu_weibo, persona):
    with pytest.raises(PermissionDenied, match="转载任务由区级监管员下达"):
        issue(request.getfixturevalue(persona), [edu_weibo], frozen_clock)
    assert not RepostTask.objects.exists()


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"title": " "}, "title", "请填写转载任务的标题"),
    ({"deadline": "past"}, "deadline", "已过，须晚于当前时间"),
    ({"notice_url": "javascript:alert(1)"}, "notice_url", "原文链接“javascript:alert(1)”无效"),
    ({"match_phrases": "防\n森林防火"}, "match_phrases", "匹配关键词“防”应为 2 至 100 个字"),
    ({"match_phrases": "\n".join(f"关键词{i}" for i in range(21))}, "match_phrases", "最多 20 个（现为 21 个）"),
])
def test_a_task_is_checked_field_by_field(frozen_clock, supervisor, edu_weibo, overrides, field, message):
    if overrides.get("deadline") == "past":
        overrides["deadline"] = frozen_clock.current - timedelta(minutes=1)
    with pytest.raises(ValidationError) as refused:
        issue(supervisor, [edu_weibo], frozen_clock, **overrides)
    [said] = refused.value.message_dict[field]
    assert message in said


def test_a_task_names_at_least_one_account(frozen_clock, supervisor):
    with pytest.raises(ValidationError, match="请至少选择一个须转载的账号"):
        issue(supervisor, [], frozen_clock)


def test_a_closed_account_gets_no_task(frozen_clock, supervisor, edu_weibo):
    edu_weibo.status = AccountStatus.CLOSED
    edu_weibo.save()
    with pytest.raises(ValidationError, match="账号“西海岸教育发布”处于“关停”状态"):
        issue(supervisor, [edu_weibo], frozen_clock)


def test_a_task_past_its_deadline_is_still_corrected_if_the_deadline_stays(frozen_clock, supervisor, edu_weibo,
                                                                          street_weibo):
    task = issue(supervisor, [edu_weibo], frozen_clock)
    frozen_clock.advance(days=3)
    repost_task_change(task=task, by=supervisor, title="关于做好森林防火工作的通告", deadline=task.deadline,
                       accounts=[edu_weibo, street_weibo])
    task.refresh_from_db()
    assert task.title == "关于做好森林防火工作的通告" and set(task.accounts.all()) == {edu_weibo, street_weibo}
    with pytest.raises(ValidationError, match="须晚于当前时间"):
        repost_task_change(task=task, by=supervisor, title=task.title, accounts=[edu_weibo],
                           deadline=task.deadline + timedelta(hours=1))


def test_withdrawing_a_task_removes_what_was_detected_of_it(frozen_clock, supervisor, edu_unit_admin, edu_weibo):
    task = issue(supervisor, [edu_weibo], frozen_clock)
    RepostCompletionFactory(task=task, post=PostFactory(account=edu_weibo, title=TITLE))
    with pytest.raises(PermissionDenied):
        repost_task_withdraw(task=task, by=edu_unit_admin)
    repost_task_withdraw(task=task, by=supervisor)
    assert not RepostTask.objects.exists() and not RepostCompletion.objects.exists()
