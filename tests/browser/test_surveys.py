"""Surveys in a real Chromium under the strict CSP: the operator builds the questions with the page's rows
(survey.js), the public answers through the link without logging in, and the browser reports no violation."""

import pytest
from django.conf import settings
from django.test import Client

from govmedia.interaction.models import Survey, SurveyResponse

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


def test_an_operator_builds_a_survey_with_rows_and_the_public_answers_it(live_server, page, assigned_operator,
                                                                          edu_weibo):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda error: violations.append(str(error)))
    _log_in(page, live_server, assigned_operator)

    page.goto(f"{live_server.url}/interaction/surveys/new/")
    page.select_option("select[name=account]", str(edu_weibo.pk))
    page.fill("input[name=title]", "课后服务满意度调查")
    page.fill("input[name=opens_at]", "2020-01-01T08:00")
    page.fill("input[name=closes_at]", "2099-01-01T08:00")
    assert not page.is_visible("textarea[name=questions]")  # the rows stand in for the plain-text field
    first = page.locator(".survey-row").nth(0)
    first.locator(".q-text").fill("您对课后服务是否满意？")
    first.locator(".q-options").fill("满意\n不满意")
    page.click("[data-add-question=text]")
    second = page.locator(".survey-row").nth(1)
    second.locator(".q-text").fill("其他意见")
    second.locator(".q-required").uncheck()
    page.click("#survey-form button[type=submit]")
    page.wait_for_url("**/interaction/surveys/*/")

    survey = Survey.objects.get()
    assert [(q.kind, q.text, q.options, q.required) for q in survey.questions.all()] == [
        ("single", "您对课后服务是否满意？", ["满意", "不满意"], True), ("text", "其他意见", [], False)]
    public_url = page.input_value("#public-url")

    page.context.clear_cookies()  # the public: no login
    page.goto(public_url)
    page.check("input[value=满意]")
    page.fill("textarea", "希望增加足球课")
    page.click("#survey-answer button[type=submit]")
    sync_api.expect(page.locator("#survey-done")).to_contain_text("答卷已提交")
    assert SurveyResponse.objects.count() == 1
    page.goto(public_url)
    sync_api.expect(page.locator("#survey-done")).to_contain_text("您已提交过")
    assert violations == []
