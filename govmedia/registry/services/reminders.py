"""Reminders to unit admins about filings due soon or overdue: an item on their dashboard and an email.

Sent by the daily job (`registry_daily`); a filing is remembered per person and day, so a second run on
the same day, or two runs at once, send nothing twice."""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from govmedia import clock
from govmedia.orgs.models import Role, User
from govmedia.registry.models import AWAITING_UNIT, Filing, FilingReminder
from govmedia.registry.selectors import days_overdue
from govmedia.workdays.calendar import WorkCalendar
from govmedia.workdays.selectors import add_working_days, work_calendar

log = logging.getLogger(__name__)


@dataclass
class ReminderRun:
    reminders: list[FilingReminder] = field(default_factory=list)
    emails_sent: int = 0
    email_failures: list[str] = field(default_factory=list)
    without_admin: list[Filing] = field(default_factory=list)


def filings_to_remind(today: date, within_days: int, calendar: WorkCalendar) -> list[Filing]:
    """Filings waiting for the unit that are overdue or due within `within_days` working days."""
    horizon = add_working_days(today, within_days, calendar=calendar).date
    return list(Filing.objects.select_related("account", "account__platform", "account__host_unit")
                .filter(state__in=AWAITING_UNIT, due_on__lte=horizon).order_by("due_on", "pk"))


def _unit_admins(unit_ids: set[int]) -> dict[int, list[User]]:
    admins = defaultdict(list)
    for user in User.objects.select_related("person").filter(
            is_active=True, role=Role.UNIT_ADMIN, person__unit_id__in=unit_ids).order_by("pk"):
        admins[user.person.unit_id].append(user)
    return admins


def _remember(filing: Filing, recipient: User, today: date) -> FilingReminder | None:
    reason = FilingReminder.Reason.OVERDUE if filing.due_on < today else FilingReminder.Reason.DUE_SOON
    try:
        with transaction.atomic():
            reminder, created = FilingReminder.objects.get_or_create(
                filing=filing, recipient=recipient, sent_on=today, defaults={"reason": reason})
    except IntegrityError:  # a simultaneous run created it between our read and our insert
        return None
    return reminder if created else None


def _email_text(recipient: User, reminders: list[FilingReminder], today: date, calendar: WorkCalendar) -> str:
    lines = [f"{recipient.display_name}：", "",
             f"截至{today:%Y年%m月%d日}，贵单位以下政务新媒体账号需向管委办公室备案（第六、十九条）：", ""]
    for reminder in reminders:
        filing = reminder.filing
        if filing.due_on < today:
            status = f"已逾期 {days_overdue(filing, today, calendar)} 个工作日"
        else:
            status = f"剩余 {calendar.working_days_between(today, filing.due_on)} 个工作日"
        provisional = "（暂定）" if filing.due_is_provisional else ""
        lines.append(f"- {filing.account.name}（{filing.account.platform.name}）{filing.get_kind_display()}，"
                     f"期限 {filing.due_on:%Y-%m-%d}{provisional}，{status}，当前状态：{filing.get_state_display()}")
    lines += ["", "请登录政务新媒体管理平台，在“备案事项”中填写省备案编号并上传加盖公章的备案登记表：",
              settings.GOVMEDIA_SITE_URL.rstrip("/") + reverse("filing_list"), "", "（本邮件由系统自动发送）"]
    return "\n".join(lines)


def send_filing_reminders(*, today: date | None = None, within_days: int | None = None) -> ReminderRun:
    today = today or clock.today()
    within_days = settings.GOVMEDIA_FILING_REMINDER_DAYS if within_days is None else within_days
    run = ReminderRun()
    calendar = work_calendar()
    filings = filings_to_remind(today, within_days, calendar)
    admins = _unit_admins({f.account.host_unit_id for f in filings})
    fresh: dict[User, list[FilingReminder]] = defaultdict(list)
    for filing in filings:
        recipients = admins.get(filing.account.host_unit_id, [])
        if not recipients:
            run.without_admin.append(filing)
        for recipient in recipients:
            reminder = _remember(filing, recipient, today)
            if reminder is not None:
                fresh[recipient].append(reminder)
                run.reminders.append(reminder)
    for recipient, reminders in fresh.items():
        if not recipient.email:
            continue  # the dashboard item still reaches them
        overdue = sum(r.reason == FilingReminder.Reason.OVERDUE for r in reminders)
        subject = f"【备案提醒】{len(reminders)} 个账号待备案" + (f"，其中 {overdue} 个已逾期" if overdue else "")
        try:
            send_mail(subject, _email_text(recipient, reminders, today, calendar), None, [recipient.email])
        except Exception as error:  # a mail server being down must not lose the dashboard reminders
            log.warning("filing reminder to %s failed: %s", recipient.email, error)
            run.email_failures.append(f"{recipient.get_username()}：{error}")
            continue
        for reminder in reminders:
            reminder.emailed = True
            reminder.save(update_fields=["emailed"])
        run.emails_sent += 1
    return run
