"""Surveys and solicitations (征集调查): created by the account's unit with their questions, answered by the
public through an unguessable link, closed early if need be.

The public link carries no login and no captcha, so an abuse guard stands in front of every answer:
- one answer per browser: the page gives each browser a random id (a cookie) and passes it in; a second
  answer from it is refused (and a unique constraint holds even when two arrive at once);
- at most `survey.per_ip_hourly_limit` answers per IP address per survey in any hour (a school or an office
  answers through one address, hence a limit and not one answer per IP). An IPv6 address counts by its /64
  network, since a household or an ISP's customer is given a whole /64 and may use any address in it; an
  IPv4-mapped IPv6 address counts as its IPv4 address. The address is kept only as a
  keyed hash (HMAC with SECRET_KEY and the survey), enough to count and not enough to recover it.
Answers are checked question by question; every problem comes back at once, keyed by the question.
"""

import hashlib
import hmac
import ipaddress
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from govmedia import clock
from govmedia.audit.services import audited_update
from govmedia.errors import Conflict, PermissionDenied, RuleViolation, ValidationError
from govmedia.inputs import control_character_error
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


def _question_problems(position: int, question) -> list[str]:
    """What is wrong with one question as given (any JSON value), each naming the question and the field."""
    if not isinstance(question, dict):
        return [f"第{position}题：格式错误，须为包含 kind、text、options、required 的对象。"]
    problems = []
    kind, text, options = question.get("kind"), question.get("text"), question.get("options", [])
    if "kind" not in question:
        problems.append(f"第{position}题：缺少题型（kind）。")
    elif not isinstance(kind, str) or kind not in QuestionKind.values:
        problems.append(f"第{position}题：题型（kind）只能是单选、多选或填空。")
    if not isinstance(text, str) or not text.strip() or len(text.strip()) > 500:
        problems.append(f"第{position}题：题目（text）不能为空，且不超过 500 字。")
    if "required" in question and not isinstance(question["required"], bool):
        problems.append(f"第{position}题：是否必答（required）须为 true 或 false。")
    if options is None:
        options = []
    if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
        problems.append(f"第{position}题：选项（options）须为文字列表。")
        return problems
    options = [o.strip() for o in options]
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if not 2 <= len(options) <= MAX_OPTIONS or any(not o or len(o) > OPTION_MAX for o in options):
            problems.append(f"第{position}题：选择题须有 2 至 {MAX_OPTIONS} 个选项（options），每个选项不超过 "
                            f"{OPTION_MAX} 字（现有 {len(options)} 个）。")
        elif len(set(options)) != len(options):
            repeated = sorted({o for o in options if options.count(o) > 1})
            problems.append(f"第{position}题：选项（options）不能重复：{'、'.join(repeated)[:100]}。")
    elif kind == QuestionKind.TEXT and options:
        problems.append(f"第{position}题：填空题没有选项（options）。")
    return problems


def _clean_questions(questions) -> list[SurveyQuestion]:
    """The questions as given (any JSON value: a form or the API may send anything), checked whole; every
    problem comes back at once, naming the question's number and the field."""
    if not isinstance(questions, list):
        raise ValidationError({"questions": ["题目格式错误，须为题目列表。"]})
    if not questions:
        raise ValidationError({"questions": ["调查至少要有一道题目。"]})
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError({"questions": [f"题目不能超过 {MAX_QUESTIONS} 道（现为 {len(questions)} 道）。"]})
    problems = [p for position, q in enumerate(questions, start=1) for p in _question_problems(position, q)]
    if problems:
        raise ValidationError({"questions": problems})
    return [SurveyQuestion(position=position, kind=q["kind"], text=q["text"].strip(),
                           options=[o.strip() for o in q.get("options") or []], required=q.get("required", True))
            for position, q in enumerate(questions, start=1)]


def _moment(value, field: str, label: str, errors: dict) -> datetime | None:
    """A datetime as given: required; a naive one is read as Beijing time (the district's, TIME_ZONE)."""
    if value is None or value == "":
        errors[field] = [f"请填写{label}。"]
        return None
    if not isinstance(value, datetime):
        errors[field] = [f"{label}格式错误（{str(value)[:40]}），须为日期和时间。"]
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@transaction.atomic
def survey_create(*, account: Account, by: User, title: str, opens_at: datetime | None, closes_at: datetime | None,
                  questions: list[dict], description: str = "", per_ip_hourly_limit: int | None = None,
                  now: datetime | None = None) -> Survey:
    """A survey with its questions, each {"kind", "text", "options", "required"}, numbered in the given order.
    A naive opens_at/closes_at is read as Beijing time."""
    if not may_manage_survey(by, account):
        raise PermissionDenied(f"无权为账号“{account.name}”发起征集调查")
    errors = {}
    title = title.strip() if isinstance(title, str) else ""
    if not title or len(title) > 200:
        errors["title"] = ["标题不能为空，且不超过 200 字。"]
    opens_at = _moment(opens_at, "opens_at", "开始时间", errors)
    closes_at = _moment(closes_at, "closes_at", "截止时间", errors)
    if opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = ["截止时间须晚于开始时间。"]
    if per_ip_hourly_limit is not None and (isinstance(per_ip_hourly_limit, bool) or not isinstance(
            per_ip_hourly_limit, int) or not 1 <= per_ip_hourly_limit <= 10_000):
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


IPV6_GROUP_PREFIX = 64  # one household's or ISP customer's delegation: they pick any address inside it


def ip_group(ip: str) -> str:
    """What the per-IP limit counts by: an IPv4 address itself (an IPv4-mapped IPv6 address counts as its
    IPv4 address), an IPv6 address by its /64 network."""
    try:
        address = ipaddress.ip_address(str(ip).strip())
    except ValueError:
        raise ValidationError({"ip": [f"无法识别访问地址（{str(ip)[:60]}）。"]}) from None
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        network = ipaddress.IPv6Network((int(address) >> (128 - IPV6_GROUP_PREFIX) << (128 - IPV6_GROUP_PREFIX),
                                         IPV6_GROUP_PREFIX))
        return str(network)
    return str(address)


def ip_hash(survey: Survey, ip: str) -> str:
    """The keyed hash of the address's group (ip_group) for this survey."""
    return hmac.new(settings.SECRET_KEY.encode(), f"{survey.pk}:{ip_group(ip)}".encode(),
                    hashlib.sha256).hexdigest()


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
            if bad := control_character_error(value, "回答"):
                errors[key] = [bad]
            elif len(value) > ANSWER_MAX:
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
