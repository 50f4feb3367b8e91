"""One draft: its text, review record and findings; the author's submit (or emergency release), withdraw and
publication record, each refused to others; the versions compared with the one before."""

import pytest

from govmedia.errors import PermissionDenied
from govmedia.publishing.models import Draft, DraftKind, DraftState, LedgerEntry
from govmedia.publishing.selectors import version_diff
from govmedia.publishing.services.drafts import draft_edit
from govmedia.publishing.services.review import draft_submit, review_approve, review_reject
from tests.publishing.factories import draft_for

pytestmark = pytest.mark.django_db

TYPO_BODY = "<p>台湾总统发表讲话</p>"


def _url(draft, action="") -> str:
    return f"/publishing/drafts/{draft.pk}/{action}"


def _state(draft) -> str:
    return Draft.objects.get(pk=draft.pk).state


def test_the_page_shows_the_review_record_and_the_findings_with_their_place(
        client, frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, body=TYPO_BODY, submit=True)
    review_reject(draft=draft, by=edu_reviewer, comment="表述错误，请改为台湾地区领导人")
    client.force_login(assigned_operator)
    page = client.get(_url(draft)).content.decode()
    assert "已退回" in page and "第1轮" in page and "审核员审核" in page
    assert "钱审核：退回——表述错误，请改为台湾地区领导人" in page
    findings = page.split('id="draft-findings"')[1].split('id="draft-review"')[0]
    assert '<mark class="finding sev-' in findings and "台湾总统" in findings and "正文第 1–4 字" in findings
    assert "须修改或由审核人说明保留理由" in findings
    assert _url(draft, "edit/") in page and _url(draft, "submit/") in page


def test_before_submission_the_page_shows_the_grade_it_will_be_submitted_at(client, frozen_clock,
                                                                          assigned_operator, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, marked_grade="major")
    client.force_login(assigned_operator)
    grade = client.get(_url(draft)).content.decode().split('id="draft-grade">')[1].split("</td>")[0]
    assert grade.startswith("重大") and "提交时按此等级审核" in grade and "一般" not in grade


def test_the_draft_page_and_its_review_page_link_to_each_other(client, frozen_clock, assigned_operator,
                                                               edu_reviewer, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo)
    client.force_login(edu_reviewer)
    assert f"/publishing/review/{draft.pk}/" not in client.get(_url(draft)).content.decode()  # not yet submitted
    draft = draft_submit(draft=draft, by=assigned_operator)
    assert f'href="/publishing/review/{draft.pk}/" id="review-link"' in client.get(_url(draft)).content.decode()
    review_page = client.get(f"/publishing/review/{draft.pk}/").content.decode()
    assert f'href="{_url(draft)}" id="draft-link"' in review_page


def test_a_reviewer_of_the_unit_sees_the_draft_without_the_author_s_actions(client, frozen_clock, assigned_operator,
                                                                           edu_reviewer, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo)
    client.force_login(edu_reviewer)
    page = client.get(_url(draft)).content.decode()
    assert draft.title in page and _url(draft, "submit/") not in page and _url(draft, "edit/") not in page


def test_another_unit_s_user_does_not_find_the_draft_nor_its_versions(client, frozen_clock, assigned_operator,
                                                                      street_unit_admin, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo)
    client.force_login(street_unit_admin)
    assert client.get(_url(draft)).status_code == 404
    assert client.get(_url(draft, "versions/")).status_code == 404


def test_the_author_submits_and_the_grade_s_chain_starts(client, frozen_clock, assigned_operator, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo)
    client.force_login(assigned_operator)
    response = client.post(_url(draft, "submit/"), follow=True)
    assert "稿件已提交审核（一般）" in response.content.decode()
    assert _state(draft) == DraftState.IN_REVIEW


def test_an_emergency_release_needs_a_reason_and_goes_to_the_head(client, frozen_clock, assigned_operator,
                                                                  edu_leader, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo)
    client.force_login(assigned_operator)
    response = client.post(_url(draft, "submit/"), {"emergency": "on", "emergency_reason": " "}, follow=True)
    assert "紧急发布事由：紧急发布须填写事由" in response.content.decode() and _state(draft) == DraftState.DRAFT
    client.post(_url(draft, "submit/"), {"emergency": "on", "emergency_reason": "台风预警须立即发布"})
    draft.refresh_from_db()
    assert draft.emergency and draft.emergency_reason == "台风预警须立即发布"
    assert list(draft.steps.values_list("label", flat=True)) == ["紧急发布（单位负责人）"]


def test_the_emergency_option_sits_on_one_line_with_its_label(client, frozen_clock, assigned_operator, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo)
    client.force_login(assigned_operator)
    page = client.get(_url(draft)).content.decode()
    assert '<p class="check-line"><input type="checkbox" name="emergency"' in page


def test_a_reason_without_the_emergency_option_submits_the_normal_chain(client, frozen_clock, assigned_operator,
                                                                        edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo)
    client.force_login(assigned_operator)
    client.post(_url(draft, "submit/"), {"emergency_reason": "随手写的"})
    draft.refresh_from_db()
    assert draft.state == DraftState.IN_REVIEW and not draft.emergency


def test_a_reviewer_of_the_unit_cannot_submit_or_withdraw_someone_s_draft(client, frozen_clock, assigned_operator,
                                                                          edu_reviewer, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo)
    client.force_login(edu_reviewer)
    response = client.post(_url(draft, "submit/"), follow=True)
    assert "只有撰稿人可以提交稿件" in response.content.decode()
    response = client.post(_url(draft, "withdraw/"), follow=True)
    assert "只有撰稿人可以撤回稿件" in response.content.decode()
    assert _state(draft) == DraftState.DRAFT


def test_another_unit_s_user_cannot_act_on_the_draft(client, frozen_clock, assigned_operator, street_unit_admin,
                                                     edu_reviewer, edu_weibo):
    draft = review_approve(draft=draft_for(assigned_operator, edu_weibo, submit=True), by=edu_reviewer)
    client.force_login(street_unit_admin)
    for action, data in (("submit/", {}), ("withdraw/", {}),
                         ("publication/", {"url": "https://weibo.com/x/1", "published_at": "2026-03-02T10:00"})):
        assert client.post(_url(draft, action), data).status_code == 404
    assert _state(draft) == DraftState.APPROVED and not LedgerEntry.objects.exists()


def test_actions_are_posts(client, frozen_clock, assigned_operator, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo)
    client.force_login(assigned_operator)
    for action in ("submit/", "withdraw/", "publication/"):
        assert client.get(_url(draft, action)).status_code == 405


def test_the_author_withdraws(client, frozen_clock, assigned_operator, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, submit=True)
    client.force_login(assigned_operator)
    assert "稿件已撤回" in client.post(_url(draft, "withdraw/"), follow=True).content.decode()
    assert _state(draft) == DraftState.WITHDRAWN


def test_a_second_submit_is_refused_with_a_message(client, frozen_clock, assigned_operator, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, submit=True)
    client.force_login(assigned_operator)
    response = client.post(_url(draft, "submit/"), follow=True)
    assert response.status_code == 200 and "稿件审核中，不能提交" in response.content.decode()


def test_an_approved_draft_s_publication_is_recorded_onto_the_ledger(client, frozen_clock, assigned_operator,
                                                                     edu_reviewer, edu_weibo):
    draft = review_approve(draft=draft_for(assigned_operator, edu_weibo, submit=True), by=edu_reviewer)
    client.force_login(assigned_operator)
    assert _url(draft, "publication/") in client.get(_url(draft)).content.decode()
    frozen_clock.advance(hours=1)
    response = client.post(_url(draft, "publication/"), {"url": "https://weibo.com/xhaedu/1",
                                                          "published_at": "2026-03-02T10:30"}, follow=True)
    assert "已登记发布情况" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == DraftState.PUBLISHED and draft.published_url == "https://weibo.com/xhaedu/1"
    assert LedgerEntry.objects.filter(draft=draft).count() == 1


def test_a_bad_publication_is_told_on_the_page(client, frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    draft = review_approve(draft=draft_for(assigned_operator, edu_weibo, submit=True), by=edu_reviewer)
    client.force_login(assigned_operator)
    response = client.post(_url(draft, "publication/"), {"url": "https://weibo.com/x/1",
                                                          "published_at": "2030-01-01T10:00"}, follow=True)
    assert "晚于现在" in response.content.decode()
    response = client.post(_url(draft, "publication/"), {"url": "", "published_at": "bad"}, follow=True)
    assert "发布链接：" in response.content.decode() and _state(draft) == DraftState.APPROVED


def test_another_unit_s_admin_may_not_record_the_publication(client, frozen_clock, assigned_operator,
                                                                      edu_reviewer, water_co_admin, edu_weibo):
    draft = review_approve(draft=draft_for(assigned_operator, edu_weibo, submit=True), by=edu_reviewer)
    client.force_login(water_co_admin)
    response = client.post(_url(draft, "publication/"), {"url": "https://weibo.com/x/1",
                                                          "published_at": "2026-03-02T10:00"})
    assert response.status_code == 404 and _state(draft) == DraftState.APPROVED


def test_versions_are_compared_with_the_one_before_as_marks(client, frozen_clock, assigned_operator, edu_reviewer,
                                                           edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, body="<p>第一段。</p><p>会议于九月召开。</p>", submit=True)
    review_reject(draft=draft, by=edu_reviewer, comment="请写明日期")
    draft_edit(draft=draft, by=assigned_operator, title=draft.title,
               body_html="<p>第一段。</p><p>会议于九月一日召开。</p><p>新增<b>一段</b>。</p>")
    client.force_login(edu_reviewer)
    page = client.get(_url(draft, "versions/")).content.decode()
    second = page.split('id="version-2"')[1].split('id="version-1"')[0]
    assert "<ins>一日</ins>" in second and '<div class="diff-line diff-insert"><ins>新增一段。</ins></div>' in second
    assert "第一段。" in second
    first = page.split('id="version-1"')[1]
    assert "<ins>会议于九月召开。</ins>" in first


def test_an_operator_sees_only_their_own_drafts(client, frozen_clock, assigned_operator, edu_unit_admin, edu_weibo):
    draft = draft_for(edu_unit_admin, edu_weibo)
    client.force_login(assigned_operator)
    assert client.get(_url(draft)).status_code == 404
    assert client.post(_url(draft, "withdraw/")).status_code == 404
    assert _state(draft) == DraftState.DRAFT


def test_a_reply_draft_is_submitted_withdrawn_and_released_on_its_message(client, frozen_clock, assigned_operator,
                                                                         edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, kind=DraftKind.REPLY)
    client.force_login(assigned_operator)
    page = client.get(_url(draft)).content.decode()
    assert _url(draft, "submit/") not in page and _url(draft, "withdraw/") not in page
    for action in ("submit/", "withdraw/"):
        response = client.post(_url(draft, action), follow=True)
        assert "答复稿请在留言页面提交、撤回和发布" in response.content.decode()
    assert _state(draft) == DraftState.DRAFT


def test_the_compare_is_refused_to_whoever_may_not_see_the_draft(frozen_clock, assigned_operator, edu_reviewer,
                                                                 street_unit_admin, edu_weibo):
    version = draft_for(assigned_operator, edu_weibo).current_version
    assert version_diff(version, user=edu_reviewer)[0].op == "insert"
    with pytest.raises(PermissionDenied):
        version_diff(version, user=street_unit_admin)
