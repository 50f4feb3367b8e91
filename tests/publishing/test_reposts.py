from datetime import timedelta

import pytest

from govmedia.errors import Conflict, PermissionDenied, RuleViolation
from govmedia.monitoring.services.repost_tasks import repost_task_issue
from govmedia.publishing.models import DraftState, Origin
from govmedia.publishing.selectors import repost_tasks_waiting
from govmedia.publishing.services.drafts import draft_edit, draft_withdraw
from govmedia.publishing.services.reposts import repost_task_draft
from govmedia.publishing.services.review import draft_submit


@pytest.fixture
def task(frozen_clock, supervisor, edu_weibo, edu_wechat, street_weibo):
    return repost_task_issue(by=supervisor, title="关于做好冬季安全生产工作的通知", accounts=[edu_weibo, street_weibo],
                             notice_url="https://www.qingdao.gov.cn/n1.html",
                             deadline=frozen_clock.current + timedelta(days=2))


def test_a_required_repost_waits_in_each_target_units_queue(task, edu_unit_admin, street_unit_admin, edu, street,
                                                            school_leader):
    assert list(repost_tasks_waiting(edu_unit_admin, edu.pk)) == [task]
    assert list(repost_tasks_waiting(street_unit_admin, street.pk)) == [task]
    assert not repost_tasks_waiting(street_unit_admin, edu.pk).exists()


def test_it_becomes_a_prefilled_repost_draft_once_per_unit(task, edu_unit_admin, edu, edu_weibo):
    draft = repost_task_draft(task=task, unit=edu, by=edu_unit_admin)
    assert (draft.title, draft.origin, draft.source_name) == (task.title, Origin.REPOST, "管委办公室")
    assert 'href="https://www.qingdao.gov.cn/n1.html"' in draft.body_html
    assert list(draft.accounts.all()) == [edu_weibo] and draft.repost_task == task
    assert not repost_tasks_waiting(edu_unit_admin, edu.pk).exists()
    with pytest.raises(Conflict):
        repost_task_draft(task=task, unit=edu, by=edu_unit_admin)
    draft_withdraw(draft=draft, by=edu_unit_admin)
    assert repost_task_draft(task=task, unit=edu, by=edu_unit_admin).pk != draft.pk


def test_another_unit_cannot_take_it_for_a_unit_it_does_not_write_for(task, street_unit_admin, edu):
    with pytest.raises(PermissionDenied):
        repost_task_draft(task=task, unit=edu, by=street_unit_admin)


def test_its_source_must_be_approved_before_it_goes_to_review(task, edu_unit_admin, edu, edu_reviewer):
    draft = repost_task_draft(task=task, unit=edu, by=edu_unit_admin)
    with pytest.raises(RuleViolation, match="管委办公室"):
        draft_submit(draft=draft, by=edu_unit_admin)
    draft_edit(draft=draft, by=edu_unit_admin, title=draft.title, body_html=draft.body_html, source_name="青岛发布")
    assert draft_submit(draft=draft, by=edu_unit_admin).state == DraftState.IN_REVIEW
