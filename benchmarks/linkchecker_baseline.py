"""LinkChecker (PyPI `linkchecker`) as the baseline for govmedia's link checker, on the same links.

    python benchmarks/linkchecker_baseline.py                  # 2,000 links, 20 ms latency
    python benchmarks/linkchecker_baseline.py --links 20000 --linkchecker-threads 64

Both checkers read links from one local server (`serve_links`), so both are set free of their per-host
politeness, which on a single host would measure the throttle rather than the checker:
- LinkChecker: `--no-robots`, `--check-extern`, `-r0` (check the listed URLs, do not crawl them),
  `maxrequestspersecond` raised in a config file, and the server answers with the `LinkChecker` header
  that LinkChecker requires before it goes above 10 requests/s to a host. Threads: its default 10 unless
  told. It gets the same timeout as ours.
- Ours: `per_host` = `concurrency` and `host_interval` = 0; retries and backoff stay at their defaults,
  so the time ours spends retrying 5xx and refused connections is in its figure.

LinkChecker runs as a subprocess, so its time includes its start-up (about 0.3 s). As root it drops to
user `nobody`, which is why the files it reads are made world-readable.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from govmedia.monitoring.engine.linkcheck import LinkChecker  # noqa: E402
from govmedia.monitoring.engine.types import LinkVerdict  # noqa: E402

LINKCHECKER_CONFIG = """\
[checking]
threads={threads}
timeout={timeout}
maxrequestspersecond=100000
[filtering]
checkextern=1
[output]
status=0
"""


def run_linkchecker(urls: list[str], workdir: Path, *, threads: int = 10,
                    timeout: float = 10.0) -> tuple[float, dict[str, bool]]:
    """Seconds LinkChecker took over `urls`, and for each URL whether it found it broken."""
    executable = shutil.which("linkchecker") or str(Path(sys.executable).with_name("linkchecker"))
    workdir = Path(workdir)
    config = workdir / "linkcheckerrc"
    config.write_text(LINKCHECKER_CONFIG.format(threads=threads, timeout=max(1, round(timeout))))
    config.chmod(0o644)
    workdir.chmod(0o755)
    command = [executable, "-f", str(config), "--no-robots", "--no-status", "--check-extern", "-r0",
               "-o", "csv/utf-8", "-v", "--stdin"]
    started = time.perf_counter()
    done = subprocess.run(command, input="\n".join(urls), capture_output=True, text=True, encoding="utf-8")
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1 means it found broken links
        raise RuntimeError(f"LinkChecker 运行失败（退出码 {done.returncode}）：{done.stderr[-2000:]}")
    rows = csv.DictReader((line for line in io.StringIO(done.stdout) if not line.startswith("#")),
                          delimiter=";")
    broken = {row["urlname"]: row["valid"] != "True" for row in rows}
    missing = [url for url in urls if url not in broken]
    if missing:
        raise RuntimeError(f"LinkChecker 未报告 {len(missing)} 个链接，例如 {missing[0]}")
    return seconds, broken


def run_ours(urls: list[str], *, concurrency: int = 128,
             timeout: float = 10.0) -> tuple[float, dict[str, LinkVerdict]]:
    """Seconds govmedia's checker took over `urls` (one local host, so no per-host throttle), and verdicts."""
    checker = LinkChecker(allow_private=True, concurrency=concurrency, per_host=concurrency,
                          host_interval=0.0, timeout=timeout)
    started = time.perf_counter()
    verdicts = checker.check_many(urls)
    return time.perf_counter() - started, verdicts


def agreement(ours: dict[str, LinkVerdict], theirs: dict[str, bool]) -> tuple[float, list[str]]:
    """Share of links both call broken or both call working, and the links they disagree on."""
    differ = [url for url in theirs if ours[url].is_broken != theirs[url]]
    return 1 - len(differ) / len(theirs), differ


# The link set: each kind's share in percent, with what a reader would call it.
# No unresolvable names: their cost is the resolver's (which may throttle a burst of failing lookups for
# seconds), not the checker's; the tests cover them.
KINDS = [("page", 80), ("moved", 8), ("missing", 4), ("error", 2), ("nohead", 3), ("gone", 2), ("refused", 1)]


def link_set(base: str, count: int, refused_port: int) -> list[str]:
    cycle = [kind for kind, share in KINDS for _ in range(share)]
    urls = []
    for i in range(count):
        kind = cycle[i % len(cycle)]
        urls.append(f"http://127.0.0.1:{refused_port}/{i}" if kind == "refused" else f"{base}/{kind}/{i}")
    return urls


def serve_links(port: int, latency: float) -> None:
    """Serve the link set's paths on 127.0.0.1:`port`, each answer `latency` seconds late (blocks)."""
    from aiohttp import web

    statuses = {"page": 200, "missing": 404, "error": 500, "gone": 410}
    headers = {"LinkChecker": "benchmark"}  # lets LinkChecker exceed 10 requests/s to this host

    async def answer(request: web.Request) -> web.Response:
        await asyncio.sleep(latency)
        kind, _, number = request.path.strip("/").partition("/")
        status, extra = statuses.get(kind, 404), {}
        if kind == "moved":
            status, extra = 301, {"Location": f"/page/{number}"}
        elif kind == "nohead":
            status = 405 if request.method == "HEAD" else 200
        # Always a body: aiohttp closes the connection after some empty answers, which would make this
        # server, not the checkers, the bottleneck.
        return web.Response(status=status, text="<html><body>页面</body></html>", content_type="text/html",
                            headers={**headers, **extra})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--links", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.02, help="seconds added to every answer")
    parser.add_argument("--concurrency", type=int, default=128, help="ours")
    parser.add_argument("--linkchecker-threads", type=int, default=10)
    args = parser.parse_args(argv)

    port, refused_port = free_port(), free_port()
    server = multiprocessing.get_context("spawn").Process(target=serve_links, args=(port, args.latency),
                                                          daemon=True)
    server.start()
    try:
        wait_for_port(port)
        urls = link_set(f"http://127.0.0.1:{port}", args.links, refused_port)
        ours_seconds, ours = run_ours(urls, concurrency=args.concurrency)
        with tempfile.TemporaryDirectory() as workdir:
            their_seconds, theirs = run_linkchecker(urls, Path(workdir), threads=args.linkchecker_threads)
    finally:
        server.terminate()
        server.join()

    share, differ = agreement(ours, theirs)
    ours_rate, their_rate = len(urls) / ours_seconds, len(urls) / their_seconds
    print(f"{len(urls):,} links, {args.latency * 1000:g} ms latency, one local host")
    print(f"ours (concurrency {args.concurrency}): {ours_rate:8.0f} links/s  ({ours_seconds:.2f} s, "
          f"{sum(v.is_broken for v in ours.values())} broken)")
    print(f"LinkChecker ({args.linkchecker_threads} threads): {their_rate:8.0f} links/s  "
          f"({their_seconds:.2f} s, {sum(theirs.values())} broken)")
    print(f"agreement on broken links: {share:.2%}" + (f"; differ on e.g. {differ[:3]}" if differ else ""))
    print(f"ratio ours / LinkChecker: {ours_rate / their_rate:.1f}x  (target ≥ 5x)")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
