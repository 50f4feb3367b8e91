"""`govmedia ledger verify [--unit UNIT] [--anchor DIGEST]`: check every unit's ledger chain (or one unit's)
against its hashes and every stored daily anchor; exits 1 naming the first entry edited, deleted or reordered.
`--anchor` takes a digest a supervisor noted outside the system: the stored anchor with that digest must
exist, or the anchor table was altered (or the digest mistyped).
`govmedia ledger anchor [--day DATE]`: store a day's anchor hash (the scheduler asks hourly for yesterday's)."""

import re
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from govmedia import clock
from govmedia.orgs.models import Unit
from govmedia.publishing.models import LedgerAnchor
from govmedia.publishing.services.ledger import ledger_anchor_day, units_to_verify, verify_chain

DIGEST = re.compile(r"[0-9a-f]{64}")


class Command(BaseCommand):
    help = "信息审核发布登记台账：verify 校验哈希链；anchor 生成每日锚定哈希。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{verify,anchor}")
        verify = actions.add_parser("verify", help="校验台账哈希链，发现被修改、删除或调换顺序的条目")
        verify.add_argument("--unit", metavar="UNIT", help="只校验该单位（单位ID、名称或简称）")
        verify.add_argument("--anchor", metavar="DIGEST", help="同时核对督查人员在系统外记下的某日锚定哈希")
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
        anchors = list(LedgerAnchor.objects.order_by("day"))
        noted = self.noted_anchor(options["anchor"], anchors) if options["anchor"] else None
        units = [self.find_unit(options["unit"])] if options["unit"] else units_to_verify(anchors)
        verified = 0
        for unit in units:
            verdict = verify_chain(unit, anchors=anchors)
            verified += verdict.verified
            if not verdict.intact:
                self.fail(f"{unit.name}：台账校验失败，{verdict.problem}（此前 {verdict.verified} 条完好）")
        anchored = f"已核对锚定日{noted.day}的锚定哈希。" if noted else ""
        self.stdout.write(f"台账校验通过：{len(units)} 个单位，共 {verified} 条。{anchored}")

    def fail(self, message: str):
        self.stderr.write(message)
        raise SystemExit(1)

    def noted_anchor(self, digest: str, anchors: list[LedgerAnchor]) -> LedgerAnchor:
        digest = digest.strip().lower()
        if not DIGEST.fullmatch(digest):
            self.fail(f"锚定哈希“{digest[:80]}”格式不对：应为 64 位十六进制字符")
        noted = next((anchor for anchor in anchors if anchor.digest == digest), None)
        if noted is None:
            self.fail(f"台账校验失败：系统中没有锚定哈希为 {digest} 的锚定记录，锚定记录表已被改动，或所记哈希有误")
        return noted

    def find_unit(self, text: str) -> Unit:
        match = Q(name=text) | Q(short_name=text)
        if text.isdigit():
            match |= Q(pk=int(text))
        units = list(Unit.objects.filter(match)[:2])
        if len(units) != 1:
            raise CommandError(f"找不到单位“{text}”" if not units else f"单位“{text}”不唯一，请用单位ID")
        return units[0]
