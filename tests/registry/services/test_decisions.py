"""Decisions along the approval chain: rejection, resubmission, withdrawal, racing approvers, lifecycle events."""

from datetime import date, datetime

import pytest

from govmedia.audit.models import AuditEntry
from govmedia.errors import Conflict, PermissionDenied, RuleViolation, ValidationError
from govmedia.registry import services
from govmedia.registry.models import Account, AccountStatus, ApplicationState, ClosureNotice, LifecycleEvent
from govmedia.registry.services import decisions
from tests.conftest import BEIJING
from tests.factories import platform
from tests.registry.services.helpers import approve, decision_document, fresh, submit_opening
from tests.threads import at_once

pytestmark = pytest.mark.django_db

Action = LifecycleEvent.Action


# ---------------------------------------------------------------- rejection and resubmission


def test_a_rejection_needs_a_comment(district, edu_operator, edu_leader):
    application = submit_opening(edu_operator, district.edu)
    with pytest.raises(ValidationError) as caught:
        services.application_reject(application=application, by=edu_leader, comment=" ")
    assert "comment" in caught.value.message_dict
    assert fresh(application).state == ApplicationState.SUBMITTED


def test_a_rejection_returns_the_application_and_the_account_stays_pending(district, edu_operator, edu_leader):
    application = submit_opening(edu_operator, district.edu)
    services.application_reject(application=application, by=edu_leader, comment="请补充栏目设置")
    application = fresh(application)
    assert application.state == ApplicationState.REJECTED
    assert application.current_unit_id is None
    assert application.account.status == AccountStatus.PENDING
    with pytest.raises(Conflict, match="已被处理（已退回"):
        approve(application, edu_leader)


def test_a_resubmission_restarts_the_chain_at_the_host_unit(
    district, school_operator, school_leader, edu_leader
):
    application = approve(submit_opening(school_operator, district.school), school_leader)
    services.application_reject(application=fresh(application), by=edu_leader, comment="简介过于简略")
    services.application_resubmit(application=fresh(application), by=school_operator, reason="已补充简介")
    application = fresh(application)
    assert application.state == ApplicationState.SUBMITTED
    assert application.current_unit_id == district.school.pk
    assert application.reason == "已补充简介"


def test_a_resubmission_can_correct_the_opening(district, edu_operator, edu_leader):
    application = submit_opening(edu_operator, district.edu)
    old_name = application.account.name
    services.application_reject(application=application, by=edu_leader, comment="名称须含单位全称")
    services.application_resubmit(application=fresh(application), by=edu_operator, reason="已改名",
                                  changes={"name": "区教育和体育局发布"})
    application = fresh(application)
    assert application.account.name == "区教育和体育局发布"
    assert application.changes["name"] == "区教育和体育局发布"
    event = application.events.get(action=Action.RESUBMIT)
    assert event.diff == {"name": [old_name, "区教育和体育局发布"]}


def test_a_corrected_opening_is_checked_against_article_5_again(district, edu_operator, edu_leader, edu_wechat):
    application = submit_opening(edu_operator, district.edu)
    services.application_reject(application=application, by=edu_leader, comment="请改用微信")
    with pytest.raises(RuleViolation):
        services.application_resubmit(application=fresh(application), by=edu_operator, reason="改为服务号",
                                      changes={"platform": platform("wechat-service").pk})
    assert fresh(application).state == ApplicationState.REJECTED


def test_only_a_rejected_application_can_be_resubmitted(district, edu_operator):
    application = submit_opening(edu_operator, district.edu)
    with pytest.raises(RuleViolation):
        services.application_resubmit(application=application, by=edu_operator, reason="再次提交")


def test_withdrawing_an_opening_frees_the_platform(district, edu_operator, edu_reviewer):
    application = submit_opening(edu_operator, district.edu, account_id="first")
    services.application_withdraw(application=application, by=edu_operator)
    assert fresh(application).state == ApplicationState.WITHDRAWN
    assert fresh(application.account).status == AccountStatus.REJECTED
    submit_opening(edu_reviewer, district.edu, account_id="second")


def test_a_withdrawal_that_fails_halfway_changes_nothing(monkeypatch, district, edu_operator, edu_reviewer):
    application = submit_opening(edu_operator, district.edu, account_id="first")
    events_before, audit_before = application.events.count(), AuditEntry.objects.count()

    def fail(*args, **kwargs):
        raise RuntimeError("数据库连接中断")

    # The application is marked withdrawn first; the account's status follows, and fails here.
    monkeypatch.setattr(decisions, "_set_status", fail)
    with pytest.raises(RuntimeError):
        services.application_withdraw(application=application, by=edu_operator)
    assert fresh(application).state == ApplicationState.SUBMITTED
    assert fresh(application.account).status == AccountStatus.PENDING
    assert application.events.count() == events_before
    assert AuditEntry.objects.count() == audit_before
    monkeypatch.undo()
    # The slot is still taken by the pending opening (art. 5), not by a half-withdrawn one.
    with pytest.raises(RuleViolation):
        submit_opening(edu_reviewer, district.edu, account_id="second")
    services.application_withdraw(application=fresh(application), by=edu_operator)
    submit_opening(edu_reviewer, district.edu, account_id="second")


def test_a_decided_application_cannot_be_withdrawn(district, edu_operator, edu_leader, supervisor):
    application = approve(submit_opening(edu_operator, district.edu), edu_leader, supervisor)
    with pytest.raises(RuleViolation):
        services.application_withdraw(application=fresh(application), by=edu_operator)


# ---------------------------------------------------------------- two approvers at once


def test_of_two_approvers_acting_at_once_only_the_first_succeeds(district, edu_operator, edu_leader, edu_unit_admin):
    application = submit_opening(edu_operator, district.edu)
    seen_by_leader, seen_by_admin = fresh(application), fresh(application)
    approve(seen_by_leader, edu_leader)
    with pytest.raises(Conflict):
        approve(seen_by_admin, edu_unit_admin)
    application = fresh(application)
    assert application.current_step == 1
    assert application.events.filter(action=Action.APPROVE).count() == 1


def test_an_approver_who_loads_the_application_after_a_colleague_decided_their_step_is_told_it_was_handled(
    district, edu_operator, edu_leader, edu_unit_admin, street_leader
):
    application = submit_opening(edu_operator, district.edu)
    approve(application, edu_leader)
    with pytest.raises(Conflict, match="环节已被处理"):
        approve(fresh(application), edu_unit_admin)  # as on PostgreSQL, where the loser reads the winner's row
    with pytest.raises(PermissionDenied, match="当前环节不由您审批"):
        approve(fresh(application), street_leader)  # never the step of this unit: a plain refusal


def test_an_approval_and_a_rejection_at_once_cannot_both_succeed(district, edu_operator, edu_leader, edu_unit_admin):
    application = submit_opening(edu_operator, district.edu)
    seen_by_leader, seen_by_admin = fresh(application), fresh(application)
    services.application_reject(application=seen_by_leader, by=edu_leader, comment="暂缓")
    with pytest.raises(Conflict):
        approve(seen_by_admin, edu_unit_admin)
    assert fresh(application).state == ApplicationState.REJECTED
    assert not fresh(application).events.filter(action=Action.APPROVE).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_two_approvers_racing_in_separate_transactions_exactly_one_wins(
    district, edu_operator, edu_leader, edu_unit_admin
):
    application = submit_opening(edu_operator, district.edu)

    def approver(user):
        def load():
            mine = fresh(application)
            return lambda: approve(mine, user)
        return load

    results = at_once(approver(edu_leader), approver(edu_unit_admin))
    assert sorted(type(r).__name__ for r in results) == ["Application", "Conflict"]
    application = fresh(application)
    assert application.current_step == 1
    assert application.events.filter(action=Action.APPROVE).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_openings_on_one_platform_submitted_at_once_cannot_both_pass_article_5(
    district, edu_operator, edu_reviewer
):

    def opener(user, account_id):
        return lambda: lambda: submit_opening(user, district.edu, "douyin", account_id=account_id)

    results = at_once(opener(edu_operator, "first"), opener(edu_reviewer, "second"))
    assert sorted(type(r).__name__ for r in results) == ["Application", "RuleViolation"]
    assert Account.objects.filter(host_unit=district.edu, platform__code="douyin").count() == 1


# ---------------------------------------------------------------- lifecycle events


def test_every_step_is_stored_as_a_lifecycle_event(
    frozen_clock, district, school_operator, school_leader, edu_leader, supervisor
):
    application = approve(submit_opening(school_operator, district.school), school_leader, comment="同意开设")
    frozen_clock.advance(hours=2)
    services.application_reject(application=fresh(application), by=edu_leader, comment="请补充管理队伍")
    services.application_resubmit(application=fresh(application), by=school_operator, reason="已补充")
    approve(fresh(application), school_leader, edu_leader, supervisor)
    rows = [(e.action, e.actor, e.step, e.from_state, e.to_state, e.comment)
            for e in application.events.order_by("pk")]
    assert rows == [
        (Action.SUBMIT, school_operator, None, "", "submitted", "面向群众发布政务信息。"),
        (Action.APPROVE, school_leader, 0, "submitted", "submitted", "同意开设"),
        (Action.REJECT, edu_leader, 1, "submitted", "rejected", "请补充管理队伍"),
        (Action.RESUBMIT, school_operator, None, "rejected", "submitted", "已补充"),
        (Action.APPROVE, school_leader, 0, "submitted", "submitted", "同意"),
        (Action.APPROVE, edu_leader, 1, "submitted", "submitted", "同意"),
        (Action.APPROVE, supervisor, 2, "submitted", "approved", "同意"),
        (Action.APPROVE, supervisor, None, AccountStatus.PENDING, AccountStatus.NORMAL, ""),  # the account's own
    ]
    times = [e.at for e in application.events.order_by("pk")]
    assert times[0] == times[1] < times[2] == times[-1] == frozen_clock.current


def test_an_approver_of_the_competent_unit_cannot_withdraw_the_host_units_application(district, edu_leader):
    application = services.open_application_submit(applicant=district.school_leader, values={
        "account_id": "school_new", "name": "实验小学视频号", "platform": platform("wechat-channels").pk,
        "host_unit": district.school.pk, "registrant_kind": "organisation",
    }, reason="开设视频号")
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=application, by=edu_leader)
    services.application_withdraw(application=application, by=district.school_leader)
    application.refresh_from_db()
    assert application.state == "withdrawn"


# ---------------------------------------------------------------- time is an argument


def test_services_told_when_they_act_stamp_that_moment_on_everything_they_write(
    frozen_clock, edu_weibo, edu_unit_admin, edu_leader, supervisor
):
    """A history can be told at past times (the demo does) without moving rows behind the audit's back."""
    at = [datetime(2026, 9, 24, h, 0, tzinfo=BEIJING) for h in (9, 10)] + [datetime(2026, 9, 25, 9, 30,
                                                                                    tzinfo=BEIJING)]
    application = services.closure_application_submit(
        applicant=edu_unit_admin, account=edu_weibo, kind="close", reason="整合后关停。", decision_kind="collective",
        decision_document=decision_document(), now=at[0])
    services.application_approve(application=application, by=edu_leader, comment="同意", now=at[1])
    services.application_approve(application=fresh(application), by=supervisor, comment="同意", now=at[2])
    application = fresh(application)
    assert (application.submitted_at, application.decided_at) == (at[0], at[2])
    assert [e.at for e in application.events.order_by("pk")] == [at[0], at[1], at[2], at[2]]
    notice = ClosureNotice.objects.get(application=application)
    assert notice.published_on == date(2026, 9, 25) and notice.effective_on == date(2026, 10, 23)
    assert "2026年09月25日" in notice.body
    assert fresh(edu_weibo).host_opinion_on == date(2026, 9, 24)
    services.closures_take_effect(now=datetime(2026, 10, 22, 9, 0, tzinfo=BEIJING))
    assert fresh(edu_weibo).status == AccountStatus.CLOSING
    took_effect = datetime(2026, 10, 23, 0, 5, tzinfo=BEIJING)
    services.closures_take_effect(now=took_effect)
    assert fresh(edu_weibo).status == AccountStatus.CLOSED
    assert fresh(notice).took_effect_at == took_effect
    assert frozen_clock.today == date(2026, 3, 2)  # none of it read the clock

