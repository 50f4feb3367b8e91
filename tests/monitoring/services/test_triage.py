"""A finding's handling: each step taken by the account's unit (or a supervisor) is a FindingEvent, a false
positive needs its reason, and of two people acting at once exactly one wins."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govmedia.audit.models import AuditEntry
from govmedia.errors import Conflict
from govmedia.monitoring.models import Finding, FindingEvent, FindingState
from govmedia.monitoring.services.triage import finding_assign, finding_transition
from govmedia.orgs.models import Role
from tests.factories import UserFactory
from tests.monitoring.pages import FindingFactory, PostFactory
from tests.registry.services.helpers import fresh
from tests.threads import at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(frozen_clock, edu_weibo):
    return FindingFactory(post=PostFactory(account=edu_weibo))


def step(finding, by, action, **kwargs):
    return finding_transition(finding=finding, by=by, action=action, **kwargs)


def test_confirming_records_who_when_from_and_to(frozen_clock, edu_unit_admin, finding):
    step(finding, edu_unit_admin, "confirm", reason="已核实")
    [event] = FindingEvent.objects.filter(finding=finding)
    assert (event.actor, event.at, event.action, event.from_state, event.to_state, event.note) == (
        edu_unit_admin, frozen_clock.current, "state", FindingState.OPEN, FindingState.CONFIRMED, "已核实")
    assert fresh(finding).state == FindingState.CONFIRMED


def test_the_state_change_is_audited(edu_unit_admin, finding):
    step(finding, edu_unit_admin, "fixed")
    entry = AuditEntry.objects.filter(object_type="monitoring.Finding", object_id=str(finding.pk),
                                      action=AuditEntry.Action.UPDATE).get()
    assert entry.changes["state"] == [FindingState.OPEN, FindingState.FIXED]


def test_a_false_positive_needs_its_reason_which_is_kept(edu_unit_admin, finding):
    with pytest.raises(ValidationError) as refused:
        step(finding, edu_unit_admin, "false_positive", reason="  ")
    assert refused.value.message_dict == {"reason": ["标记为误报时须填写原因。"]}
    step(finding, edu_unit_admin, "false_positive", reason="“精减”为引用文件原文")
    assert (fresh(finding).state, fresh(finding).state_reason) == (FindingState.FALSE_POSITIVE, "“精减”为引用文件原文")


def test_a_fixed_finding_is_reopened_and_confirmed_again(edu_unit_admin, finding):
    for action in ("confirm", "fixed", "reopen", "confirm"):
        step(finding, edu_unit_admin, action)
    states = list(FindingEvent.objects.filter(finding=finding).values_list("from_state", "to_state"))
    assert states == [("open", "confirmed"), ("confirmed", "fixed"), ("fixed", "open"), ("open", "confirmed")]


@pytest.mark.parametrize(("state", "action", "message"), [
    (FindingState.FIXED, "confirm", "“已整改”的问题不能确认。"),
    (FindingState.OPEN, "reopen", "“待处理”的问题不能重新打开。"),
    (FindingState.FALSE_POSITIVE, "fixed", "“误报”的问题不能标记为已整改。"),
])
def test_a_step_the_state_does_not_allow_is_refused_naming_the_state(edu_unit_admin, finding, state, action,
                                                                     message):
    Finding.objects.filter(pk=finding.pk).update(state=state)
    with pytest.raises(ValidationError) as refused:
        step(fresh(finding), edu_unit_admin, action)
    assert refused.value.message_dict == {"action": [message]}


def test_an_unknown_step_or_an_overlong_reason_is_refused(edu_unit_admin, finding):
    with pytest.raises(ValidationError, match="处理动作“delete”不存在"):
        step(finding, edu_unit_admin, "delete")
    with pytest.raises(ValidationError, match="说明不能超过 500 字（现为 501 字）"):
        step(finding, edu_unit_admin, "confirm", reason="长" * 501)


@pytest.mark.parametrize("persona", ["street_unit_admin", "edu_operator"])
def test_others_may_not_handle_the_finding(request, finding, persona):
    with pytest.raises(PermissionDenied, match="无权处理账号“西海岸教育发布”的监测问题"):
        step(finding, request.getfixturevalue(persona), "confirm")
    assert fresh(finding).state == FindingState.OPEN and not FindingEvent.objects.exists()


def test_a_competent_unit_handles_the_findings_of_the_units_it_supervises(water_leader, water_co_wechat):
    finding = FindingFactory(post=PostFactory(account=water_co_wechat))
    assert step(finding, water_leader, "confirm").state == FindingState.CONFIRMED


@pytest.mark.parametrize("persona", ["assigned_operator", "edu_reviewer", "supervisor"])
def test_the_units_staff_the_accounts_operator_and_supervisors_handle_it(request, finding, persona):
    assert step(finding, request.getfixturevalue(persona), "confirm").state == FindingState.CONFIRMED


def test_a_step_from_a_page_that_is_out_of_date_is_not_taken(edu_unit_admin, edu_leader, finding):
    step(finding, edu_leader, "fixed")
    with pytest.raises(Conflict, match="该问题已被他人处理（当前状态：已整改）"):
        step(fresh(finding), edu_unit_admin, "false_positive", reason="误报", seen_state=FindingState.OPEN)
    assert fresh(finding).state == FindingState.FIXED and FindingEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_two_people_handling_a_finding_at_once_exactly_one_wins(frozen_clock, edu_weibo, edu_unit_admin,
                                                                   edu_leader):
    finding = FindingFactory(post=PostFactory(account=edu_weibo))

    def acting(user, action, reason=""):
        def prepare():
            loaded = Finding.objects.select_related("account").get(pk=finding.pk)  # as each page loaded it
            return lambda: step(loaded, user, action, reason=reason)
        return prepare

    results = at_once(acting(edu_unit_admin, "fixed"), acting(edu_leader, "false_positive", "非错误"))
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], Conflict), results
    assert FindingEvent.objects.filter(finding=finding).count() == 1
    assert fresh(finding).state == FindingEvent.objects.get(finding=finding).to_state


# ---------------------------------------------------------------- assignment


def test_a_finding_is_assigned_to_a_colleague_of_the_host_unit_with_a_history_row(edu_unit_admin, edu_reviewer,
                                                                                  finding):
    finding_assign(finding=finding, by=edu_unit_admin, assignee=edu_reviewer, seen_assignee_id="")
    assert fresh(finding).assignee == edu_reviewer
    [event] = FindingEvent.objects.filter(finding=finding)
    assert (event.action, event.note) == ("assign", "指派给 钱审核")


def test_a_supervisor_may_be_put_in_charge(edu_unit_admin, supervisor, finding):
    assert finding_assign(finding=finding, by=edu_unit_admin, assignee=supervisor).assignee == supervisor


@pytest.mark.parametrize("who", ["street_leader", "inactive colleague", "school_leader"])
def test_nobody_outside_the_host_unit_is_put_in_charge(request, district, edu_unit_admin, finding, who):
    if who == "inactive colleague":
        assignee = UserFactory(unit=district.edu, role=Role.REVIEWER, is_active=False)
    else:
        assignee = request.getfixturevalue(who)
    with pytest.raises(ValidationError, match="不是账号“西海岸教育发布”主办单位的在用人员"):
        finding_assign(finding=finding, by=edu_unit_admin, assignee=assignee)
    assert fresh(finding).assignee is None


def test_taking_the_finding_off_someone_is_recorded(edu_unit_admin, edu_reviewer, finding):
    finding_assign(finding=finding, by=edu_unit_admin, assignee=edu_reviewer)
    finding_assign(finding=fresh(finding), by=edu_unit_admin, assignee=None, seen_assignee_id=edu_reviewer.pk)
    assert fresh(finding).assignee is None
    assert FindingEvent.objects.filter(finding=finding).last().note == "取消指派（原处理人：钱审核）"


def test_assigning_from_a_page_that_is_out_of_date_is_not_done(edu_unit_admin, edu_leader, edu_reviewer, finding):
    finding_assign(finding=finding, by=edu_leader, assignee=edu_leader)
    with pytest.raises(Conflict, match="当前处理人：赵局长"):
        finding_assign(finding=fresh(finding), by=edu_unit_admin, assignee=edu_reviewer, seen_assignee_id="")
    assert fresh(finding).assignee == edu_leader


def test_another_unit_may_not_assign(street_unit_admin, street_leader, finding):
    with pytest.raises(PermissionDenied):
        finding_assign(finding=finding, by=street_unit_admin, assignee=street_leader)
