"""`govmedia messages_overdue`: overdue messages become findings and alert their unit (run hourly by the
scheduler; see interaction.services.overdue)."""

from django.core.management.base import BaseCommand

from govmedia import clock
from govmedia.interaction.services.overdue import alert_overdue_messages


class Command(BaseCommand):
    help = "逾期未答复的留言：生成监测问题并提醒账号责任人和单位管理员；已答复的留言对应问题标记为已整改。"

    def handle(self, *args, **options):
        run = alert_overdue_messages(now=clock.now())
        if run.new or run.fixed or options["verbosity"] > 1:  # quiet when nothing changed: it runs every hour
            self.stdout.write(f"逾期未答复留言 {run.overdue} 条，新提醒 {run.new} 条，已答复或不再逾期 {run.fixed} 条。")
