"""The public answer page /s/<token>/: no login; a signed browser cookie makes one answer per browser, the
address counts against the hourly limit; not-yet-open, closed, duplicate and rate-limited answers each get their
own Chinese page; junk never makes a 500 and nothing typed is echoed unescaped."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from govmedia.interaction.models import SurveyResponse
from govmedia.interaction.services.surveys import ip_hash
from govmedia.interaction.views.public import COOKIE
from tests.interaction.factories import SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(frozen_clock, edu_weibo):
    return SurveyFactory(account=edu_weibo)


def url(survey):
    return reverse("survey_answer", args=[survey.token])


def visitor(survey, **kwargs) -> Client:
    """A browser that has opened the page once (and so holds its id)."""
    client = Client(**kwargs)
    assert client.get(url(survey)).status_code == 200
    return client


def answers(survey, single="满意", multiple=("体育",), text="希望增加足球课"):
    q1, q2, q3 = survey.questions.all()
    return {f"q{q1.pk}": single, f"q{q2.pk}": list(multiple), f"q{q3.pk}": text}


def test_the_first_view_sets_a_signed_httponly_lax_browser_cookie(survey):
    response = Client().get(url(survey))
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and ":" in cookie.value  # signed
    page = response.content.decode()
    assert "您对课后服务是否满意？" in page and 'name="website"' in page and "hp-field" in page


def test_an_answer_is_kept_with_the_browser_and_the_hashed_address(survey):
    client = visitor(survey, REMOTE_ADDR="203.0.113.5")
    response = client.post(url(survey), answers(survey))
    assert response.status_code == 200 and "答卷已提交" in response.content.decode()
    [kept] = SurveyResponse.objects.all()
    q1, q2, q3 = survey.questions.all()
    assert kept.answers == {str(q1.pk): "满意", str(q2.pk): ["体育"], str(q3.pk): "希望增加足球课"}
    assert kept.ip_hash == ip_hash(survey, "203.0.113.5")


def test_a_second_answer_from_the_same_browser_is_refused(survey):
    client = visitor(survey)
    client.post(url(survey), answers(survey))
    assert "您已提交过本调查的答卷" in client.get(url(survey)).content.decode()
    response = client.post(url(survey), answers(survey, single="不满意"))
    assert "您已提交过本调查的答卷" in response.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_the_per_ip_limit_answers_429_with_a_clear_page(frozen_clock, edu_weibo):
    survey = SurveyFactory(account=edu_weibo, per_ip_hourly_limit=2)
    for _ in range(2):
        assert visitor(survey).post(url(survey), answers(survey)).status_code == 200
    response = visitor(survey).post(url(survey), answers(survey))
    assert response.status_code == 429 and "提交的答卷过多" in response.content.decode()
    assert SurveyResponse.objects.count() == 2


def test_x_forwarded_for_counts_only_when_the_proxy_is_trusted(frozen_clock, edu_weibo, settings):
    survey = SurveyFactory(account=edu_weibo, per_ip_hourly_limit=1)
    visitor(survey, HTTP_X_FORWARDED_FOR="198.51.100.1").post(url(survey), answers(survey))
    # Untrusted: a forged header does not buy a fresh address.
    response = visitor(survey, HTTP_X_FORWARDED_FOR="198.51.100.2").post(url(survey), answers(survey))
    assert response.status_code == 429
    settings.GOVMEDIA_TRUST_X_FORWARDED_FOR = True
    response = visitor(survey, HTTP_X_FORWARDED_FOR="198.51.100.3").post(url(survey), answers(survey))
    assert response.status_code == 200 and SurveyResponse.objects.count() == 2


def test_a_post_without_the_browser_cookie_is_refused_and_asks_for_cookies(survey):
    response = Client().post(url(survey), answers(survey))
    assert response.status_code == 400 and "请允许本站使用 Cookie" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_forged_browser_cookie_is_not_taken(survey):
    client = Client()
    client.cookies[COOKIE] = "a" * 22  # unsigned
    response = client.post(url(survey), answers(survey))
    assert response.status_code == 400 and not SurveyResponse.objects.exists()


def test_the_honeypot_thanks_the_bot_and_keeps_nothing(survey):
    response = visitor(survey).post(url(survey), {**answers(survey), "website": "http://spam.example"})
    assert response.status_code == 200 and "答卷已提交" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_the_answer_needs_the_csrf_token(survey):
    client = visitor(survey, enforce_csrf_checks=True)
    assert client.post(url(survey), answers(survey)).status_code == 403
    assert not SurveyResponse.objects.exists()


def test_a_survey_not_yet_open_says_when_it_opens(frozen_clock, edu_weibo):
    survey = SurveyFactory(account=edu_weibo, opens_at=frozen_clock.current + timedelta(days=1))
    page = Client().get(url(survey)).content.decode()
    assert "该调查尚未开始" in page and "您对课后服务是否满意？" not in page


def test_a_closed_survey_takes_no_answer(frozen_clock, survey):
    client = visitor(survey)
    frozen_clock.advance(days=8)
    assert "该调查已于" in client.get(url(survey)).content.decode()
    response = client.post(url(survey), answers(survey))
    assert "该调查已于" in response.content.decode() and not SurveyResponse.objects.exists()


def test_an_unknown_token_is_not_found():
    assert Client().get(reverse("survey_answer", args=["nope"])).status_code == 404


def test_a_missing_required_answer_is_shown_on_the_question_with_what_was_typed(survey):
    response = visitor(survey).post(url(survey), answers(survey, single="", text="<b>足球</b>"))
    page = response.content.decode()
    assert response.status_code == 400 and "此题为必答题" in page
    assert "&lt;b&gt;足球&lt;/b&gt;</textarea>" in page and not SurveyResponse.objects.exists()


@pytest.mark.parametrize("junk", [
    {},
    {"q1": "x", "unknown": "y"},
    "unknown-option",
    "huge",
    "many",
])
def test_junk_posts_get_a_page_never_a_500(survey, junk):
    q1, q2, q3 = survey.questions.all()
    data = {"unknown-option": {f"q{q1.pk}": "<img src=x onerror=alert(1)>", f"q{q2.pk}": ["体育", "足球"]},
            "huge": {f"q{q1.pk}": "满" * 200_000, f"q{q3.pk}": "长" * 200_000},
            "many": {f"q{q2.pk}": ["体育"] * 500}}.get(junk, junk) if isinstance(junk, str) else junk
    response = visitor(survey).post(url(survey), data)
    assert response.status_code == 400 and not SurveyResponse.objects.exists()
    assert "<img src=x" not in response.content.decode()


def test_a_get_with_a_token_too_long_is_a_404_not_an_error():
    assert Client().get(reverse("survey_answer", args=["x" * 5000])).status_code == 404
