from django.core.management.base import BaseCommand

from govmedia import clock
from govmedia.registry.services import closures_take_effect, recompute_provisional_dates


class Command(BaseCommand):
    help = "每日任务：按最新工作日历重算暂定期限；公告期满的关停、注销申请生效。"

    def handle(self, *args, **options):
        # First, so that holidays a calendar package upgrade brought are counted before any closure takes effect.
        recomputed = recompute_provisional_dates(now=clock.now(), reason="每日任务按最新节假日安排重新计算")
        for change in recomputed.filings + recomputed.notices:
            self.stdout.write(f"已重算：{change.row}，{change.describe()}")
        done = closures_take_effect()
        for notice in done:
            self.stdout.write(f"已生效：{notice.title}")
        self.stdout.write(self.style.SUCCESS(
            f"重算 {len(recomputed.filings)} 项备案期限、{len(recomputed.notices)} 份公告日期；"
            f"共 {len(done)} 个账号关停/注销生效。"))
