"""征集调查 pages: the unit lists, creates, reads the results of, closes and exports its surveys; another unit's
survey is a 404 and every write aimed at it changes nothing."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from govmedia.interaction.models import Survey
from govmedia.interaction.services.surveys import survey_submit
from govmedia.interaction.views.survey_forms import parse_questions
from tests.interaction.factories import SurveyFactory
from tests.monitoring.pages import client_for, refusals, said

pytestmark = pytest.mark.django_db

QUESTIONS = """单选：您对课后服务是否满意？
满意
不满意

多选（选答）：您希望增加哪些课程？
体育
艺术

填空（选答）：其他意见和建议
"""


@pytest.fixture
def survey(frozen_clock, edu_weibo):
    return SurveyFactory(account=edu_weibo)


def new_survey(account, **changes):
    return {"account": account.pk, "title": "课后服务满意度调查", "description": "请家长如实填写。",
            "opens_at": "2026-03-02T08:00", "closes_at": "2026-03-09T18:00", "per_ip_hourly_limit": "30",
            "questions": QUESTIONS, **changes}


def test_the_block_format_reads_kinds_options_and_optional_questions():
    assert parse_questions(QUESTIONS) == [
        {"kind": "single", "text": "您对课后服务是否满意？", "options": ["满意", "不满意"], "required": True},
        {"kind": "multiple", "text": "您希望增加哪些课程？", "options": ["体育", "艺术"], "required": False},
        {"kind": "text", "text": "其他意见和建议", "options": [], "required": False},
    ]


def test_an_operator_creates_a_survey_and_lands_on_its_page(frozen_clock, edu_weibo, assigned_operator):
    response = client_for(assigned_operator).post(reverse("interaction:survey_new"), new_survey(edu_weibo))
    survey = Survey.objects.get()
    assert response.status_code == 302 and response.url == reverse("interaction:survey_detail", args=[survey.pk])
    assert (survey.account, survey.per_ip_hourly_limit, survey.created_by) == (edu_weibo, 30, assigned_operator)
    assert [(q.kind, q.required, q.options) for q in survey.questions.all()] == [
        ("single", True, ["满意", "不满意"]), ("multiple", False, ["体育", "艺术"]), ("text", False, [])]
    assert "征集调查已创建" in said(response)


def test_the_survey_page_names_the_account_with_its_platform(survey, assigned_operator):
    text = client_for(assigned_operator).get(reverse("interaction:survey_detail", args=[survey.pk])).content.decode()
    assert "账号：西海岸教育发布（新浪微博）" in text


def test_a_badly_written_question_is_named_by_its_line(frozen_clock, edu_weibo, assigned_operator):
    response = client_for(assigned_operator).post(reverse("interaction:survey_new"), new_survey(
        edu_weibo, questions="单选：好吗？\n好\n\n问答：你是谁"))
    assert response.status_code == 200 and not Survey.objects.exists()
    assert "第4行“问答：你是谁”" in str(response.context["form"].errors["questions"])


def test_the_services_rules_come_back_on_the_form(frozen_clock, edu_weibo, assigned_operator):
    response = client_for(assigned_operator).post(reverse("interaction:survey_new"), new_survey(
        edu_weibo, questions="单选：只有一个选项？\n是", closes_at="2026-03-01T08:00"))
    errors = response.context["form"].errors
    assert "第1题：选择题须有 2 至" in str(errors["questions"]) and "截止时间须晚于开始时间" in str(errors["closes_at"])
    assert not Survey.objects.exists()


def test_another_units_account_cannot_be_chosen_for_a_survey(frozen_clock, edu_weibo, street_operator):
    client = client_for(street_operator)
    assert edu_weibo not in client.get(reverse("interaction:survey_new")).context["form"].fields["account"].queryset
    response = client.post(reverse("interaction:survey_new"), new_survey(edu_weibo))
    assert response.status_code == 200 and "account" in response.context["form"].errors
    assert not Survey.objects.exists()


def test_the_list_shows_the_units_surveys_only(survey, street_weibo, assigned_operator, street_unit_admin):
    other = SurveyFactory(account=street_weibo, title="街道文明创建意见征集")
    assert [s for s, _ in client_for(assigned_operator).get(reverse("interaction:surveys")).context["rows"]] == [survey]
    page = client_for(street_unit_admin).get(reverse("interaction:surveys")).content.decode()
    assert other.title in page and survey.title not in page


def test_the_survey_page_shows_the_public_link_state_and_results(survey, assigned_operator):
    q1, q2, q3 = survey.questions.all()
    survey_submit(token=survey.token, browser_id="a" * 22, ip="203.0.113.5",
                  answers={str(q1.pk): "满意", str(q2.pk): ["体育"], str(q3.pk): "<script>alert(1)</script>"})
    response = client_for(assigned_operator).get(reverse("interaction:survey_detail", args=[survey.pk]))
    page = response.content.decode()
    assert f"http://testserver/s/{survey.token}/" in page and "进行中" in page
    assert response.context["total"] == 1 and response.context["results"][0].counts[0] == ("满意", 1)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_the_unit_closes_a_survey_early(frozen_clock, survey, assigned_operator):
    response = client_for(assigned_operator).post(reverse("interaction:survey_close", args=[survey.pk]))
    survey.refresh_from_db()
    assert response.status_code == 302 and survey.closes_at == frozen_clock.current and "调查已截止" in said(response)
    again = client_for(assigned_operator).post(reverse("interaction:survey_close", args=[survey.pk]))
    assert "该调查已截止" in said(again)


def test_the_export_is_the_results_workbook(survey, assigned_operator):
    response = client_for(assigned_operator).get(reverse("interaction:survey_export", args=[survey.pk]))
    assert response.status_code == 200 and "survey-" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["答卷", "统计"]


@pytest.mark.parametrize("name", ["survey_detail", "survey_export"])
def test_another_units_survey_is_not_found(survey, street_operator, name):
    assert client_for(street_operator).get(reverse(f"interaction:{name}", args=[survey.pk])).status_code == 404


def test_another_unit_cannot_close_the_survey_and_the_attempt_is_audited(frozen_clock, survey, street_operator):
    closes = survey.closes_at
    response = client_for(street_operator).post(reverse("interaction:survey_close", args=[survey.pk]))
    survey.refresh_from_db()
    assert response.status_code == 404 and survey.closes_at == closes
    assert [entry.actor for entry in refusals()] == [street_operator]


def test_a_supervisor_reads_every_units_survey(survey, supervisor):
    assert client_for(supervisor).get(reverse("interaction:survey_detail", args=[survey.pk])).status_code == 200


def test_the_pages_need_a_login(survey):
    from django.test import Client

    for url in (reverse("interaction:surveys"), reverse("interaction:survey_new"),
                reverse("interaction:survey_detail", args=[survey.pk])):
        assert Client().get(url).status_code == 302
    closes = survey.closes_at
    Client().post(reverse("interaction:survey_close", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.closes_at == closes


def test_a_survey_opening_later_says_so(frozen_clock, edu_weibo, assigned_operator):
    later = SurveyFactory(account=edu_weibo, opens_at=frozen_clock.current + timedelta(days=1))
    page = client_for(assigned_operator).get(reverse("interaction:survey_detail", args=[later.pk])).content.decode()
    assert "未开始" in page
