import pytest
from django.db import connection

from govmedia.audit.models import AuditEntry
from govmedia.errors import Conflict, PermissionDenied, RuleViolation, ValidationError
from govmedia.monitoring.models import ApprovedSource
from govmedia.orgs.models import Role
from govmedia.publishing.models import Decision, Draft, DraftState, Grade, Origin, StepMode, StepState
from govmedia.publishing.selectors import pending_step, review_queue, unresolved_serious_findings
from govmedia.publishing.services.drafts import draft_edit
from govmedia.publishing.services.review import (
    StepSpec,
    chain_configure,
    draft_mark_grade,
    draft_submit,
    finding_accept,
    review_approve,
    review_reject,
)
from tests.factories import UserFactory
from tests.publishing.factories import draft_for
from tests.threads import at_once


def labels(draft):
    return list(draft.steps.filter(round=draft.round).values_list("label", flat=True))


def test_a_routine_draft_needs_one_reviewer(frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, submit=True)
    assert draft.grade == Grade.ROUTINE and labels(draft) == ["审核员审核"]
    draft = review_approve(draft=draft, by=edu_reviewer, comment="同意")
    assert draft.state == DraftState.APPROVED and draft.approved_at == frozen_clock.current


def test_a_sensitive_topic_adds_the_unit_heads_sign_off(frozen_clock, assigned_operator, edu_reviewer, edu_leader,
                                                         edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, body="<p>妥善处置群体性事件</p>", submit=True)
    assert draft.grade == Grade.SENSITIVE and labels(draft) == ["审核员审核", "单位负责人签发"]
    draft = review_approve(draft=draft, by=edu_reviewer)
    assert draft.state == DraftState.IN_REVIEW and pending_step(draft).role == Role.LEADER
    with pytest.raises(PermissionDenied):
        review_approve(draft=draft, by=edu_reviewer)
    assert review_approve(draft=draft, by=edu_leader).state == DraftState.APPROVED


def test_the_author_marks_a_draft_sensitive(frozen_clock, assigned_operator, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, marked_grade=Grade.SENSITIVE, submit=True)
    assert draft.grade == Grade.SENSITIVE


def test_a_major_matter_goes_on_to_the_district_office(frozen_clock, assigned_operator, edu_reviewer, edu_leader,
                                                       supervisor, street_leader, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, marked_grade=Grade.MAJOR, submit=True)
    assert labels(draft) == ["审核员审核", "单位负责人签发", "区级审核"]
    draft = review_approve(draft=review_approve(draft=draft, by=edu_reviewer), by=edu_leader)
    with pytest.raises(PermissionDenied):
        review_approve(draft=draft, by=street_leader)
    assert review_approve(draft=draft, by=supervisor).state == DraftState.APPROVED


def test_a_reviewer_marking_it_sensitive_extends_the_round(frozen_clock, assigned_operator, edu_reviewer,
                                                           edu_leader, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, submit=True)
    draft = draft_mark_grade(draft=draft, by=edu_reviewer, grade=Grade.SENSITIVE)
    assert labels(draft) == ["审核员审核", "单位负责人签发"]
    draft = review_approve(draft=draft, by=edu_reviewer)
    assert draft.state == DraftState.IN_REVIEW and review_queue(edu_leader).get() == draft


def test_the_author_cannot_change_the_grade_in_review(frozen_clock, assigned_operator, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, submit=True)
    with pytest.raises(RuleViolation):
        draft_mark_grade(draft=draft, by=assigned_operator, grade=Grade.ROUTINE)


def test_nobody_reviews_their_own_draft(frozen_clock, edu_reviewer, edu_weibo):
    UserFactory(unit=edu_weibo.host_unit, role=Role.REVIEWER)
    draft = draft_for(edu_reviewer, edu_weibo, submit=True)
    assert not review_queue(edu_reviewer).filter(pk=draft.pk).exists()
    with pytest.raises(PermissionDenied, match="本人"):
        review_approve(draft=draft, by=edu_reviewer)


def test_a_chain_without_anyone_to_review_is_refused_at_submission(frozen_clock, edu_reviewer, edu_weibo):
    draft = draft_for(edu_reviewer, edu_weibo)
    with pytest.raises(RuleViolation, match="没有可审核的人员"):
        draft_submit(draft=draft, by=edu_reviewer)
    assert draft.state == Draft.objects.get(pk=draft.pk).state == DraftState.DRAFT


def test_another_units_reviewer_cannot_review(frozen_clock, assigned_operator, street_reviewer, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, submit=True)
    with pytest.raises(PermissionDenied):
        review_approve(draft=draft, by=street_reviewer)
    assert not review_queue(street_reviewer).exists()


def test_a_reject_returns_the_draft_to_its_author_with_the_comment(frozen_clock, assigned_operator, edu_reviewer,
                                                                   edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, submit=True)
    with pytest.raises(ValidationError):
        review_reject(draft=draft, by=edu_reviewer, comment=" ")
    draft = review_reject(draft=draft, by=edu_reviewer, comment="标题不准确")
    assert draft.state == DraftState.REJECTED
    decision = draft.steps.get().decisions.get()
    assert (decision.decision, decision.comment, decision.version.number) == (Decision.REJECT, "标题不准确", 1)
    draft_edit(draft=draft, by=assigned_operator, title="准确的标题", body_html=draft.body_html)
    draft = draft_submit(draft=draft, by=assigned_operator)
    assert draft.round == 2 and pending_step(draft).round == 2
    assert review_approve(draft=draft, by=edu_reviewer).state == DraftState.APPROVED


def test_a_unit_configures_its_chain_with_named_users_all_required(frozen_clock, assigned_operator, edu_reviewer,
                                                                   edu_unit_admin, edu_weibo):
    second = UserFactory(unit=edu_weibo.host_unit, role=Role.OPERATOR)
    chain_configure(unit=edu_weibo.host_unit, grade=Grade.ROUTINE, by=edu_unit_admin,
                    steps=[StepSpec("双人审核", mode=StepMode.ALL, user_ids=(edu_reviewer.pk, second.pk))])
    draft = draft_for(assigned_operator, edu_weibo, submit=True)
    draft = review_approve(draft=draft, by=edu_reviewer)
    assert draft.state == DraftState.IN_REVIEW and pending_step(draft).state == StepState.PENDING
    with pytest.raises(Conflict, match="已审核过"):
        review_approve(draft=draft, by=edu_reviewer)
    assert review_approve(draft=draft, by=second).state == DraftState.APPROVED


def test_only_the_units_admin_or_a_supervisor_configures_its_chain(edu_reviewer, street_unit_admin, edu):
    for outsider in (edu_reviewer, street_unit_admin):
        with pytest.raises(PermissionDenied):
            chain_configure(unit=edu, grade=Grade.ROUTINE, by=outsider, steps=[StepSpec("审核", Role.REVIEWER)])


def test_a_serious_finding_blocks_the_last_approval_and_is_named(frozen_clock, assigned_operator, edu_reviewer,
                                                                 edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, body="<p>台湾总统发表讲话</p>", submit=True)
    with pytest.raises(RuleViolation, match="“台湾总统”（严重表述错误）"):
        review_approve(draft=draft, by=edu_reviewer)
    assert Draft.objects.get(pk=draft.pk).state == DraftState.IN_REVIEW


def test_a_serious_finding_kept_with_a_reason_lets_the_draft_through(frozen_clock, assigned_operator, edu_reviewer,
                                                                     edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, body="<p>台湾总统发表讲话</p>", submit=True)
    finding = draft.current_version.findings.get(category="expression_error")
    with pytest.raises(ValidationError):
        finding_accept(draft=draft, finding=finding, by=edu_reviewer, reason="")
    with pytest.raises(PermissionDenied):
        finding_accept(draft=draft, finding=finding, by=assigned_operator, reason="引用原文")
    finding_accept(draft=draft, finding=finding, by=edu_reviewer, reason="引用外媒原话，加引号")
    assert unresolved_serious_findings(draft) == []
    assert review_approve(draft=Draft.objects.get(pk=draft.pk), by=edu_reviewer).state == DraftState.APPROVED


def test_a_serious_finding_fixed_in_a_later_version_is_resolved(frozen_clock, assigned_operator, edu_reviewer,
                                                                edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, body="<p>台湾总统发表讲话</p>", submit=True)
    draft = review_reject(draft=draft, by=edu_reviewer, comment="表述错误，请改为台湾地区领导人")
    draft_edit(draft=draft, by=assigned_operator, title=draft.title, body_html="<p>台湾地区领导人发表讲话</p>")
    draft = draft_submit(draft=draft, by=assigned_operator)
    assert draft.versions.get(number=1).findings.filter(category="expression_error").exists()
    assert review_approve(draft=draft, by=edu_reviewer).state == DraftState.APPROVED


def test_a_commercial_ad_blocks_the_last_approval_until_fixed_or_kept(frozen_clock, assigned_operator,
                                                                     edu_reviewer, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, body="<p>本店商品全网最低价，欢迎选购。</p>", submit=True)
    assert {f.category for f in unresolved_serious_findings(draft)} == {"advertising"}
    with pytest.raises(RuleViolation, match="商业广告"):
        review_approve(draft=draft, by=edu_reviewer)
    for finding in draft.current_version.findings.filter(category="advertising"):
        finding_accept(draft=Draft.objects.get(pk=draft.pk), finding=finding, by=edu_reviewer, reason="转述消费提示")
    assert review_approve(draft=Draft.objects.get(pk=draft.pk), by=edu_reviewer).state == DraftState.APPROVED


def test_a_prohibited_term_in_an_enforcement_sentence_is_only_a_note(frozen_clock, assigned_operator,
                                                                     edu_reviewer, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, body="<p>公安机关依法查获毒品海洛因一批。</p>", submit=True)
    assert draft.current_version.findings.filter(category="prohibited_mention").exists()
    assert unresolved_serious_findings(draft) == []
    assert review_approve(draft=draft, by=edu_reviewer).state == DraftState.APPROVED


def test_a_repost_must_name_an_approved_source(frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    assert ApprovedSource.objects.filter(name="新华社", is_active=True).exists()  # shipped with monitoring
    draft = draft_for(assigned_operator, edu_weibo, origin=Origin.REPOST, source_name="某自媒体")
    with pytest.raises(RuleViolation, match="某自媒体"):
        draft_submit(draft=draft, by=assigned_operator)
    draft_edit(draft=draft, by=assigned_operator, title=draft.title, body_html=draft.body_html, source_name="新华网")
    draft = draft_submit(draft=draft, by=assigned_operator)
    ApprovedSource.objects.update(is_active=False)
    with pytest.raises(RuleViolation, match="许可转载来源"):
        review_approve(draft=draft, by=edu_reviewer)


def test_a_stale_page_cannot_act(frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    stale = draft_for(assigned_operator, edu_weibo, submit=True)
    review_reject(draft=Draft.objects.get(pk=stale.pk), by=edu_reviewer, comment="请修改")
    with pytest.raises(Conflict, match="请刷新"):
        review_approve(draft=stale, by=edu_reviewer)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviewers_acting_at_once_one_wins_the_other_is_told(frozen_clock, district, assigned_operator):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serializes every writer")
    from tests.factories import AccountFactory

    account = AccountFactory(host_unit=district.edu, operators=[assigned_operator])
    draft = draft_for(assigned_operator, account, submit=True)
    other = UserFactory(unit=district.edu, role=Role.REVIEWER)

    def acting(service, user, **kwargs):
        def prepare():  # the page each reviewer loaded
            loaded = Draft.objects.get(pk=draft.pk)
            return lambda: service(draft=loaded, by=user, **kwargs)
        return prepare

    results = at_once(acting(review_approve, district.edu_reviewer, comment="同意"),
                      acting(review_reject, other, comment="退回"))
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(losers) == 1 and isinstance(losers[0], Conflict) and "请刷新" in str(losers[0])
    draft.refresh_from_db()
    assert draft.state in (DraftState.APPROVED, DraftState.REJECTED)
    assert draft.steps.get().decisions.count() == 1


def test_every_step_of_the_review_is_audited(frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, submit=True)
    review_reject(draft=draft, by=edu_reviewer, comment="请修改")
    states = [e.changes["state"] for e in AuditEntry.objects.filter(object_type="publishing.Draft",
                                                                    object_id=str(draft.pk)).order_by("pk")
              if "state" in e.changes]
    assert states[-2:] == [["draft", "in_review"], ["in_review", "rejected"]]
    assert AuditEntry.objects.filter(object_type="publishing.ReviewDecision").exists()
    assert AuditEntry.objects.filter(object_type="publishing.ReviewStep", action="update").exists()


def test_an_edit_from_a_stale_page_is_refused(frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    stale = draft_for(assigned_operator, edu_weibo)
    draft_submit(draft=Draft.objects.get(pk=stale.pk), by=assigned_operator)
    with pytest.raises(Conflict):
        draft_edit(draft=stale, by=assigned_operator, title="改", body_html="<p>改</p>")
    assert Draft.objects.get(pk=stale.pk).title != "改"


def test_a_unit_admin_names_approvers_of_its_own_remit_only(edu_unit_admin, street_reviewer, edu):
    with pytest.raises(ValidationError, match="本单位范围"):
        chain_configure(unit=edu, grade=Grade.ROUTINE, by=edu_unit_admin,
                        steps=[StepSpec("外单位审核", user_ids=(street_reviewer.pk,))])


def test_a_grade_set_in_review_never_drops_the_author_may_only_raise_it(frozen_clock, assigned_operator,
                                                                        edu_reviewer, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, submit=True)
    draft = draft_mark_grade(draft=draft, by=edu_reviewer, grade=Grade.SENSITIVE)
    draft = review_reject(draft=draft, by=edu_reviewer, comment="请修改")
    with pytest.raises(RuleViolation):
        draft_mark_grade(draft=draft, by=assigned_operator, grade=Grade.ROUTINE)
    draft = draft_mark_grade(draft=draft, by=assigned_operator, grade=Grade.MAJOR)
    assert draft.marked_grade == Grade.MAJOR


def test_a_checkers_sensitive_topic_grade_survives_a_rewrite(frozen_clock, assigned_operator, edu_reviewer,
                                                             edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, body="<p>妥善处置群体性事件</p>", submit=True)
    draft = review_reject(draft=draft, by=edu_reviewer, comment="请修改")
    draft_edit(draft=draft, by=assigned_operator, title=draft.title, body_html="<p>今日天气晴朗</p>")
    draft = draft_submit(draft=Draft.objects.get(pk=draft.pk), by=assigned_operator)
    assert draft.grade == Grade.SENSITIVE and labels(draft) == ["审核员审核", "单位负责人签发"]


def test_raising_the_grade_adds_only_the_steps_the_round_lacks(frozen_clock, assigned_operator, edu_reviewer,
                                                               edu_unit_admin, edu_weibo):
    chain_configure(unit=edu_weibo.host_unit, grade=Grade.ROUTINE, by=edu_unit_admin,
                    steps=[StepSpec("初审", Role.REVIEWER), StepSpec("复审", Role.REVIEWER)])
    draft = draft_for(assigned_operator, edu_weibo, submit=True)
    draft = draft_mark_grade(draft=draft, by=edu_reviewer, grade=Grade.SENSITIVE)
    assert labels(draft) == ["初审", "复审", "单位负责人签发"]


def test_raising_an_emergency_round_does_not_add_the_head_twice(frozen_clock, assigned_operator, edu_leader,
                                                                edu_weibo):
    draft = draft_submit(draft=draft_for(assigned_operator, edu_weibo), by=assigned_operator,
                         emergency_reason="突发事件")
    draft = draft_mark_grade(draft=draft, by=edu_leader, grade=Grade.MAJOR)
    assert labels(draft) == ["紧急发布（单位负责人）", "审核员审核", "区级审核"]


def test_one_reviewer_decides_one_step_of_a_round(frozen_clock, assigned_operator, edu_reviewer, edu_unit_admin,
                                                   edu_weibo):
    chain_configure(unit=edu_weibo.host_unit, grade=Grade.ROUTINE, by=edu_unit_admin,
                    steps=[StepSpec("初审", Role.REVIEWER), StepSpec("复审", user_ids=(edu_reviewer.pk,))])
    draft = review_approve(draft=draft_for(assigned_operator, edu_weibo, submit=True), by=edu_reviewer)
    with pytest.raises(PermissionDenied, match="本轮审核中已审核过"):
        review_approve(draft=draft, by=edu_reviewer)
    with pytest.raises(PermissionDenied, match="本轮审核中已审核过"):
        review_reject(draft=draft, by=edu_reviewer, comment="退回")


def test_a_chain_names_one_user_in_one_step_only(edu_unit_admin, edu_reviewer, edu):
    with pytest.raises(ValidationError, match="只能出现在一个步骤"):
        chain_configure(unit=edu, grade=Grade.ROUTINE, by=edu_unit_admin,
                        steps=[StepSpec("初审", user_ids=(edu_reviewer.pk,)),
                               StepSpec("复审", user_ids=(edu_reviewer.pk,))])


# ---------------------------------------------------------------- a kept finding covers what the reviewer saw


QUOTED = "<p>外媒称“台湾总统”发表讲话。</p>"


def kept_then_returned(author, reviewer, account):
    """Round 1: the reviewer keeps the one quoted finding, then returns the draft for another reason."""
    draft = draft_for(author, account, body=QUOTED, submit=True)
    finding = draft.current_version.findings.get(category="expression_error")
    finding_accept(draft=draft, finding=finding, by=reviewer, reason="引用外媒原话，加引号")
    return review_reject(draft=draft, by=reviewer, comment="请补充发布单位")


def test_a_kept_finding_does_not_cover_the_same_words_added_in_a_later_version(frozen_clock, assigned_operator,
                                                                               edu_reviewer, edu_weibo):
    draft = kept_then_returned(assigned_operator, edu_reviewer, edu_weibo)
    draft_edit(draft=draft, by=assigned_operator, title=draft.title,
               body_html=QUOTED + "<p>区教体局：台湾总统一词须加引号。</p>")
    draft = draft_submit(draft=draft, by=assigned_operator)
    assert len(unresolved_serious_findings(draft)) == 2
    with pytest.raises(RuleViolation, match="“台湾总统”（严重表述错误）"):
        review_approve(draft=draft, by=edu_reviewer)
    finding = draft.current_version.findings.filter(category="expression_error").first()
    acceptance = finding_accept(draft=draft, finding=finding, by=edu_reviewer, reason="两处均为引用")
    assert acceptance.version.number == 2 and acceptance.occurrences == 2
    assert review_approve(draft=Draft.objects.get(pk=draft.pk), by=edu_reviewer).state == DraftState.APPROVED


def test_a_kept_finding_still_covers_its_words_in_a_later_version(frozen_clock, assigned_operator, edu_reviewer,
                                                                  edu_weibo):
    draft = kept_then_returned(assigned_operator, edu_reviewer, edu_weibo)
    draft_edit(draft=draft, by=assigned_operator, title=draft.title, body_html=QUOTED + "<p>区教体局发布。</p>")
    draft = draft_submit(draft=draft, by=assigned_operator)
    assert unresolved_serious_findings(draft) == []
    assert review_approve(draft=draft, by=edu_reviewer).state == DraftState.APPROVED


def test_only_a_finding_of_the_current_version_is_kept(frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    draft = kept_then_returned(assigned_operator, edu_reviewer, edu_weibo)
    old = draft.versions.get(number=1).findings.get(category="expression_error")
    draft_edit(draft=draft, by=assigned_operator, title=draft.title, body_html=QUOTED + "<p>区教体局发布。</p>")
    draft = draft_submit(draft=draft, by=assigned_operator)
    with pytest.raises(ValidationError, match="该问题属于第1版，稿件已修改为第2版"):
        finding_accept(draft=draft, finding=old, by=edu_reviewer, reason="引用")


# ---------------------------------------------------------------- None is no input, never a crash


def test_an_approval_with_no_comment_given_as_none_is_recorded_without_one(frozen_clock, assigned_operator,
                                                                         edu_reviewer, edu_weibo):
    draft = review_approve(draft=draft_for(assigned_operator, edu_weibo, submit=True), by=edu_reviewer,
                           comment=None)
    assert draft.state == DraftState.APPROVED and draft.steps.get().decisions.get().comment == ""


def test_none_for_a_reject_comment_a_reason_or_a_finding_is_a_clear_error(frozen_clock, assigned_operator,
                                                                          edu_reviewer, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, body=QUOTED, submit=True)
    with pytest.raises(ValidationError, match="退回须填写审核意见"):
        review_reject(draft=draft, by=edu_reviewer, comment=None)
    finding = draft.current_version.findings.get(category="expression_error")
    with pytest.raises(ValidationError, match="保留须说明理由"):
        finding_accept(draft=draft, finding=finding, by=edu_reviewer, reason=None)
    with pytest.raises(ValidationError, match="该问题不属于此稿件"):
        finding_accept(draft=draft, finding=None, by=edu_reviewer, reason="引用")
    with pytest.raises(ValidationError, match="审核等级无效"):
        draft_mark_grade(draft=draft, by=edu_reviewer, grade=None)
    assert draft_submit(draft=draft_for(assigned_operator, edu_weibo), by=assigned_operator,
                        emergency_reason=None).emergency is False


def test_a_chain_given_as_none_or_with_an_unnamed_step_is_handled(edu_unit_admin, edu):
    assert chain_configure(unit=edu, grade=Grade.ROUTINE, by=edu_unit_admin, steps=None) == []
    with pytest.raises(ValidationError, match="请填写每个审核步骤的名称"):
        chain_configure(unit=edu, grade=Grade.ROUTINE, by=edu_unit_admin, steps=[StepSpec(None, Role.REVIEWER)])
    [step] = chain_configure(unit=edu, grade=Grade.ROUTINE, by=edu_unit_admin,
                             steps=[StepSpec(" 初审 ", Role.REVIEWER, None, None)])
    assert (step.label, step.mode) == ("初审", StepMode.ANY)
