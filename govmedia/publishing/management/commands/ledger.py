"""`govmedia ledger verify [--unit UNIT]`: check every unit's ledger chain (or one unit's); exits 1 naming the
first entry edited, deleted or reordered. `govmedia ledger anchor [--day DATE]`: store a day's anchor hash (the scheduler asks hourly for yesterday's)."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from govmedia import clock
from govmedia.orgs.models import Unit
from govmedia.publishing.models import LedgerAnchor
from govmedia.publishing.services.ledger import ledger_anchor_day, units_with_ledgers, verify_chain


class Command(BaseCommand):
    help = "信息审核发布登记台账：verify 校验哈希链；anchor 生成每日锚定哈希。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{verify,anchor}")
        verify = actions.add_parser("verify", help="校验台账哈希链，发现被修改、删除或调换顺序的条目")
        verify.add_argument("--unit", metavar="UNIT", help="只校验该单位（单位ID、名称或简称）")
        anchor = actions.add_parser("anchor", help="生成某日（默认昨天）的锚定哈希")
        anchor.add_argument("--day", type=date.fromisoformat, metavar="YYYY-MM-DD")

    def handle(self, *args, action, **options):
        if action == "anchor":
            day = options["day"] or clock.today() - timedelta(days=1)
            known = LedgerAnchor.objects.filter(day=day).exists()
            anchor = ledger_anchor_day(day=day, now=clock.now())
            if not known or options["verbosity"] > 1:  # quiet when the scheduler asks again within the day
                self.stdout.write(f"{anchor.day} 锚定哈希：{anchor.digest}")
            return
        units = [self.find_unit(options["unit"])] if options["unit"] else list(units_with_ledgers())
        verified = 0
        for unit in units:
            verdict = verify_chain(unit)
            verified += verdict.verified
            if not verdict.intact:
                self.stderr.write(f"{unit.name}：台账校验失败，{verdict.problem}（此前 {verdict.verified} 条完好）")
                raise SystemExit(1)
        self.stdout.write(f"台账校验通过：{len(units)} 个单位，共 {verified} 条。")

    def find_unit(self, text: str) -> Unit:
        match = Q(name=text) | Q(short_name=text)
        if text.isdigit():
            match |= Q(pk=int(text))
        units = list(Unit.objects.filter(match)[:2])
        if len(units) != 1:
            raise CommandError(f"找不到单位“{text}”" if not units else f"单位“{text}”不唯一，请用单位ID")
        return units[0]
