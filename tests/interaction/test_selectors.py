"""Who sees which messages, each message's reply deadline in working days (always from its current kind, limits
and calendar), overdue messages, and an account's figures for a period."""

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from govmedia.errors import PermissionDenied
from govmedia.interaction.models import Message, MessageKind, MessageStatus, ReplyLimit
from govmedia.interaction.selectors import (
    DEFAULT_REPLY_LIMITS,
    interaction_stats,
    interaction_stats_by_account,
    is_overdue,
    message_deadline,
    messages_visible_to,
    overdue_messages,
    reply_limits,
    services_of,
    survey_results,
    survey_workbook,
    surveys_visible_to,
)
from govmedia.interaction.services.messages import message_set_kind
from govmedia.interaction.services.surveys import survey_submit
from tests.conftest import BEIJING
from tests.factories import CalendarDayFactory
from tests.interaction.factories import AccountServiceFactory, MessageFactory, SurveyFactory
from tests.registry.services.helpers import fresh

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING)


# ---------------------------------------------------------------- visibility


@pytest.mark.parametrize(("persona", "sees"), [
    ("supervisor", True), ("edu_unit_admin", True), ("edu_leader", True), ("edu_reviewer", True),
    ("assigned_operator", True), ("edu_operator", False), ("school_leader", False), ("street_unit_admin", False),
    ("street_operator", False), ("water_leader", False),
])
def test_a_message_and_its_sender_are_seen_by_the_unit_acting_for_the_account_and_supervisors(
        request, frozen_clock, edu_weibo, persona, sees):
    message = MessageFactory(account=edu_weibo)
    user = request.getfixturevalue(persona)
    assert list(messages_visible_to(user)) == ([message] if sees else [])


def test_the_competent_unit_sees_the_messages_of_the_units_it_supervises(frozen_clock, water_co_wechat,
                                                                          water_leader, edu_unit_admin):
    message = MessageFactory(account=water_co_wechat)
    assert list(messages_visible_to(water_leader)) == [message]
    assert list(messages_visible_to(edu_unit_admin)) == []


def test_surveys_are_seen_by_the_unit_acting_for_the_account(frozen_clock, edu_weibo, edu_reviewer, street_reviewer):
    survey = SurveyFactory(account=edu_weibo)
    assert (list(surveys_visible_to(edu_reviewer)), list(surveys_visible_to(street_reviewer))) == ([survey], [])


def test_an_accounts_services_are_listed_by_kind_and_name(edu_weibo, edu_wechat):
    second = AccountServiceFactory(account=edu_weibo, kind="payment", name="学费缴纳")
    first = AccountServiceFactory(account=edu_weibo, kind="lookup", name="学位查询")
    AccountServiceFactory(account=edu_wechat)
    assert list(services_of(edu_weibo)) == [first, second]


# ---------------------------------------------------------------- deadlines


def test_the_default_limits_are_3_working_days_for_consultations_5_for_complaints_and_10_for_suggestions(db):
    assert reply_limits() == DEFAULT_REPLY_LIMITS == {"consultation": 3, "complaint": 5, "message": 5,
                                                      "comment": 5, "suggestion": 10}


@pytest.mark.parametrize(("kind", "deadline"), [
    (MessageKind.CONSULTATION, date(2026, 3, 5)),  # received Monday 2 March: Thursday
    (MessageKind.COMPLAINT, date(2026, 3, 9)),  # over the weekend
    (MessageKind.SUGGESTION, date(2026, 3, 16)),
])
def test_the_deadline_counts_working_days_from_the_day_received(frozen_clock, edu_weibo, kind, deadline):
    message = MessageFactory(account=edu_weibo, kind=kind, received_at=at(date(2026, 3, 2)))
    assert message_deadline(message).date == deadline


def test_the_day_received_is_the_beijing_date(frozen_clock, edu_weibo):
    # 07:00 in Beijing on Monday is still Sunday in UTC.
    message = MessageFactory(account=edu_weibo, received_at=at(date(2026, 3, 2), hour=7))
    assert message_deadline(message).date == date(2026, 3, 5)


def test_the_deadline_skips_the_official_holidays(frozen_clock, edu_weibo):
    # 1 May 2026 (Friday) to 5 May are the Labour Day holiday.
    message = MessageFactory(account=edu_weibo, received_at=at(date(2026, 4, 30)))
    assert message_deadline(message).date == date(2026, 5, 8)


def test_a_configured_limit_moves_the_deadline(frozen_clock, edu_weibo):
    message = MessageFactory(account=edu_weibo, received_at=at(date(2026, 3, 2)))
    ReplyLimit.objects.create(kind=MessageKind.CONSULTATION, working_days=1)
    assert message_deadline(message).date == date(2026, 3, 3)


def test_changing_the_kind_moves_the_deadline(frozen_clock, edu_weibo, edu_unit_admin):
    message = MessageFactory(account=edu_weibo, received_at=at(date(2026, 3, 2)))
    message_set_kind(message=message, by=edu_unit_admin, kind=MessageKind.SUGGESTION)
    assert message_deadline(fresh(message)).date == date(2026, 3, 16)


def test_a_holiday_added_to_the_calendar_moves_the_deadline(frozen_clock, edu_weibo):
    message = MessageFactory(account=edu_weibo, received_at=at(date(2026, 3, 2)))
    assert message_deadline(message).date == date(2026, 3, 5)
    CalendarDayFactory(date=date(2026, 3, 4), name="临时放假")
    assert message_deadline(message).date == date(2026, 3, 6)


def test_an_unanswered_message_is_overdue_the_day_after_its_deadline(frozen_clock, edu_weibo, edu_wechat):
    message = MessageFactory(account=edu_weibo, received_at=at(date(2026, 3, 2)))
    assert not is_overdue(message, date(2026, 3, 5))
    assert is_overdue(message, date(2026, 3, 6))
    answered = MessageFactory(account=edu_wechat, received_at=at(date(2026, 3, 2)), status=MessageStatus.REPLIED,
                              replied_at=at(date(2026, 3, 9)))
    assert not is_overdue(answered, date(2026, 3, 20))
    assert overdue_messages(Message.objects.all(), date(2026, 3, 6)) == [message]


# ---------------------------------------------------------------- per-account figures


def test_an_accounts_figures_for_a_period(frozen_clock, edu_weibo, edu_wechat, supervisor):
    def msg(kind, received, **kwargs):
        return MessageFactory(account=edu_weibo, kind=kind, received_at=at(received), **kwargs)

    replied = MessageStatus.REPLIED
    msg(MessageKind.CONSULTATION, date(2026, 3, 2), status=replied, replied_at=at(date(2026, 3, 4)))  # in time, 2
    msg(MessageKind.COMPLAINT, date(2026, 3, 2), status=MessageStatus.CLOSED,
        replied_at=at(date(2026, 3, 13)))  # late (deadline 9 March), 9 working days
    msg(MessageKind.SUGGESTION, date(2026, 3, 3), status=MessageStatus.ASSIGNED)  # overdue: deadline 17 March
    msg(MessageKind.CONSULTATION, date(2026, 3, 19))  # open, deadline 24 March
    msg(MessageKind.MESSAGE, date(2026, 3, 5), status=MessageStatus.CLOSED, closed_reason="广告")  # no reply
    msg(MessageKind.CONSULTATION, date(2026, 2, 27))  # before the period
    MessageFactory(account=edu_wechat, received_at=at(date(2026, 3, 2)))  # another account
    stats = interaction_stats(edu_weibo, user=supervisor, start=date(2026, 3, 1), end=date(2026, 3, 31), today=date(2026, 3, 20))
    assert (stats.received, stats.answered, stats.answered_in_time, stats.median_response_days, stats.open,
            stats.overdue) == (5, 2, 1, 5.5, 2, 1)
    assert stats.in_time_share == 0.2


def test_figures_for_many_accounts_come_at_once_each_its_own(frozen_clock, edu_weibo, edu_wechat, street_weibo, supervisor):
    MessageFactory(account=edu_weibo, received_at=at(date(2026, 3, 2)), status=MessageStatus.REPLIED,
                   replied_at=at(date(2026, 3, 3)))
    MessageFactory(account=edu_wechat, received_at=at(date(2026, 3, 2)))
    stats = interaction_stats_by_account([edu_weibo.pk, edu_wechat.pk, street_weibo.pk], user=supervisor,
                                         start=date(2026, 3, 1), end=date(2026, 3, 31), today=date(2026, 3, 20))
    assert {pk: (s.received, s.answered_in_time, s.overdue) for pk, s in stats.items()} == {
        edu_weibo.pk: (1, 1, 0), edu_wechat.pk: (1, 0, 1), street_weibo.pk: (0, 0, 0)}


def test_an_account_without_messages_has_no_share_and_no_median(edu_weibo, supervisor):
    stats = interaction_stats(edu_weibo, user=supervisor, start=date(2026, 3, 1), end=date(2026, 3, 31), today=date(2026, 3, 20))
    assert (stats.received, stats.in_time_share, stats.median_response_days) == (0, None, None)


def test_the_period_is_bounded_by_beijing_days(frozen_clock, edu_weibo, supervisor):
    MessageFactory(account=edu_weibo, received_at=datetime(2026, 3, 31, 23, 30, tzinfo=BEIJING))
    MessageFactory(account=edu_weibo, received_at=datetime(2026, 4, 1, 0, 30, tzinfo=BEIJING))
    stats = interaction_stats(edu_weibo, user=supervisor, start=date(2026, 3, 1), end=date(2026, 3, 31), today=date(2026, 4, 1))
    assert stats.received == 1


# ---------------------------------------------------------------- survey results


def _answer(survey, browser, single=None, multiple=None, text=None):
    q1, q2, q3 = survey.questions.all()
    answers = {str(q.pk): v for q, v in ((q1, single), (q2, multiple), (q3, text)) if v is not None}
    return survey_submit(token=survey.token, browser_id=browser * 20, ip="203.0.113.5", answers=answers)


@pytest.fixture
def answered_survey(frozen_clock, edu_weibo):
    survey = SurveyFactory(account=edu_weibo)
    _answer(survey, "a", "满意", ["体育", "科技"], "希望增加足球课")
    _answer(survey, "b", "满意", ["体育"])
    _answer(survey, "c", "不满意", text="=HYPERLINK(\"http://evil.example\")")
    return survey


def test_the_results_count_each_option_and_list_the_texts(answered_survey, edu_unit_admin):
    total, results = survey_results(answered_survey, user=edu_unit_admin)
    single, multiple, text = results
    assert total == 3
    assert (single.answered, single.counts) == (3, [("满意", 2), ("基本满意", 0), ("不满意", 1)])
    assert (multiple.answered, multiple.counts) == (2, [("体育", 2), ("艺术", 0), ("科技", 1)])
    assert (text.answered, text.texts) == (2, ["希望增加足球课", "=HYPERLINK(\"http://evil.example\")"])


def test_the_export_reads_back_with_every_response_and_the_counts(answered_survey, edu_unit_admin):
    book = load_workbook(io.BytesIO(survey_workbook(answered_survey, user=edu_unit_admin)))
    responses = [[c.value for c in row] for row in book["答卷"].iter_rows()]
    assert responses[0] == ["序号", "提交时间", "1. 您对课后服务是否满意？", "2. 您希望增加哪些课程？", "3. 其他意见和建议"]
    assert responses[1] == [1, "2026-03-02 10:00:00", "满意", "体育；科技", "希望增加足球课"]
    assert responses[3][2:] == ["不满意", None, "=HYPERLINK(\"http://evil.example\")"]
    assert book["答卷"]["E4"].data_type == "s"  # a formula typed by the public stays text
    summary = [[c.value for c in row] for row in book["统计"].iter_rows(min_row=2)]
    assert summary[0] == ["1. 您对课后服务是否满意？", "满意", 2, "66.7%"]
    assert ["3. 其他意见和建议", "（填空）", 2, "66.7%"] in summary


def test_an_unanswered_survey_exports_its_headers_and_zero_counts(frozen_clock, edu_weibo, edu_unit_admin):
    book = load_workbook(io.BytesIO(survey_workbook(SurveyFactory(account=edu_weibo), user=edu_unit_admin)))
    assert book["答卷"].max_row == 1
    assert [c.value for c in book["统计"][2]] == ["1. 您对课后服务是否满意？", "满意", 0, "—"]


# ---------------------------------------------------------------- figures and results only for whoever sees them


def test_another_units_user_is_refused_an_accounts_figures(edu_weibo, street_unit_admin, edu_unit_admin):
    with pytest.raises(PermissionDenied):
        interaction_stats(edu_weibo, user=street_unit_admin, start=date(2026, 3, 1), end=date(2026, 3, 31),
                          today=date(2026, 3, 20))
    assert interaction_stats(edu_weibo, user=edu_unit_admin, start=date(2026, 3, 1), end=date(2026, 3, 31),
                             today=date(2026, 3, 20)).received == 0


def test_figures_for_many_accounts_are_refused_if_one_is_out_of_scope(edu_weibo, street_weibo, edu_unit_admin):
    with pytest.raises(PermissionDenied, match=str(street_weibo.pk)):
        interaction_stats_by_account([edu_weibo.pk, street_weibo.pk], user=edu_unit_admin, start=date(2026, 3, 1),
                                     end=date(2026, 3, 31), today=date(2026, 3, 20))


@pytest.mark.parametrize("persona", ["street_unit_admin", "school_leader"])
def test_another_units_user_is_refused_a_surveys_results_and_export(request, answered_survey, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        survey_results(answered_survey, user=user)
    with pytest.raises(PermissionDenied):
        survey_workbook(answered_survey, user=user)
