"""In-process scheduler for a single-machine install: runs the periodic jobs on an interval.

Each job is an ordinary management command, so a larger install can run the same commands from
cron or a task engine instead, and every job is safe to run twice at once.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

JOBS = ["registry_daily"]


class Command(BaseCommand):
    help = "定时任务：按间隔运行每日任务（关停注销公告期满生效等）。"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=3600, help="两次运行的间隔秒数（默认 3600）")
        parser.add_argument("--once", action="store_true", help="只运行一次后退出")

    def handle(self, *args, interval, once, **options):
        while True:
            for job in JOBS:
                try:
                    call_command(job, stdout=self.stdout)
                except Exception as error:  # one failing job must not stop the others or the loop
                    self.stderr.write(f"{job} 运行失败：{error}")
            if once:
                return
            time.sleep(interval)
