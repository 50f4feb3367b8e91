"""按账号互动统计 and its export: per account and month, the share answered in time, the median working days
to answer and the backlog, for the user's accounts only; and the reply limits, which only supervisors set and
which move every open message's shown deadline at once (deadlines are computed, never stored)."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from govmedia.audit.models import AuditEntry
from govmedia.interaction.models import MessageKind, MessageStatus, ReplyLimit
from tests.interaction.views.helpers import at, client_for, detail, msg, refusals, said

pytestmark = pytest.mark.django_db

STATS = reverse("interaction:stats")
EXPORT = reverse("interaction:stats_export")
LIMITS = reverse("interaction:reply_limits")


@pytest.fixture
def march(frozen_clock, edu_weibo, street_weibo):
    """edu_weibo in March 2026, seen on the 20th: 4 received, 1 answered in time (2 working days), 1 late (6),
    2 open of which 1 overdue."""
    frozen_clock.set(date(2026, 3, 20))
    msg(edu_weibo, date(2026, 3, 2), status=MessageStatus.REPLIED, replied_at=at(date(2026, 3, 4)))
    msg(edu_weibo, date(2026, 3, 2), status=MessageStatus.CLOSED, replied_at=at(date(2026, 3, 10)))
    msg(edu_weibo, date(2026, 3, 16), kind=MessageKind.COMPLAINT)
    msg(edu_weibo, date(2026, 3, 10))
    msg(edu_weibo, date(2026, 2, 27))  # February's
    msg(street_weibo, date(2026, 3, 2))


def row(response, account):
    [(a, stats, share, days)] = [r for r in response.context["rows"] if r[0] == account]
    return stats, share, days


def test_the_months_figures_per_account(march, edu_unit_admin, edu_weibo, edu_wechat, street_weibo):
    response = client_for(edu_unit_admin).get(STATS)
    stats, share, days = row(response, edu_weibo)
    assert (stats.received, stats.answered, stats.answered_in_time, stats.open, stats.overdue) == (4, 2, 1, 2, 1)
    assert (share, days) == ("25.0%", "4")
    assert row(response, edu_wechat)[1:] == ("—", "—")
    assert street_weibo not in [r[0] for r in response.context["rows"]]
    assert "按账号互动统计 · 2026-03" in response.content.decode()


@pytest.mark.parametrize(("today", "month"), [(date(2026, 4, 1), "2026-03"), (date(2026, 4, 10), "2026-03"),
                                               (date(2026, 4, 11), "2026-04"), (date(2026, 1, 3), "2025-12")])
def test_early_in_a_month_the_page_opens_on_the_previous_month(frozen_clock, edu_unit_admin, edu_weibo, today,
                                                                month):
    frozen_clock.set(today)
    msg(edu_weibo, date(2026, 3, 16))
    response = client_for(edu_unit_admin).get(STATS)
    assert response.context["month"] == month
    assert row(response, edu_weibo)[0].received == (1 if month == "2026-03" else 0)


def test_another_month_is_chosen_by_the_month_filter(march, edu_unit_admin, edu_weibo):
    stats, _share, _days = row(client_for(edu_unit_admin).get(STATS, {"month": "2026-02"}), edu_weibo)
    assert (stats.start, stats.end, stats.received, stats.open) == (date(2026, 2, 1), date(2026, 2, 28), 1, 1)


def test_a_bad_month_is_ignored_with_a_warning(march, edu_unit_admin):
    response = client_for(edu_unit_admin).get(STATS, {"month": "2026-13"})
    assert response.status_code == 200 and "月份" in said(response) and response.context["month"] == "2026-03"


def test_the_supervisor_sees_every_account_and_filters_by_unit(march, supervisor, edu_weibo, street_weibo, street):
    accounts = [r[0] for r in client_for(supervisor).get(STATS).context["rows"]]
    assert edu_weibo in accounts and street_weibo in accounts
    assert [r[0] for r in client_for(supervisor).get(STATS, {"unit": street.pk}).context["rows"]] == [street_weibo]


def test_the_export_has_one_row_per_account(march, edu_unit_admin, edu_weibo, edu_wechat):
    response = client_for(edu_unit_admin).get(EXPORT, {"month": "2026-03"})
    assert response["Content-Disposition"].startswith('attachment; filename="interaction-2026-03.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content))["2026-03"]
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[edu_weibo.name][3:] == (4, 2, 1, "25.0%", "4", 2, 1)
    assert len(rows) == 2  # edu's two accounts, not street's


def test_the_statistics_require_a_login(client):
    assert client.get(STATS).status_code == 302 and client.get(EXPORT).status_code == 302


def test_a_supervisor_changes_a_limit_and_every_open_deadline_moves(frozen_clock, supervisor, edu_unit_admin,
                                                                    edu_weibo):
    message = msg(edu_weibo, date(2026, 3, 2))  # a consultation: 3 working days, due 2026-03-05
    client = client_for(edu_unit_admin)
    assert "2026-03-05" in client.get(detail(message)).content.decode()
    form = {"consultation": 1, "complaint": 5, "message": 5, "comment": 5, "suggestion": 10}
    response = client_for(supervisor).post(LIMITS, form)
    assert response.status_code == 302 and "答复时限已保存：咨询 3 → 1 个工作日。" in said(response)
    assert list(ReplyLimit.objects.values_list("kind", "working_days")) == [("consultation", 1)]
    assert AuditEntry.objects.filter(object_type="interaction.ReplyLimit", actor=supervisor,
                                     action=AuditEntry.Action.CREATE).count() == 1
    assert "2026-03-03" in client.get(detail(message)).content.decode()
    listed = client.get(reverse("interaction:messages")).context["page"][0]
    assert listed.deadline.date == date(2026, 3, 3)


def test_the_limits_page_shows_the_limits_in_force(db, supervisor):
    ReplyLimit.objects.create(kind=MessageKind.COMPLAINT, working_days=7)
    form = client_for(supervisor).get(LIMITS).context["form"]
    assert (form["complaint"].value(), form["consultation"].value()) == (7, 3)


def test_an_out_of_range_limit_is_refused_and_nothing_changes(supervisor):
    form = {"consultation": 0, "complaint": 61, "message": 5, "comment": 5, "suggestion": 10}
    response = client_for(supervisor).post(LIMITS, form)
    assert response.status_code == 200 and "咨询" in said(response) and not ReplyLimit.objects.exists()


@pytest.mark.parametrize("persona", ["edu_unit_admin", "edu_leader", "street_operator"])
def test_only_supervisors_set_the_limits(request, persona):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(LIMITS).status_code == 403
    response = client.post(LIMITS, {"consultation": 1, "complaint": 1, "message": 1, "comment": 1, "suggestion": 1})
    assert response.status_code == 403 and not ReplyLimit.objects.exists()
    [entry] = refusals()
    assert entry.actor == user
