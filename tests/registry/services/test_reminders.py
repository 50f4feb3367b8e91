"""Reminders of filings due soon or overdue go to the host unit's admins: a dashboard item and an email,
at most once per filing, person and day."""

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from govmedia.registry import services
from govmedia.registry.models import FilingReminder, FilingState
from tests.factories import AccountFactory, FilingFactory
from tests.registry.services.helpers import fresh

pytestmark = pytest.mark.django_db

# The frozen clock starts on Monday 2026-03-02; three working days on is Thursday 03-05.


def fresh_all(rows):
    return [fresh(r) for r in rows]


@pytest.fixture
def edu_admin_with_email(edu_unit_admin):
    edu_unit_admin.email = "li@edu.example.cn"
    edu_unit_admin.save()
    return edu_unit_admin


def test_the_unit_admin_is_reminded_of_filings_due_soon_and_overdue(frozen_clock, edu_weibo, edu_wechat,
                                                                    edu_admin_with_email):
    overdue = FilingFactory(account=edu_weibo, due_on=date(2026, 2, 20))
    soon = FilingFactory(account=edu_wechat, due_on=date(2026, 3, 5))
    FilingFactory(account=edu_wechat, kind="change", due_on=date(2026, 3, 6))  # four working days away
    run = services.send_filing_reminders(within_days=3)
    assert {(r.filing, r.reason) for r in run.reminders} == {(overdue, "overdue"), (soon, "due_soon")}
    assert all(r.recipient == edu_admin_with_email and r.emailed for r in fresh_all(run.reminders))
    [email] = mail.outbox
    assert email.to == ["li@edu.example.cn"]
    assert "2 个账号待备案" in email.subject and "1 个已逾期" in email.subject
    assert "西海岸教育发布" in email.body and "已逾期 6 个工作日" in email.body
    assert "西海岸教体" in email.body and "剩余 3 个工作日" in email.body
    assert "/registry/filings/" in email.body


def test_a_second_run_on_the_same_day_sends_nothing_twice(frozen_clock, edu_weibo, edu_admin_with_email):
    FilingFactory(account=edu_weibo, due_on=date(2026, 2, 20))
    services.send_filing_reminders()
    again = services.send_filing_reminders()
    assert again.reminders == [] and again.emails_sent == 0
    assert len(mail.outbox) == 1 and FilingReminder.objects.count() == 1
    frozen_clock.advance(days=1)
    assert len(services.send_filing_reminders().reminders) == 1
    assert len(mail.outbox) == 2


def test_no_reminder_once_the_unit_has_submitted(frozen_clock, edu_weibo, edu_admin_with_email):
    FilingFactory(account=edu_weibo, due_on=date(2026, 2, 20), state=FilingState.SUBMITTED, filed_on=date(2026, 2, 25))
    FilingFactory(account=edu_weibo, due_on=date(2026, 2, 20), filed_on=date(2026, 2, 19))  # confirmed
    assert services.send_filing_reminders().reminders == []
    assert mail.outbox == []


def test_a_returned_filing_is_reminded_again(frozen_clock, edu_weibo, edu_admin_with_email):
    FilingFactory(account=edu_weibo, due_on=date(2026, 2, 20), state=FilingState.RETURNED)
    assert len(services.send_filing_reminders().reminders) == 1


def test_only_the_host_units_admins_are_reminded(frozen_clock, edu_weibo, edu_admin_with_email, street_unit_admin,
                                                 edu_leader, supervisor):
    FilingFactory(account=edu_weibo, due_on=date(2026, 2, 20))
    run = services.send_filing_reminders()
    assert {r.recipient for r in run.reminders} == {edu_admin_with_email}


def test_a_unit_without_an_admin_is_reported(frozen_clock, district):
    filing = FilingFactory(account=AccountFactory(host_unit=district.school), due_on=date(2026, 2, 20))
    run = services.send_filing_reminders()
    assert run.without_admin == [filing] and run.reminders == []


def test_an_admin_without_an_email_address_still_gets_the_dashboard_item(frozen_clock, edu_weibo, edu_unit_admin):
    FilingFactory(account=edu_weibo, due_on=date(2026, 2, 20))
    run = services.send_filing_reminders()
    assert len(run.reminders) == 1 and not fresh(run.reminders[0]).emailed and mail.outbox == []


def test_a_mail_server_that_is_down_loses_no_reminder(frozen_clock, edu_weibo, edu_admin_with_email, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2}}}
    FilingFactory(account=edu_weibo, due_on=date(2026, 2, 20))
    run = services.send_filing_reminders()
    assert run.emails_sent == 0 and len(run.email_failures) == 1
    assert FilingReminder.objects.get().emailed is False


def test_the_daily_job_opens_missing_filings_and_reminds_once_a_day(frozen_clock, district, edu_admin_with_email):
    AccountFactory(host_unit=district.edu, name="无备案的账号", registered_on=None)
    out, err = StringIO(), StringIO()
    call_command("registry_daily", stdout=out, stderr=err)
    assert "无备案的账号" in out.getvalue() and "备案提醒 1 条，发出邮件 1 封" in out.getvalue()
    call_command("registry_daily", stdout=StringIO(), stderr=StringIO())
    assert len(mail.outbox) == 1
    assert "无备案的账号" in mail.outbox[0].body and "存量账号补办备案" in mail.outbox[0].body
