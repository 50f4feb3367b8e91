"""Overdue messages raise monitoring findings and their alerts: once per message per overdue, without the
sender's data, fixed once the message is answered or no longer overdue; run hourly by the scheduler."""

from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from govmedia.interaction.models import MessageStatus
from govmedia.interaction.services.messages import message_set_kind
from govmedia.interaction.services.overdue import alert_overdue_messages
from govmedia.monitoring.models import Alert, Finding, FindingState
from govmedia.web.management.commands.scheduler import JOBS
from tests.conftest import BEIJING
from tests.interaction.factories import MessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def late(frozen_clock, edu_weibo, edu_unit_admin):
    # A consultation of Monday 2 March is due Thursday 5 March; it is Friday 6 March.
    message = MessageFactory(account=edu_weibo, received_at=datetime(2026, 3, 2, 9, 0, tzinfo=BEIJING),
                             sender_name="张先生", sender_contact="13900001111", text="请问招生范围？")
    frozen_clock.set(date(2026, 3, 6))
    return message


def test_an_overdue_message_becomes_a_finding_that_alerts_the_unit(frozen_clock, late, edu_unit_admin):
    run = alert_overdue_messages(now=frozen_clock.current)
    assert (run.overdue, run.new) == (1, 1)
    finding = Finding.objects.get(code="message_overdue")
    assert (finding.account, finding.state, finding.evidence["message_id"], finding.evidence["deadline"]) == (
        late.account, FindingState.OPEN, late.pk, "2026-03-05")
    assert finding.summary == f"咨询（编号 {late.pk}）2026-03-02 收到，答复期限 2026-03-05，已逾期 1 个工作日未答复"
    assert not {"张先生", "13900001111", "招生"} & set(str(finding.summary) + str(finding.evidence))
    assert list(Alert.objects.filter(finding=finding).values_list("recipient", flat=True)) == [edu_unit_admin.pk]


def test_run_again_the_same_overdue_alerts_nobody_twice(frozen_clock, late):
    alert_overdue_messages(now=frozen_clock.current)
    frozen_clock.advance(hours=1)
    run = alert_overdue_messages(now=frozen_clock.current)
    assert (run.overdue, run.new) == (1, 0)
    assert (Finding.objects.count(), Alert.objects.count()) == (1, 1)


def test_a_message_within_its_deadline_raises_nothing(frozen_clock, edu_weibo):
    MessageFactory(account=edu_weibo, received_at=datetime(2026, 3, 4, 9, 0, tzinfo=BEIJING))
    frozen_clock.set(date(2026, 3, 6))
    assert alert_overdue_messages(now=frozen_clock.current).overdue == 0
    assert not Finding.objects.exists()


def test_an_answered_message_s_finding_is_fixed(frozen_clock, late):
    alert_overdue_messages(now=frozen_clock.current)
    late.status, late.replied_at = MessageStatus.REPLIED, frozen_clock.current
    late.save()
    run = alert_overdue_messages(now=frozen_clock.current)
    assert (run.overdue, run.fixed) == (0, 1)
    assert Finding.objects.get().state == FindingState.FIXED


def test_a_longer_deadline_fixes_the_finding_and_a_new_overdue_is_a_new_one(frozen_clock, late, edu_unit_admin):
    alert_overdue_messages(now=frozen_clock.current)
    message_set_kind(message=late, by=edu_unit_admin, kind="suggestion")  # due 16 March now
    alert_overdue_messages(now=frozen_clock.current)
    assert Finding.objects.get().state == FindingState.FIXED
    frozen_clock.set(date(2026, 3, 17))
    assert alert_overdue_messages(now=frozen_clock.current).new == 1
    assert sorted(Finding.objects.values_list("state", flat=True)) == [FindingState.FIXED, FindingState.OPEN]


def test_the_scheduler_runs_the_command_hourly_and_it_reports_changes(frozen_clock, late):
    assert (("messages_overdue",), 3600) in JOBS
    out = StringIO()
    call_command("messages_overdue", stdout=out)
    assert out.getvalue().strip() == "逾期未答复留言 1 条，新提醒 1 条，已答复或不再逾期 0 条。"
