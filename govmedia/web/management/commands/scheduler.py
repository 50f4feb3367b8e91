"""In-process scheduler for a single-machine install: runs each periodic job on its own interval.

Each job is an ordinary management command, so a larger install can run the same commands from
cron instead, and every job is safe to run twice at once. The monitoring jobs only enqueue tasks:
the workers (`govmedia db_worker`, or `govmedia rqworker` with GOVMEDIA_TASKS=rq) do the reading.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

# (command and arguments, seconds between runs)
JOBS: list[tuple[tuple[str, ...], int]] = [
    (("registry_daily",), 3600),
    (("monitor", "tick"), 60),  # enqueue the sources that are due
    (("monitor", "sweep"), 3600),  # unchecked posts, every account's activity, alert retries
    (("messages_overdue",), 3600),  # overdue messages become findings and alert their unit
    (("ledger", "anchor"), 3600),  # yesterday's anchor over the review ledger's chain heads, once
]


class Command(BaseCommand):
    help = "定时任务：按各自的间隔运行每日任务（关停注销公告期满生效等）、把到期的监测任务排入队列。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="每个任务只运行一次后退出")
        parser.add_argument("--delay", type=float, default=0, metavar="SECONDS",
                            help="启动后等待多少秒再开始（make run 先在后台运行一轮监测，让它先列出到期的数据源）")

    def handle(self, *args, once, delay, **options):
        time.sleep(delay)
        next_run = [0.0] * len(JOBS)
        while True:
            for i, (command, interval) in enumerate(JOBS):
                if time.monotonic() < next_run[i]:
                    continue
                next_run[i] = time.monotonic() + interval
                try:
                    call_command(*command, stdout=self.stdout)
                except Exception as error:  # one failing job must not stop the others or the loop
                    self.stderr.write(f"{' '.join(command)} 运行失败：{error}")
            if once:
                return
            time.sleep(max(min(next_run) - time.monotonic(), 1))
