"""Import an existing account ledger (XLSX or CSV) on behalf of a user, e.g. when a district goes live."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from govmedia.audit.context import acting_as, actor_for_user
from govmedia.orgs.models import User
from govmedia.registry.ledger import import_ledger


class Command(BaseCommand):
    help = "导入现有账号台账（.xlsx 或 .csv）。整份文件校验通过才写入；有问题时列出行、列、内容和原因。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="台账文件路径（.xlsx 或 .csv）")
        parser.add_argument("--user", required=True, help="以该用户的身份和管理范围导入（用户名）")
        parser.add_argument("--dry-run", action="store_true", help="只校验不导入")

    def handle(self, *args, path, user, dry_run, **options):
        try:
            importer = User.objects.get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"没有用户名为“{user}”的用户") from None
        file_path = Path(path)
        if not file_path.is_file():
            raise CommandError(f"找不到文件：{path}")
        with file_path.open("rb") as fh, acting_as(actor_for_user(importer, channel="command")):
            result = import_ledger(file_obj=fh, filename=file_path.name, user=importer, dry_run=dry_run)
        for e in result.errors:
            where = f"{e.sheet} 第{e.row}行" if e.row else "整个文件"
            self.stderr.write(f"{where}\t{e.column}\t{e.value}\t{e.reason}")
        if result.errors:
            raise CommandError(f"发现 {len(result.errors)} 个问题，未导入任何数据。")
        if dry_run:
            self.stdout.write(f"校验通过：共 {result.rows} 个账号（未导入）。")
        else:
            self.stdout.write(self.style.SUCCESS(f"已导入 {result.created} 个账号。"))
