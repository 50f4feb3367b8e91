"""Reads on the registry: what each persona sees, the registry list's filters, the dashboard and inbox."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from govmedia.orgs.models import User
from govmedia.registry import services
from govmedia.registry.models import (
    AccountStatus,
    Application,
    ApplicationKind,
    DecisionKind,
    FilingKind,
    FilingState,
)
from govmedia.registry.selectors import (
    account_history,
    accounts_visible_to,
    applications_visible_to,
    approvals_inbox,
    dashboard,
    days_overdue,
    filings_for_list,
    my_applications,
    never_filed_accounts,
    notices_under_way,
    open_filings,
    overdue_filings,
    public_notices,
    public_notices_matching,
    registry_list,
    reminders_for,
)
from govmedia.workdays.selectors import work_calendar
from tests.factories import (
    AccountFactory,
    ApplicationFactory,
    ClosureNoticeFactory,
    FilingFactory,
    UserFactory,
    platform,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)


def names(accounts) -> set[str]:
    return {a.name for a in accounts}


@pytest.fixture
def registry(edu_weibo, edu_wechat, school_douyin, street_weibo, water_co_wechat):
    """Five NORMAL accounts in four units."""
    return {a.name: a for a in (edu_weibo, edu_wechat, school_douyin, street_weibo, water_co_wechat)}


def submit_opening(applicant, host_unit, code="kuaishou"):
    values = {"account_id": f"new_{host_unit.pk}_{code}", "name": f"{host_unit.name}快手", "platform": platform(code).pk,
              "host_unit": host_unit.pk, "registrant_kind": "organisation"}
    return services.open_application_submit(applicant=applicant, values=values, reason="开设")


# ---------------------------------------------------------------- who sees which accounts


def test_a_unit_sees_its_own_and_its_subordinates_accounts(registry, edu_unit_admin):
    assert names(accounts_visible_to(edu_unit_admin)) == {"西海岸教育发布", "西海岸教体", "西海岸实验小学"}


def test_a_unit_does_not_see_another_units_accounts(registry, street_leader):
    assert names(accounts_visible_to(street_leader)) == {"灵山卫发布"}


def test_a_subordinate_unit_sees_only_its_own_accounts(registry, school_leader):
    assert names(accounts_visible_to(school_leader)) == {"西海岸实验小学"}


def test_an_industry_regulator_sees_the_accounts_of_the_enterprises_it_supervises(registry, water_leader):
    assert names(accounts_visible_to(water_leader)) == {"西海岸供水服务"}


def test_an_operator_sees_only_the_accounts_assigned_to_them(registry, assigned_operator, edu_operator):
    assert names(accounts_visible_to(assigned_operator)) == {"西海岸教育发布"}
    assert names(accounts_visible_to(edu_operator)) == set()


def test_the_district_supervisor_sees_every_account(registry, supervisor):
    assert names(accounts_visible_to(supervisor)) == set(registry)


def test_applications_are_visible_with_their_accounts(registry, edu_unit_admin, street_leader, supervisor):
    application = services.change_application_submit(
        applicant=edu_unit_admin, account=registry["西海岸教育发布"], changes={"introduction": "新"}, reason="更新")
    assert list(applications_visible_to(supervisor)) == [application]
    assert list(applications_visible_to(street_leader)) == []


# ---------------------------------------------------------------- the registry list


def test_the_registry_list_filters_by_host_unit(registry, district, edu_unit_admin):
    assert names(registry_list(edu_unit_admin, unit=district.school.pk, today=TODAY)) == {"西海岸实验小学"}


def test_the_unit_filter_cannot_reach_beyond_the_users_remit(registry, district, edu_unit_admin):
    assert names(registry_list(edu_unit_admin, unit=district.street.pk, today=TODAY)) == set()


def test_the_registry_list_filters_by_platform(registry, supervisor):
    weibo = platform("weibo").pk
    assert names(registry_list(supervisor, platform=weibo, today=TODAY)) == {"西海岸教育发布", "灵山卫发布"}


def test_the_registry_list_filters_by_status(registry, district, supervisor):
    AccountFactory(host_unit=district.street, platform=platform("douyin"), name="灵山卫旧抖音",
                   status=AccountStatus.CLOSED)
    assert names(registry_list(supervisor, status=AccountStatus.CLOSED, today=TODAY)) == {"灵山卫旧抖音"}
    assert "灵山卫旧抖音" not in names(registry_list(supervisor, status=AccountStatus.NORMAL, today=TODAY))


@pytest.mark.skipif(connection.vendor != "sqlite",
                    reason="PostgreSQL answers the subquery once for all rows, through the (filed_on, due_on) index")
def test_the_registry_lists_overdue_flag_is_looked_up_through_the_accounts_filing_index(registry, supervisor):
    """Without an index starting with the account, each row scanned every open filing: deep pages took seconds."""
    plan = registry_list(supervisor, today=TODAY)[4950:5000].explain()
    filing_lookups = [line for line in plan.splitlines() if " U0 " in line]
    assert filing_lookups and all("(account_id=?" in line for line in filing_lookups), plan


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("教体", {"西海岸教体"}),  # account name
        ("gh_xhwater", {"西海岸供水服务"}),  # account id
        ("灵山卫街道", {"灵山卫发布"}),  # host unit name
        ("招生", {"西海岸实验小学"}),  # introduction
        ("没有这个", set()),
    ],
)
def test_the_registry_list_searches_name_id_unit_and_introduction(registry, supervisor, q, expected):
    registry["西海岸实验小学"].introduction = "发布招生入学信息"
    registry["西海岸实验小学"].save()
    assert names(registry_list(supervisor, q=q, today=TODAY)) == expected


def test_the_registry_list_marks_and_filters_accounts_with_overdue_filings(registry, supervisor):
    FilingFactory(account=registry["西海岸教育发布"], due_on=date(2026, 2, 27))  # overdue
    FilingFactory(account=registry["灵山卫发布"], due_on=date(2026, 3, 2))  # due today: not yet overdue
    FilingFactory(account=registry["西海岸教体"], due_on=date(2026, 2, 1), filed_on=date(2026, 2, 1))  # confirmed
    FilingFactory(account=registry["西海岸实验小学"], due_on=date(2026, 2, 27), filed_on=date(2026, 2, 26),
                  state=FilingState.SUBMITTED)  # submitted in time, awaiting confirmation
    # 西海岸供水服务 has no filing at all: 未备案, and overdue by definition.
    assert names(registry_list(supervisor, overdue=True, today=TODAY)) == {"西海岸教育发布", "西海岸供水服务"}
    flags = {a.name: (a.is_overdue, a.never_filed) for a in registry_list(supervisor, today=TODAY)}
    assert flags == {"西海岸教育发布": (True, False), "灵山卫发布": (False, False), "西海岸教体": (False, False),
                     "西海岸实验小学": (False, False), "西海岸供水服务": (True, True)}


def test_an_account_not_yet_operating_is_not_unfiled(district, supervisor):
    AccountFactory(host_unit=district.edu, name="审批中的账号", status=AccountStatus.PENDING)
    AccountFactory(host_unit=district.edu, name="已关停的账号", status=AccountStatus.CLOSED)
    assert names(registry_list(supervisor, overdue=True, today=TODAY)) == set()
    assert names(never_filed_accounts(supervisor)) == set()


def test_overdue_is_judged_against_the_clock_when_no_day_is_given(frozen_clock, registry, supervisor):
    for account in registry.values():
        FilingFactory(account=account, due_on=date(2025, 3, 1), filed_on=date(2025, 2, 1))
    FilingFactory(account=registry["西海岸教育发布"], due_on=date(2026, 3, 1))
    assert names(registry_list(supervisor, overdue=True)) == {"西海岸教育发布"}
    frozen_clock.set(date(2026, 2, 1))
    assert names(registry_list(supervisor, overdue=True)) == set()


def test_filters_combine(registry, supervisor, district):
    weibo = platform("weibo").pk
    assert names(registry_list(supervisor, unit=district.edu.pk, platform=weibo, q="教育", today=TODAY)) == {
        "西海岸教育发布"}


# ---------------------------------------------------------------- filings


def test_overdue_filings_are_the_unfiled_ones_past_their_deadline_within_the_remit(
    registry, edu_unit_admin, supervisor
):
    late = FilingFactory(account=registry["西海岸实验小学"], due_on=date(2026, 2, 20))
    later = FilingFactory(account=registry["西海岸教育发布"], due_on=date(2026, 2, 26))
    FilingFactory(account=registry["西海岸教体"], due_on=date(2026, 3, 5))  # not yet due
    FilingFactory(account=registry["西海岸教体"], due_on=date(2026, 2, 1), filed_on=date(2026, 1, 30))
    street_late = FilingFactory(account=registry["灵山卫发布"], due_on=date(2026, 2, 2))
    assert list(overdue_filings(edu_unit_admin, TODAY)) == [late, later]
    assert list(overdue_filings(supervisor, TODAY)) == [street_late, late, later]


def test_a_legacy_account_never_filed_shows_up_as_overdue(district, supervisor):
    account = AccountFactory(host_unit=district.edu, registered_on=date(2019, 6, 1))
    filing = services.legacy_filing_for(account)
    assert list(overdue_filings(supervisor, TODAY)) == [filing]
    assert filing.kind == FilingKind.LEGACY


def test_open_filings_include_those_not_yet_due_and_those_awaiting_confirmation(registry, edu_unit_admin):
    soon = FilingFactory(account=registry["西海岸教体"], due_on=date(2026, 3, 5))
    waiting = FilingFactory(account=registry["西海岸教体"], due_on=date(2026, 3, 6), filed_on=date(2026, 3, 2),
                            state=FilingState.SUBMITTED)
    FilingFactory(account=registry["西海岸教体"], due_on=date(2026, 2, 1), filed_on=date(2026, 1, 30))
    assert list(open_filings(edu_unit_admin)) == [soon, waiting]


def test_a_submission_counts_by_its_date_a_late_one_stays_overdue_until_confirmed(registry, supervisor):
    in_time = FilingFactory(account=registry["西海岸教体"], due_on=date(2026, 2, 20), filed_on=date(2026, 2, 19),
                            state=FilingState.SUBMITTED)
    late = FilingFactory(account=registry["西海岸教育发布"], due_on=date(2026, 2, 20), filed_on=date(2026, 2, 25),
                         state=FilingState.SUBMITTED)
    returned = FilingFactory(account=registry["灵山卫发布"], due_on=date(2026, 2, 20), state=FilingState.RETURNED)
    FilingFactory(account=registry["西海岸实验小学"], due_on=date(2026, 2, 20), filed_on=date(2026, 2, 25))  # confirmed
    overdue = list(overdue_filings(supervisor, TODAY))
    assert late in overdue and returned in overdue and in_time not in overdue
    assert len(overdue) == 2


def test_days_overdue_are_working_days_up_to_the_submission_or_today(district):
    calendar = work_calendar()
    # Friday 2026-03-06 → Monday 03-09 is one working day; → Friday 03-13 five.
    assert days_overdue(FilingFactory.build(due_on=date(2026, 3, 6)), date(2026, 3, 9), calendar) == 1
    late = FilingFactory.build(due_on=date(2026, 3, 6), filed_on=date(2026, 3, 13), state=FilingState.SUBMITTED)
    assert days_overdue(late, date(2026, 3, 27), calendar) == 5
    assert days_overdue(FilingFactory.build(due_on=date(2026, 3, 5)), TODAY, calendar) == 0
    on_time = FilingFactory.build(due_on=date(2026, 2, 27), filed_on=date(2026, 2, 26))
    assert days_overdue(on_time, TODAY, calendar) == 0
    # Saturday 2026-02-28 is a make-up working day (调休) of the Spring Festival: it counts.
    assert days_overdue(FilingFactory.build(due_on=date(2026, 2, 27)), TODAY, calendar) == 2


def test_never_filed_accounts_are_operating_ones_without_any_filing_in_the_remit(registry, edu_unit_admin):
    FilingFactory(account=registry["西海岸教体"])
    assert names(never_filed_accounts(edu_unit_admin)) == {"西海岸教育发布", "西海岸实验小学"}


def test_the_filing_list_filters_by_unit_and_state_and_searches_name_and_number(registry, supervisor, district):
    edu = FilingFactory(account=registry["西海岸教育发布"], due_on=date(2026, 2, 20))
    waiting = FilingFactory(account=registry["西海岸教体"], due_on=date(2026, 3, 5), filed_on=date(2026, 3, 2),
                            state=FilingState.SUBMITTED, provincial_filing_no="鲁政新媒备〔2026〕0107号")
    street = FilingFactory(account=registry["灵山卫发布"], due_on=date(2026, 3, 6))
    confirmed = FilingFactory(account=registry["西海岸实验小学"], due_on=date(2026, 2, 1), filed_on=date(2026, 1, 5),
                              provincial_filing_no="鲁政新媒备〔2026〕0005号")

    def listed(**filters):
        return set(filings_for_list(supervisor, today=TODAY, **filters))

    assert listed() == {edu, waiting, street}
    assert listed(show="all") == {edu, waiting, street, confirmed}
    assert listed(show="overdue") == {edu}
    assert listed(unit=district.street.pk) == {street}
    assert listed(state=FilingState.SUBMITTED) == {waiting}
    assert listed(q="0107") == {waiting}
    assert listed(q="灵山卫") == {street}
    assert listed(show="all", q="0005号") == {confirmed}
    assert listed(unit=district.street.pk, q="教育") == set()


def test_the_filing_list_of_a_unit_holds_only_its_remit(registry, street_unit_admin):
    FilingFactory(account=registry["西海岸教育发布"])
    mine = FilingFactory(account=registry["灵山卫发布"])
    assert list(filings_for_list(street_unit_admin, show="all", today=TODAY)) == [mine]


def test_reminders_on_the_dashboard_are_the_users_own_and_still_open(frozen_clock, registry, edu_unit_admin,
                                                                    street_unit_admin):
    open_one = FilingFactory(account=registry["西海岸教育发布"], due_on=date(2026, 2, 20))
    done = FilingFactory(account=registry["西海岸教体"], due_on=date(2026, 2, 20))
    FilingFactory(account=registry["灵山卫发布"], due_on=date(2026, 2, 20))
    services.send_filing_reminders(today=date(2026, 3, 1))
    services.send_filing_reminders(today=TODAY)
    done.state = FilingState.SUBMITTED
    done.save()
    assert [r.filing for r in reminders_for(edu_unit_admin)] == [open_one]
    assert reminders_for(edu_unit_admin)[0].sent_on == TODAY
    assert [r.filing.account.name for r in reminders_for(street_unit_admin)] == ["灵山卫发布"]


# ---------------------------------------------------------------- approvals inbox


def test_the_inbox_holds_what_waits_for_the_users_unit_at_the_current_step(
    frozen_clock, district, school_leader, edu_leader, edu_unit_admin, supervisor, water_leader
):
    operator = UserFactory(unit=district.school)
    application = submit_opening(operator, district.school)
    assert approvals_inbox(school_leader) == [application]
    assert approvals_inbox(edu_leader) == [] and approvals_inbox(supervisor) == []
    services.application_approve(application=application, by=school_leader)
    assert approvals_inbox(school_leader) == []
    assert approvals_inbox(edu_leader) == [application] == approvals_inbox(edu_unit_admin)
    services.application_approve(application=application, by=edu_leader)
    assert approvals_inbox(supervisor) == [application]
    assert approvals_inbox(water_leader) == []


def test_reviewers_operators_and_other_units_have_empty_inboxes(
    district, edu_operator, edu_reviewer, assigned_operator, street_leader, edu_leader
):
    submit_opening(edu_operator, district.edu)
    assert approvals_inbox(edu_leader) != []
    for persona in (edu_reviewer, edu_operator, assigned_operator, street_leader):
        assert approvals_inbox(persona) == []


def test_the_applicant_does_not_find_their_own_application_in_the_inbox(district, edu_leader, edu_unit_admin):
    application = submit_opening(edu_leader, district.edu)
    assert approvals_inbox(edu_leader) == []
    assert approvals_inbox(edu_unit_admin) == [application]
    assert list(my_applications(edu_leader)) == [application]


def test_the_inbox_lists_the_oldest_application_first(frozen_clock, district, edu_operator, edu_leader):
    first = submit_opening(edu_operator, district.edu, "kuaishou")
    frozen_clock.advance(hours=1)
    second = submit_opening(edu_operator, district.edu, "bilibili")
    assert approvals_inbox(edu_leader) == [first, second]


# ---------------------------------------------------------------- dashboard and notices


def test_the_dashboard_counts_within_the_users_remit(frozen_clock, registry, district, edu_unit_admin, edu_operator):
    AccountFactory(host_unit=district.edu, platform=platform("douyin"), name="教体旧抖音", status=AccountStatus.CLOSED)
    FilingFactory(account=registry["西海岸教育发布"], due_on=date(2026, 2, 27))
    FilingFactory(account=registry["灵山卫发布"], due_on=date(2026, 2, 27))  # another unit's
    submit_opening(edu_operator, district.edu)
    data = dashboard(edu_unit_admin, TODAY)
    assert data.total == 5  # three running, one closed, one pending
    assert dict(data.by_status) == {"正常": 3, "关停": 1, "开设审批中": 1}
    assert dict(data.by_platform) == {"新浪微博": 1, "微信订阅号": 1, "抖音": 1, "快手": 1}  # closed not counted
    assert [f.account.name for f in data.overdue] == ["西海岸教育发布"]
    # 西海岸教体 and 西海岸实验小学 have no filing at all: 未备案, counted as overdue.
    assert (data.never_filed, data.overdue_count) == (2, 3)
    assert data.pending_applications == 1


def test_the_dashboard_lists_notices_under_way_and_those_past_their_effective_date(
    registry, district, edu_unit_admin, supervisor
):
    running = ClosureNoticeFactory(application__account=registry["西海岸教体"], effective_on=date(2026, 3, 20))
    overdue = ClosureNoticeFactory(application__account=registry["西海岸教育发布"], effective_on=date(2026, 3, 1))
    ClosureNoticeFactory(application__account=registry["灵山卫发布"], effective_on=date(2026, 3, 1))
    data = dashboard(edu_unit_admin, TODAY)
    assert set(data.notices) == {running, overdue}
    assert data.overdue_closures == [overdue]
    assert len(dashboard(supervisor, TODAY).overdue_closures) == 2


def test_notices_that_took_effect_are_public_but_no_longer_under_way(frozen_clock, registry, edu_unit_admin,
                                                                    edu_leader, supervisor):
    application = services.closure_application_submit(
        applicant=edu_unit_admin, account=registry["西海岸教体"], kind=ApplicationKind.CLOSE, reason="整合",
        decision_kind=DecisionKind.HEAD_CONSENT,
        decision_document=SimpleUploadedFile("局长同意.pdf", b"%PDF-1.4 consent"))
    for approver in (edu_leader, supervisor):
        application = services.application_approve(application=application, by=approver)
    assert list(notices_under_way()) == [application.notice]
    frozen_clock.set(application.notice.effective_on)
    services.closures_take_effect()
    assert list(notices_under_way()) == []
    assert list(public_notices()) == [application.notice]


def test_an_accounts_history_is_in_time_order(frozen_clock, registry, edu_unit_admin, edu_leader):
    account = registry["西海岸教育发布"]
    application = services.change_application_submit(applicant=edu_unit_admin, account=account,
                                                      changes={"introduction": "新"}, reason="更新")
    frozen_clock.advance(minutes=5)
    services.application_approve(application=application, by=edu_leader)
    assert [e.action for e in account_history(account)] == ["submit", "approve"]



def test_the_inbox_costs_the_same_few_queries_however_many_applications_wait(
    district, supervisor, django_assert_max_num_queries
):
    for _ in range(15):
        application = ApplicationFactory(account=AccountFactory(host_unit=district.edu))
        Application.objects.filter(pk=application.pk).update(current_step=len(application.steps) - 1)
    fresh_supervisor = User.objects.get(pk=supervisor.pk)
    with django_assert_max_num_queries(6):
        inbox = approvals_inbox(fresh_supervisor)
    assert len(inbox) == 15


def test_the_dashboard_counts_every_waiting_application_not_only_the_ten_it_lists(district, supervisor, client):
    for _ in range(12):
        application = ApplicationFactory(account=AccountFactory(host_unit=district.edu))
        Application.objects.filter(pk=application.pk).update(current_step=len(application.steps) - 1)
    client.force_login(supervisor)
    assert "待我审批 12 件" in client.get("/").content.decode()


@pytest.mark.parametrize(("q", "expected"), [
    ("供水", {"西海岸供水服务"}),  # title and account name
    ("灵山卫街道", {"灵山卫发布"}),  # host unit
    ("教体局", {"西海岸教体"}),  # host unit's short name
    ("没有这个", set()),
    ("", {"西海岸供水服务", "灵山卫发布", "西海岸教体"}),
])
def test_public_notices_are_searched_by_title_account_and_unit(registry, q, expected):
    for name in ("西海岸供水服务", "灵山卫发布", "西海岸教体"):
        ClosureNoticeFactory(application__account=registry[name], title=f"关于关停“{name}”账号的公告")
    assert {n.account.name for n in public_notices_matching(q)} == expected
