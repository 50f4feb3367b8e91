"""Monitoring end to end: ingesting and checking a district's posts from the simulator, and our link checker
against LinkChecker (PyPI `linkchecker`) on the same links, in one run.

    python benchmarks/monitoring.py                                  # 1,000 accounts × 30 days, 20 ms latency
    python benchmarks/monitoring.py --accounts 200 --memory-sizes 100 200    # a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_bench python benchmarks/monitoring.py   # on PostgreSQL

What it does:
1. Starts the platform simulator (`python -m govmedia.simulator --world bench`) in a child process with
   `--latency-ms` added to every request: 1,000 accounts × 30 days is about 30,000 posts and 100,000 links.
2. In a fresh database (Django's test database: a temporary SQLite file, or `test_<name>` on PostgreSQL),
   creates one account and one feed source per simulated account, then runs `run_cycle` — what
   `govmedia monitor run` and the workers run: read every feed, store the posts, check every link, run the
   text checker, the repost and activity rules on every post and account, record findings and alerts.
   Prints posts/s ingested and checked, and the links/s of the cycle's link checking.
3. Takes the distinct links the cycle checked and checks them again with a fresh govmedia LinkChecker
   (no cache), then with LinkChecker, and compares which links each calls broken.
4. Runs step 2 alone at each other size of `--memory-sizes` in a child process and prints each size's peak
   RSS, to show memory stays flat as accounts grow.

Both link checkers read one local host, so both are set free of their per-host politeness, which on a
single host would measure the throttle rather than the checker: ours with per_host = concurrency and no
interval (its retries and backoff as in production), LinkChecker with the options of
benchmarks/linkchecker_baseline.py (the simulator answers with the header LinkChecker requires to go past
10 requests/s per host). The last line is the ratio of our links/s to LinkChecker's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govmedia.settings")
os.environ.setdefault("GOVMEDIA_SECRET_KEY", "benchmark-only-not-a-secret")
warnings.filterwarnings("ignore", "No directory at", UserWarning)

CONCURRENCY = 128
LINK_TIMEOUT = 10.0


def start_simulator(accounts: int, days: int, latency_ms: int, slow_seconds: float, now: str):
    from govmedia.simulator.server import start_in_process

    return start_in_process("--world", "bench", "--accounts", str(accounts), "--days", str(days),
                            "--latency-ms", str(latency_ms), "--slow-seconds", str(slow_seconds), "--now", now)


def manifest(base_url: str) -> dict:
    with urllib.request.urlopen(f"{base_url}/_manifest", timeout=120) as answer:
        return json.load(answer)


def load_accounts(world: dict) -> int:
    """One unit, and an account with one source per simulated account; returns how many."""
    from govmedia.monitoring.models import Source, SourceKind
    from govmedia.orgs.models import Unit, UnitKind
    from govmedia.registry.models import Account, AccountStatus, Platform

    unit = Unit.objects.create(name="基准测试单位", kind=UnitKind.DEPARTMENT)
    platforms = {platform.code: platform for platform in Platform.objects.all()}
    accounts = Account.objects.bulk_create([
        Account(account_id=key, name=f"{entry['name']}{n}", platform=platforms[entry["platform"]],
                competent_unit=unit, host_unit=unit, status=AccountStatus.NORMAL,
                live_on=datetime(2020, 1, 1).date(), registered_on=datetime(2020, 1, 1).date())
        for n, (key, entry) in enumerate(world["accounts"].items())])
    by_key = {account.account_id: account for account in accounts}
    Source.objects.bulk_create([
        Source(account=by_key[key], kind=SourceKind.FEED if entry["kind"] == "feed" else SourceKind.WEB,
               url=entry["url"]) for key, entry in world["accounts"].items()])
    return len(accounts)


def cycle(accounts: int, days: int, latency_ms: int, slow_seconds: float, now: datetime) -> dict:
    """Steps 1 and 2 in a fresh database; the figures, and the distinct links the cycle checked."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from govmedia.monitoring.models import Finding, LinkCheck, Post
    from govmedia.monitoring.services import checking
    from govmedia.monitoring.services.cycle import run_cycle

    settings.GOVMEDIA_MONITOR_ALLOW_PRIVATE = True
    settings.GOVMEDIA_LINKCHECK = {"concurrency": CONCURRENCY, "per_host": CONCURRENCY, "host_interval": 0.0,
                                   "timeout": LINK_TIMEOUT}
    base_url, stop = start_simulator(accounts, days, latency_ms, slow_seconds, now.isoformat())
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        world = manifest(base_url)
        load_accounts(world)
        link_seconds = []
        check_links = checking.check_pending_links

        def timed_check_links(*args, **kwargs):
            started = time.perf_counter()
            try:
                return check_links(*args, **kwargs)
            finally:
                link_seconds.append(time.perf_counter() - started)

        checking.check_pending_links = timed_check_links  # timed, not replaced: the real function runs
        started = time.perf_counter()
        summary = run_cycle(now=now, threads=16)
        seconds = time.perf_counter() - started
        checking.check_pending_links = check_links
        return {
            "accounts": accounts, "seconds": seconds, "posts": Post.objects.count(),
            "checked": Post.objects.filter(checked_at__isnull=False).count(),
            "links": LinkCheck.objects.count(), "link_seconds": sum(link_seconds),
            "findings": Finding.objects.count(), "broken_sources": summary.count("broken"),
            "expected_posts": world["totals"]["posts"], "expected_links": world["totals"]["links"],
            "link_set": sorted(LinkCheck.objects.values_list("url", flat=True)),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        stop()


def memory_only(args) -> None:
    """Child process of step 4: one cycle, print its figures as JSON."""
    figures = cycle(args.accounts, args.days, args.latency_ms, args.slow_seconds, args.now)
    figures.pop("link_set")
    print(json.dumps(figures))


def peak_memory(size: int, args) -> dict:
    command = [sys.executable, __file__, "--memory-child", "--accounts", str(size), "--days", str(args.days),
               "--latency-ms", str(args.latency_ms), "--slow-seconds", str(args.slow_seconds),
               "--now", args.now.isoformat()]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare_link_checkers(urls: list[str], latency_ms: int, slow_seconds: float, now: datetime) -> dict:
    """Step 3 on a fresh simulator (same world, so the same links answer the same way)."""
    from benchmarks.linkchecker_baseline import agreement, run_linkchecker
    from govmedia.monitoring.engine.linkcheck import LinkChecker

    # The links point at the cycle's simulator, which is gone: serve the same paths again and re-address them.
    accounts = int(os.environ["BENCH_ACCOUNTS"])
    base_url, stop = start_simulator(accounts, int(os.environ["BENCH_DAYS"]), latency_ms, slow_seconds,
                                     now.isoformat())
    try:
        old_base = os.environ["BENCH_OLD_BASE"]
        urls = [base_url + url[len(old_base):] if url.startswith(old_base) else url for url in urls]
        ours = LinkChecker(allow_private=True, concurrency=CONCURRENCY, per_host=CONCURRENCY, host_interval=0.0,
                           timeout=LINK_TIMEOUT)
        started = time.perf_counter()
        verdicts = ours.check_many(urls)
        our_seconds = time.perf_counter() - started
        with tempfile.TemporaryDirectory() as workdir:
            their_seconds, theirs = run_linkchecker(urls, Path(workdir), timeout=LINK_TIMEOUT)
    finally:
        stop()
    share, differ = agreement(verdicts, theirs)
    return {"links": len(urls), "our_seconds": our_seconds, "their_seconds": their_seconds, "agreement": share,
            "differ": differ[:5], "our_broken": sum(v.is_broken for v in verdicts.values()),
            "their_broken": sum(theirs.values())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--slow-seconds", type=float, default=15.0, help="how long the world's slow links hang")
    parser.add_argument("--memory-sizes", type=int, nargs="*", default=[250, 1000])
    parser.add_argument("--now", type=datetime.fromisoformat, default=datetime(2026, 11, 30, 12, tzinfo=UTC))
    parser.add_argument("--skip-linkchecker", action="store_true")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        memory_only(args)
        return 0

    print(f"模拟平台：{args.accounts:,} 个账号 × {args.days} 天，每个请求延迟 {args.latency_ms} ms")
    figures = cycle(args.accounts, args.days, args.latency_ms, args.slow_seconds, args.now)
    print(f"一轮监测（读取、入库、检查）：{figures['seconds']:.1f} s；信息 {figures['posts']:,} 条"
          f"（模拟平台共 {figures['expected_posts']:,} 条，含故障数据源的账号），已检查 {figures['checked']:,} 条；"
          f"问题 {figures['findings']:,} 个；故障数据源 {figures['broken_sources']}")
    print(f"posts/s ingested and checked: {figures['posts'] / figures['seconds']:,.0f}")
    print(f"links/s checked (in the cycle): {figures['links'] / figures['link_seconds']:,.0f} "
          f"({figures['links']:,} distinct links in {figures['link_seconds']:.1f} s)")

    for size in args.memory_sizes:
        # The main run is its own measurement at its size: the link comparison has not run in it yet.
        child = figures if size == args.accounts else peak_memory(size, args)
        print(f"peak RSS at {size:,} accounts: {child['peak_rss_mb']:.0f} MB "
              f"({child['posts']:,} posts, {child['links']:,} links, {child['seconds']:.1f} s)")

    if args.skip_linkchecker:
        return 0
    base = figures["link_set"][0].split("/link/")[0] if figures["link_set"] else ""
    os.environ.update(BENCH_ACCOUNTS=str(args.accounts), BENCH_DAYS=str(args.days), BENCH_OLD_BASE=base)
    compared = compare_link_checkers(figures["link_set"], args.latency_ms, args.slow_seconds, args.now)
    ours = compared["links"] / compared["our_seconds"]
    theirs = compared["links"] / compared["their_seconds"]
    print(f"links/s checked (govmedia LinkChecker, same {compared['links']:,} links, no cache): {ours:,.0f}")
    print(f"LinkChecker links/s: {theirs:,.0f}")
    print(f"agreement on broken links: {compared['agreement']:.2%} "
          f"(govmedia {compared['our_broken']:,} broken, LinkChecker {compared['their_broken']:,}; "
          f"first differences: {compared['differ']})")
    print(f"ratio govmedia / LinkChecker links/s: {ours / theirs:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
