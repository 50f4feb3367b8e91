"""The demo's interaction (govmedia/demo/interaction.py): messages answered in time and late, waiting and
overdue on several accounts, replies reviewed through the review engine, surveys and account services."""

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from govmedia import clock
from govmedia.interaction.models import (
    OPEN_STATUSES,
    AccountService,
    Message,
    MessageEvent,
    MessageStatus,
    Reply,
    ReplyState,
    ServiceKind,
    Survey,
)
from govmedia.interaction.selectors import (
    interaction_stats,
    is_overdue,
    message_deadline,
    messages_visible_to,
    overdue_messages,
    survey_results,
)
from govmedia.monitoring.engine import codes
from govmedia.monitoring.engine.netguard import is_web_url
from govmedia.monitoring.models import Alert, Finding
from govmedia.orgs.models import User
from govmedia.publishing.models import DraftKind, DraftState, ReviewDecision
from govmedia.publishing.selectors import review_queue
from govmedia.registry.models import Account
from govmedia.workdays.selectors import work_calendar

pytestmark = pytest.mark.django_db


def user(username: str) -> User:
    return User.objects.get(username=username)


def answered(message: Message) -> bool:
    return message.replied_at is not None


def in_time(message: Message) -> bool:
    return timezone.localdate(message.replied_at) <= message_deadline(message).date


@pytest.mark.usefixtures("demo_output")
class TestTheDemoInteraction:
    def test_messages_come_to_several_accounts_of_several_units_and_of_several_kinds(self):
        assert Message.objects.values("account").distinct().count() >= 4
        assert Message.objects.values("account__host_unit").distinct().count() >= 3
        assert Message.objects.values("kind").distinct().count() >= 4

    def test_some_were_answered_in_time_and_some_late(self):
        replied = [m for m in Message.objects.all() if answered(m)]
        assert sum(in_time(m) for m in replied) >= 3
        assert sum(not in_time(m) for m in replied) >= 2

    def test_every_answer_was_reviewed_by_someone_else_and_is_on_the_ledger(self):
        for reply in Reply.objects.filter(message__replied_at__isnull=False).select_related("draft"):
            assert reply.state == ReplyState.RELEASED
            assert reply.draft.state == DraftState.PUBLISHED and reply.draft.ledger_entries.exists()
            reviewers = set(ReviewDecision.objects.filter(step__draft=reply.draft).values_list("reviewer", flat=True))
            assert reviewers and not reviewers & set(reply.editors.values_list("pk", flat=True))

    def test_the_summary_counts_the_messages_waiting_and_overdue(self, demo_output):
        waiting = Message.objects.filter(status__in=OPEN_STATUSES).count()
        overdue = len(overdue_messages(Message.objects.all(), clock.today()))
        assert f"待答复 {waiting}，其中逾期 {overdue}" in demo_output and overdue

    def test_some_wait_within_their_deadline_and_some_are_overdue_on_several_accounts(self):
        today = clock.today()
        waiting = Message.objects.filter(status__in=OPEN_STATUSES)
        assert any(not is_overdue(m, today) for m in waiting)
        overdue = overdue_messages(messages_visible_to(user("supervisor")), today)
        assert len({m.account_id for m in overdue}) >= 3

    def test_the_overdue_alert_fired_for_each_overdue_message_to_its_units_admin(self):
        overdue = overdue_messages(Message.objects.all(), clock.today())
        findings = Finding.objects.filter(code=codes.MESSAGE_OVERDUE)
        assert sorted(f.evidence["message_id"] for f in findings) == sorted(m.pk for m in overdue)
        assert Alert.objects.filter(finding__code=codes.MESSAGE_OVERDUE, recipient__username="edu_admin").exists()
        assert Alert.objects.filter(finding__code=codes.MESSAGE_OVERDUE, recipient__username="lsw_admin").exists()

    def test_one_was_followed_up_and_closed_and_one_closed_as_spam_without_an_answer(self):
        followed = Message.objects.get(status=MessageStatus.CLOSED, replied_at__isnull=False)
        assert followed.follow_up_note and followed.events.filter(to_state=MessageStatus.FOLLOWED_UP).exists()
        spam = Message.objects.get(status=MessageStatus.CLOSED, replied_at__isnull=True)
        assert spam.closed_reason and not Reply.objects.filter(message=spam).exists()

    def test_replies_wait_for_review_in_the_reviewers_queues(self):
        for username in ("edu_reviewer", "lsw_reviewer"):
            replies = [d for d in review_queue(user(username)) if d.kind == DraftKind.REPLY]
            assert replies, username
            assert all(d.reply.message.status in OPEN_STATUSES for d in replies)

    def test_the_statistics_count_what_happened(self):
        today = clock.today()
        account = Account.objects.get(name="西海岸教体", platform__code="wechat-service")
        messages = list(Message.objects.filter(account=account))
        stats = interaction_stats(account, user=user("edu_admin"), start=today - timedelta(days=40), end=today,
                                  today=today)
        assert stats.received == len(messages)
        assert stats.answered == sum(answered(m) for m in messages)
        assert 0 < stats.answered_in_time < stats.answered
        assert stats.open == sum(m.status in OPEN_STATUSES for m in messages)
        assert 0 < stats.overdue < stats.open
        assert stats.median_response_days is not None and stats.median_response_days >= 1

    def test_a_survey_is_open_and_another_closed_both_with_answers(self):
        now = clock.now()
        open_survey = Survey.objects.get(opens_at__lte=now, closes_at__gt=now)
        closed = Survey.objects.get(closes_at__lte=now)
        for survey in (open_survey, closed):
            count, _ = survey_results(survey, user=user("supervisor"))
            assert count >= 20 and count == survey.responses.count()
            assert not survey.responses.filter(submitted_at__gt=min(now, survey.closes_at)).exists()
            assert not survey.responses.filter(submitted_at__lt=survey.opens_at).exists()
        assert open_survey.account.host_unit.short_name != closed.account.host_unit.short_name

    def test_accounts_offer_look_up_payment_appointment_and_certificate_services_with_links(self):
        services = AccountService.objects.all()
        assert {ServiceKind.LOOKUP, ServiceKind.PAYMENT, ServiceKind.APPOINTMENT, ServiceKind.CERTIFICATE} <= set(
            services.values_list("kind", flat=True))
        assert services.values("account").distinct().count() >= 3
        assert all(is_web_url(s.url) for s in services)

    def test_no_message_was_received_or_answered_in_the_future_or_before_it_came(self):
        now = clock.now()
        for message in Message.objects.all():
            assert message.received_at <= now
            if message.replied_at:
                assert message.received_at < message.replied_at <= now
                assert work_calendar().working_days_between(
                    timezone.localdate(message.received_at), timezone.localdate(message.replied_at)) >= 1

    def test_each_messages_history_starts_with_its_receipt_at_its_own_time(self):
        for message in Message.objects.prefetch_related("events"):
            events = list(message.events.all())
            assert (events[0].action, events[0].at) == (MessageEvent.Action.CREATED, message.received_at)
            assert all(e.at > message.received_at for e in events[1:]), message.text


def test_a_demo_messages_platform_id_is_dated_on_its_beijing_day():
    from datetime import datetime

    from govmedia.demo.interaction import platform_message_id
    from govmedia.registry.models import Platform

    account = Account(platform=Platform(code="weibo"))
    just_after_midnight = datetime(2026, 11, 30, 17, 2, tzinfo=UTC)  # 2026-12-01 01:02 in Beijing
    assert platform_message_id(account, just_after_midnight, 20) == "weibo-202612010020"
