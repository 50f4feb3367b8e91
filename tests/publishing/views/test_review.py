"""待我审核, 待我签发 and the review page through HTTP: the queues, the findings marked inline, keeping a serious
finding with a reason, approve and reject, the grade, a stale page or a lost race told in a message, and every
POST refused to the author, to a colleague who is not the step's approver and (404) to another unit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from govmedia.interaction.models import Reply
from govmedia.orgs.models import Role
from govmedia.publishing.models import (
    Decision,
    Draft,
    DraftKind,
    DraftState,
    FindingAcceptance,
    Grade,
    ReviewDecision,
)
from govmedia.publishing.selectors import pending_step
from govmedia.publishing.services.attachments import attachment_add
from govmedia.publishing.services.drafts import draft_edit
from govmedia.publishing.services.review import StepSpec, chain_configure, draft_submit, review_approve
from tests.factories import AccountFactory, UserFactory
from tests.monitoring.pages import client_for, refusals, said
from tests.publishing.factories import draft_for
from tests.registry.services.helpers import fresh
from tests.threads import at_once

pytestmark = pytest.mark.django_db

QUEUE = reverse("publishing:review_queue")
TO_SIGN = reverse("publishing:to_sign")
SERIOUS_BODY = "<p>妥善处置群体性事件，再接再励，台湾总统发表讲话。</p>"


def page(draft):
    return reverse("publishing:review", args=[draft.pk])


def act(client, draft, name, **data):
    return client.post(reverse(f"publishing:review_{name}", args=[draft.pk]),
                       {"revision": fresh(draft).revision, **data})


@pytest.fixture
def routine(frozen_clock, assigned_operator, edu_weibo):
    return draft_for(assigned_operator, edu_weibo, title="春季开学安全提示", submit=True)


@pytest.fixture
def serious(frozen_clock, assigned_operator, edu_weibo):
    """A sensitive draft with a typo and a serious expression error, waiting for the reviewer."""
    return draft_for(assigned_operator, edu_weibo, title="<b>区领导</b>通报", body=SERIOUS_BODY, submit=True)


def test_the_queue_lists_what_the_reviewer_may_decide(routine, edu_reviewer, street_reviewer):
    response = client_for(edu_reviewer).get(QUEUE)
    text = response.content.decode()
    assert [r["draft"] for r in response.context["rows"]] == [routine]
    assert "春季开学安全提示" in text and "区教育和体育局" in text and "审核员审核" in text and "一般" in text
    assert "春季开学安全提示" not in client_for(street_reviewer).get(QUEUE).content.decode()


def test_to_sign_holds_the_heads_steps_only(frozen_clock, assigned_operator, edu_reviewer, edu_leader, supervisor,
                                            edu_weibo):
    sensitive = review_approve(draft=draft_for(assigned_operator, edu_weibo, body=SERIOUS_BODY.replace("台湾总统", "区长"),
                                               title="防汛通报", submit=True), by=edu_reviewer)
    major = draft_for(assigned_operator, edu_weibo, title="重大事项", marked_grade=Grade.MAJOR, submit=True)
    review_approve(draft=review_approve(draft=major, by=edu_reviewer), by=edu_leader)
    signs = client_for(edu_leader).get(TO_SIGN)
    assert [r["draft"] for r in signs.context["rows"]] == [sensitive] and "单位负责人签发" in signs.content.decode()
    assert client_for(supervisor).get(TO_SIGN).context["rows"] == []
    assert [r["draft"] for r in client_for(supervisor).get(QUEUE).context["rows"]] == [fresh(major)]


def test_an_emergency_release_waits_in_the_heads_list_flagged(frozen_clock, assigned_operator, edu_leader, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, title="暴雨预警")
    draft_submit(draft=draft, by=assigned_operator, emergency_reason="暴雨红色预警，须立即发布")
    text = client_for(edu_leader).get(TO_SIGN).content.decode()
    assert "暴雨预警" in text and "紧急" in text and "暴雨红色预警，须立即发布" in text


def test_a_reply_is_labelled_as_an_answer_in_the_queue(frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    draft_for(assigned_operator, edu_weibo, title="答复：请问招生范围", kind=DraftKind.REPLY, submit=True)
    text = client_for(edu_reviewer).get(QUEUE).content.decode()
    assert '<span class="badge">答复</span> <a' in text and ">请问招生范围</a>" in text


def test_a_replys_title_is_not_prefixed_twice_in_the_queue_or_on_its_page(frozen_clock, assigned_operator,
                                                                         edu_reviewer, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, title="答复：请问招生范围", kind=DraftKind.REPLY, submit=True)
    client = client_for(edu_reviewer)
    assert "答复：请问招生范围" not in client.get(QUEUE).content.decode()
    heading = client.get(page(draft)).content.decode().split("<h1>")[1].split("</h1>")[0]
    assert heading.startswith('<span class="badge">答复</span> 请问招生范围')


def test_the_queue_names_each_accounts_platform(routine, edu_reviewer):
    assert "西海岸教育发布（新浪微博）" in client_for(edu_reviewer).get(QUEUE).content.decode()


def test_a_full_review_past_its_due_date_is_marked_overdue_in_the_queue(frozen_clock, assigned_operator, edu_leader,
                                                                        edu_reviewer, edu_weibo):
    from datetime import timedelta
    draft = draft_for(assigned_operator, edu_weibo, title="暴雨预警")
    draft_submit(draft=draft, by=assigned_operator, emergency_reason="暴雨红色预警，须立即发布")
    draft = review_approve(draft=fresh(draft), by=edu_leader)
    rows = client_for(edu_reviewer).get(QUEUE).context["rows"]
    assert [r["full_review_overdue"] for r in rows] == [False]
    frozen_clock.set(draft.full_review_due + timedelta(days=1))
    text = client_for(edu_reviewer).get(QUEUE).content.decode()
    assert "补审，期限" in text and '<span class="badge badge-danger">逾期</span>' in text


def test_the_page_marks_each_finding_at_its_offset_with_its_suggestion(serious, edu_reviewer):
    response = client_for(edu_reviewer).get(page(serious))
    text = response.content.decode()
    finding = {r["finding"].text: r["finding"] for r in response.context["findings"]}
    assert (f'<mark class="finding sev-high cat-expression_error" title="严重表述错误，应为“台湾地区领导人”'
            f'（建议：台湾地区领导人）" id="finding-{finding["台湾总统"].pk}">台湾总统</mark>') in text
    assert (f'<mark class="finding sev-medium cat-typo" title="错别字：疑似错别字，建议改为“再接再厉”（建议：再接再厉）" '
            f'id="finding-{finding["再接再励"].pk}">再接再励</mark>') in text
    assert f'id="finding-{finding["群体性事件"].pk}">群体性事件</mark>' in text


def test_the_authors_text_is_escaped_around_the_marks(serious, edu_reviewer):
    text = client_for(edu_reviewer).get(page(serious)).content.decode()
    assert "&lt;b&gt;区领导&lt;/b&gt;通报" in text and "<b>区领导</b>" not in text


def test_a_serious_finding_blocks_approval_until_kept_with_a_reason(serious, edu_reviewer, edu_leader):
    client = client_for(edu_reviewer)
    assert 'id="unresolved-warning"' in client.get(page(serious)).content.decode()
    finding = next(r["finding"] for r in client.get(page(serious)).context["findings"] if r["unresolved"])
    review_approve(draft=fresh(serious), by=edu_reviewer)  # the reviewer's step; the head's is the last
    refused = act(client_for(edu_leader), serious, "approve")
    assert "严重问题尚未修改" in said(refused) and "台湾总统" in said(refused)
    assert fresh(serious).state == DraftState.IN_REVIEW
    kept = act(client_for(edu_leader), serious, "accept_finding", finding=finding.pk, reason="引用外媒原话，加引号")
    assert "已说明保留“台湾总统”的理由" in said(kept)
    assert FindingAcceptance.objects.get(draft=serious).reason == "引用外媒原话，加引号"
    assert "保留：引用外媒原话，加引号" in client_for(edu_leader).get(page(serious)).content.decode()
    done = act(client_for(edu_leader), serious, "approve", comment="同意签发")
    assert fresh(serious).state == DraftState.APPROVED and "审核完成" in said(done)


def test_keeping_a_finding_needs_a_reason(serious, edu_reviewer):
    finding = serious.current_version.findings.get(category="expression_error", start__gt=10)
    response = act(client_for(edu_reviewer), serious, "accept_finding", finding=finding.pk, reason="  ")
    assert "保留须说明理由" in said(response) and not FindingAcceptance.objects.exists()


def test_a_finding_of_another_draft_cannot_be_kept_here(serious, routine, edu_reviewer, assigned_operator,
                                                         edu_weibo):
    other = draft_for(assigned_operator, edu_weibo, body=SERIOUS_BODY)
    finding = other.current_version.findings.filter(category="expression_error").first()
    response = act(client_for(edu_reviewer), serious, "accept_finding", finding=finding.pk, reason="引用")
    assert "不属于稿件的当前版本" in said(response) and not FindingAcceptance.objects.exists()


def test_the_reviewer_approves_and_the_draft_goes_to_the_head(serious, edu_reviewer, edu_leader):
    response = act(client_for(edu_reviewer), serious, "approve", comment="文字已核")
    assert response.status_code == 302 and response.url == QUEUE
    assert "转“单位负责人签发”" in said(response)
    text = client_for(edu_leader).get(page(serious)).content.decode()
    assert f"{edu_reviewer.display_name} <strong>通过</strong>" in text and "文字已核" in text and 'id="approve-form"' in text


def test_a_reject_needs_a_comment_and_returns_the_draft(routine, edu_reviewer):
    client = client_for(edu_reviewer)
    assert "退回须填写审核意见" in said(act(client, routine, "reject", comment=" "))
    assert fresh(routine).state == DraftState.IN_REVIEW
    response = act(client, routine, "reject", comment="标题不准确")
    assert fresh(routine).state == DraftState.REJECTED and "已退回撰稿人修改" in said(response)
    assert ReviewDecision.objects.get().decision == Decision.REJECT


def test_the_reviewer_marks_the_draft_sensitive_and_the_head_is_added(routine, edu_reviewer):
    response = act(client_for(edu_reviewer), routine, "mark_grade", grade=Grade.SENSITIVE)
    assert "审核等级已标定为“敏感”" in said(response)
    assert list(fresh(routine).steps.values_list("label", flat=True)) == ["审核员审核", "单位负责人签发"]


def test_a_stale_page_is_refused_with_a_message(routine, edu_reviewer, edu):
    colleague = UserFactory(unit=edu, role=Role.REVIEWER)
    seen = fresh(routine).revision
    act(client_for(edu_reviewer), routine, "approve")
    response = client_for(colleague).post(reverse("publishing:review_approve", args=[routine.pk]),
                                          {"revision": seen})
    assert response.status_code == 302 and "已被他人处理" in said(response)
    assert ReviewDecision.objects.count() == 1


def test_a_decision_on_a_draft_no_longer_in_review_is_a_message_not_an_error(routine, edu_reviewer):
    act(client_for(edu_reviewer), routine, "approve")
    response = act(client_for(edu_reviewer), routine, "approve")
    assert response.status_code == 302 and "您已于 2026-03-02 10:00 通过该稿件，页面已过期" in said(response)
    assert "他人" not in said(response)


def test_my_own_approval_sent_twice_says_the_page_is_out_of_date_without_blaming_others(routine, edu_reviewer):
    client, seen = client_for(edu_reviewer), fresh(routine).revision
    act(client, routine, "approve")
    response = client.post(reverse("publishing:review_approve", args=[routine.pk]), {"revision": seen})
    assert "页面已过期" in said(response) and "他人" not in said(response)
    assert ReviewDecision.objects.count() == 1


def test_a_form_without_the_revision_is_refused(routine, edu_reviewer):
    response = client_for(edu_reviewer).post(reverse("publishing:review_approve", args=[routine.pk]))
    assert "页面已过期" in said(response) and fresh(routine).state == DraftState.IN_REVIEW


@pytest.mark.parametrize("name", ["approve", "reject", "accept_finding", "mark_grade"])
def test_the_author_cannot_decide_their_own_draft(serious, assigned_operator, name):
    finding = serious.current_version.findings.first()
    response = act(client_for(assigned_operator), serious, name, comment="自己通过", reason="x", finding=finding.pk,
                   grade=Grade.MAJOR)
    assert response.status_code == 302 and said(response)
    assert not ReviewDecision.objects.exists() and not FindingAcceptance.objects.exists()
    assert fresh(serious).grade == Grade.SENSITIVE and fresh(serious).state == DraftState.IN_REVIEW


@pytest.mark.parametrize("name", ["approve", "reject", "accept_finding", "mark_grade"])
def test_a_colleague_who_is_not_the_steps_approver_is_refused(serious, edu_unit_admin, edu_leader, name):
    finding = serious.current_version.findings.first()
    for colleague in (edu_unit_admin, edu_leader):
        response = act(client_for(colleague), serious, name, comment="越权", reason="x", finding=finding.pk,
                       grade=Grade.MAJOR)
        assert "不是“审核员审核”的审核人" in said(response) or "只有撰稿人或当前审核人" in said(response)
    assert not ReviewDecision.objects.exists() and not FindingAcceptance.objects.exists()
    assert fresh(serious).grade == Grade.SENSITIVE and len(refusals()) == 2


def test_a_colleague_sees_the_page_without_the_forms(serious, edu_unit_admin):
    text = client_for(edu_unit_admin).get(page(serious)).content.decode()
    assert "您不是该步骤的审核人" in text and 'id="approve-form"' not in text and "accept-form" not in text


@pytest.mark.parametrize("name", ["approve", "reject", "accept_finding", "mark_grade"])
def test_another_units_reviewer_gets_404_on_every_post(serious, street_reviewer, name):
    finding = serious.current_version.findings.first()
    response = act(client_for(street_reviewer), serious, name, comment="x", reason="x", finding=finding.pk,
                   grade=Grade.MAJOR)
    assert response.status_code == 404
    assert not ReviewDecision.objects.exists() and not FindingAcceptance.objects.exists()
    [entry] = refusals()
    assert entry.actor == street_reviewer


def test_another_units_reviewer_gets_404_on_the_page(serious, street_reviewer, edu_operator):
    assert client_for(street_reviewer).get(page(serious)).status_code == 404
    assert client_for(edu_operator).get(page(serious)).status_code == 404


def test_a_named_approver_outside_the_unit_reviews_through_the_page(frozen_clock, assigned_operator, supervisor,
                                                                    street_reviewer, edu, edu_weibo):
    chain_configure(unit=edu, grade=Grade.ROUTINE, steps=[StepSpec("外请审核", user_ids=(street_reviewer.pk,))],
                    by=supervisor)
    draft = draft_for(assigned_operator, edu_weibo, submit=True)
    assert client_for(street_reviewer).get(page(draft)).status_code == 200
    act(client_for(street_reviewer), draft, "approve")
    assert fresh(draft).state == DraftState.APPROVED
    assert client_for(street_reviewer).get(page(draft)).status_code == 404


def test_the_page_links_to_the_version_compare_from_the_second_version(serious, edu_reviewer, assigned_operator):
    assert 'id="compare-link"' not in client_for(edu_reviewer).get(page(serious)).content.decode()
    act(client_for(edu_reviewer), serious, "reject", comment="请改正表述")
    draft_edit(draft=fresh(serious), by=assigned_operator, title="区领导通报", body_html="<p>台湾地区领导人讲话。</p>")
    draft_submit(draft=fresh(serious), by=assigned_operator)
    text = client_for(edu_reviewer).get(page(serious)).content.decode()
    assert f'href="/publishing/drafts/{serious.pk}/versions/" id="compare-link"' in text
    assert "第 2 版" in text and "请改正表述" in text and "第 1 轮" in text and "第 2 轮" in text


def test_the_pages_need_a_login(client, routine):
    for url in (QUEUE, TO_SIGN, page(routine)):
        assert client.get(url).status_code == 302
    assert client.post(reverse("publishing:review_approve", args=[routine.pk])).status_code == 302
    assert fresh(routine).state == DraftState.IN_REVIEW


@pytest.mark.skipif(not any(f.name == "draft" for f in Reply._meta.get_fields()),
                    reason="Reply.draft arrives with the interaction changes (core2)")
def test_a_replys_page_shows_the_message_it_answers(frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    from govmedia.interaction.services.replies import reply_save_draft, reply_submit
    from tests.interaction.factories import MessageFactory

    message = MessageFactory(account=edu_weibo, text="请问第九小学今年的招生范围是否有变化？")
    reply = reply_save_draft(message=message, by=assigned_operator, text="招生范围与去年相同。")
    reply = reply_submit(reply=reply, by=assigned_operator)
    text = client_for(edu_reviewer).get(page(reply.draft)).content.decode()
    assert "请问第九小学今年的招生范围是否有变化？" in text and "招生范围与去年相同" in text
    assert reverse("interaction:message_detail", args=[message.pk]) in text
    assert pending_step(reply.draft) is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviewers_posting_at_once_one_wins_the_other_reads_a_message(frozen_clock, district,
                                                                            assigned_operator):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serializes every writer")
    account = AccountFactory(host_unit=district.edu, operators=[assigned_operator])
    draft = draft_for(assigned_operator, account, submit=True)
    other = UserFactory(unit=district.edu, role=Role.REVIEWER)

    def posting(user, name, **data):
        def prepare():  # each reviewer's page, loaded before either acts
            client, revision = client_for(user), Draft.objects.get(pk=draft.pk).revision
            return lambda: client.post(reverse(f"publishing:review_{name}", args=[draft.pk]),
                                       {"revision": revision, **data})
        return prepare

    responses = at_once(posting(district.edu_reviewer, "approve", comment="同意"),
                        posting(other, "reject", comment="退回"))
    assert all(r.status_code == 302 for r in responses)
    told = [said(r) for r in responses]
    assert sum("已被他人处理" in t for t in told) == 1
    assert ReviewDecision.objects.filter(step__draft=draft).count() == 1


def test_the_reviewer_sees_the_attachments_and_may_download_them(frozen_clock, assigned_operator, edu_reviewer,
                                                                 edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    attached = attachment_add(draft=draft, by=assigned_operator, upload=SimpleUploadedFile("<b>方案</b>.pdf", pdf))
    draft_submit(draft=draft, by=assigned_operator)
    client = client_for(edu_reviewer)
    html = client.get(page(draft)).content.decode()
    link = reverse("publishing:draft_attachment", args=[draft.pk, attached.pk])
    assert f'href="{link}"' in html and "<b>方案</b>" not in html
    assert client.get(link).status_code == 200
