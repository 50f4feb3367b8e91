"""The public's answer page of a survey (/s/<token>/): no login, no captcha.

The guard (see interaction.services.surveys): each browser gets a random id in a signed, HttpOnly, SameSite=Lax
cookie on its first view, and one answer per id is taken; the address (audit.middleware.client_ip, which trusts
X-Forwarded-For only when configured) counts against the survey's hourly limit. A hidden field no person sees
(the honeypot) catches the bots that fill in every field: they are thanked and nothing is kept.
Whatever is posted, the answer is a page, never a 500.
"""

import re
import secrets

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from govmedia import clock
from govmedia.audit.middleware import client_ip
from govmedia.errors import Conflict, RuleViolation, ValidationError
from govmedia.interaction.models import QuestionKind, Survey, SurveyResponse
from govmedia.interaction.services.surveys import survey_submit

COOKIE = "gm_browser"
COOKIE_SALT = "govmedia.survey.browser"
COOKIE_AGE = 365 * 24 * 3600
HONEYPOT = "website"
SURVEY_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what models.new_survey_token makes
MAX_CHOICES = 100  # more values than any question has options: junk, checked no further


def _browser_id(request) -> str | None:
    return request.get_signed_cookie(COOKIE, default=None, salt=COOKIE_SALT)


def _answers(request, questions) -> dict:
    """The posted answers keyed by str(question.pk), as the service takes them."""
    answers = {}
    for question in questions:
        name = f"q{question.pk}"
        if question.kind == QuestionKind.MULTIPLE:
            answers[str(question.pk)] = request.POST.getlist(name)[:MAX_CHOICES]
        else:
            answers[str(question.pk)] = request.POST.get(name, "")
    return answers


def _form(request, survey, questions, *, status=200, given=None, errors=None, problem=""):
    """The questions with what was typed and each one's errors, for the answer page."""
    given, errors = given or {}, errors or {}
    rows = []
    for question in questions:
        key = str(question.pk)
        value = given.get(key, [] if question.kind == QuestionKind.MULTIPLE else "")
        rows.append({"question": question, "name": f"q{key}", "value": value, "errors": errors.get(key, [])})
    return _page(request, survey, "public_answer.html", status=status, rows=rows, problem=problem,
                 honeypot=HONEYPOT, other_errors=errors.get("browser_id", []) + errors.get("survey", []))


def _page(request, survey, template, status=200, **context):
    return render(request, f"interaction/{template}", {"survey": survey, **context}, status=status)


def _refused(request, survey, browser_id):
    """Which rule turned the answer away, told from the facts rather than the message's wording."""
    now = clock.now()
    if now < survey.opens_at:
        return _page(request, survey, "public_pending.html")
    if now >= survey.closes_at:
        return _page(request, survey, "public_closed.html")
    if SurveyResponse.objects.filter(survey=survey, browser_id=browser_id).exists():
        return _page(request, survey, "public_done.html", status=409, again=True)
    return _page(request, survey, "public_limited.html", status=429)


@csrf_protect
@require_http_methods(["GET", "POST"])
def survey_answer(request, token):
    if not SURVEY_TOKEN.fullmatch(token):  # a NUL or other junk never reaches the database
        raise Http404("调查不存在")
    survey = get_object_or_404(Survey.objects.select_related("account"), token=token)
    now = clock.now()
    browser_id = _browser_id(request)
    questions = list(survey.questions.all())
    if now < survey.opens_at:
        response = _page(request, survey, "public_pending.html")
    elif now >= survey.closes_at:
        response = _page(request, survey, "public_closed.html")
    elif browser_id and SurveyResponse.objects.filter(survey=survey, browser_id=browser_id).exists():
        response = _page(request, survey, "public_done.html", again=True)
    elif request.method == "POST":
        response = _submit(request, survey, questions, browser_id)
    else:
        response = _form(request, survey, questions)
    if browser_id is None:
        response.set_signed_cookie(COOKIE, secrets.token_urlsafe(24), salt=COOKIE_SALT, max_age=COOKIE_AGE,
                                   httponly=True, samesite="Lax", secure=request.is_secure())
    return response


def _submit(request, survey, questions, browser_id):
    if request.POST.get(HONEYPOT):
        return _page(request, survey, "public_done.html")
    if browser_id is None:
        return _form(request, survey, questions, status=400,
                     problem="无法识别您的浏览器：请允许本站使用 Cookie，刷新页面后重新作答。")
    answers = _answers(request, questions)
    try:
        survey_submit(token=survey.token, browser_id=browser_id, ip=client_ip(request) or "", answers=answers)
    except RuleViolation:
        return _refused(request, survey, browser_id)
    except Conflict:
        return _page(request, survey, "public_done.html", status=409, again=True)
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"survey": error.messages}
        given = {key: value if isinstance(value, list) else value[:2000] for key, value in answers.items()}
        return _form(request, survey, questions, status=400, given=given, errors=errors,
                     problem="答卷未提交，请按提示修改后重新提交。")
    return _page(request, survey, "public_done.html")
