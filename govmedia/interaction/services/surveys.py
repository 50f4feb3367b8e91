"""Surveys and solicitations (征集调查): created by the account's unit with their questions, answered by the
public through an unguessable link, closed early if need be.

The public link carries no login and no captcha, so an abuse guard stands in front of every answer:
- one answer per browser: the page gives each browser a random id (a cookie) and passes it in; a second
  answer from it is refused (and a unique constraint holds even when two arrive at once);
- at most `survey.per_ip_hourly_limit` answers per IP address per survey in any hour (a school or an office
  answers through one address, hence a limit and not one answer per IP). The address is kept only as a
  keyed hash (HMAC with SECRET_KEY and the survey), enough to count and not enough to recover it.
Answers are checked question by question; every problem comes back at once, keyed by the question.
"""

import hashlib
import hmac
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from govmedia import clock
from govmedia.audit.services import audited_update
from govmedia.errors import Conflict, PermissionDenied, RuleViolation, ValidationError
from govmedia.interaction.models import QuestionKind, Survey, SurveyQuestion, SurveyResponse
from govmedia.orgs.models import User
from govmedia.orgs.permissions import may_manage_survey
from govmedia.registry.models import Account

MAX_QUESTIONS = 50
MAX_OPTIONS = 20
OPTION_MAX = 100
ANSWER_MAX = 1000
IP_WINDOW = timedelta(hours=1)
_BROWSER_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _clean_questions(questions: list[dict]) -> list[SurveyQuestion]:
    if not questions:
        raise ValidationError({"questions": ["调查至少要有一道题目。"]})
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError({"questions": [f"题目不能超过 {MAX_QUESTIONS} 道。"]})
    cleaned, problems = [], []
    for position, question in enumerate(questions, start=1):
        kind, text = question.get("kind"), (question.get("text") or "").strip()
        options = [str(o).strip() for o in question.get("options") or []]
        if kind not in QuestionKind.values:
            problems.append(f"第{position}题：题型只能是单选、多选或填空。")
        if not text or len(text) > 500:
            problems.append(f"第{position}题：题目不能为空，且不超过 500 字。")
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            if not 2 <= len(options) <= MAX_OPTIONS or any(not o or len(o) > OPTION_MAX for o in options):
                problems.append(f"第{position}题：选择题须有 2 至 {MAX_OPTIONS} 个选项，每个选项不超过 {OPTION_MAX} 字。")
            elif len(set(options)) != len(options):
                problems.append(f"第{position}题：选项不能重复。")
        elif options:
            problems.append(f"第{position}题：填空题没有选项。")
        cleaned.append(SurveyQuestion(position=position, kind=kind, text=text, options=options,
                                      required=bool(question.get("required", True))))
    if problems:
        raise ValidationError({"questions": problems})
    return cleaned


@transaction.atomic
def survey_create(*, account: Account, by: User, title: str, opens_at: datetime, closes_at: datetime,
                  questions: list[dict], description: str = "", per_ip_hourly_limit: int | None = None,
                  now: datetime | None = None) -> Survey:
    """A survey with its questions, each {"kind", "text", "options", "required"}, numbered in the given order."""
    if not may_manage_survey(by, account):
        raise PermissionDenied(f"无权为账号“{account.name}”发起征集调查")
    errors = {}
    title = (title or "").strip()
    if not title or len(title) > 200:
        errors["title"] = ["标题不能为空，且不超过 200 字。"]
    if closes_at <= opens_at:
        errors["closes_at"] = ["截止时间须晚于开始时间。"]
    if per_ip_hourly_limit is not None and not 1 <= per_ip_hourly_limit <= 10_000:
        errors["per_ip_hourly_limit"] = ["每个IP每小时答卷上限须在 1 至 10000 之间。"]
    try:
        cleaned = _clean_questions(questions)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    extra = {} if per_ip_hourly_limit is None else {"per_ip_hourly_limit": per_ip_hourly_limit}
    survey = Survey.objects.create(account=account, title=title, description=(description or "").strip(),
                                   opens_at=opens_at, closes_at=closes_at, created_by=by,
                                   created_at=now or clock.now(), **extra)
    for question in cleaned:
        question.survey = survey
        question.save()
    return survey


@transaction.atomic
def survey_close(*, survey: Survey, by: User, now: datetime | None = None) -> Survey:
    """Stop taking answers now (the results stay)."""
    if not may_manage_survey(by, survey.account):
        raise PermissionDenied(f"无权管理账号“{survey.account.name}”的征集调查")
    now = now or clock.now()
    if survey.closes_at <= now:
        raise ValidationError({"closes_at": ["该调查已截止。"]})
    if not audited_update(survey, where={"closes_at": survey.closes_at}, closes_at=now):
        raise Conflict("该调查的截止时间已被他人修改。请刷新页面查看最新状态。")
    return survey


def ip_hash(survey: Survey, ip: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{survey.pk}:{ip}".encode(), hashlib.sha256).hexdigest()


def _check_answers(questions: list[SurveyQuestion], answers: dict) -> dict[str, object]:
    """The answers keyed by str(question.pk), each checked; ValidationError keyed the same way."""
    kept, errors = {}, {}
    for question in questions:
        key = str(question.pk)
        value = answers.get(key)
        if question.kind == QuestionKind.MULTIPLE:
            values = [value] if isinstance(value, str) else value if isinstance(value, (list, tuple)) else (
                [] if value is None else [None])
            values = [v for v in values if v != ""]
            if any(v not in question.options for v in values) or len(set(map(str, values))) != len(values):
                errors[key] = ["请从给出的选项中选择。"]
            elif values:
                kept[key] = [o for o in question.options if o in values]  # in the options' order
        elif question.kind == QuestionKind.SINGLE:
            value = value if isinstance(value, str) else ""
            if value and value not in question.options:
                errors[key] = ["请从给出的选项中选择。"]
            elif value:
                kept[key] = value
        else:
            value = value.strip() if isinstance(value, str) else ""
            if len(value) > ANSWER_MAX:
                errors[key] = [f"回答不能超过 {ANSWER_MAX} 字（现为 {len(value)} 字）。"]
            elif value:
                kept[key] = value
        if question.required and key not in kept and key not in errors:
            errors[key] = ["此题为必答题。"]
    if errors:
        raise ValidationError(errors)
    return kept


def survey_submit(*, token: str, browser_id: str, ip: str, answers: dict, now: datetime | None = None
                  ) -> SurveyResponse:
    """The public's answer through the survey's link; see the module docstring for the guard."""
    now = now or clock.now()
    if not isinstance(browser_id, str) or not _BROWSER_ID.match(browser_id):
        raise ValidationError({"browser_id": ["无法识别您的浏览器，请允许本站使用 Cookie 后重新打开调查链接。"]})
    try:
        with transaction.atomic():
            # The survey's row is locked while its answers are counted, so two answers from one address
            # arriving at once cannot both slip under the hourly limit.
            survey = Survey.objects.select_for_update().filter(token=str(token)[:64]).first()
            if survey is None:
                raise ValidationError({"survey": ["调查不存在，请检查链接是否完整。"]})
            if now < survey.opens_at:
                raise RuleViolation("该调查尚未开始。")
            if now >= survey.closes_at:
                raise RuleViolation("该调查已截止，感谢您的关注。")
            kept = _check_answers(list(survey.questions.all()), answers if isinstance(answers, dict) else {})
            if SurveyResponse.objects.filter(survey=survey, browser_id=browser_id).exists():
                raise RuleViolation("您已提交过本调查的答卷，每个浏览器只能提交一次。")
            hashed = ip_hash(survey, ip)
            recent = SurveyResponse.objects.filter(survey=survey, ip_hash=hashed, submitted_at__gt=now - IP_WINDOW)
            if recent.count() >= survey.per_ip_hourly_limit:
                raise RuleViolation("您所在网络提交的答卷过多，请一小时后再试。")
            return SurveyResponse.objects.create(survey=survey, browser_id=browser_id, ip_hash=hashed,
                                                 submitted_at=now, answers=kept)
    except IntegrityError:  # the same browser's answer arrived twice at once
        raise Conflict("您已提交过本调查的答卷，每个浏览器只能提交一次。") from None
