"""转载任务 through HTTP: the district office issues a task with the unit and platform picker; each unit sees
the tasks naming its accounts and their status."""

from datetime import timedelta

import pytest
from django.urls import reverse

from govmedia.monitoring.models import RepostTask
from tests.monitoring.factories import RepostCompletionFactory, RepostTaskFactory
from tests.monitoring.pages import PostFactory, client_for, refusals, said

pytestmark = pytest.mark.django_db

ADD = reverse("monitoring:repost_task_add")


def form(clock, **overrides):
    deadline = (clock.current + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    return {"title": "关于做好冬季森林防火工作的通告", "notice_url": "https://www.qingdao.gov.cn/n1.html",
            "match_phrases": "森林防火", "deadline": deadline, **overrides}


def test_a_supervisor_issues_a_task_to_every_weibo_account_and_one_more(frozen_clock, supervisor, edu_weibo,
                                                                        edu_wechat, street_weibo):
    response = client_for(supervisor).post(ADD, form(frozen_clock, platforms=[edu_weibo.platform_id],
                                                     accounts=[edu_wechat.pk]))
    task = RepostTask.objects.get()
    assert response.status_code == 302 and response.url == reverse("monitoring:repost_task", args=[task.pk])
    assert set(task.accounts.all()) == {edu_weibo, street_weibo, edu_wechat} and "涉及 3 个账号" in said(response)


def test_picking_a_unit_and_a_platform_takes_that_units_accounts_on_it(frozen_clock, district, supervisor,
                                                                       edu_weibo, edu_wechat, street_weibo):
    client_for(supervisor).post(ADD, form(frozen_clock, units=[district.edu.pk], platforms=[edu_weibo.platform_id]))
    assert list(RepostTask.objects.get().accounts.all()) == [edu_weibo]


def test_a_task_without_accounts_is_refused_on_the_form(frozen_clock, supervisor, edu_weibo):
    response = client_for(supervisor).post(ADD, form(frozen_clock))
    assert response.status_code == 200 and not RepostTask.objects.exists()
    assert "请至少选择一个须转载的账号" in str(response.context["form"].errors)


def test_a_unit_admin_may_not_issue_a_task(frozen_clock, edu_unit_admin, edu_weibo):
    client = client_for(edu_unit_admin)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, form(frozen_clock, accounts=[edu_weibo.pk])).status_code == 403
    assert not RepostTask.objects.exists() and len(refusals()) == 1


@pytest.fixture
def task(frozen_clock, supervisor, edu_weibo, edu_wechat, street_weibo):
    task = RepostTaskFactory(issued_by=supervisor, deadline=frozen_clock.current - timedelta(hours=1),
                             accounts=[edu_weibo, edu_wechat, street_weibo])
    RepostCompletionFactory(task=task, post=PostFactory(account=edu_weibo, title=task.title,
                                                        url="https://weibo.example.cn/done"))
    return task


def test_a_unit_sees_its_accounts_status_with_the_post_that_did_it(edu_unit_admin, task):
    page = client_for(edu_unit_admin).get(reverse("monitoring:repost_task", args=[task.pk])).content.decode()
    assert "西海岸教育发布" in page and "已转载" in page and "https://weibo.example.cn/done" in page
    assert "西海岸教体" in page and "逾期未转载" in page and "灵山卫发布" not in page


def test_the_list_counts_each_tasks_statuses_within_the_scope(supervisor, street_unit_admin, task):
    [row] = client_for(supervisor).get(reverse("monitoring:repost_tasks")).context["tasks"]
    assert row.counts == {"done": 1, "pending": 0, "overdue": 2}
    [row] = client_for(street_unit_admin).get(reverse("monitoring:repost_tasks")).context["tasks"]
    assert row.counts == {"done": 0, "pending": 0, "overdue": 1}


def test_a_task_naming_none_of_the_units_accounts_is_not_found(water_co_admin, task):
    assert client_for(water_co_admin).get(reverse("monitoring:repost_task", args=[task.pk])).status_code == 404


def test_a_supervisor_withdraws_a_task_and_a_unit_may_not(supervisor, edu_unit_admin, task):
    url = reverse("monitoring:repost_task_withdraw", args=[task.pk])
    assert client_for(edu_unit_admin).post(url).status_code == 403 and RepostTask.objects.exists()
    client_for(supervisor).post(url)
    assert not RepostTask.objects.exists()


def test_a_supervisor_corrects_a_task(frozen_clock, supervisor, edu_weibo, task):
    client_for(supervisor).post(reverse("monitoring:repost_task_edit", args=[task.pk]), form(
        frozen_clock, title="更正后的通告", accounts=[edu_weibo.pk],
        deadline=(frozen_clock.current + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")))
    task.refresh_from_db()
    assert task.title == "更正后的通告" and list(task.accounts.all()) == [edu_weibo]
