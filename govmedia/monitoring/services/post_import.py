"""Importing one account's posts from a spreadsheet exported from the platform's back end (XLSX or CSV).

Columns are found by their header, in any order; columns not listed are ignored. Each column accepts
the template's header and the variants platform exports use:

| Template header   | Also accepted (platform exports)                                          | Value                     |
|-------------------|---------------------------------------------------------------------------|---------------------------|
| 信息ID (required) | ID, 文章ID, 内容ID, 微博ID, 作品ID, 视频ID, 图文ID, 消息ID, msgid          | the platform's post id    |
| 标题              | 文章标题, 内容标题, 作品标题, 视频标题, 图文标题                          | text                      |
| 链接              | 文章链接, 原文链接, 作品链接, 视频链接, 内容链接, 网址, URL                | http(s) address           |
| 发布时间          | 发表时间, 发送时间, 群发时间, 发布日期, 创建时间                           | date and time, or empty   |
| 正文              | 内容, 文章内容, 微博正文, 微博内容, 作品描述, 视频描述                    | text                      |
| 类型(原创/转载)   | 类型, 原创/转载, 是否转载                                                  | 原创 / 转载（转发）       |
| 转载来源          | 来源, 转载自, 原文来源                                                    | text                      |
| 阅读量            | 阅读次数, 总阅读次数, 阅读数, 播放量, 播放次数, 浏览量, 浏览次数          | non-negative count        |
| 点赞量            | 点赞数, 点赞次数, 点赞人数, 点赞, 赞                                      | non-negative count        |
| 评论量            | 评论数, 评论次数, 留言数, 留言次数, 留言                                  | non-negative count        |
| 转发量            | 转发数, 转发次数, 分享次数, 总分享次数, 分享数, 分享量                    | non-negative count        |
| 图片视频数        | 图片数, 配图数, 媒体数                                                    | non-negative count        |

Times without a zone are Beijing time; an empty time is recorded as unknown, never as the import's time.
Counts may be written 1.2万 or 10万+ (a platform's rounded display; the lower bound is kept). Addresses
written in 正文 become the post's links, for the link check.

Every row is checked first and every problem collected (row, column, value, reason); only a file without
a single problem is stored, in one transaction, through the same ingest as every other source. Reading
the file (size, row and cell caps, hostile XLSX) is the registry's bounded reader.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from govmedia.errors import PermissionDenied
from govmedia.monitoring.api.payload import (
    MAX_REPOST_SOURCE_CHARS,
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
    links_in_text,
)
from govmedia.monitoring.engine.netguard import is_web_url
from govmedia.monitoring.engine.types import ORIGINAL, REPOST, FetchedPost
from govmedia.monitoring.models import SourceKind
from govmedia.monitoring.services.received import store_received
from govmedia.orgs.models import User
from govmedia.orgs.permissions import may_import_posts
from govmedia.registry.ledger_cells import (
    CellProblem,
    Col,
    FileProblem,
    map_headers,
    parse_datetime,
    parse_int,
    read_sheets,
    text,
    write_workbook,
)
from govmedia.registry.models import Account

POSTS_SHEET = "已发布信息"
MAX_ROWS = 10_000

COLUMNS = [
    Col("信息ID", "post_id", required=True, width=22,
        aliases=("ID", "文章ID", "内容ID", "微博ID", "作品ID", "视频ID", "图文ID", "消息ID", "msgid")),
    Col("标题", "title", width=36, aliases=("文章标题", "内容标题", "作品标题", "视频标题", "图文标题")),
    Col("链接", "url", "url", width=36,
        aliases=("文章链接", "原文链接", "作品链接", "视频链接", "内容链接", "网址", "URL")),
    Col("发布时间", "published", "datetime", width=18,
        aliases=("发表时间", "发送时间", "群发时间", "发布日期", "创建时间")),
    Col("正文", "text", width=50, aliases=("内容", "文章内容", "微博正文", "微博内容", "作品描述", "视频描述")),
    Col("类型(原创/转载)", "kind", "kind", width=14, aliases=("类型", "原创/转载", "是否转载")),
    Col("转载来源", "repost_source", width=16, aliases=("来源", "转载自", "原文来源")),
    Col("阅读量", "reads", "count", aliases=("阅读次数", "总阅读次数", "阅读数", "播放量", "播放次数", "浏览量",
                                          "浏览次数")),
    Col("点赞量", "likes", "count", aliases=("点赞数", "点赞次数", "点赞人数", "点赞", "赞")),
    Col("评论量", "comments", "count", aliases=("评论数", "评论次数", "留言数", "留言次数", "留言")),
    Col("转发量", "shares", "count", aliases=("转发数", "转发次数", "分享次数", "总分享次数", "分享数", "分享量")),
    Col("图片视频数", "media_count", "count", width=12, aliases=("图片数", "配图数", "媒体数")),
]
_LIMITS = {"post_id": 300, "title": MAX_TITLE_CHARS, "url": 1000, "text": MAX_TEXT_CHARS,
           "repost_source": MAX_REPOST_SOURCE_CHARS}
KIND_VALUES = {"": ORIGINAL, "原创": ORIGINAL, "original": ORIGINAL, "否": ORIGINAL,
               "转载": REPOST, "转发": REPOST, "repost": REPOST, "是": REPOST}
GUIDE = {
    "post_id": "必填。平台上的信息编号，同一文件内不得重复；再次导入同一ID只更新阅读量等，不会重复。"
               "纯数字的长ID请把该列设为文本格式，否则 Excel 会丢失末几位",
    "title": "", "url": "以 http:// 或 https:// 开头",
    "published": "如 2026-03-02 09:30、2026/3/2 9:30、2026年3月2日 9:30 或 Excel 日期时间；不带时区的按北京时间；"
                 "不知道可留空（记为时间未知），不得晚于导入时间",
    "text": "", "kind": "原创 / 转载（也可写“转发”），不填视为原创；表头为“是否转载”时填 是 / 否",
    "repost_source": "转载时注明来源，如 新华社",
    "reads": "非负整数，可写 1.2万、10万+（按 100000 计）", "likes": "非负整数", "comments": "非负整数",
    "shares": "非负整数", "media_count": "非负整数",
}


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's own row number; 0 for a problem with the whole file
    column: str
    value: str
    reason: str


@dataclass
class PostImportResult:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def import_posts(*, account: Account, file_obj, filename: str, by: User, now: datetime,
                 dry_run: bool = False) -> PostImportResult:
    """Check an export of `account`'s posts and, when every row is valid and not dry_run, store them all."""
    if not may_import_posts(by, account):
        raise PermissionDenied(f"无权为账号“{account.name}”导入信息")
    result = PostImportResult(dry_run=dry_run)
    try:
        sheet = read_sheets(file_obj, filename, [POSTS_SHEET], marker=(COLUMNS[0].header, *COLUMNS[0].aliases),
                            max_rows=MAX_ROWS,
                            rows_named="条信息")[POSTS_SHEET]
    except FileProblem as problem:
        result.errors.append(RowError(0, "", filename, str(problem)))
        return result
    if not sheet.headers:
        result.errors.append(RowError(0, "", filename, "文件是空的，没有信息数据"))
        return result
    posts = _RowChecker(now).posts(sheet, result.errors)
    result.rows = len(sheet.rows)
    if not result.errors and not posts:
        result.errors.append(RowError(0, "", filename, "文件中没有信息数据行"))
    if result.errors or dry_run:
        return result
    received = store_received(account=account, kind=SourceKind.IMPORT, posts=posts, now=now)
    result.created, result.updated, result.unchanged = received.created, received.updated, received.unchanged
    return result


class _RowChecker:
    def __init__(self, now: datetime):
        self.now = now
        self.zone = timezone.get_default_timezone()
        self._parsers = {"url": self._url, "datetime": self._published, "kind": self._kind, "count": self._count}

    def posts(self, sheet, errors: list[RowError]) -> list[FetchedPost]:
        columns, problems = map_headers(sheet.headers, COLUMNS)
        for header, reason in problems:
            errors.append(RowError(sheet.header_row, header, header, reason))
        if problems:
            return []
        posts, first_row = [], {}
        for row, cells in sheet.rows:
            values, bad = {}, False
            for index, col in columns.items():
                raw = cells[index] if index < len(cells) else None
                try:
                    values[col.key] = self._cell(col, raw)
                except CellProblem as problem:
                    errors.append(RowError(row, col.header, text(raw), str(problem)))
                    bad = True
            post_id = values.get("post_id", "")
            if not post_id and not bad:
                errors.append(RowError(row, "信息ID", "", "“信息ID”为必填项"))
                bad = True
            elif post_id in first_row:
                errors.append(RowError(row, "信息ID", post_id, f"与第{first_row[post_id]}行的信息ID重复"))
                bad = True
            elif post_id:
                first_row[post_id] = row
            if not bad:
                fields = {k: v for k, v in values.items() if k != "post_id" and v is not None}
                posts.append(FetchedPost(post_id=post_id, links=links_in_text(fields.get("text", "")), **fields))
        return posts

    def _cell(self, col: Col, raw):
        parse = self._parsers.get(col.kind)
        if parse is not None:
            return parse(raw)
        value = text(raw)
        limit = _LIMITS[col.key]
        if len(value) > limit:
            raise CellProblem(f"不能超过 {limit:,} 个字符（现为 {len(value):,} 个）")
        return value

    @staticmethod
    def _url(raw) -> str:
        value = text(raw)
        if value and not is_web_url(value):
            raise CellProblem("链接应以 http:// 或 https:// 开头，并含有主机名")
        if len(value) > _LIMITS["url"]:
            raise CellProblem(f"链接不能超过 {_LIMITS['url']} 个字符")
        return value

    @staticmethod
    def _kind(raw) -> str:
        value = text(raw).lower()
        if value not in KIND_VALUES:
            raise CellProblem("类型只能填“原创”或“转载”")
        return KIND_VALUES[value]

    @staticmethod
    def _count(raw) -> int | None:
        if isinstance(raw, str):
            # "10万+": the platform shows a rounded lower bound; that bound is what is known.
            raw = unicodedata.normalize("NFKC", raw).strip().removesuffix("+")
        return parse_int(raw)

    def _published(self, raw) -> datetime | None:
        moment = parse_datetime(raw, "发布时间")
        if moment is None:
            return None
        if moment.tzinfo is None:
            moment = timezone.make_aware(moment, self.zone)
        if moment > self.now + timedelta(minutes=5):
            raise CellProblem(f"发布时间晚于导入时间（{timezone.localtime(self.now, self.zone):%Y-%m-%d %H:%M}）")
        return moment


def post_import_template() -> bytes:
    """An XLSX to fill in: the import's headers with two example rows, and a guide listing each column's
    accepted header variants."""
    examples = [
        {"post_id": "2247483650_1", "title": "西海岸新区召开安全生产工作会议",
         "url": "https://mp.weixin.qq.com/s/Xihaian2026030201", "published": "2026-03-02 09:30",
         "text": "3月2日，新区召开安全生产工作会议，部署近期重点工作。", "kind": "原创", "repost_source": "",
         "reads": 1520, "likes": 36, "comments": 4, "shares": 12, "media_count": 2},
        {"post_id": "2247483651_1", "title": "转发：全国两会新闻中心启用", "url": "", "published": "",
         "text": "", "kind": "转载", "repost_source": "新华社", "reads": "10万+", "likes": None, "comments": None,
         "shares": None, "media_count": 0},
    ]
    guide = [[c.header, "必填" if c.required else "", "、".join(c.aliases), GUIDE[c.key]] for c in COLUMNS]
    return write_workbook([
        (POSTS_SHEET, [(c.header, c.width) for c in COLUMNS], [[e[c.key] for c in COLUMNS] for e in examples]),
        ("填写说明", [("列名", 18), ("是否必填", 10), ("也可识别的表头（平台导出）", 50), ("填写要求", 70)], guide),
    ])
