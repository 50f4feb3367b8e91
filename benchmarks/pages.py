"""Latency and query count of every list page, at a small registry and at 10,000 accounts, in one run.

    python benchmarks/pages.py                          # 500 and 10,000 accounts, temporary SQLite files
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_pages python benchmarks/pages.py   # on PostgreSQL
    python benchmarks/pages.py --sizes 500 3000 --repeat 3 --pages registry consolidation
    python benchmarks/pages.py --explain                # also the query plan of the registry list's page 100

Each size gets a database of its own (Django's test database: a temporary file on SQLite, `bench_<name>` on
PostgreSQL, dropped at the end), filled with bulk_create: about one unit per ten accounts (departments with
subordinate units, streets, enterprises, internal departments), filings, follower counts, applications,
closure notices and content checks. The pages are fetched through Django's test Client as the district
supervisor and as a department's unit admin, whose remit stays about the same size at every registry size.

Targets: every page under 1 s at 10,000 accounts; the same query count at both sizes (a page whose
count grows with the registry issues queries per row).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import warnings
from collections import deque
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govmedia.settings")
os.environ.setdefault("GOVMEDIA_SECRET_KEY", "benchmark-only-not-a-secret")

import django  # noqa: E402

# Static files are served from the app folders here; whitenoise need not warn that none were collected.
warnings.filterwarnings("ignore", "No directory at", UserWarning)

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from govmedia import clock  # noqa: E402
from govmedia.contentcheck.models import ContentCheck  # noqa: E402
from govmedia.orgs.models import Person, Role, Unit, UnitKind, User  # noqa: E402
from govmedia.registry.models import (  # noqa: E402
    Account,
    AccountStatus,
    Application,
    ApplicationKind,
    ApplicationState,
    ClosureNotice,
    Filing,
    FilingKind,
    FollowerSnapshot,
    Platform,
)
from govmedia.registry.rules import default_competent_unit_id  # noqa: E402
from govmedia.registry.selectors import registry_list  # noqa: E402

PAGES = {
    "dashboard": "/",
    "registry": "/registry/accounts/",
    "registry p100": "/registry/accounts/?page=100",
    "registry unit": "/registry/accounts/?unit={unit}",
    "unit search": "/registry/units/search?q={unit_word}",
    "filings": "/registry/filings/",
    "filings all": "/registry/filings/?show=all&page=50",
    "notices": "/registry/notices/",
    "inbox": "/registry/applications/",
    "consolidation": "/registry/consolidation/",
    "contentcheck": "/check/",
    "export": "/registry/export.xlsx",
}
WORDS = "政务发布资讯服务在线之窗动态视点融媒便民青年文明城市教育卫生"
ACCOUNT_SUFFIXES = ["发布", "资讯", "在线", "之窗", "服务", "动态", "视点", "融媒", "便民"]


# ---------------------------------------------------------------- data


def _units(n_accounts: int, rng: random.Random) -> tuple[Unit, list[Unit], list[Unit]]:
    """The district office, the account-owning units (about one per ten accounts) and the departments."""
    office = Unit.objects.create(name="管委办公室", short_name="管委办", kind=UnitKind.DISTRICT_OFFICE)
    n_owning = max(n_accounts // 10, 20)
    n_dept, n_street, n_enterprise = max(n_owning // 25, 4), max(n_owning // 50, 2), n_owning // 20
    n_sub = n_owning - n_dept - n_street - n_enterprise - 1
    departments = Unit.objects.bulk_create(
        Unit(name=f"区第{i}局", short_name=f"{i}局", kind=UnitKind.DEPARTMENT) for i in range(n_dept))
    streets = Unit.objects.bulk_create(
        Unit(name=f"第{i}街道", kind=UnitKind.TOWN_STREET) for i in range(n_street))
    subordinates = Unit.objects.bulk_create(
        Unit(name=f"{departments[i % n_dept].name}第{i}中心", kind=UnitKind.SUBORDINATE,
             parent=departments[i % n_dept], competent_unit=departments[i % n_dept]) for i in range(n_sub))
    enterprises = Unit.objects.bulk_create(
        Unit(name=f"区第{i}公司", kind=UnitKind.ENTERPRISE, competent_unit=departments[i % n_dept])
        for i in range(n_enterprise))
    # Internal departments: they may not host accounts, and an account named after one breaks art. 5.
    Unit.objects.bulk_create(
        Unit(name=f"{d.name}{part}", short_name=part, kind=UnitKind.INTERNAL, parent=d)
        for d in departments[::3] for part in ("办公室", "宣传科"))
    rng.shuffle(subordinates)
    return office, [office, *departments, *streets, *subordinates, *enterprises], departments


def _accounts(n: int, owners: list[Unit], rng: random.Random) -> list[Account]:
    """`n` accounts over the owners, one per platform family and unit, with a few art. 5 breaches planted."""
    by_key: dict[str, list[Platform]] = {}
    for p in Platform.objects.all():
        by_key.setdefault(p.exclusivity_key, []).append(p)
    keys = sorted(by_key)
    accounts: list[Account] = []
    statuses = [AccountStatus.NORMAL] * 90 + [AccountStatus.PENDING] * 3 + [AccountStatus.CLOSING] * 2 + [
        AccountStatus.CLOSED] * 3 + [AccountStatus.CANCELLED] * 2
    unit_index = 0
    while len(accounts) < n:
        unit = owners[unit_index % len(owners)]
        unit_index += 1
        label = unit.short_name or unit.name
        for key in rng.sample(keys, k=min(rng.randint(6, 14), n - len(accounts))):
            i = len(accounts)
            platform = rng.choice(by_key[key])
            name = f"{label}{rng.choice(ACCOUNT_SUFFIXES)}"
            breach = rng.random()
            if breach < 0.01 and key == "wechat-oa":
                accounts.append(_account(i, unit, by_key[key][0], name + "服务号", rng, AccountStatus.NORMAL))
                i += 1
            elif breach < 0.02 and unit.kind == UnitKind.DEPARTMENT:
                name = f"{label}宣传科"
            accounts.append(_account(i, unit, platform, name, rng, rng.choice(statuses)))
            if breach > 0.995:
                accounts[-1].registrant_kind = "individual"
    return Account.objects.bulk_create(accounts[:n], batch_size=2000)


def _account(i: int, unit: Unit, platform: Platform, name: str, rng: random.Random, status: str) -> Account:
    about = "".join(rng.choices(WORDS, k=12))
    return Account(
        account_id=f"bench{i:06d}", name=name, platform=platform, host_unit=unit,
        competent_unit_id=default_competent_unit_id(unit), status=status, registered_on=date(2021, 3, 1),
        live_on=date(2021, 3, 15), introduction=f"发布{unit.name}{about}", is_verified=rng.random() < 0.7,
        provincial_filing_no=f"37021100{i:06d}" if rng.random() < 0.8 else "",
    )


def load(n: int, seed: int = 1) -> dict:
    """Fill the empty database with a registry of `n` accounts; return the personas and a unit to filter on."""
    rng = random.Random(seed)
    today = clock.today()
    office, owners, departments = _units(n, rng)
    accounts = _accounts(n, owners, rng)
    supervisor = User.objects.create(
        username="bench_supervisor", role=Role.SUPERVISOR,
        person=Person.objects.create(name="王监管", unit=office, title="科长"))
    unit_admin = User.objects.create(
        username="bench_unit_admin", role=Role.UNIT_ADMIN,
        person=Person.objects.create(name="李管理", unit=departments[0], title="办公室主任"))
    applicant = User.objects.create(
        username="bench_operator", role=Role.OPERATOR,
        person=Person.objects.create(name="孙运维", unit=departments[0], title="科员"))

    filings, snapshots = [], []
    for a in accounts:
        filings.append(Filing(account=a, kind=FilingKind.LEGACY, triggered_on=date(2020, 9, 10),
                              due_on=date(2020, 10, 12), filed_on=date(2020, 10, 9)))
        if rng.random() < 0.1:
            due = today + timedelta(days=rng.randint(-40, 10))
            filings.append(Filing(account=a, kind=FilingKind.CHANGE, triggered_on=due - timedelta(days=9), due_on=due))
        if a.status == AccountStatus.NORMAL:
            now = int(rng.lognormvariate(8.5, 1.6))
            grown = now if rng.random() < 0.1 else int(now * rng.uniform(0.5, 0.95))
            snapshots += [FollowerSnapshot(account=a, taken_on=today - timedelta(days=7), followers=now),
                          FollowerSnapshot(account=a, taken_on=today - timedelta(days=200), followers=grown)]
    Filing.objects.bulk_create(filings, batch_size=2000)
    FollowerSnapshot.objects.bulk_create(snapshots, batch_size=2000)

    submitted_at = clock.now() - timedelta(days=2)
    applications, notices = [], []
    for a in accounts:
        chain = list(dict.fromkeys([a.host_unit_id, a.competent_unit_id, office.pk]))
        if a.status == AccountStatus.CLOSING or (a.status == AccountStatus.CLOSED and rng.random() < 0.3):
            applications.append(Application(
                kind=ApplicationKind.CLOSE, account=a, applicant=applicant, reason="整合", steps=chain,
                state=ApplicationState.APPROVED, current_step=len(chain), submitted_at=submitted_at))
        elif a.status == AccountStatus.NORMAL and rng.random() < 0.02:
            applications.append(Application(
                kind=ApplicationKind.CHANGE, account=a, applicant=applicant, reason="工作需要", steps=chain,
                current_step=rng.randrange(len(chain)), submitted_at=submitted_at, changes={"name": a.name + "新"}))
    applications = Application.objects.bulk_create(applications, batch_size=2000)
    for app in applications:
        if app.kind == ApplicationKind.CLOSE:
            published = today - timedelta(days=rng.randint(1, 400))
            effective = published + timedelta(days=22)
            notices.append(ClosureNotice(
                account=app.account, application=app, kind=app.kind, title=f"关于关停“{app.account.name}”的公告",
                body="公告内容", published_on=published, effective_on=effective,
                took_effect_at=clock.now() if app.account.status == AccountStatus.CLOSED else None))
    ClosureNotice.objects.bulk_create(notices, batch_size=2000)

    checkers = [supervisor, unit_admin, applicant]
    ContentCheck.objects.bulk_create(
        (ContentCheck(unit=checkers[i % 3].unit, checked_by=checkers[i % 3], title=f"稿件{i}", text="正文" * 50,
                      checked_at=clock.now() - timedelta(hours=i), checker_version="bench", finding_count=i % 4)
         for i in range(max(n // 20, 20))), batch_size=2000)
    return {"supervisor": supervisor, "unit admin": unit_admin,
            "params": {"unit": departments[0].pk, "unit_word": departments[0].short_name}}


# ---------------------------------------------------------------- measuring


def measure(path: str, client: Client, repeat: int) -> tuple[float, float, int, int]:
    """(median seconds, median CPU seconds of this process, queries, response bytes) of GET `path`; the first,
    counted, request warms caches. CPU time includes SQLite's work but not a PostgreSQL server's; on a busy
    machine it shows what the page costs when wall time also shows the wait for a core."""
    if connection.queries_log.maxlen is not None:
        # Django keeps the last 9,000 queries only; a page issuing queries per row needs them all counted.
        connection.queries_log = deque(connection.queries_log)
    reset_queries()  # each request resets the log; counting must start from an empty one
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    count = len(queries)  # now: the next request empties the log the context reads from
    if response.status_code != 200:
        raise SystemExit(f"GET {path}: HTTP {response.status_code}")
    size = len(response.content)
    times, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        client.get(path).content  # noqa: B018 - the body is part of the cost
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(times), statistics.median(cpu), count, size


def explain_registry_page(user: User) -> None:
    """The plan of the registry list's page 100 (50 rows per page), the query a deep page runs."""
    query = registry_list(user)[99 * 50:100 * 50]
    print(f"plan of the registry list, page 100, as {user.username}:")
    print("  " + query.explain().replace("\n", "\n  "))


def run_size(n: int, pages: list[str], repeat: int, explain: bool) -> dict:
    """Create a fresh database, load `n` accounts, measure the pages; {(persona, page): measure(…)}."""
    t0 = time.perf_counter()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        t1 = time.perf_counter()
        data = load(n)
        if connection.vendor == "postgresql":
            # A server's autovacuum analyses a table after a bulk load; the plans should see the same statistics.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"{n:,} accounts: database {t1 - t0:.1f} s, load {time.perf_counter() - t1:.1f} s "
              f"({Unit.objects.count():,} units, {Filing.objects.count():,} filings)")
        if explain:
            explain_registry_page(data["supervisor"])
        results = {}
        for persona in ("supervisor", "unit admin"):
            client = Client()
            client.force_login(data[persona])
            for page in pages:
                results[persona, page] = measure(PAGES[page].format(**data["params"]), client, repeat)
        return results
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def report(sizes: list[int], pages: list[str], results: list[dict]) -> None:
    small, big = sizes[0], sizes[-1]
    print(f"\n{'persona':<11} {'page':<14} {'ms @' + format(small, ','):>11} {'ms @' + format(big, ','):>11} "
          f"{'ratio':>6} {'cpu ms @' + format(big, ','):>15} {'queries':>9} {'KB @' + format(big, ','):>10}")
    for persona in ("supervisor", "unit admin"):
        for page in pages:
            (s0, _, q0, _), (s1, c1, q1, b1) = results[0][persona, page], results[-1][persona, page]
            flag = "" if q0 == q1 and s1 < 1 else "  <-- " + ("queries grow" if q0 != q1 else "over 1 s")
            print(f"{persona:<11} {page:<14} {s0 * 1000:>11.0f} {s1 * 1000:>11.0f} {s1 / s0:>6.1f} "
                  f"{c1 * 1000:>15.0f} {f'{q0}/{q1}':>9} {b1 / 1024:>10.1f}{flag}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs=2, default=[500, 10000], metavar=("SMALL", "BIG"),
                        help="registry sizes in accounts: the baseline and the one to judge (default 500 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed requests per page, the median shown (default 3)")
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES), help="pages to measure")
    parser.add_argument("--explain", action="store_true", help="print the query plan of the registry's page 100")
    args = parser.parse_args(argv)

    db = connection.settings_dict
    with tempfile.TemporaryDirectory(prefix="govmedia-pages-") as tmp:
        if db["ENGINE"].endswith("sqlite3"):
            db["TEST"]["NAME"] = str(Path(tmp) / "bench.sqlite3")
        else:
            db["TEST"]["NAME"] = f"bench_{db['NAME']}"
        print(f"database: {connection.vendor}; repeat {args.repeat}; median latency through the test Client")
        overrides = override_settings(
            ALLOWED_HOSTS=["testserver"], PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            STORAGES={**settings.STORAGES,
                      "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}})
        with overrides:
            results = [run_size(n, args.pages, args.repeat, args.explain) for n in args.sizes]
    report(args.sizes, args.pages, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
