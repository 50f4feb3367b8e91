from django.core.management.base import BaseCommand
from django.utils import timezone

from govmedia import clock
from govmedia.registry.services import (
    closures_take_effect,
    open_missing_filings,
    recompute_provisional_dates,
    send_filing_reminders,
)


class Command(BaseCommand):
    help = ("每日任务：按最新工作日历重算暂定期限；公告期满的关停、注销申请生效；为无备案记录的账号补建备案事项；"
            "提醒单位管理员办理即将到期和逾期的备案。")

    def handle(self, *args, **options):
        now = clock.now()
        # First, so that holidays a calendar package upgrade brought are counted before any closure takes effect.
        recomputed = recompute_provisional_dates(now=now, reason="每日任务按最新节假日安排重新计算")
        for change in recomputed.filings + recomputed.notices:
            self.stdout.write(f"已重算：{change.row}，{change.describe()}")
        done = closures_take_effect(now=now, recompute=False)
        for notice in done:
            self.stdout.write(f"已生效：{notice.title}")
        self.stdout.write(self.style.SUCCESS(
            f"重算 {len(recomputed.filings)} 项备案期限、{len(recomputed.notices)} 份公告日期；"
            f"共 {len(done)} 个账号关停/注销生效。"))

        opened = open_missing_filings()
        for filing in opened:
            self.stdout.write(f"无备案记录，已补建备案事项：{filing.account.name}（期限 {filing.due_on:%Y-%m-%d}）")
        run = send_filing_reminders(today=timezone.localdate(now))
        for filing in run.without_admin:
            self.stderr.write(f"无法提醒：{filing.account.host_unit.name}没有单位管理员（{filing.account.name}）")
        for failure in run.email_failures:
            self.stderr.write(f"提醒邮件发送失败：{failure}")
        self.stdout.write(self.style.SUCCESS(
            f"备案提醒 {len(run.reminders)} 条，发出邮件 {run.emails_sent} 封。"))
