"""The ledger page and its exports through HTTP: a unit's month with every reviewer, the findings and the hash
chain, the chain's verdict on top (an edited row named), the daily anchors for supervisors only, XLSX and PDF
with a Chinese file name, and another unit's ledger not found, an operator refused."""

import io
from datetime import date
from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from govmedia.publishing.models import LedgerEntry
from govmedia.publishing.services.ledger import ledger_anchor_day
from govmedia.publishing.services.publication import publication_record
from govmedia.publishing.services.review import finding_accept, review_approve
from tests.monitoring.pages import client_for, said
from tests.publishing.factories import draft_for

pytestmark = pytest.mark.django_db

LEDGER = reverse("publishing:ledger")
EXPORT = reverse("publishing:ledger_export")


def publish(author, reviewer, account, clock, title, body=None):
    draft = draft_for(author, account, title=title, submit=True, **({"body": body} if body else {}))
    for finding in draft.current_version.findings.filter(category="expression_error"):
        finding_accept(draft=draft, finding=finding, by=reviewer, reason="引用原话")
    draft = review_approve(draft=draft, by=reviewer, comment="同意发布")
    clock.advance(minutes=5)
    return publication_record(draft=draft, by=author, url=f"https://weibo.com/xhaedu/{draft.pk}",
                              published_at=clock.current)


@pytest.fixture
def entries(frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    """Two items on edu's ledger in March 2026 (one with a kept serious finding), one in April."""
    publish(assigned_operator, edu_reviewer, edu_weibo, frozen_clock, "春季开学安全提示")
    publish(assigned_operator, edu_reviewer, edu_weibo, frozen_clock, "外媒报道摘编", body="<p>台湾总统发表讲话</p>")
    frozen_clock.set(date(2026, 4, 1))
    publish(assigned_operator, edu_reviewer, edu_weibo, frozen_clock, "四月的信息")
    frozen_clock.set(date(2026, 4, 2))
    return list(LedgerEntry.objects.order_by("sequence"))


def test_the_month_lists_each_entry_with_its_review_and_chain(entries, edu, edu_leader, edu_reviewer,
                                                              assigned_operator):
    response = client_for(edu_leader).get(LEDGER, {"unit": edu.pk, "month": "2026-03"})
    text = response.content.decode()
    assert [r["entry"] for r in response.context["rows"]] == entries[:2] and "四月的信息" not in text
    assert "春季开学安全提示" in text and assigned_operator.display_name in text and "西海岸教育发布（新浪微博）" in text
    assert f"{edu_reviewer.display_name} <strong>通过</strong>" in text and "同意发布" in text
    assert "2026-03-02 10:05:00" in text and "一般" in text
    assert "严重表述错误“台湾总统”：保留：引用原话" in text
    assert f'href="https://weibo.com/xhaedu/{entries[0].draft_id}"' in text
    assert f'<a href="/publishing/drafts/{entries[0].draft_id}/">春季开学安全提示</a>' in text
    second = entries[1]
    assert second.hash[:12] in text and f"前 {second.previous_hash[:12]}" in text
    assert f"前 {entries[0].previous_hash[:12]}" in text  # the genesis


def test_an_intact_chain_says_so(entries, edu, edu_leader):
    text = client_for(edu_leader).get(LEDGER, {"unit": edu.pk, "month": "2026-03"}).content.decode()
    assert "台账完整" in text and "共 3 条" in text


def test_a_row_edited_in_the_database_is_named_on_top(entries, edu, edu_leader):
    content = {**entries[1].content, "title": "改过的标题"}
    LedgerEntry.objects.filter(pk=entries[1].pk).update(content=content)
    text = client_for(edu_leader).get(LEDGER, {"unit": edu.pk, "month": "2026-04"}).content.decode()
    assert "台账校验失败：第2条内容被修改（此前 1 条完好）" in text


def test_the_default_is_the_users_own_unit_and_this_month(entries, edu, edu_leader):
    response = client_for(edu_leader).get(LEDGER)
    assert response.context["unit"] == edu and (response.context["year"], response.context["month"]) == (2026, 4)
    assert [r["entry"] for r in response.context["rows"]] == entries[2:]


def test_a_supervisor_picks_any_unit_and_sees_the_daily_anchors(entries, edu, supervisor, frozen_clock):
    anchor = ledger_anchor_day(day=date(2026, 4, 1), now=frozen_clock.current)
    text = client_for(supervisor).get(LEDGER, {"unit": edu.pk, "month": "2026-03"}).content.decode()
    assert "每日锚定哈希" in text and anchor.digest in text and "春季开学安全提示" in text


def test_a_unit_head_does_not_see_the_anchors(entries, edu, edu_leader, frozen_clock):
    anchor = ledger_anchor_day(day=date(2026, 4, 1), now=frozen_clock.current)
    text = client_for(edu_leader).get(LEDGER).content.decode()
    assert anchor.digest not in text and "每日锚定哈希" not in text


def test_another_units_ledger_is_not_found(entries, edu, street_leader):
    assert client_for(street_leader).get(LEDGER, {"unit": edu.pk}).status_code == 404
    assert client_for(street_leader).get(EXPORT, {"unit": edu.pk, "month": "2026-03"}).status_code == 404


def test_a_competent_units_head_reads_a_subordinates_ledger(frozen_clock, edu_leader, school, school_leader):
    assert client_for(edu_leader).get(LEDGER, {"unit": school.pk}).status_code == 200
    assert client_for(school_leader).get(LEDGER, {"unit": school.pk}).status_code == 200


@pytest.mark.parametrize("url", [LEDGER, EXPORT])
def test_an_operator_may_not_read_the_ledger(entries, edu, assigned_operator, edu_operator, url):
    for operator in (assigned_operator, edu_operator):
        assert client_for(operator).get(url, {"unit": edu.pk}).status_code == 403


def test_a_malformed_unit_or_month_is_named_and_the_default_shown(entries, edu_leader):
    response = client_for(edu_leader).get(LEDGER, {"unit": "教体局", "month": "2026-13"})
    assert response.status_code == 200
    assert "单位“教体局”无效" in said(response) and "月份“2026-13”无效" in said(response)
    assert (response.context["year"], response.context["month"]) == (2026, 4)


def test_the_xlsx_export_has_the_month_and_a_chinese_file_name(entries, edu, edu_leader):
    response = client_for(edu_leader).get(EXPORT, {"unit": edu.pk, "month": "2026-03", "format": "xlsx"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = quote("区教育和体育局-信息审核发布登记台账-2026年03月.xlsx")
    assert response["Content-Disposition"] == (f"attachment; filename=\"ledger-{edu.pk}-2026-03.xlsx\"; "
                                               f"filename*=UTF-8''{name}")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[2:]] == ["春季开学安全提示", "外媒报道摘编"]


def test_the_pdf_export(entries, edu, supervisor):
    response = client_for(supervisor).get(EXPORT, {"unit": edu.pk, "month": "2026-03", "format": "pdf"})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert f"filename=\"ledger-{edu.pk}-2026-03.pdf\"" in response["Content-Disposition"]


def test_an_unknown_export_format_is_named(entries, edu, edu_leader):
    response = client_for(edu_leader).get(EXPORT, {"unit": edu.pk, "month": "2026-03", "format": "exe"})
    assert response.status_code == 302 and "导出格式“exe”无效" in said(response)
    assert response.url == f"{LEDGER}?unit={edu.pk}&month=2026-03"


def test_the_ledger_needs_a_login(client, entries):
    assert client.get(LEDGER).status_code == 302 and client.get(EXPORT).status_code == 302


def test_an_empty_month(entries, edu, edu_leader):
    text = client_for(edu_leader).get(LEDGER, {"unit": edu.pk, "month": "2026-05"}).content.decode()
    assert "本月无登记" in text and "台账完整" in text


@given(unit=st.text(max_size=12), month=st.text(max_size=12), kind=st.text(max_size=6))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_filter_value_answers_a_page_or_a_message(edu_leader, unit, month, kind):
    client = client_for(edu_leader)
    assert client.get(LEDGER, {"unit": unit, "month": month}).status_code in (200, 404)
    assert client.get(EXPORT, {"unit": unit, "month": month, "format": kind}).status_code in (200, 302, 404)
