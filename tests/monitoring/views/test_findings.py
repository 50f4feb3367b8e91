"""监测问题 through HTTP: scoped list and detail, the evidence, each step and assignment, a stale page answered
409, and crafted requests on another unit's finding refused and audited."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govmedia.monitoring.models import FindingEvent, FindingState
from tests.monitoring.pages import FindingFactory, PostFactory, client_for, refusals, said
from tests.registry.services.helpers import fresh

pytestmark = pytest.mark.django_db

LIST = reverse("monitoring:findings")


@pytest.fixture
def finding(frozen_clock, edu_weibo):
    post = PostFactory(account=edu_weibo, title="通知", text="详见 https://old.example.cn/a 。", url="https://weibo.example.cn/1")
    return FindingFactory(post=post, code="broken_link", severity="medium", summary="链接不可用：404",
                          evidence={"start": 6, "end": 28, "text": "https://old.example.cn/a",
                                    "url": "https://old.example.cn/a", "http_status": 404,
                                    "verdict": "client_error"})


@pytest.fixture
def street_finding(frozen_clock, street_weibo):
    return FindingFactory(post=PostFactory(account=street_weibo), summary="灵山卫的问题")


def detail(finding):
    return reverse("monitoring:finding", args=[finding.pk])


def step(client, finding, action, **data):
    return client.post(reverse("monitoring:finding_step", args=[finding.pk]),
                       {"action": action, "seen_state": finding.state, **data})


def test_the_list_shows_the_units_own_findings_only(edu_unit_admin, finding, street_finding):
    page = client_for(edu_unit_admin).get(LIST).content.decode()
    assert "链接不可用：404" in page and "灵山卫的问题" not in page


def test_the_detail_shows_the_evidence_with_the_post_excerpt_marked(edu_unit_admin, finding):
    response = client_for(edu_unit_admin).get(detail(finding))
    page = response.content.decode()
    assert '详见 <mark class="finding sev-medium" title="链接不可用" data-finding' in page
    assert "<th>HTTP 状态码</th><td>404</td>" in page and "https://weibo.example.cn/1" in page
    assert "<th>检查结论</th><td>客户端错误（4xx）</td>" in page
    assert [name for name, _ in response.context["steps"]] == ["confirm", "false_positive", "fixed"]


def test_an_account_finding_shows_its_window(frozen_clock, edu_unit_admin, edu_weibo):
    finding = FindingFactory(account=edu_weibo, post=None, code="no_update_2_weeks", summary="两周未更新",
                             evidence={"window_start": "2026-02-16", "window_end": "2026-03-01"})
    page = client_for(edu_unit_admin).get(detail(finding)).content.decode()
    assert "2026-02-16 至 2026-03-01" in page and "原文摘录" not in page


def test_another_units_finding_is_not_found(edu_unit_admin, street_finding):
    assert client_for(edu_unit_admin).get(detail(street_finding)).status_code == 404


@pytest.mark.parametrize("url", ["monitoring:finding_step", "monitoring:finding_assign"])
def test_a_crafted_post_on_another_units_finding_is_refused_and_audited(edu_unit_admin, edu_reviewer,
                                                                        street_finding, url):
    response = client_for(edu_unit_admin).post(reverse(url, args=[street_finding.pk]),
                                               {"action": "fixed", "assignee": edu_reviewer.pk})
    assert response.status_code == 404
    assert (fresh(street_finding).state, fresh(street_finding).assignee) == (FindingState.OPEN, None)
    [entry] = refusals()
    assert entry.actor == edu_unit_admin and entry.object_repr.startswith("POST /monitoring/findings/")


def test_an_operator_without_the_account_may_not_act_on_a_finding_they_cannot_see(edu_operator, finding):
    assert step(client_for(edu_operator), finding, "fixed").status_code == 404


def test_confirming_through_the_page_records_the_history(edu_unit_admin, finding):
    client = client_for(edu_unit_admin)
    response = step(client, finding, "confirm", reason="已联系发布人")
    assert response.status_code == 302 and "已确认：已确认" in said(response)
    history = client.get(detail(finding)).content.decode()
    assert "李管理" in history and "待处理 → 已确认" in history and "已联系发布人" in history


@pytest.mark.parametrize("target", ["abc", "[]", "-1", "monitoring:findings", "1\x00"])
def test_a_next_that_is_no_path_is_ignored_never_a_500(edu_unit_admin, finding, target):
    response = step(client_for(edu_unit_admin), finding, "confirm", next=target)
    assert response.status_code == 302 and response["Location"] == detail(finding)


def test_a_false_positive_without_a_reason_is_refused_with_a_message(edu_unit_admin, finding):
    response = step(client_for(edu_unit_admin), finding, "false_positive", reason="")
    assert "标记为误报时须填写原因" in said(response) and fresh(finding).state == FindingState.OPEN


def test_a_step_from_a_stale_page_is_answered_409_in_chinese(edu_unit_admin, edu_leader, finding):
    page_state = finding.state
    step(client_for(edu_leader), finding, "fixed")
    response = client_for(edu_unit_admin).post(reverse("monitoring:finding_step", args=[finding.pk]),
                                               {"action": "confirm", "seen_state": page_state})
    assert response.status_code == 409
    assert "该问题已被他人处理（当前状态：已整改）" in response.content.decode()
    assert FindingEvent.objects.count() == 1


def test_assigning_through_the_page(edu_unit_admin, edu_reviewer, finding):
    client = client_for(edu_unit_admin)
    response = client.post(reverse("monitoring:finding_assign", args=[finding.pk]),
                           {"assignee": edu_reviewer.pk, "seen_assignee": ""})
    assert "已指派给 钱审核" in said(response) and fresh(finding).assignee == edu_reviewer


def test_assigning_to_someone_of_another_unit_is_refused(edu_unit_admin, street_leader, finding):
    response = client_for(edu_unit_admin).post(reverse("monitoring:finding_assign", args=[finding.pk]),
                                               {"assignee": street_leader.pk, "seen_assignee": ""})
    assert "处理人" in said(response) and fresh(finding).assignee is None


def test_the_list_filters_by_account_from_the_account_page(edu_unit_admin, edu_wechat, finding):
    other = FindingFactory(post=PostFactory(account=edu_wechat), summary="教体的问题")
    page = client_for(edu_unit_admin).get(LIST, {"account": other.account_id}).content.decode()
    assert "教体的问题" in page and "链接不可用：404" not in page


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries({name: st.text(max_size=25) for name in (
    "state", "group", "code", "severity", "unit", "unit_name", "account", "found_from", "found_to", "page")}))
def test_any_filter_value_gets_a_page_or_a_message_never_a_500(supervisor, values):
    assert client_for(supervisor).get(LIST, values).status_code in (200, 400)

