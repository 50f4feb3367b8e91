"""`govmedia monitor run [--account ID]...`: one full monitoring cycle now, in this process.

`govmedia monitor tick` enqueues the due sources and `govmedia monitor sweep` the hourly sweep for the
workers (the scheduler runs both); `govmedia monitor probe` is routed by govmedia.cli before Django starts.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from govmedia import clock
from govmedia.monitoring import tasks
from govmedia.monitoring.engine.types import BROKEN, BROKEN_REASONS, NOT_MODIFIED, OK
from govmedia.monitoring.models import Source
from govmedia.monitoring.services import cycle
from govmedia.registry.models import Account

MAX_BROKEN_LISTED = 20


class Command(BaseCommand):
    help = "持续监测：run 立即运行一轮（读取数据源、检查新信息和账号、发出提醒）；tick、sweep 把任务排入队列。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{run,tick,sweep,probe}")
        run = actions.add_parser("run", help="立即运行一轮：读取到期的数据源（或所列账号的全部数据源），检查并提醒")
        run.add_argument("--account", action="append", default=[], metavar="ID",
                         help="只处理该账号（账号ID或账号名称；可重复）")
        actions.add_parser("tick", help="把到期的数据源排入任务队列（定时任务每分钟运行）")
        actions.add_parser("sweep", help="把全面复查排入任务队列：未检查的信息、全部账号、待重发的提醒（每小时）")
        probe = actions.add_parser("probe", help="读取订阅源地址并检查，不使用数据库", add_help=False)
        probe.add_argument("rest", nargs="*")

    def handle(self, *args, action, **options):
        if action == "probe":
            raise CommandError("monitor probe 不经过数据库运行，请使用 govmedia monitor probe URL…")
        if action == "tick":
            enqueued = len(tasks.monitoring_tick())
            if enqueued or options["verbosity"] > 1:  # quiet when idle: the scheduler ticks every minute
                self.stdout.write(f"已排入读取任务 {enqueued} 个。")
        elif action == "sweep":
            tasks.sweep_task.enqueue()
            self.stdout.write("已排入全面复查任务。")
        else:
            self.run_cycle(options["account"])

    def run_cycle(self, given: list[str]) -> None:
        account_ids = [self.find_account(text).pk for text in given] or None
        started = time.perf_counter()
        summary = cycle.run_cycle(account_ids=account_ids, now=clock.now())
        elapsed = time.perf_counter() - started
        skipped = summary.count(cycle.SKIPPED)
        self.stdout.write(
            f"读取数据源 {summary.sources_read} 个：正常 {summary.count(OK)}，无更新 {summary.count(NOT_MODIFIED)}，"
            f"故障 {summary.count(BROKEN)}" + (f"；{skipped} 个正由其他进程读取，已跳过" if skipped else "") + "。")
        self.stdout.write(
            f"新信息 {summary.new_posts:,} 条，检查信息 {summary.posts_checked:,} 条；"
            f"新发现问题 {summary.new_findings:,} 个，新提醒 {summary.new_alerts:,} 条。用时 {elapsed:.1f} 秒。")
        if summary.errors:
            self.stderr.write(f"{summary.errors} 个数据源的读取结果未能保存（详见日志），稍后自动重试。")
        self.list_broken([r for r in summary.read if r.status == BROKEN])

    def list_broken(self, results: list[cycle.ReadResult]) -> None:
        if not results:
            return
        names = dict(Source.objects.filter(pk__in=[r.source_id for r in results[:MAX_BROKEN_LISTED]])
                     .values_list("pk", "account__name"))
        self.stdout.write("故障数据源：")
        for result in results[:MAX_BROKEN_LISTED]:
            reason = BROKEN_REASONS.get(result.reason, result.reason)
            detail = f"（{result.detail[:120]}）" if result.detail else ""
            self.stdout.write(f"  {names.get(result.source_id, result.source_id)}：{reason}{detail}")
        if len(results) > MAX_BROKEN_LISTED:
            self.stdout.write(f"  ……另有 {len(results) - MAX_BROKEN_LISTED} 个")

    @staticmethod
    def find_account(given: str) -> Account:
        """The one account whose ID or name is the text given (as the content check page asks)."""
        matches = list(Account.objects.filter(Q(account_id=given) | Q(name=given)).select_related("platform")[:6])
        if not matches:
            raise CommandError(f"没有找到账号“{given}”，请核对账号ID或名称。")
        if len(matches) > 1:
            names = "、".join(f"{a.name}（{a.platform.name}，ID {a.account_id}）" for a in matches[:5])
            raise CommandError(f"有多个账号与“{given}”相符：{names}。请填写账号ID。")
        return matches[0]
