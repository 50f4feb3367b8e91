from django.core.management.base import BaseCommand

from govmedia.registry.services import closures_take_effect


class Command(BaseCommand):
    help = "每日任务：公告期满的关停、注销申请生效。"

    def handle(self, *args, **options):
        done = closures_take_effect()
        for notice in done:
            self.stdout.write(f"已生效：{notice.title}")
        self.stdout.write(self.style.SUCCESS(f"共 {len(done)} 个账号关停/注销生效。"))
