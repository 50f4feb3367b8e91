"""`govmedia simulator_accounts`: the demo's monitored accounts as the platform simulator's --accounts-file."""

import json

from django.core.management.base import BaseCommand

from govmedia.demo.monitoring import simulator_accounts


class Command(BaseCommand):
    help = "输出演示区受监测账号的 JSON 列表，供平台模拟器 --accounts-file 使用（make run 调用）。"

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(simulator_accounts(), ensure_ascii=False, indent=1))
