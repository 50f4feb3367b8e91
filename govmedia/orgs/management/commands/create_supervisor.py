"""`govmedia create_supervisor`: the first login of a deployment started without the demo."""

import getpass
import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from govmedia.orgs.services import district_office_name, supervisor_create

PASSWORD_ENV = "GOVMEDIA_SUPERVISOR_PASSWORD"


class Command(BaseCommand):
    help = ("创建区级监管员（管委办公室，可登录后台）。没有管委办公室单位时一并创建。"
            f"密码交互输入，或（用于脚本）从环境变量 {PASSWORD_ENV} 读取。")

    def add_arguments(self, parser):
        parser.add_argument("username", help="登录用户名")
        parser.add_argument("--name", required=True, help="姓名")
        parser.add_argument("--title", default="", help="职务，如 政务公开科科长")
        parser.add_argument("--office", default="", help=f"管委办公室单位名称（仅在尚无该单位时使用，默认 {district_office_name()}）")

    def handle(self, *args, username, name, title, office, **options):
        password = os.environ.get(PASSWORD_ENV) or self._ask_password()
        try:
            user = supervisor_create(username=username, password=password, name=name, title=title,
                                     office_name=office)
        except ValidationError as error:
            raise CommandError("；".join(m for messages in error.message_dict.values() for m in messages)) from error
        self.stdout.write(self.style.SUCCESS(
            f"已创建区级监管员 {user.username}（{user.person.name}，{user.unit.name}）。请登录 /admin/ 建立单位、人员和其他用户。"))

    def _ask_password(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError(f"请在终端中运行以输入密码，或通过环境变量 {PASSWORD_ENV} 提供密码。")
        password = getpass.getpass("密码：")
        if password != getpass.getpass("再次输入密码："):
            raise CommandError("两次输入的密码不一致。")
        return password
