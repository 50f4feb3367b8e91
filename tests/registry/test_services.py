"""The account lifecycle (art. 6, 7, 19): applications, their approval chain, filings and closure notices."""

import threading
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from govmedia.errors import Conflict, PermissionDenied, RuleViolation, ValidationError
from govmedia.orgs.models import Role
from govmedia.registry import services
from govmedia.registry.models import (
    Account,
    AccountStatus,
    Application,
    ApplicationKind,
    ApplicationState,
    ClosureNotice,
    DecisionKind,
    Filing,
    FilingKind,
    LifecycleEvent,
)
from govmedia.workdays.selectors import working_days_between
from tests.factories import AccountFactory, FilingFactory, UserFactory, platform

pytestmark = pytest.mark.django_db

Action = LifecycleEvent.Action


def open_values(host_unit, code="douyin", **overrides) -> dict:
    values = {
        "account_id": f"xha_{code}_{host_unit.pk}", "name": f"{host_unit.name}{code}",
        "platform": platform(code).pk, "host_unit": host_unit.pk, "registrant_kind": "organisation",
        "registered_on": "2026-02-20", "introduction": "发布政策解读和工作动态。",
    }
    values.update(overrides)
    return values


def submit_opening(applicant, host_unit, code="douyin", **overrides) -> Application:
    return services.open_application_submit(
        applicant=applicant, values=open_values(host_unit, code, **overrides), reason="面向群众发布政务信息。")


def approve(application, *approvers, comment="同意") -> Application:
    for approver in approvers:
        application = services.application_approve(application=application, by=approver, comment=comment)
    return application


def decision_document() -> SimpleUploadedFile:
    return SimpleUploadedFile("党组会议纪要.pdf", b"%PDF-1.4 collective decision", content_type="application/pdf")


def submit_closure(applicant, account, kind=ApplicationKind.CLOSE) -> Application:
    return services.closure_application_submit(
        applicant=applicant, account=account, kind=kind, reason="功能与微信公众号重复，整合后关停。",
        decision_kind=DecisionKind.COLLECTIVE, decision_document=decision_document())


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


@pytest.fixture
def school_operator(district):
    return UserFactory(username="school_operator", unit=district.school, role=Role.OPERATOR,
                       person__name="吴老师")


# ---------------------------------------------------------------- opening and the approval chain


def test_an_opening_registers_a_pending_account_and_waits_for_the_host_unit(
    frozen_clock, district, edu_operator
):
    application = submit_opening(edu_operator, district.edu)
    account = application.account
    assert account.status == AccountStatus.PENDING
    assert account.competent_unit == district.edu  # a department is its own competent unit
    assert application.state == ApplicationState.SUBMITTED
    assert application.current_unit_id == district.edu.pk
    assert application.submitted_at == frozen_clock.current
    assert application.changes["name"] == account.name


def test_the_operator_who_files_an_opening_is_assigned_to_the_account(frozen_clock, district, edu_operator):
    account = submit_opening(edu_operator, district.edu).account
    assert list(account.operators.all()) == [edu_operator]


def test_a_subordinate_units_opening_goes_to_its_head_then_its_competent_unit_then_the_district_office(
    frozen_clock, district, school_operator, school_leader, edu_leader, supervisor
):
    application = submit_opening(school_operator, district.school)
    assert application.steps == [district.school.pk, district.edu.pk, district.office.pk]
    approve(application, school_leader)
    assert fresh(application).current_unit_id == district.edu.pk
    approve(application, edu_leader)
    assert fresh(application).current_unit_id == district.office.pk
    assert fresh(application.account).status == AccountStatus.PENDING
    approve(application, supervisor)
    application = fresh(application)
    assert application.state == ApplicationState.APPROVED
    assert application.decided_at == frozen_clock.current
    assert application.current_unit_id is None


def test_final_approval_puts_the_account_into_service_and_opens_a_filing_due_in_7_working_days(
    frozen_clock, district, school_operator, school_leader, edu_leader, supervisor
):
    application = approve(submit_opening(school_operator, district.school), school_leader, edu_leader, supervisor)
    account = fresh(application.account)
    assert account.status == AccountStatus.NORMAL
    assert account.live_on == date(2026, 3, 2)
    filing = account.filings.get()
    assert (filing.kind, filing.triggered_on, filing.due_on) == (FilingKind.OPENING, date(2026, 3, 2), date(2026, 3, 11))
    assert not filing.due_is_provisional
    assert filing.application == application


def test_the_approvers_are_written_into_the_attachment_1_opinions(
    frozen_clock, district, school_operator, school_leader, edu_leader, supervisor
):
    account = approve(submit_opening(school_operator, district.school), school_leader, edu_leader, supervisor).account
    account = fresh(account)
    assert (account.host_opinion_signer, account.host_opinion_on) == ("周校长", date(2026, 3, 2))
    assert (account.competent_opinion_signer, account.competent_opinion_on) == ("赵局长", date(2026, 3, 2))


def test_an_enterprise_is_approved_by_its_industry_regulator(district, water_co_admin):
    application = submit_opening(water_co_admin, district.water_co)
    assert application.account.competent_unit == district.water
    assert application.steps == [district.water_co.pk, district.water.pk, district.office.pk]


def test_the_competent_unit_step_is_dropped_when_the_host_unit_is_its_own_competent_unit(district, edu_operator):
    assert submit_opening(edu_operator, district.edu).steps == [district.edu.pk, district.office.pk]


def test_an_account_of_the_district_office_is_approved_by_the_district_office_alone(district, supervisor):
    assert submit_opening(supervisor, district.office).steps == [district.office.pk]


def test_an_opening_cannot_name_a_competent_unit_that_would_skip_the_regulator(district, school_leader):
    with pytest.raises(RuleViolation) as caught:
        submit_opening(school_leader, district.school, competent_unit=district.school.pk)
    assert "competent_unit" in caught.value.message_dict
    assert not Account.objects.exists()


def test_an_opening_on_a_platform_the_unit_already_holds_is_refused(district, edu_operator, edu_wechat):
    with pytest.raises(RuleViolation):
        submit_opening(edu_operator, district.edu, "wechat-service")
    assert Account.objects.count() == 1


def test_a_pending_opening_blocks_a_second_opening_on_the_same_platform(district, edu_operator, edu_reviewer):
    submit_opening(edu_operator, district.edu, account_id="first")
    with pytest.raises(RuleViolation):
        submit_opening(edu_reviewer, district.edu, account_id="second")


def test_a_unit_cannot_apply_to_open_an_account_for_another_unit(district, street_unit_admin):
    with pytest.raises(PermissionDenied):
        submit_opening(street_unit_admin, district.edu)


def test_a_competent_unit_may_apply_for_the_units_it_supervises(district, water_leader):
    assert submit_opening(water_leader, district.water_co).account.host_unit == district.water_co


def test_an_application_cannot_set_the_status_or_other_lifecycle_fields(district, edu_operator):
    with pytest.raises(ValidationError):
        submit_opening(edu_operator, district.edu, status=AccountStatus.NORMAL)
    assert not Account.objects.exists()


def test_an_application_needs_a_reason(district, edu_operator):
    with pytest.raises(ValidationError) as caught:
        services.open_application_submit(applicant=edu_operator, values=open_values(district.edu), reason="  ")
    assert "reason" in caught.value.message_dict


# ---------------------------------------------------------------- who may approve


def test_nobody_approves_their_own_application(district, edu_leader, edu_unit_admin):
    application = submit_opening(edu_leader, district.edu)
    assert not services.can_approve(edu_leader, application)
    with pytest.raises(PermissionDenied):
        approve(application, edu_leader)
    approve(application, edu_unit_admin)
    assert fresh(application).current_step == 1


def test_a_supervisor_cannot_approve_an_application_they_filed(district, supervisor):
    application = submit_opening(supervisor, district.office)
    with pytest.raises(PermissionDenied):
        approve(application, supervisor)


def test_whoever_resubmits_after_a_rejection_counts_as_an_applicant(
    district, edu_operator, edu_leader, edu_unit_admin, edu_reviewer
):
    application = submit_opening(edu_operator, district.edu)
    services.application_reject(application=application, by=edu_unit_admin, comment="名称不规范")
    services.application_resubmit(application=application, by=edu_leader, reason="已按意见修改",
                                  changes={"name": "西海岸教育视频"})
    assert not services.can_approve(edu_leader, fresh(application))
    with pytest.raises(PermissionDenied):
        approve(fresh(application), edu_leader)
    approve(fresh(application), edu_unit_admin)


def test_a_user_of_another_unit_cannot_approve(district, edu_operator, street_leader):
    application = submit_opening(edu_operator, district.edu)
    assert not services.can_approve(street_leader, application)
    with pytest.raises(PermissionDenied):
        approve(application, street_leader)
    assert fresh(application).current_step == 0


def test_only_the_unit_holding_the_current_step_approves(district, school_operator, school_leader, edu_leader,
                                                          supervisor):
    application = submit_opening(school_operator, district.school)
    for too_early in (edu_leader, supervisor):
        with pytest.raises(PermissionDenied):
            approve(application, too_early)
    approve(application, school_leader)
    with pytest.raises(PermissionDenied):
        approve(fresh(application), school_leader)  # the school has had its say
    assert fresh(application).current_step == 1


@pytest.mark.parametrize("persona", ["edu_reviewer", "edu_operator"])
def test_reviewers_and_operators_do_not_approve_applications(district, persona, edu_unit_admin):
    application = submit_opening(edu_unit_admin, district.edu)
    with pytest.raises(PermissionDenied):
        approve(application, getattr(district, persona))


def test_the_district_office_step_is_for_district_supervisors(district, edu_operator, edu_leader, supervisor):
    office_admin = UserFactory(unit=district.office, role=Role.UNIT_ADMIN)
    application = approve(submit_opening(edu_operator, district.edu), edu_leader)
    with pytest.raises(PermissionDenied):
        approve(application, office_admin)
    approve(application, supervisor)
    assert fresh(application).state == ApplicationState.APPROVED


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
    with pytest.raises(PermissionDenied):
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


def test_an_approval_and_a_rejection_at_once_cannot_both_succeed(district, edu_operator, edu_leader, edu_unit_admin):
    application = submit_opening(edu_operator, district.edu)
    seen_by_leader, seen_by_admin = fresh(application), fresh(application)
    services.application_reject(application=seen_by_leader, by=edu_leader, comment="暂缓")
    with pytest.raises(Conflict):
        approve(seen_by_admin, edu_unit_admin)
    assert fresh(application).state == ApplicationState.REJECTED
    assert not fresh(application).events.filter(action=Action.APPROVE).exists()


def at_once(*actions) -> list:
    """Run each action in its own thread and transaction, released together; return each result or exception."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(i, action):
        try:
            prepared = action()  # e.g. load the page: done before anybody acts
            barrier.wait(timeout=10)
            results[i] = prepared()
        except Exception as error:  # the outcome is what the test inspects
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


real_concurrency_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write on one file lock, so two threads cannot interleave their transactions; "
           "the stale-copy tests cover the rule there. Run with DATABASE_URL=postgres://…",
)


@real_concurrency_only
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


@real_concurrency_only
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


# ---------------------------------------------------------------- changes


def test_a_change_takes_effect_only_on_final_approval(district, edu_weibo, edu_unit_admin, edu_leader, supervisor):
    application = services.change_application_submit(
        applicant=edu_unit_admin, account=edu_weibo, changes={"name": "西海岸教体发布"}, reason="机构更名")
    assert application.changes == {"name": "西海岸教体发布"}
    approve(application, edu_leader)
    assert fresh(edu_weibo).name == "西海岸教育发布"
    approve(fresh(application), supervisor)
    assert fresh(edu_weibo).name == "西海岸教体发布"
    event = edu_weibo.events.get(action=Action.APPLY_CHANGE)
    assert (event.actor, event.diff) == (supervisor, {"name": ["西海岸教育发布", "西海岸教体发布"]})


def test_a_change_to_the_name_is_filed_within_7_working_days(
    frozen_clock, district, edu_weibo, edu_unit_admin, edu_leader, supervisor
):
    frozen_clock.set(date(2026, 9, 30))
    application = services.change_application_submit(
        applicant=edu_unit_admin, account=edu_weibo, changes={"name": "西海岸教体发布"}, reason="机构更名")
    approve(application, edu_leader, supervisor)
    filing = edu_weibo.filings.get()
    # National Day 10-01..10-07 off, Saturday 10-10 worked: 10-08, 09, 10, 12, 13, 14, 15.
    assert (filing.kind, filing.triggered_on, filing.due_on) == (FilingKind.CHANGE, date(2026, 9, 30), date(2026, 10, 15))


@pytest.mark.parametrize(
    ("changes", "filed"),
    [
        ({"introduction": "新的简介"}, False),
        ({"access_url": "https://weibo.com/xhaedu"}, False),
        ({"account_id": "xhaedu2026"}, True),
        ({"operating_unit": "contractor"}, True),
        ({"team": [{"name": "蒋运维", "unit_and_title": "融媒体专员", "office_phone": "", "mobile": "13900000001"}]},
         True),
    ],
)
def test_only_changes_of_id_name_team_or_operator_need_a_new_filing(
    district, edu_weibo, edu_unit_admin, edu_leader, supervisor, changes, filed
):
    if changes.get("operating_unit") == "contractor":
        changes = {"operating_unit": district.contractor.pk}
    application = services.change_application_submit(
        applicant=edu_unit_admin, account=edu_weibo, changes=changes, reason="更新信息")
    approve(application, edu_leader, supervisor)
    assert edu_weibo.filings.filter(kind=FilingKind.CHANGE).exists() == filed


def test_a_change_without_any_difference_is_refused(edu_weibo, edu_unit_admin):
    with pytest.raises(ValidationError):
        services.change_application_submit(applicant=edu_unit_admin, account=edu_weibo,
                                           changes={"name": edu_weibo.name}, reason="无")


def test_a_change_onto_a_platform_the_unit_already_holds_is_refused(edu_weibo, edu_wechat, edu_unit_admin):
    with pytest.raises(RuleViolation):
        services.change_application_submit(applicant=edu_unit_admin, account=edu_weibo,
                                           changes={"platform": platform("wechat-service").pk}, reason="迁移")


def test_a_change_is_checked_against_article_5_again_on_final_approval(
    district, edu_weibo, edu_unit_admin, edu_leader, edu_operator, supervisor
):
    change = services.change_application_submit(
        applicant=edu_unit_admin, account=edu_weibo, changes={"platform": platform("douyin").pk}, reason="转平台")
    submit_opening(edu_operator, district.edu, "douyin")  # filed meanwhile for the same platform
    approve(change, edu_leader)
    with pytest.raises(RuleViolation):
        approve(fresh(change), supervisor)
    assert fresh(change).state == ApplicationState.SUBMITTED  # nothing of the approval was kept
    assert fresh(edu_weibo).platform.code == "weibo"


def test_a_change_cannot_hand_the_account_to_a_unit_outside_the_applicants_remit(
    district, edu_weibo, edu_unit_admin
):
    with pytest.raises(PermissionDenied):
        services.change_application_submit(
            applicant=edu_unit_admin, account=edu_weibo, reason="移交",
            changes={"host_unit": district.street.pk, "competent_unit": district.street.pk})


def test_a_change_cannot_pick_a_competent_unit_that_would_skip_the_regulator(district, school_douyin, school_leader):
    with pytest.raises(RuleViolation):
        services.change_application_submit(applicant=school_leader, account=school_douyin, reason="调整",
                                           changes={"competent_unit": district.school.pk})


def test_an_account_has_at_most_one_open_application(edu_weibo, edu_unit_admin, edu_leader):
    services.change_application_submit(applicant=edu_unit_admin, account=edu_weibo,
                                       changes={"introduction": "一"}, reason="更新")
    with pytest.raises(RuleViolation):
        services.change_application_submit(applicant=edu_leader, account=edu_weibo,
                                           changes={"introduction": "二"}, reason="更新")
    with pytest.raises(RuleViolation):
        submit_closure(edu_leader, edu_weibo)


def test_an_operator_applies_only_for_the_accounts_assigned_to_them(
    edu_weibo, edu_wechat, edu_operator, assigned_operator
):
    with pytest.raises(PermissionDenied):
        services.change_application_submit(applicant=edu_operator, account=edu_weibo,
                                           changes={"introduction": "新"}, reason="更新")
    with pytest.raises(PermissionDenied):
        submit_closure(assigned_operator, edu_wechat)
    services.change_application_submit(applicant=assigned_operator, account=edu_weibo,
                                       changes={"introduction": "新"}, reason="更新")


def test_another_unit_cannot_apply_to_change_an_account(edu_weibo, street_unit_admin):
    with pytest.raises(PermissionDenied):
        services.change_application_submit(applicant=street_unit_admin, account=edu_weibo,
                                           changes={"introduction": "新"}, reason="更新")


def test_every_approved_application_renews_the_host_units_opinion(
    frozen_clock, edu_weibo, edu_unit_admin, edu_leader, supervisor
):
    Account.objects.filter(pk=edu_weibo.pk).update(host_opinion_signer="老局长", host_opinion_on=date(2021, 3, 1))
    frozen_clock.set(date(2026, 4, 1))
    application = services.change_application_submit(
        applicant=edu_unit_admin, account=fresh(edu_weibo), changes={"name": "西海岸教体发布"}, reason="更名")
    approve(application, edu_leader, supervisor)
    account = fresh(edu_weibo)
    assert (account.host_opinion_signer, account.host_opinion_on) == ("赵局长", date(2026, 4, 1))


def test_a_rejected_change_can_be_corrected_and_resubmitted(edu_weibo, edu_unit_admin, edu_leader, supervisor):
    application = services.change_application_submit(
        applicant=edu_unit_admin, account=edu_weibo, changes={"name": "教体发布"}, reason="更名")
    services.application_reject(application=application, by=edu_leader, comment="名称应体现西海岸")
    services.application_resubmit(application=fresh(application), by=edu_unit_admin, reason="已修改",
                                  changes={"name": "西海岸教体发布"})
    assert fresh(application).changes == {"name": "西海岸教体发布"}
    assert fresh(edu_weibo).name == "西海岸教育发布"  # still only proposed
    approve(fresh(application), edu_leader, supervisor)
    assert fresh(edu_weibo).name == "西海岸教体发布"


# ---------------------------------------------------------------- closure and cancellation (art. 7)


def test_a_closure_needs_a_collective_decision_or_the_heads_consent_on_file(edu_weibo, edu_unit_admin):
    with pytest.raises(ValidationError) as caught:
        services.closure_application_submit(applicant=edu_unit_admin, account=edu_weibo, kind=ApplicationKind.CLOSE,
                                            reason="整合", decision_kind="", decision_document=None)
    assert set(caught.value.message_dict) == {"decision_kind", "decision_document"}
    assert not edu_weibo.applications.exists()


def test_a_closure_keeps_its_decision_document(edu_weibo, edu_unit_admin):
    application = submit_closure(edu_unit_admin, edu_weibo)
    assert application.decision_kind == DecisionKind.COLLECTIVE
    assert application.decision_document.read() == b"%PDF-1.4 collective decision"
    assert fresh(edu_weibo).status == AccountStatus.NORMAL  # nothing happens before approval


def test_only_a_running_account_can_be_closed_and_only_a_closed_or_running_one_cancelled(district, edu_unit_admin):
    pending = AccountFactory(host_unit=district.edu, status=AccountStatus.PENDING)
    closed = AccountFactory(host_unit=district.edu, status=AccountStatus.CLOSED, platform=platform("douyin"))
    with pytest.raises(RuleViolation):
        submit_closure(edu_unit_admin, pending)
    with pytest.raises(RuleViolation):
        submit_closure(edu_unit_admin, closed)
    assert submit_closure(edu_unit_admin, closed, kind=ApplicationKind.CANCEL).kind == ApplicationKind.CANCEL


def test_closure_approval_publishes_a_notice_for_15_working_days(
    frozen_clock, edu_weibo, edu_unit_admin, edu_leader, supervisor
):
    frozen_clock.set(date(2026, 9, 25))
    application = approve(submit_closure(edu_unit_admin, edu_weibo), edu_leader, supervisor)
    notice = ClosureNotice.objects.get(application=application)
    assert notice.published_on == date(2026, 9, 25)
    # 9-28, 29, 30; National Day 10-01..10-07 off; 10-08, 09, Saturday 10-10 worked; 10-12 … 10-22.
    assert notice.effective_on == date(2026, 10, 23)
    notice_period_end = date(2026, 10, 22)
    assert working_days_between(notice.published_on, notice_period_end) == 15
    assert working_days_between(notice_period_end, notice.effective_on) == 1
    assert not notice.effective_is_provisional
    assert "西海岸教育发布" in notice.title and "2026年10月23日" in notice.body
    assert fresh(edu_weibo).status == AccountStatus.CLOSING
    assert edu_weibo.events.filter(action=Action.NOTICE, to_state=AccountStatus.CLOSING).exists()


def test_a_notice_running_into_an_unpublished_year_has_a_provisional_effective_date(
    frozen_clock, edu_weibo, edu_unit_admin, edu_leader, supervisor
):
    frozen_clock.set(date(2026, 12, 15))
    application = approve(submit_closure(edu_unit_admin, edu_weibo), edu_leader, supervisor)
    assert application.notice.effective_is_provisional


def test_a_closure_takes_effect_on_its_effective_date_and_not_before(
    frozen_clock, edu_weibo, edu_unit_admin, edu_leader, supervisor
):
    frozen_clock.set(date(2026, 9, 25))
    notice = approve(submit_closure(edu_unit_admin, edu_weibo), edu_leader, supervisor).notice
    frozen_clock.set(date(2026, 10, 22))
    assert services.closures_take_effect() == []
    assert fresh(edu_weibo).status == AccountStatus.CLOSING
    frozen_clock.set(date(2026, 10, 23))
    assert services.closures_take_effect() == [notice]
    assert fresh(edu_weibo).status == AccountStatus.CLOSED
    assert fresh(notice).took_effect_at == frozen_clock.current
    event = edu_weibo.events.get(action=Action.CLOSE)
    assert (event.actor, event.from_state, event.to_state) == (None, AccountStatus.CLOSING, AccountStatus.CLOSED)
    frozen_clock.advance(days=1)
    assert services.closures_take_effect() == []  # done once


def test_a_late_run_still_closes_accounts_whose_notice_ran_out(
    frozen_clock, edu_weibo, edu_unit_admin, edu_leader, supervisor
):
    approve(submit_closure(edu_unit_admin, edu_weibo), edu_leader, supervisor)
    frozen_clock.set(date(2026, 6, 1))
    assert len(services.closures_take_effect()) == 1
    assert fresh(edu_weibo).status == AccountStatus.CLOSED


def test_a_cancellation_ends_with_the_account_cancelled(
    frozen_clock, edu_weibo, edu_unit_admin, edu_leader, supervisor
):
    notice = approve(submit_closure(edu_unit_admin, edu_weibo, ApplicationKind.CANCEL), edu_leader, supervisor).notice
    assert "注销" in notice.title
    frozen_clock.set(notice.effective_on)
    services.closures_take_effect()
    assert fresh(edu_weibo).status == AccountStatus.CANCELLED
    assert edu_weibo.events.filter(action=Action.CANCEL).exists()


def test_cancelling_a_closed_account_does_not_revive_it_on_its_platform(
    frozen_clock, district, edu_unit_admin, edu_leader, edu_operator, supervisor
):
    old = AccountFactory(host_unit=district.edu, platform=platform("weibo"), status=AccountStatus.CLOSED)
    notice = approve(submit_closure(edu_unit_admin, old, ApplicationKind.CANCEL), edu_leader, supervisor).notice
    assert fresh(old).status == AccountStatus.CLOSED
    assert old.events.filter(action=Action.NOTICE).exists()
    submit_opening(edu_operator, district.edu, "weibo")  # the platform is still free
    frozen_clock.set(notice.effective_on)
    services.closures_take_effect()
    assert fresh(old).status == AccountStatus.CANCELLED


# ---------------------------------------------------------------- filings (art. 6, 19)


def test_an_account_opened_before_the_measures_files_within_20_working_days_of_them(district):
    account = AccountFactory(host_unit=district.edu, registered_on=date(2018, 5, 4))
    filing = services.legacy_filing_for(account)
    # 2020-09-10 plus 20 working days, over National Day 2020 (10-01..10-08 off, 09-27 and 10-10 worked).
    assert (filing.kind, filing.triggered_on, filing.due_on) == (FilingKind.LEGACY, date(2020, 9, 10), date(2020, 10, 14))


@pytest.mark.parametrize("registered_on", [date(2020, 9, 10), date(2024, 1, 1), None])
def test_an_account_opened_under_the_measures_or_of_unknown_age_has_no_legacy_filing(district, registered_on):
    account = AccountFactory(host_unit=district.edu, registered_on=registered_on)
    assert services.legacy_filing_for(account) is None


def test_a_legacy_filing_is_created_only_once(district):
    account = AccountFactory(host_unit=district.edu, registered_on=date(2019, 1, 1))
    services.legacy_filing_for(account)
    assert services.legacy_filing_for(account) is None
    assert account.filings.count() == 1


def test_the_measures_effective_date_comes_from_settings(settings, district):
    settings.MEASURES_EFFECTIVE_DATE = "2021-01-04"
    account = AccountFactory(host_unit=district.edu, registered_on=date(2020, 12, 1))
    assert services.legacy_filing_for(account).triggered_on == date(2021, 1, 4)


def test_recording_a_filing_closes_it_and_keeps_the_provincial_number(frozen_clock, edu_weibo, edu_unit_admin):
    filing = FilingFactory(account=edu_weibo)
    services.filing_record(filing=filing, by=edu_unit_admin, filed_on=date(2026, 2, 27),
                           provincial_filing_no="鲁政媒备2026001")
    filing, account = fresh(filing), fresh(edu_weibo)
    assert (filing.filed_on, filing.filed_by) == (date(2026, 2, 27), edu_unit_admin)
    assert (account.provincial_filing_no, account.provincial_filed_on) == ("鲁政媒备2026001", date(2026, 2, 27))
    event = account.events.get(action=Action.FILE)
    assert event.actor == edu_unit_admin and "2026-02-27" in event.comment


def test_a_filing_recorded_without_a_date_is_filed_today(frozen_clock, edu_weibo, edu_unit_admin):
    filing = services.filing_record(filing=FilingFactory(account=edu_weibo), by=edu_unit_admin)
    assert fresh(filing).filed_on == date(2026, 3, 2)
    assert fresh(edu_weibo).provincial_filing_no == ""


def test_a_filing_cannot_be_recorded_twice(frozen_clock, edu_weibo, edu_unit_admin):
    filing = FilingFactory(account=edu_weibo)
    services.filing_record(filing=filing, by=edu_unit_admin)
    with pytest.raises(RuleViolation):
        services.filing_record(filing=fresh(filing), by=edu_unit_admin)


def test_a_filing_cannot_be_dated_in_the_future(frozen_clock, edu_weibo, edu_unit_admin):
    filing = FilingFactory(account=edu_weibo)
    with pytest.raises(ValidationError):
        services.filing_record(filing=filing, by=edu_unit_admin, filed_on=date(2026, 3, 3))
    assert fresh(filing).filed_on is None


def test_another_unit_cannot_record_a_filing(frozen_clock, edu_weibo, street_unit_admin):
    filing = FilingFactory(account=edu_weibo)
    with pytest.raises(PermissionDenied):
        services.filing_record(filing=filing, by=street_unit_admin)
    assert not Filing.objects.filter(filed_on__isnull=False).exists()
