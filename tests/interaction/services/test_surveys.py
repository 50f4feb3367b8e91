"""Surveys: created with checked questions by the account's unit, answered by the public through an unguessable
link, one answer per browser and a per-IP hourly limit, every answer checked against its question."""

from datetime import datetime, timedelta

import pytest

from govmedia.errors import Conflict, PermissionDenied, RuleViolation, ValidationError
from govmedia.interaction.models import Survey, SurveyResponse
from govmedia.interaction.services.surveys import (
    ip_group,
    ip_hash,
    survey_close,
    survey_create,
    survey_submit,
)
from tests.conftest import BEIJING
from tests.interaction.factories import SurveyFactory
from tests.registry.services.helpers import fresh
from tests.threads import at_once

pytestmark = pytest.mark.django_db

BROWSER = "b" * 22
QUESTIONS = [
    {"kind": "single", "text": "您对课后服务是否满意？", "options": ["满意", "不满意"]},
    {"kind": "text", "text": "其他建议", "required": False},
]


@pytest.fixture
def survey(frozen_clock, edu_weibo):
    return SurveyFactory(account=edu_weibo)


def answers_for(survey, single="满意", multiple=("体育",), text="希望增加足球课"):
    q1, q2, q3 = survey.questions.all()
    return {str(q1.pk): single, str(q2.pk): list(multiple), str(q3.pk): text}


def submit(survey, browser=BROWSER, ip="203.0.113.5", answers=None, **kwargs):
    return survey_submit(token=survey.token, browser_id=browser, ip=ip,
                         answers=answers if answers is not None else answers_for(survey), **kwargs)


# ---------------------------------------------------------------- creating and closing


def test_the_unit_creates_a_survey_with_numbered_questions_and_an_unguessable_link(frozen_clock, edu_weibo,
                                                                                     assigned_operator):
    now = frozen_clock.current
    survey = survey_create(account=edu_weibo, by=assigned_operator, title=" 课后服务满意度调查 ", opens_at=now,
                           closes_at=now + timedelta(days=7), questions=QUESTIONS, per_ip_hourly_limit=5)
    assert (survey.title, survey.per_ip_hourly_limit, survey.created_by) == ("课后服务满意度调查", 5, assigned_operator)
    assert [(q.position, q.kind, q.required) for q in survey.questions.all()] == [(1, "single", True),
                                                                                 (2, "text", False)]
    other = survey_create(account=edu_weibo, by=assigned_operator, title="又一个", opens_at=now,
                          closes_at=now + timedelta(days=1), questions=QUESTIONS)
    assert len(survey.token) >= 32 and survey.token != other.token


def test_a_survey_is_checked_before_it_is_stored(frozen_clock, edu_weibo, edu_unit_admin):
    now = frozen_clock.current
    with pytest.raises(ValidationError) as refused:
        survey_create(account=edu_weibo, by=edu_unit_admin, title="", opens_at=now, closes_at=now, questions=[
            {"kind": "single", "text": "只有一个选项", "options": ["是"]},
            {"kind": "multiple", "text": "重复选项", "options": ["甲", "甲"]},
            {"kind": "text", "text": "填空", "options": ["多余"]},
            {"kind": "ranking", "text": "排序"},
        ])
    assert refused.value.message_dict == {
        "title": ["标题不能为空，且不超过 200 字。"],
        "closes_at": ["截止时间须晚于开始时间。"],
        "questions": ["第1题：选择题须有 2 至 20 个选项（options），每个选项不超过 100 字（现有 1 个）。",
                      "第2题：选项（options）不能重复：甲。", "第3题：填空题没有选项（options）。",
                      "第4题：题型（kind）只能是单选、多选或填空。"],
    }
    assert not Survey.objects.exists()


def test_another_units_staff_cannot_create_or_close_a_survey(frozen_clock, edu_weibo, survey, street_unit_admin,
                                                             edu_operator):
    now = frozen_clock.current
    for outsider in (street_unit_admin, edu_operator):
        with pytest.raises(PermissionDenied):
            survey_create(account=edu_weibo, by=outsider, title="调查", opens_at=now,
                          closes_at=now + timedelta(days=1), questions=QUESTIONS)
        with pytest.raises(PermissionDenied):
            survey_close(survey=survey, by=outsider)


def test_a_closed_survey_takes_no_more_answers(frozen_clock, survey, edu_unit_admin):
    survey_close(survey=survey, by=edu_unit_admin)
    assert fresh(survey).closes_at == frozen_clock.current
    with pytest.raises(RuleViolation) as refused:
        submit(fresh(survey))
    assert refused.value.messages == ["该调查已截止，感谢您的关注。"]
    with pytest.raises(ValidationError):
        survey_close(survey=fresh(survey), by=edu_unit_admin)


def test_a_survey_not_yet_open_takes_no_answers(frozen_clock, edu_weibo):
    survey = SurveyFactory(account=edu_weibo, opens_at=frozen_clock.current + timedelta(days=1))
    with pytest.raises(RuleViolation) as refused:
        submit(survey)
    assert refused.value.messages == ["该调查尚未开始。"]


# ---------------------------------------------------------------- answering


def test_an_answer_is_stored_with_the_ip_only_as_a_keyed_hash(frozen_clock, survey):
    response = submit(survey)
    q1, q2, q3 = survey.questions.all()
    assert response.answers == {str(q1.pk): "满意", str(q2.pk): ["体育"], str(q3.pk): "希望增加足球课"}
    assert response.ip_hash == ip_hash(survey, "203.0.113.5") and "203.0.113.5" not in response.ip_hash


def test_a_wrong_link_is_told_so(frozen_clock, survey):
    with pytest.raises(ValidationError) as refused:
        survey_submit(token="x" * 32, browser_id=BROWSER, ip="203.0.113.5", answers={})
    assert refused.value.message_dict == {"survey": ["调查不存在，请检查链接是否完整。"]}


def test_each_answer_is_checked_against_its_question(frozen_clock, survey):
    q1, q2, q3 = survey.questions.all()
    with pytest.raises(ValidationError) as refused:
        submit(survey, answers={str(q1.pk): "非常满意", str(q2.pk): ["体育", "体育"], str(q3.pk): "长" * 1001})
    assert refused.value.message_dict == {str(q1.pk): ["请从给出的选项中选择。"], str(q2.pk): ["请从给出的选项中选择。"],
                                          str(q3.pk): ["回答不能超过 1000 字（现为 1001 字）。"]}
    with pytest.raises(ValidationError) as refused:
        submit(survey, answers={str(q3.pk): "只填了建议"})
    assert refused.value.message_dict == {str(q1.pk): ["此题为必答题。"]}
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("hostile", [None, 42, {"a": 1}, ["满意", "不满意"]])
def test_hostile_answer_values_are_refused_or_dropped_never_a_500(frozen_clock, survey, hostile):
    q1, q2, _q3 = survey.questions.all()
    with pytest.raises(ValidationError):
        submit(survey, answers={str(q1.pk): hostile, str(q2.pk): hostile})


def test_a_multiple_choice_is_kept_in_the_options_order_and_unknown_keys_are_ignored(frozen_clock, survey):
    q1, q2, _q3 = survey.questions.all()
    response = submit(survey, answers={str(q1.pk): "满意", str(q2.pk): ["科技", "体育"], "csrf": "x"})
    assert response.answers == {str(q1.pk): "满意", str(q2.pk): ["体育", "科技"]}


def test_one_answer_per_browser(frozen_clock, survey):
    submit(survey)
    with pytest.raises(RuleViolation) as refused:
        submit(survey, ip="198.51.100.7")
    assert refused.value.messages == ["您已提交过本调查的答卷，每个浏览器只能提交一次。"]


@pytest.mark.parametrize("browser", ["", "short", "x" * 65, "有中文的浏览器编号有中文的浏览器编号", None])
def test_a_browser_without_a_proper_id_is_asked_to_allow_cookies(frozen_clock, survey, browser):
    with pytest.raises(ValidationError) as refused:
        submit(survey, browser=browser)
    assert "Cookie" in refused.value.message_dict["browser_id"][0]


def test_an_ip_is_limited_per_survey_per_hour(frozen_clock, survey, edu_weibo):
    Survey.objects.filter(pk=survey.pk).update(per_ip_hourly_limit=2)
    submit(survey, browser="a" * 20)
    submit(survey, browser="b" * 20)
    with pytest.raises(RuleViolation) as refused:
        submit(survey, browser="c" * 20)
    assert refused.value.messages == ["您所在网络提交的答卷过多，请一小时后再试。"]
    submit(survey, browser="c" * 20, ip="198.51.100.7")  # another address
    submit(SurveyFactory(account=edu_weibo), browser="c" * 20)  # another survey
    frozen_clock.advance(hours=1, seconds=1)
    submit(survey, browser="d" * 20)  # an hour later


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_two_answers_from_one_browser_at_once_exactly_one_is_kept(frozen_clock, edu_weibo):
    survey = SurveyFactory(account=edu_weibo)
    results = at_once(*[lambda: (lambda: submit(survey))] * 2)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], (Conflict, RuleViolation)), results
    assert "每个浏览器只能提交一次" in str(errors[0])
    assert SurveyResponse.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_answers_from_one_address_at_once_stay_within_the_limit(frozen_clock, edu_weibo):
    survey = SurveyFactory(account=edu_weibo, per_ip_hourly_limit=2)
    results = at_once(*[(lambda n=n: (lambda: submit(survey, browser=f"{n}" * 20))) for n in range(4)])
    assert sum(isinstance(r, SurveyResponse) for r in results) == 2, results
    assert all(isinstance(r, (SurveyResponse, RuleViolation)) for r in results), results


# ---------------------------------------------------------------- malformed input: a clear error, never a 500


def create(edu_weibo, by, clock, **kwargs):
    now = clock.current
    fields = {"title": "调查", "opens_at": now, "closes_at": now + timedelta(days=7), "questions": QUESTIONS,
              **kwargs}
    return survey_create(account=edu_weibo, by=by, **fields)


@pytest.mark.parametrize(("questions", "problem"), [
    ("不是列表", "题目格式错误，须为题目列表。"),
    ({"kind": "single"}, "题目格式错误，须为题目列表。"),
    (["第一题"], "第1题：格式错误，须为包含 kind、text、options、required 的对象。"),
    ([{"text": "缺题型"}], "第1题：缺少题型（kind）。"),
    ([{"kind": ["single"], "text": "题型是列表"}], "第1题：题型（kind）只能是单选、多选或填空。"),
    ([{"kind": "text"}], "第1题：题目（text）不能为空，且不超过 500 字。"),
    ([{"kind": "text", "text": 42}], "第1题：题目（text）不能为空，且不超过 500 字。"),
    ([{"kind": "text", "text": "必答", "required": "yes"}], "第1题：是否必答（required）须为 true 或 false。"),
    ([{"kind": "single", "text": "选项", "options": "甲乙"}], "第1题：选项（options）须为文字列表。"),
    ([{"kind": "single", "text": "选项", "options": ["甲", 2]}], "第1题：选项（options）须为文字列表。"),
    ([{"kind": "single", "text": "选项", "options": [{"a": 1}, []]}], "第1题：选项（options）须为文字列表。"),
    ([{"kind": "multiple", "text": "重复", "options": ["甲", " 甲", "乙"]}], "第1题：选项（options）不能重复：甲。"),
    ([{"kind": "single", "text": "选项太多", "options": [str(n) for n in range(21)]}],
     "第1题：选择题须有 2 至 20 个选项（options），每个选项不超过 100 字（现有 21 个）。"),
    ([{"kind": "text", "text": "题"}] * 51, "题目不能超过 50 道（现为 51 道）。"),
])
def test_malformed_questions_are_refused_naming_the_question_and_field(frozen_clock, edu_weibo, edu_unit_admin,
                                                                       questions, problem):
    with pytest.raises(ValidationError) as refused:
        create(edu_weibo, edu_unit_admin, frozen_clock, questions=questions)
    assert refused.value.message_dict == {"questions": [problem]}
    assert not Survey.objects.exists()


def test_every_malformed_question_is_named_at_once(frozen_clock, edu_weibo, edu_unit_admin):
    with pytest.raises(ValidationError) as refused:
        create(edu_weibo, edu_unit_admin, frozen_clock, questions=[QUESTIONS[0], None, {"kind": "text", "text": ""}])
    assert refused.value.message_dict["questions"] == [
        "第2题：格式错误，须为包含 kind、text、options、required 的对象。", "第3题：题目（text）不能为空，且不超过 500 字。"]


def test_missing_or_malformed_times_are_refused_clearly(frozen_clock, edu_weibo, edu_unit_admin):
    with pytest.raises(ValidationError) as refused:
        create(edu_weibo, edu_unit_admin, frozen_clock, opens_at=None, closes_at="明天")
    assert refused.value.message_dict == {"opens_at": ["请填写开始时间。"],
                                          "closes_at": ["截止时间格式错误（明天），须为日期和时间。"]}
    with pytest.raises(ValidationError) as refused:
        create(edu_weibo, edu_unit_admin, frozen_clock, closes_at=frozen_clock.current - timedelta(minutes=1))
    assert refused.value.message_dict == {"closes_at": ["截止时间须晚于开始时间。"]}


def test_naive_times_are_read_as_beijing_time(frozen_clock, edu_weibo, edu_unit_admin):
    survey = create(edu_weibo, edu_unit_admin, frozen_clock, opens_at=datetime(2026, 3, 2, 9, 0),
                    closes_at=datetime(2026, 3, 9, 18, 0))
    assert (fresh(survey).opens_at, fresh(survey).closes_at) == (datetime(2026, 3, 2, 9, 0, tzinfo=BEIJING),
                                                                 datetime(2026, 3, 9, 18, 0, tzinfo=BEIJING))
    with pytest.raises(ValidationError):  # a naive and an aware time are compared, not a TypeError
        create(edu_weibo, edu_unit_admin, frozen_clock, opens_at=datetime(2026, 3, 9, 19, 0),
               closes_at=datetime(2026, 3, 9, 18, 0, tzinfo=BEIJING))


@pytest.mark.parametrize("limit", ["20", 0, True, 1.5])
def test_a_malformed_per_ip_limit_is_refused(frozen_clock, edu_weibo, edu_unit_admin, limit):
    with pytest.raises(ValidationError) as refused:
        create(edu_weibo, edu_unit_admin, frozen_clock, per_ip_hourly_limit=limit)
    assert list(refused.value.message_dict) == ["per_ip_hourly_limit"]


# ---------------------------------------------------------------- the per-IP limit's grouping


@pytest.mark.parametrize(("first", "second", "same"), [
    ("2001:db8:1:2::1", "2001:db8:1:2:ffff:1234:5678:9abc", True),  # one /64: one household
    ("2001:db8:1:2::1", "2001:db8:1:3::1", False),  # the next /64
    ("::ffff:203.0.113.5", "203.0.113.5", True),  # IPv4-mapped counts as the IPv4 address
    ("203.0.113.5", "203.0.113.6", False),  # IPv4 by address
])
def test_the_per_ip_limit_groups_ipv6_by_64_and_ipv4_by_address(frozen_clock, survey, first, second, same):
    Survey.objects.filter(pk=survey.pk).update(per_ip_hourly_limit=1)
    submit(survey, browser="a" * 20, ip=first)
    if same:
        with pytest.raises(RuleViolation):
            submit(survey, browser="b" * 20, ip=second)
    else:
        submit(survey, browser="b" * 20, ip=second)


def test_an_unreadable_address_is_refused_clearly(frozen_clock, survey):
    with pytest.raises(ValidationError) as refused:
        submit(survey, ip="not-an-ip")
    assert refused.value.message_dict == {"ip": ["无法识别访问地址（not-an-ip）。"]}
    assert ip_group("2001:DB8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
