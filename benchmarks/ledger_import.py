"""Benchmark of the ledger import (台账导入) and the XLSX export on a throw-away test database.

    python benchmarks/ledger_import.py                       # 300 / 3,000 / 10,000 rows on SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_ledger python benchmarks/ledger_import.py
    python benchmarks/ledger_import.py --rows 300 3000      # other sizes
    python benchmarks/ledger_import.py --hostile            # also the hostile uploads of issue 6 item 2
    python benchmarks/ledger_import.py --repeat 3           # the fastest of 3 runs each, on a busy machine

Each ledger row is an account with two menu rows and two team members, a responsible person and a
legacy filing (half of them already filed at the province): every kind of object the import writes.
For each size it prints the time to read and validate the file (a dry run), the time to write it,
rows per second, and queries per row, then the time of the same import uploaded through the page (a
supervisor's POST of the file to the import view with Django's test client: form, middleware, audit
context and redirect included, as users import); every write is rolled back so each size starts
from the same registry. Targets (issue 6): 3,000 rows validated and written in under 3 s on SQLite, and a query count
that does not grow with the rows. The export of every imported account is timed at the largest size
(target: 10,000 accounts far under the 26 s measured before). The hostile files must each be refused
or read within 10 s and 200 MB (measured in a fresh process, peak resident memory).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govmedia.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from govmedia.audit.models import AuditEntry  # noqa: E402
from govmedia.orgs.models import Person, Role, Unit, UnitKind, User  # noqa: E402
from govmedia.registry.ledger import COLUMNS, MENU_COLUMNS, TEAM_COLUMNS, export_registry, import_ledger  # noqa: E402
from govmedia.registry.ledger_cells import COLUMNS_SHEET, MAIN_SHEET, TEAM_SHEET  # noqa: E402
from govmedia.registry.models import Account, Platform  # noqa: E402

PLATFORMS_PER_UNIT = 10  # art. 5: one account per unit and platform, so 10,000 rows need 1,000 units


class Rollback(Exception):
    """Raised inside the timed write so the database returns to the seeded registry."""


def seed(max_rows: int) -> tuple[User, list[Unit], list[Platform]]:
    office = Unit.objects.create(name="基准测试管委办公室", kind=UnitKind.DISTRICT_OFFICE)
    units = Unit.objects.bulk_create(
        Unit(name=f"基准测试第{i:04d}局", kind=UnitKind.DEPARTMENT) for i in range(max_rows // PLATFORMS_PER_UNIT + 1))
    platforms, keys = [], set()
    for p in Platform.objects.order_by("sort_order"):
        if p.exclusivity_key not in keys:
            keys.add(p.exclusivity_key)
            platforms.append(p)
    if len(platforms) < PLATFORMS_PER_UNIT:
        raise SystemExit(f"need {PLATFORMS_PER_UNIT} platforms with distinct exclusivity keys, found {len(platforms)}")
    person = Person.objects.create(unit=office, name="基准监管员", title="科员")
    user = User.objects.create_user("bench_supervisor", password="x", role=Role.SUPERVISOR, person=person)
    return user, units, platforms[:PLATFORMS_PER_UNIT]


def ledger(n: int, units: list[Unit], platforms: list[Platform], tag: str) -> bytes:
    workbook = Workbook(write_only=True)
    main, menus, team = (workbook.create_sheet(t) for t in (MAIN_SHEET, COLUMNS_SHEET, TEAM_SHEET))
    main.append([c.header for c in COLUMNS])
    menus.append([c.header for c in MENU_COLUMNS])
    team.append([c.header for c in TEAM_COLUMNS])
    for i in range(n):
        unit, platform = units[i // PLATFORMS_PER_UNIT], platforms[i % PLATFORMS_PER_UNIT]
        account_id, name = f"{tag}{i:05d}", f"{unit.name}{platform.name}号"
        values = {
            "host_unit": unit.name, "name": name, "account_id": account_id, "platform": platform.name,
            "registrant_kind": "单位", "registered_on": "2019-05-06", "is_verified": "是", "has_news_licence": "否",
            "host_leader_name": "赵局长", "host_leader_title": "副局长", "host_leader_contact": "0532-86980000",
            "introduction": "发布本单位政务信息、办事指南和通知公告。", "access_url": "https://example.gov.cn/",
            "live_on": "2019-06-01", "followers": str(1000 + i), "status": "正常",
            "provincial_filing_no": f"SD-{i:05d}" if i % 2 else "",
            "responsible_name": f"责任人{i % 7}", "responsible_title": "科长", "responsible_mobile": f"139{i:08d}",
        }
        main.append([values.get(c.key, "") for c in COLUMNS])
        key = [platform.name, account_id, name]
        menus.append(key + ["", "政务公开", "通知公告", "", ""])
        menus.append(key + ["", "办事服务", "", "", ""])
        team.append(key + ["王管理", f"{unit.name} 科员", "0532-86980001", f"138{i:08d}"])
        team.append(key + ["李编辑", f"{unit.name} 科员", "", f"137{i:08d}"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def timed_import(data: bytes, user: User, *, dry_run: bool) -> tuple[float, float, int]:
    """Wall and CPU seconds, and queries. CPU time is shown too: on a shared machine other processes
    stretch the wall time, not the work done."""
    with counting_queries() as queries:
        start, cpu = time.perf_counter(), time.process_time()
        result = import_ledger(file_obj=io.BytesIO(data), filename="台账.xlsx", user=user, dry_run=dry_run)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    if not result.ok:
        raise SystemExit(f"import refused: {result.errors[:3]}")
    return elapsed, cpu, queries[0]


@contextmanager
def counting_queries():
    """Counts statements without recording their SQL (CaptureQueriesContext's debug cursor costs time)."""
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        yield count


def timed_upload(data: bytes, client: Client) -> tuple[float, float, int]:
    """The import as a user makes it: the file POSTed to the import page. Wall and CPU seconds, queries."""
    upload = SimpleUploadedFile("台账.xlsx", data, content_type=XLSX_TYPE)
    with counting_queries() as queries:
        start, cpu = time.perf_counter(), time.process_time()
        response = client.post(reverse("ledger_import"), {"file": upload})
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    if response.status_code != 302:  # the page redirects to the registry once the accounts are in
        raise SystemExit(f"upload refused: HTTP {response.status_code}")
    return elapsed, cpu, queries[0]


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rolled_back(timed, *args, **kwargs):
    """timed(*args, **kwargs) inside a transaction that is then rolled back; its result, and the audit rows it wrote."""
    try:
        with transaction.atomic():
            audit_before = AuditEntry.objects.count()
            result = timed(*args, **kwargs)
            audits = AuditEntry.objects.count() - audit_before
            raise Rollback
    except Rollback:
        pass
    return result, audits


def bench_import(sizes: list[int], user: User, units: list[Unit], platforms: list[Platform], repeat: int = 1) -> None:
    print("validate = read and check (a dry run); write = the rest of a full import; cpu = this process's CPU time;")
    print("upload = the full import POSTed to the import page as the supervisor (HTTP through Django's test client)")
    if repeat > 1:
        print(f"each figure is the fastest of {repeat} runs (other processes on the machine only ever slow one down)")
    print(f"{'rows':>7} {'file':>8} {'validate':>9} {'write':>8} {'total':>8} {'cpu':>7} {'rows/s':>8} "
          f"{'queries':>8} {'q/row':>7} {'audit rows':>10} {'upload':>8} {'cpu':>7} {'queries':>8}")
    # The static files are not collected for a benchmark; WhiteNoise's warning about it says nothing here.
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")
    client = Client()
    client.force_login(user)
    for n in sizes:
        data = ledger(n, units, platforms, tag=f"b{n}-")
        validate, _, dry_queries = min(timed_import(data, user, dry_run=True) for _ in range(repeat))
        (total, cpu, queries), audits = min(rolled_back(timed_import, data, user, dry_run=False) for _ in range(repeat))
        (upload, upload_cpu, upload_queries), upload_audits = min(rolled_back(timed_upload, data, client)
                                                                   for _ in range(repeat))
        if upload_audits != audits:
            raise SystemExit(f"the upload wrote {upload_audits} audit rows, the library {audits}")
        print(f"{n:>7,} {len(data) / 1024:>6.0f}KB {validate:>8.2f}s {total - validate:>7.2f}s {total:>7.2f}s "
              f"{cpu:>6.2f}s {n / total:>8,.0f} {queries:>8} {queries / n:>7.3f} {audits:>10,} "
              f"{upload:>7.2f}s {upload_cpu:>6.2f}s {upload_queries:>8}" + ("   (target < 3 s)" if n == 3000 else ""))


def bench_export(n: int, user: User, units: list[Unit], platforms: list[Platform]) -> None:
    data = ledger(n, units, platforms, tag="x")
    try:
        with transaction.atomic():
            timed_import(data, user, dry_run=False)
            with counting_queries() as queries:
                start, cpu = time.perf_counter(), time.process_time()
                exported = export_registry(user)
                elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
            print(f"export of {Account.objects.count():,} accounts: {elapsed:.2f} s (cpu {cpu:.2f} s), "
                  f"{queries[0]} queries, {len(exported) / 1024:,.0f} KB (26 s before)")
            raise Rollback
    except Rollback:
        pass


def bench_hostile() -> None:
    """The hostile uploads of the tests, each read in a fresh process: seconds and peak memory."""
    from tests.registry.handmade_xlsx import MB, handmade_xlsx, inline
    from tests.registry.test_ledger_cells import _read_cost

    files = {
        "1 row at row 1,048,576, dimension A1:XFD1048576": (handmade_xlsx(
            ['<row r="1048576">' + inline("XFD1048576", "账号ID") + "</row>"], dimension="A1:XFD1048576"), "x.xlsx"),
        "5,243 rows spread to row 1,048,576 and column XFD": (handmade_xlsx(
            (f'<row r="{r}">{inline(f"A{r}", "x")}{inline(f"XFD{r}", "y")}</row>' for r in range(1, 1_048_577, 200)),
            dimension="A1:XFD1048576"), "x.xlsx"),
        "sheet padded with 190 MB of whitespace": (handmade_xlsx(
            ['<row r="1">' + inline("A1", "账号ID") + "</row>"], padding_mb=190), "x.xlsx"),
        "600,000 short shared strings": (handmade_xlsx(
            ['<row r="1"><c t="s"><v>0</v></c></row>'], shared_strings=[str(i) for i in range(600_000)]), "x.xlsx"),
        "10 MB of commas": (b"," * (10 * MB - 10), "x.csv"),
        "10 MB of newlines": (b"\n" * (10 * MB - 10), "x.csv"),
    }
    for label, (data, name) in files.items():
        seconds, extra, outcome = _read_cost(data, name)
        print(f"{label:<52} {len(data) / 1024:>7,.0f} KB {seconds:>6.2f} s {extra / MB:>6.0f} MB  {outcome[:60]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[300, 3000, 10000], help="ledger sizes")
    parser.add_argument("--repeat", type=int, default=1, help="run each import this many times, show the fastest")
    parser.add_argument("--no-export", action="store_true", help="skip the export at the largest size")
    parser.add_argument("--hostile", action="store_true", help="also time the hostile uploads")
    args = parser.parse_args(argv)
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        print(f"database: {connection.vendor}")
        user, units, platforms = seed(max(args.rows))
        bench_import(args.rows, user, units, platforms, args.repeat)
        if not args.no_export:
            bench_export(max(args.rows), user, units, platforms)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    if args.hostile:
        bench_hostile()
    return 0


if __name__ == "__main__":
    sys.exit(main())
