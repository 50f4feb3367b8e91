"""Export the registry to XLSX as one user sees it (same filters as the registry list)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from govmedia.orgs.models import User
from govmedia.registry.ledger import export_registry
from govmedia.registry.models import AccountStatus


class Command(BaseCommand):
    help = "导出政务新媒体账号台账（.xlsx，含栏目设置、管理队伍工作表），范围为指定用户可见的账号。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="输出文件路径（.xlsx）")
        parser.add_argument("--user", required=True, help="按该用户的可见范围导出（用户名）")
        parser.add_argument("--unit", type=int, help="只导出该主办单位（单位 id）")
        parser.add_argument("--platform", type=int, help="只导出该平台（平台 id）")
        parser.add_argument("--status", choices=AccountStatus.values, help="只导出该运行状态")
        parser.add_argument("--overdue", action="store_true", help="只导出备案逾期的账号")
        parser.add_argument("--q", default="", help="按账号名称、ID、单位搜索")

    def handle(self, *args, path, user, unit, platform, status, overdue, q, **options):
        try:
            exporter = User.objects.get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"没有用户名为“{user}”的用户") from None
        data = export_registry(exporter, unit=unit, platform=platform, status=status, overdue=overdue, q=q)
        Path(path).write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"已导出到 {path}"))
