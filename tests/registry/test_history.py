"""An application as it reads: every field entered, before and after for a change, a clean history."""

from datetime import date

import pytest
from django.test import Client

from govmedia.registry import services
from govmedia.registry.history import application_fields, application_history, filing_next_step
from govmedia.registry.models import ColumnMenu, TeamMember
from tests.registry.services.helpers import approve, fresh, submit_opening

pytestmark = pytest.mark.django_db

COLUMNS = [{"name": "", "level1": "政务公开", "level2": "政策解读", "level3": "", "remark": ""}]
TEAM = [{"name": "钱审核", "unit_and_title": "区教育和体育局 宣传科科长", "office_phone": "", "mobile": "13900000000"}]


@pytest.fixture
def edu_wechat_with_menus(edu_wechat):
    ColumnMenu.objects.create(account=edu_wechat, level1="教育资讯", level2="通知公告", position=0)
    ColumnMenu.objects.create(account=edu_wechat, level1="办事服务", level2="招生入学", position=1)
    TeamMember.objects.create(account=edu_wechat, name="李管理", unit_and_title="办公室主任", mobile="13900000001")
    return edu_wechat


def _page(user, application) -> str:
    client = Client()
    client.force_login(user)
    return client.get(application.get_absolute_url()).content.decode()


def test_an_opening_shows_every_field_entered_with_its_columns_and_team(district, edu_unit_admin):
    application = submit_opening(edu_unit_admin, district.edu, columns=COLUMNS, team=TEAM,
                                 host_leader_name="赵局长", introduction="发布教育政策。")
    fields = {f.name: f for f in application_fields(application)}
    assert fields["host_leader_name"].after == "赵局长"
    assert fields["introduction"].after == "发布教育政策。"
    assert [r.cells for r in fields["columns"].after_rows] == [["", "政务公开", "政策解读", "", ""]]
    assert [r.cells for r in fields["team"].after_rows] == [["钱审核", "区教育和体育局 宣传科科长", "", "13900000000"]]
    assert "host_opinion_signer" not in fields  # filled in by the approvers, not the applicant
    page = _page(edu_unit_admin, application)
    assert "政策解读" in page and "区教育和体育局 宣传科科长" in page and "项 →" not in page


def test_a_change_shows_each_field_before_and_after_and_marks_added_and_removed_rows(
    edu_wechat_with_menus, edu_unit_admin, edu_leader, supervisor
):
    columns = [{"name": "", "level1": "教育资讯", "level2": "通知公告", "level3": "", "remark": ""},
               {"name": "", "level1": "互动交流", "level2": "留言咨询", "level3": "", "remark": ""}]
    application = services.change_application_submit(
        applicant=edu_unit_admin, account=edu_wechat_with_menus, reason="调整栏目",
        changes={"name": "西海岸教体发布", "columns": columns})
    approve(application, edu_leader, supervisor)  # after the change, the page still shows what it was before
    fields = {f.name: f for f in application_fields(fresh(application))}
    assert (fields["name"].before, fields["name"].after) == ("西海岸教体", "西海岸教体发布")
    menus = fields["columns"]
    assert [(r.cells[1], r.mark) for r in menus.before_rows] == [("教育资讯", ""), ("办事服务", "removed")]
    assert [(r.cells[1], r.mark) for r in menus.after_rows] == [("教育资讯", ""), ("互动交流", "added")]
    page = _page(edu_unit_admin, application)
    assert "2 项 → 2 项" not in page and "招生入学" in page and "留言咨询" in page
    assert "变更前" in page and "新增" in page and "删除" in page


def test_the_history_reads_one_line_per_decision(district, edu_unit_admin, edu_leader, supervisor):
    application = approve(submit_opening(edu_unit_admin, district.edu), edu_leader, supervisor)
    history = application_history(application)
    assert [e.action for e in history] == [
        "提交申请", f"审批通过（第 1 环节：{district.edu.name}）", f"审批通过（第 2 环节：{district.office.name}）"]
    assert history[0].outcomes == []
    assert history[1].outcomes == [f"转第 2 环节：{district.office.name}"]
    # The account going into service is the final approval's consequence, not a second approval.
    assert history[2].outcomes == ["申请已批准", "账号状态：开设审批中 → 正常"]
    page = _page(edu_unit_admin, application)
    assert "（ →" not in page and "审批中 → 审批中" not in page
    assert page.count("审批通过（第 2 环节") == 1


def test_a_rejection_reads_as_returned_to_the_applicant_not_as_an_account_state(
    district, edu_unit_admin, edu_leader
):
    application = services.application_reject(application=submit_opening(edu_unit_admin, district.edu),
                                              by=edu_leader, comment="请补充栏目设置")
    entry = application_history(application)[-1]
    assert entry.action == f"退回（第 1 环节：{district.edu.name}）"
    assert entry.outcomes == ["退回申请人修改"] and entry.comment == "请补充栏目设置"
    assert "开设未获批准" not in _page(edu_unit_admin, application)


def test_a_withdrawn_opening_reads_as_one_withdrawal_with_its_consequence(district, edu_unit_admin):
    application = services.application_withdraw(application=submit_opening(edu_unit_admin, district.edu),
                                                by=edu_unit_admin)
    entry = application_history(application)[-1]
    assert entry.action == "撤回"
    assert entry.outcomes == ["账号状态：开设审批中 → 开设未获批准"]


def test_after_the_final_approval_the_applicant_is_pointed_to_the_filing(
    frozen_clock, district, edu_unit_admin, edu_leader, supervisor
):
    application = submit_opening(edu_unit_admin, district.edu)
    assert "下一步" not in _page(edu_unit_admin, application)
    approve(application, edu_leader, supervisor)
    step = filing_next_step(fresh(application))
    assert (step.working_days, step.due_on.isoformat(), step.filed, step.overdue) == (7, "2026-03-11", False, False)
    assert filing_next_step(fresh(application), today=date(2026, 3, 12)).overdue
    page = _page(edu_unit_admin, application)
    assert "下一步：请在 7 个工作日内完成备案" in page and "2026年3月11日" in page
    assert 'href="/registry/filings/"' in page


def test_the_account_page_reads_its_history_the_same_way(district, edu_unit_admin, edu_leader, supervisor):
    application = approve(submit_opening(edu_unit_admin, district.edu), edu_leader, supervisor)
    client = Client()
    client.force_login(edu_unit_admin)
    page = client.get(application.account.get_absolute_url()).content.decode()
    history = page[page.index('id="history"'):]
    assert "审批中 → 审批中" not in history and "→ 审批中" not in history
    assert history.count("审批通过（第 2 环节") == 1
    assert "账号状态：开设审批中 → 正常" in history
