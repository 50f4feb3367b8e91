"""`python -m govmedia.simulator [serve] ...` and `python -m govmedia.simulator publish ...`."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
import urllib.error
import urllib.request
from datetime import datetime

from .server import BANNER, Options, start
from .world import CN, World
from .worlds import bench_world, demo_world, load_accounts, sample_accounts


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"时间“{text}”不是 ISO 格式，例如 2026-03-02T10:00+08:00") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=CN)


def _serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m govmedia.simulator",
                                     description="政务新媒体平台模拟器：RSSHub 式订阅源、文章页、链接目标和预埋问题")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8700, help="0 表示任选空闲端口（启动后第一行输出地址）")
    parser.add_argument("--latency-ms", type=float, default=0, help="每个请求增加的延迟（毫秒）")
    parser.add_argument("--world", choices=("demo", "bench"), default="demo")
    parser.add_argument("--accounts-file", help="demo 世界的账号列表：JSON 数组，每项 {key, platform[, name, …]}")
    parser.add_argument("--accounts", type=int, default=1000, help="bench 世界的账号数")
    parser.add_argument("--days", type=int, default=30, help="订阅源包含最近多少天的信息")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--now", type=_moment, help="固定的当前时间（ISO），默认用真实时钟")
    parser.add_argument("--slow-seconds", type=float, default=30.0, help="慢链接和超时来源的等待秒数")
    parser.add_argument("--huge-bytes", type=int, default=32 * 1024 * 1024, help="超大响应体的字节数")
    parser.add_argument("--link-hosts", type=int, default=1,
                        help="把 /link/ 链接分散到 127.0.0.1…127.0.0.N 这 N 个回环地址（同一端口）")
    return parser


def _publish_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m govmedia.simulator publish",
                                     description="在模拟器上以当前时间为某账号发布一条信息")
    parser.add_argument("--url", default="http://127.0.0.1:8700", help="模拟器地址")
    parser.add_argument("--account", required=True, help="账号标识（key）")
    parser.add_argument("--title", required=True)
    parser.add_argument("--text", required=True)
    parser.add_argument("--link", action="append", default=[], help="正文中的链接，可重复")
    parser.add_argument("--repost-source", help="作为转载发布并注明此来源（空字符串：转载但不注明来源）")
    return parser


def build_world(args: argparse.Namespace) -> World:
    if args.world == "bench":
        return bench_world(args.accounts, days=args.days, seed=args.seed, now=args.now)
    accounts = load_accounts(args.accounts_file) if args.accounts_file else sample_accounts()
    return demo_world(accounts, seed=args.seed, days=args.days, now=args.now)


async def _serve(world: World, host: str, port: int, options: Options) -> None:
    runner, url = await start(world, host, port, options)
    print(f"{BANNER} {url}", flush=True)
    print(f"账号 {len(world.accounts)} 个；清单 {url}/_manifest；Ctrl+C 停止", file=sys.stderr, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()


def serve(argv: list[str]) -> int:
    args = _serve_parser().parse_args(argv)
    if args.link_hosts > 1 and args.host != "127.0.0.1":
        _serve_parser().error("--link-hosts 只能与 --host 127.0.0.1 一起使用")
    try:
        world = build_world(args)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    options = Options(latency_ms=args.latency_ms, slow_seconds=args.slow_seconds, huge_bytes=args.huge_bytes,
                      link_hosts=tuple(f"127.0.0.{i}" for i in range(2, args.link_hosts + 1)))
    asyncio.run(_serve(world, args.host, args.port, options))
    return 0


def publish(argv: list[str]) -> int:
    args = _publish_parser().parse_args(argv)
    payload = {"account": args.account, "title": args.title, "text": args.text, "links": args.link}
    if args.repost_source is not None:
        payload["repost_source"] = args.repost_source
    request = urllib.request.Request(args.url.rstrip("/") + "/_publish", data=json.dumps(payload).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            print(response.read().decode())
    except urllib.error.HTTPError as error:
        print(error.read().decode(errors="replace"), file=sys.stderr)
        return 1
    except urllib.error.URLError as error:
        print(f"无法连接模拟器 {args.url}：{error.reason}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["publish"]:
        return publish(argv[1:])
    return serve(argv[1:] if argv[:1] == ["serve"] else argv)
