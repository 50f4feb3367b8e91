"""Importing one account's messages from a spreadsheet (XLSX or CSV): a platform's export of its message board
or comments, or a unit's own list. Columns are found by their header, in any order; others are ignored.

| Template header     | Also accepted                                            | Value                          |
|---------------------|----------------------------------------------------------|--------------------------------|
| 留言编号            | 留言ID, 评论ID, 消息ID, ID, msgid                        | the platform's id, or empty    |
| 类型                | 留言类型                                                  | 留言/评论/咨询/投诉/建议; empty: 留言 |
| 收到时间 (required) | 留言时间, 评论时间, 发送时间, 提交时间, 创建时间, 时间    | date and time                  |
| 内容 (required)     | 留言内容, 评论内容, 消息内容, 正文                        | text, at most 5,000 characters |
| 留言人              | 昵称, 用户昵称, 用户名, 姓名                              | text, at most 40 characters    |
| 联系方式            | 联系电话, 手机, 手机号码, 手机号                          | text, at most 60 characters    |

Times without a zone are Beijing time. A 留言编号 already imported for the account is skipped (an export
imported again adds only what is new); the same 留言编号 twice in one file is an error.

Every row is checked first and every problem collected (row, column, value, reason) with the same checks as a
message entered by hand (services.messages.message_fields); only a file without a single problem is stored, in
one transaction. Reading the file (size, row and cell caps, hostile XLSX) is the registry's bounded reader,
as for monitoring's post import, whose RowError this import reports with.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from govmedia.audit.services import audit_bulk_create
from govmedia.bulk import bulk_insert
from govmedia.errors import Conflict, PermissionDenied
from govmedia.interaction.models import Message, MessageChannel, MessageEvent, MessageKind, MessageStatus
from govmedia.interaction.services.messages import message_fields
from govmedia.monitoring.services.post_import import RowError
from govmedia.orgs.models import User
from govmedia.orgs.permissions import may_enter_messages
from govmedia.registry.ledger_cells import (
    CellProblem,
    Col,
    FileProblem,
    map_headers,
    parse_datetime,
    read_sheets,
    text,
    write_workbook,
)
from govmedia.registry.models import Account

MESSAGES_SHEET = "互动留言"
EXAMPLES_SHEET = "填写示例（不导入）"
MAX_ROWS = 10_000

COLUMNS = [
    Col("留言编号", "platform_message_id", width=20, aliases=("留言ID", "评论ID", "消息ID", "ID", "msgid")),
    Col("类型", "kind", "kind", width=10, aliases=("留言类型",)),
    Col("收到时间", "received_at", "datetime", required=True, width=18,
        aliases=("留言时间", "评论时间", "发送时间", "提交时间", "创建时间", "时间")),
    Col("内容", "text", required=True, width=60, aliases=("留言内容", "评论内容", "消息内容", "正文")),
    Col("留言人", "sender_name", width=14, aliases=("昵称", "用户昵称", "用户名", "姓名")),
    Col("联系方式", "sender_contact", width=16, aliases=("联系电话", "手机", "手机号码", "手机号")),
]
_HEADER = {c.key: c.header for c in COLUMNS}
KIND_VALUES = {"": MessageKind.MESSAGE, **{label: value for value, label in MessageKind.choices}}
GUIDE = {
    "platform_message_id": "平台上的留言编号；同一文件内不得重复，已导入的编号再次导入时跳过。手工整理的清单可留空",
    "kind": "留言 / 评论 / 咨询 / 投诉 / 建议，不填视为留言；类型决定答复时限",
    "received_at": "必填。如 2026-03-02 09:30、2026/3/2 9:30 或 Excel 日期时间；不带时区的按北京时间，不得晚于导入时间",
    "text": "必填，不超过 5000 字", "sender_name": "可留空，不超过 40 字", "sender_contact": "可留空，不超过 60 字；仅本单位可见",
}


@dataclass
class MessageImportResult:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    skipped: int = 0  # already imported (same 留言编号)
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)  # (row, 留言编号) of those skipped
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def import_messages(*, account: Account, file_obj, filename: str, by: User, now: datetime,
                    dry_run: bool = False) -> MessageImportResult:
    """Check a spreadsheet of `account`'s messages and, when every row is valid and not dry_run, store them all."""
    if not may_enter_messages(by, account):
        raise PermissionDenied(f"无权为账号“{account.name}”导入留言")
    result = MessageImportResult(dry_run=dry_run)
    try:
        sheet = read_sheets(file_obj, filename, [MESSAGES_SHEET], marker=(COLUMNS[3].header, *COLUMNS[3].aliases),
                            max_rows=MAX_ROWS, rows_named="条留言")[MESSAGES_SHEET]
    except FileProblem as problem:
        result.errors.append(RowError(0, "", filename, str(problem)))
        return result
    if not sheet.headers:
        result.errors.append(RowError(0, "", filename, "文件是空的，没有留言数据"))
        return result
    rows = _checked_rows(sheet, now, result.errors)
    result.rows = len(sheet.rows)
    if not result.errors and not rows:
        result.errors.append(RowError(0, "", filename, "文件中没有留言数据行"))
    if result.errors:
        return result
    known = set(Message.objects.filter(account=account, platform_message_id__in=[
        r["platform_message_id"] for r in rows if r["platform_message_id"]]).values_list("platform_message_id",
                                                                                         flat=True))
    new = [r for r in rows if r["platform_message_id"] not in known]
    result.skipped_rows = [(r["row"], r["platform_message_id"]) for r in rows if r["platform_message_id"] in known]
    result.skipped, result.created = len(result.skipped_rows), len(new)
    if not dry_run:
        _store(account, new, by, now)
    return result


def _store(account: Account, rows: list[dict], by: User, now: datetime) -> None:
    messages = [Message(account=account, channel=MessageChannel.IMPORT, created_by=by, created_at=now,
                        **{k: v for k, v in r.items() if k != "row"}) for r in rows]
    try:
        with transaction.atomic():
            bulk_insert(messages)
            audit_bulk_create(messages)
            MessageEvent.objects.bulk_create([
                MessageEvent(message=m, at=now, actor=by, action=MessageEvent.Action.CREATED,
                             to_state=MessageStatus.NEW, note=MessageChannel.IMPORT.label) for m in messages])
    except IntegrityError:  # the same export imported by someone else at the same moment
        raise Conflict("文件中的部分留言刚被他人导入，本次导入未执行。请重新导入（已导入的留言会自动跳过）。") from None


def _checked_rows(sheet, now: datetime, errors: list[RowError]) -> list[dict]:
    """The rows' cleaned fields (each with its `row` number); every problem of every row goes into `errors`."""
    columns, problems = map_headers(sheet.headers, COLUMNS)
    for header, reason in problems:
        errors.append(RowError(sheet.header_row, header, header, reason))
    if problems:
        return []
    rows, first_row = [], {}
    for row, cells in sheet.rows:
        raw = {col.key: cells[index] if index < len(cells) else None for index, col in columns.items()}
        values = {key: text(value) for key, value in raw.items()}
        found = _row_problems(row, raw, values, now)
        pid = values.get("platform_message_id", "").strip()
        if pid and pid in first_row:
            found.append(RowError(row, _HEADER["platform_message_id"], pid,
                                  f"与第{first_row[pid]}行的留言编号重复"))
        elif pid:
            first_row[pid] = row
        if found:
            errors.extend(found)
        else:
            rows.append({**_fields(values, _received(raw), now), "row": row})
    return rows


def _received(raw: dict) -> datetime | None:
    moment = parse_datetime(raw.get("received_at"), "收到时间")
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _fields(values: dict, received_at, now: datetime) -> dict:
    return message_fields(kind=_kind(values.get("kind", "")), text=values.get("text", ""), received_at=received_at,
                          now=now, sender_name=values.get("sender_name", ""),
                          sender_contact=values.get("sender_contact", ""),
                          platform_message_id=values.get("platform_message_id", ""))


def _row_problems(row: int, raw: dict, values: dict, now: datetime) -> list[RowError]:
    """Every problem of one row: its kind, its time (missing or unreadable), and each field's checks."""
    found, checked = [], {}
    try:
        checked["kind"] = _kind(values.get("kind", ""))
    except CellProblem as problem:
        found.append(RowError(row, _HEADER["kind"], values["kind"], str(problem)))
    try:
        checked["received_at"] = _received(raw)
        if checked["received_at"] is None:
            found.append(RowError(row, _HEADER["received_at"], "", "“收到时间”为必填项"))
    except CellProblem as problem:
        found.append(RowError(row, _HEADER["received_at"], values.get("received_at", ""), str(problem)))
    reported = {error.column for error in found}
    try:
        message_fields(kind=checked.get("kind", MessageKind.MESSAGE), text=values.get("text", ""),
                       received_at=checked.get("received_at") or now, now=now,
                       sender_name=values.get("sender_name", ""), sender_contact=values.get("sender_contact", ""),
                       platform_message_id=values.get("platform_message_id", ""))
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            if _HEADER[key] not in reported:
                found.extend(RowError(row, _HEADER[key], values.get(key, "")[:100], m) for m in messages)
    return found


def _kind(value: str) -> str:
    if value not in KIND_VALUES:
        raise CellProblem(f"类型只能填：{'、'.join(MessageKind.labels)}")
    return KIND_VALUES[value]


def message_import_template() -> bytes:
    """An XLSX to fill in: the import's sheet with its headers only (what is typed there is imported), the
    example rows on a sheet of their own (never imported: only the 互动留言 sheet is read), and a guide."""
    examples = [
        ["wb_5012345678", "咨询", "2026-03-01 09:30", "请问今年小学入学报名什么时候开始？", "张先生", "13900001111"],
        ["", "建议", "2026-03-01 14:05", "建议在学校门口增设减速带。", "", ""],
    ]
    guide = [[c.header, "必填" if c.required else "", "、".join(c.aliases), GUIDE[c.key]] for c in COLUMNS]
    return write_workbook([
        (MESSAGES_SHEET, [(c.header, c.width) for c in COLUMNS], []),
        (EXAMPLES_SHEET, [(c.header, c.width) for c in COLUMNS], examples),
        ("填写说明", [("列名", 14), ("是否必填", 10), ("也可识别的表头", 40), ("填写要求", 70)], guide),
    ])
