"""我的稿件: the author's drafts by state with grade, step and findings; the unit's required reposts, each taken
as a prefilled draft by a POST that outsiders cannot make."""

import pytest

from govmedia.publishing.models import Draft, DraftState, Origin
from govmedia.publishing.services.review import review_reject
from govmedia.publishing.views import drafts as views
from tests.monitoring.factories import RepostTaskFactory
from tests.publishing.factories import draft_for

pytestmark = pytest.mark.django_db

URL = "/publishing/drafts/"


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_groups_the_authors_drafts_by_state_with_grade_step_and_findings(
        client, frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    draft_for(assigned_operator, edu_weibo, title="仍是草稿的通知")
    draft_for(assigned_operator, edu_weibo, title="审核中的通知", submit=True)
    returned = draft_for(assigned_operator, edu_weibo, title="被退回的通知", submit=True)
    review_reject(draft=returned, by=edu_reviewer, comment="请补充时间")
    draft_for(assigned_operator, edu_weibo, title="有错字的通知", body="<p>会议在青岛西海岸新区召开，请准时参加，不的迟到。</p>")
    page = _page(client, assigned_operator)
    draft_section = page.split('id="drafts-draft"')[1].split('id="drafts-rejected"')[0]
    assert "仍是草稿的通知" in draft_section and "审核中的通知" not in draft_section
    review_section = page.split('id="drafts-in_review"')[1].split('id="drafts-approved"')[0]
    assert "审核中的通知" in review_section and "审核员审核" in review_section and "一般" in review_section
    assert "被退回的通知" in page.split('id="drafts-rejected"')[1].split('id="drafts-in_review"')[0]
    for state in ("草稿", "审核中", "已退回", "已通过", "已发布"):
        assert f"<h2>{state} " in page


def test_the_list_shows_only_the_users_own_drafts(client, frozen_clock, assigned_operator, edu_unit_admin,
                                                  edu_weibo, street_operator, street_weibo):
    draft_for(assigned_operator, edu_weibo, title="教体局的稿件")
    draft_for(edu_unit_admin, edu_weibo, title="管理员的稿件")
    assert "管理员的稿件" not in _page(client, assigned_operator)
    assert "教体局的稿件" not in _page(client, street_operator)


def test_the_unit_s_waiting_repost_tasks_are_listed_and_taken_as_prefilled_drafts(
        client, frozen_clock, edu_unit_admin, edu, edu_weibo, supervisor):
    task = RepostTaskFactory(title="关于冬季森林防火的通告", issued_by=supervisor, accounts=[edu_weibo])
    page = _page(client, edu_unit_admin)
    assert "关于冬季森林防火的通告" in page and f"/publishing/repost-tasks/{task.pk}/units/{edu.pk}/draft/" in page
    response = client.post(f"/publishing/repost-tasks/{task.pk}/units/{edu.pk}/draft/")
    draft = Draft.objects.get(repost_task=task)
    assert response.status_code == 302 and response.url == f"/publishing/drafts/{draft.pk}/edit/"
    assert draft.origin == Origin.REPOST and draft.author == edu_unit_admin and draft.unit == edu
    assert 'id="repost-tasks"' not in _page(client, edu_unit_admin)  # taken: no longer waiting


def test_a_task_taken_twice_is_refused_with_a_message(client, frozen_clock, edu_unit_admin, edu_leader, edu,
                                                      edu_weibo, supervisor):
    task = RepostTaskFactory(issued_by=supervisor, accounts=[edu_weibo])
    client.force_login(edu_unit_admin)
    client.post(f"/publishing/repost-tasks/{task.pk}/units/{edu.pk}/draft/")
    client.force_login(edu_leader)
    response = client.post(f"/publishing/repost-tasks/{task.pk}/units/{edu.pk}/draft/", follow=True)
    assert "本单位已为该转载任务建立稿件" in response.content.decode()
    assert Draft.objects.filter(repost_task=task).count() == 1


def test_another_unit_cannot_take_a_task_for_a_unit_it_does_not_write_for(client, frozen_clock, street_unit_admin,
                                                                         edu, edu_weibo, street_weibo, supervisor):
    task = RepostTaskFactory(issued_by=supervisor, accounts=[edu_weibo, street_weibo])
    client.force_login(street_unit_admin)
    assert client.post(f"/publishing/repost-tasks/{task.pk}/units/{edu.pk}/draft/").status_code == 404
    assert not Draft.objects.exists()


def test_a_task_not_naming_the_unit_s_accounts_is_not_found(client, frozen_clock, street_unit_admin, street,
                                                            edu_weibo, street_weibo, supervisor):
    task = RepostTaskFactory(issued_by=supervisor, accounts=[edu_weibo])
    client.force_login(street_unit_admin)
    assert client.post(f"/publishing/repost-tasks/{task.pk}/units/{street.pk}/draft/").status_code == 404


def test_taking_a_task_is_a_post(client, frozen_clock, edu_unit_admin, edu, edu_weibo, supervisor):
    task = RepostTaskFactory(issued_by=supervisor, accounts=[edu_weibo])
    client.force_login(edu_unit_admin)
    assert client.get(f"/publishing/repost-tasks/{task.pk}/units/{edu.pk}/draft/").status_code == 405


def test_the_list_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response.url


def test_finished_drafts_show_only_the_latest(client, frozen_clock, assigned_operator, edu_weibo, monkeypatch):
    monkeypatch.setattr(views, "FINISHED_SHOWN", 1)
    for title in ("撤回一", "撤回二"):
        draft = draft_for(assigned_operator, edu_weibo, title=title)
        Draft.objects.filter(pk=draft.pk).update(state=DraftState.WITHDRAWN)
    section = _page(client, assigned_operator).split('id="drafts-withdrawn"')[1]
    assert "（2）" in section and "仅显示最近 1 篇" in section


def test_unit_drafts_lists_the_remits_drafts_by_state_and_not_other_units(client, frozen_clock, assigned_operator,
                                                                          edu_unit_admin, edu_weibo, street_unit_admin,
                                                                          street_weibo):
    draft_for(assigned_operator, edu_weibo, title="教体局的草稿")
    draft_for(assigned_operator, edu_weibo, title="教体局送审的稿件", submit=True)
    draft_for(street_unit_admin, street_weibo, title="街道的稿件")
    assert "?scope=unit" in _page(client, edu_unit_admin)
    page = client.get(URL, {"scope": "unit"}).content.decode()
    assert "教体局的草稿" in page and "教体局送审的稿件" in page and "街道的稿件" not in page
    assert "灵山卫发布" not in page and "（新浪微博）" in page
    in_review = client.get(URL, {"scope": "unit", "state": "in_review"}).content.decode()
    assert "教体局送审的稿件" in in_review and "教体局的草稿" not in in_review
    bad = client.get(URL, {"scope": "unit", "state": "nonsense"}).content.decode()
    assert "状态“nonsense”无效" in bad and "教体局的草稿" in bad


def test_an_operator_of_assigned_accounts_has_only_their_own_drafts(client, frozen_clock, assigned_operator,
                                                                    edu_unit_admin, edu_weibo):
    draft_for(edu_unit_admin, edu_weibo, title="管理员的稿件")
    assert "?scope=unit" not in _page(client, assigned_operator)
    assert "管理员的稿件" not in client.get(URL, {"scope": "unit"}).content.decode()


def test_a_repost_task_past_its_deadline_is_marked_overdue(client, frozen_clock, edu_unit_admin, edu_weibo,
                                                           supervisor):
    from datetime import timedelta
    RepostTaskFactory(title="已过期的转载任务", issued_by=supervisor, accounts=[edu_weibo],
                      deadline=frozen_clock.current - timedelta(hours=1))
    tasks = _page(client, edu_unit_admin).split('id="repost-tasks"')[1].split("</table>")[0]
    assert "已过期的转载任务" in tasks and "逾期" in tasks
