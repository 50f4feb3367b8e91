"""``govmedia monitor probe URL... [--as-of DATE] [--allow-private] [--format json|text]``: read feeds and run
every monitoring check on them, without Django or a database.

Each URL is taken as one account's only source. Its posts get every post check (the shipped lexicons, the
link checker, the shipped approved-source list); the account gets every activity check on `--as-of`
(default today, Beijing time), over the four weeks before it but no further back than the feed's oldest
dated item: a feed lists only its latest items, and what came before them is unknown, not silence. A
source that cannot be read is reported broken with its reason, and gets no activity findings: a broken
source says nothing about whether the account published.

Exit status: 0 nothing found, 1 findings or a broken source, 2 usage error (no URL, a URL that is not
http(s), a bad date).

JSON: a list, one entry per URL: {url, source: {status, reason}, account_findings: [{code, detail}],
posts: [{id, url, title, published (ISO or null), kind, source, findings: [{code, category, text, start,
end, detail}]}]}. `category` is the group a code counts towards (content, links, reposts).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from govmedia.textcheck import Checker

from . import codes
from .activity import DEFAULT_WINDOW_DAYS, ActivityPolicy, PostFacts, account_findings, local_day
from .approved import ApprovedNames, shipped_outlets
from .dates import BEIJING
from .feeds import read_feed
from .linkcheck import LinkChecker
from .netguard import is_web_url
from .postchecks import check_post
from .types import BROKEN_REASONS, OK, AccountFinding, FetchedPost, PostFinding, SourceReading

EXIT_CLEAN, EXIT_FOUND, EXIT_USAGE = 0, 1, 2
KIND_LABEL = {"original": "原创", "repost": "转载"}


@dataclass
class Probe:
    """What probing one URL found."""

    url: str
    reading: SourceReading
    window_start: date | None = None  # of the activity checks, when they ran
    account_findings: list[AccountFinding] = field(default_factory=list)
    posts: list[tuple[FetchedPost, list[PostFinding]]] = field(default_factory=list)

    @property
    def source_ok(self) -> bool:
        return self.reading.status == OK

    @property
    def finding_count(self) -> int:
        return len(self.account_findings) + sum(len(found) for _, found in self.posts)

    def to_dict(self) -> dict:
        return {
            "url": self.url,
            "source": {"status": self.reading.status, "reason": self.reading.reason},
            "account_findings": [{"code": f.code, "detail": f.detail} for f in self.account_findings],
            "posts": [{
                "id": post.post_id, "url": post.url, "title": post.title,
                "published": post.published.isoformat() if post.published else None,
                "kind": post.kind, "source": post.repost_source,
                "findings": [{"code": f.code, "category": f.category, "text": f.text, "start": f.start,
                              "end": f.end, "detail": f.detail} for f in found],
            } for post, found in self.posts],
        }


def window_start(posts: Sequence[FetchedPost], as_of: date) -> date:
    """Four weeks before as_of, but not before the oldest dated item the feed still lists."""
    start = as_of - timedelta(days=DEFAULT_WINDOW_DAYS - 1)
    known = [local_day(post.published) for post in posts if post.published]
    return min(max(start, min(known)), as_of) if known else start


def probe(urls: Sequence[str], *, as_of: date, allow_private: bool = False, checker: Checker | None = None,
          approved: ApprovedNames | None = None, policy: ActivityPolicy | None = None,
          link_checker: LinkChecker | None = None) -> list[Probe]:
    readings = [read_feed(url, allow_private=allow_private) for url in urls]
    links = {link for reading in readings if reading.status == OK for post in reading.posts for link in post.links}
    link_checker = link_checker or LinkChecker(allow_private=allow_private)
    verdicts = link_checker.check_many(sorted(links), today=as_of) if links else {}
    checker = checker or Checker()
    approved = approved or ApprovedNames.from_outlets(shipped_outlets())
    policy = policy or ActivityPolicy()
    probes = []
    for url, reading in zip(urls, readings, strict=True):
        result = Probe(url, reading)
        if result.source_ok:
            result.posts = [(post, check_post(post, checker=checker, verdicts=verdicts, approved=approved))
                            for post in reading.posts]
            facts = [PostFacts(post.published, post.kind) for post in reading.posts]
            result.window_start = window_start(reading.posts, as_of)
            result.account_findings = account_findings(facts, as_of=as_of, policy=policy,
                                                       window_start=result.window_start)
        probes.append(result)
    return probes


def _where(post: FetchedPost, finding: PostFinding) -> str:
    """Where a finding is, for a reader: in the title or the text, counted in characters from 1."""
    if finding.start is None or finding.end is None:
        return ""
    if finding.start < len(post.title):
        return f" 标题第 {finding.start + 1}–{finding.end} 字"
    offset = len(post.title) + 1
    return f" 正文第 {finding.start - offset + 1}–{finding.end - offset} 字"


def render_text(probes: Sequence[Probe], as_of: date) -> str:
    """A report for people: each source's health, the account's findings, then the posts with findings."""
    lines = []
    for result in probes:
        lines.append(f"== {result.url}")
        if not result.source_ok:
            reason = BROKEN_REASONS.get(result.reading.reason, result.reading.reason)
            detail = f"（{result.reading.detail}）" if result.reading.detail else ""
            lines += [f"数据源：故障 [{result.reading.reason}] {reason}{detail}",
                      "  数据源故障时不判断账号更新情况（故障不等于账号未更新）", ""]
            continue
        lines.append(f"数据源：正常，读到 {len(result.posts)} 条信息；更新情况检查窗口 {result.window_start} 至 {as_of}")
        lines.append(f"账号问题：{len(result.account_findings)} 项" if result.account_findings else "账号问题：无")
        lines += [f"  [{codes.LABEL[f.code]} {f.code}] {f.detail}" for f in result.account_findings]
        flagged = [(post, found) for post, found in result.posts if found]
        lines.append(f"信息问题：{len(flagged)} 条信息有问题，{len(result.posts) - len(flagged)} 条未发现问题")
        for post, found in flagged:
            published = f"{post.published.astimezone(BEIJING):%Y-%m-%d %H:%M}" if post.published else "发布时间未知"
            source = f"，来源：{post.repost_source}" if post.repost_source else ""
            lines.append(f"- {published} {post.title or '（无标题）'}（{KIND_LABEL.get(post.kind, post.kind)}"
                         f"{source}）{post.url}")
            for f in found:
                quoted = f"“{f.text}”{_where(post, f)}：" if f.text and f.text != f.url else ""
                lines.append(f"    [{codes.LABEL.get(f.code, f.code)} {f.code}] {quoted}{f.detail}")
        lines.append("")
    return "\n".join(lines)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"参数错误（usage error）: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="govmedia monitor probe",
        description="读取订阅源（RSS、Atom、JSON Feed），对其中信息做内容、链接、转载来源检查，并把每个地址当作"
                    "一个账号的唯一数据源检查更新情况。不使用数据库。",
        epilog="退出码 (exit status): 0 未发现问题, 1 发现问题或数据源故障, 2 参数错误.",
    )
    parser.add_argument("urls", nargs="+", metavar="URL", help="订阅源地址（http 或 https）")
    parser.add_argument("--as-of", metavar="DATE", help="检查日期 YYYY-MM-DD（默认今天，北京时间）")
    parser.add_argument("--allow-private", action="store_true",
                        help="允许访问本机和内网地址（默认按安全策略拒绝）")
    parser.add_argument("--format", choices=("json", "text"), default="text", help="输出格式（默认 text）")
    return parser


def _usage_error(message: str) -> int:
    print(f"参数错误（usage error）: {message}", file=sys.stderr)
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # --help (0) or a usage error (2): returned, not raised, for callers
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if args.as_of is None:
        as_of = datetime.now(BEIJING).date()
    else:
        try:
            as_of = date.fromisoformat(args.as_of)
        except ValueError:
            return _usage_error(f"--as-of 日期“{args.as_of}”无效，应为 YYYY-MM-DD，如 2026-11-22")
    for url in args.urls:
        if not is_web_url(url):
            return _usage_error(f"地址“{url}”不是有效的 http 或 https 地址")
    out = sys.stdout
    if hasattr(out, "reconfigure") and (out.encoding or "").lower().replace("-", "") != "utf8":
        out.reconfigure(encoding="utf-8")
    probes = probe(args.urls, as_of=as_of, allow_private=args.allow_private)
    if args.format == "json":
        json.dump([result.to_dict() for result in probes], out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        out.write(render_text(probes, as_of))
    out.flush()
    broken = sum(not result.source_ok for result in probes)
    total = sum(result.finding_count for result in probes)
    print(f"读取 {len(probes)} 个数据源，{broken} 个故障，发现 {total} 个问题（截至 {as_of}）"
          f"（{len(probes)} source(s), {broken} broken, {total} finding(s)）", file=sys.stderr)
    return EXIT_FOUND if broken or total else EXIT_CLEAN
