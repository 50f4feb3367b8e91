"""Spreadsheet plumbing for the ledger: reading XLSX/CSV defensively, cell values, headers, writing XLSX.

No rules of the measures here; `ledger` decides what the cells mean for the registry. The XLSX
format itself (zip checks, streaming the XML) is read in `ledger_xlsx`.
"""

import codecs
import csv
import functools
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from govmedia.registry.ledger_xlsx import MAX_COLUMNS, CellBudget, FileProblem, XlsxFile

MAIN_SHEET = "账号台账"
COLUMNS_SHEET = "栏目设置"
TEAM_SHEET = "管理队伍"

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ACCOUNTS = 10_000  # data rows of the main sheet; the other sheets count against MAX_CELLS only
# Every limit below counts what is actually read, never what the file says about itself (its declared
# dimension or row count), so a small hostile upload stays within seconds and well under 200 MB.
MAX_CELLS = 1_000_000  # cells read across all sheets: bounds time and memory; 10,000 accounts ~650,000
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_CSV_LINES = 100_000  # lines of a CSV read, blank ones included: 10 MB of newlines is 10 million
MAX_CSV_SEPARATORS = 10 * MAX_COLUMNS  # per line; text cells may hold commas of their own
HEADER_SEARCH_ROWS = 10  # ledgers often carry a title row or two above the header


class CellProblem(Exception):
    """One cell's value is not acceptable; the message says why, in Chinese."""


@dataclass(frozen=True)
class Col:
    header: str
    key: str
    kind: str = "text"  # text, unit, platform, date, bool, int, status, registrant
    required: bool = False
    width: int = 14
    aliases: tuple[str, ...] = ()


@dataclass
class Sheet:
    name: str
    header_row: int
    headers: list
    rows: list[tuple[int, tuple]] = field(default_factory=list)


# ---------------------------------------------------------------- values

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")  # zero-width spaces and joiners, BOM


def _visible(value: str) -> str:
    # Searching first: most cells hold none, and removing (str.translate) costs several times more.
    return (_INVISIBLE.sub("", value) if _INVISIBLE.search(value) else value).strip()


def text(value) -> str:
    if type(value) is str:  # most cells: checked first, as the import calls this for every cell
        return _visible(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return _visible(str(value))


@functools.lru_cache(maxsize=4096, typed=True)  # an import matches the same unit and platform names again and again
def normalise(value) -> str:
    """For matching names and headers: full-width to half-width, no spaces or asterisks, lower case."""
    value = unicodedata.normalize("NFKC", text(value))
    return re.sub(r"[\s*]", "", value).lower()


_DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
DATE_FORMATS = "YYYY-MM-DD、YYYY/MM/DD 或 YYYY年M月D日"


def parse_date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date cell formatted as a number still holds Excel's day count.
        if 1 <= value < 2958466:
            return from_excel(value).date()
        raise CellProblem(f"日期格式应为{DATE_FORMATS}")
    match = _DATE_RE.match(unicodedata.normalize("NFKC", text(value)))
    if not match:
        raise CellProblem(f"日期格式应为{DATE_FORMATS}")
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        raise CellProblem("不是有效的日期") from None


_DATETIME_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                          r"(?:\s*(\d{1,2})\s*[:时]\s*(\d{1,2})\s*分?(?:\s*[:]\s*(\d{1,2})\s*秒?)?)?$")
DATETIME_FORMATS = "2026-03-02 09:30、2026/3/2 9:30 或 2026年3月2日 9:30（可只写日期）"


def parse_datetime(value, label: str = "时间") -> datetime | None:
    """A date and time as written in platform exports, or an Excel date-time cell; naive unless an ISO value
    carried its zone (the caller decides the zone). A date alone is midnight. `label` names the column."""
    if value is None or (isinstance(value, str) and not text(value)):
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date cell formatted as a number still holds Excel's day count.
        if 1 <= value < 2958466:
            return from_excel(value)
        raise CellProblem(f"{label}格式应为{DATETIME_FORMATS}")
    raw = unicodedata.normalize("NFKC", text(value))
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        pass
    match = _DATETIME_RE.match(raw)
    if not match:
        raise CellProblem(f"{label}格式应为{DATETIME_FORMATS}")
    try:
        return datetime(*(int(part) for part in match.groups(default="0")))
    except ValueError:
        raise CellProblem("不是有效的日期时间") from None


_BOOLS = {"是": True, "否": False, "": False}


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    key = text(value)
    if key not in _BOOLS:
        raise CellProblem("应填“是”或“否”")
    return _BOOLS[key]


def parse_int(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellProblem("应为非负整数")
    if isinstance(value, (int, float)):
        number = value
    else:
        raw = unicodedata.normalize("NFKC", text(value)).replace(",", "").replace(" ", "")
        if not raw:
            return None
        scale = 10_000 if raw.endswith("万") else 1
        try:
            number = float(raw.removesuffix("万")) * scale
        except ValueError:
            raise CellProblem("应为非负整数，如 12000 或 1.2万") from None
    if number != number or number < 0 or number > 10**10:  # number != number: NaN
        raise CellProblem("应为非负整数")
    if abs(number - round(number)) > 1e-6:
        raise CellProblem("应为整数")
    return int(round(number))


# ---------------------------------------------------------------- headers

# A bare 职务 or 联系电话 means the one of the person named just before it.
_CONTEXT_STARTS = {"主办单位": "主办单位", "承办单位": "承办单位", "账号具体责任人": "责任人", "责任人": "责任人"}
_CONTEXT_WORDS = {
    "主办单位": {"分管领导": "分管领导", "职务": "分管领导职务", "分管领导职务": "分管领导职务",
             "联系电话": "联系电话及方式", "联系方式": "联系电话及方式", "联系电话及方式": "联系电话及方式"},
    "责任人": {"职务": "职务", "手机": "手机", "手机号码": "手机", "联系电话": "手机"},
}
_CONTEXT_WORDS["承办单位"] = _CONTEXT_WORDS["主办单位"]


def map_headers(headers, spec: list[Col]) -> tuple[dict[int, Col], list[tuple[str, str]]]:
    """Column index → Col for the headers we know; unknown columns are ignored. Also the problems."""
    lookup = {}
    for col in spec:
        for name in (col.header, *col.aliases):
            lookup[normalise(name)] = col
    found: dict[int, Col] = {}
    seen: dict[str, int] = {}
    problems: list[tuple[str, str]] = []
    context = ""
    for index, header in enumerate(headers):
        key = normalise(header)
        if not key:
            continue
        col = lookup.get(key)
        if col is None and context:
            suffix = _CONTEXT_WORDS[context].get(key)
            col = lookup.get(normalise(context + suffix)) if suffix else None
        for start, ctx in _CONTEXT_STARTS.items():
            if key.startswith(start):
                context = ctx
        if col is None:
            continue
        if col.key in seen:
            problems.append((text(header), f"列“{col.header}”出现了两次（第{seen[col.key] + 1}列和第{index + 1}列）"))
            continue
        seen[col.key] = index
        found[index] = col
    for col in spec:
        if col.required and col.key not in seen:
            problems.append((col.header, f"缺少必填列“{col.header}”"))
    return found, problems


# ---------------------------------------------------------------- reading files


def _read_bytes(file_obj) -> bytes:
    size = getattr(file_obj, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise FileProblem("文件超过 10MB，请分批导入")
    if hasattr(file_obj, "seek"):
        file_obj.seek(0)
    data = file_obj.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem("文件超过 10MB，请分批导入")
    return data


def read_sheets(file_obj, filename: str, names: list[str], marker: str | tuple[str, ...] = "账号ID", *,
                max_rows: int | None = None, rows_named: str = "个账号") -> dict[str, Sheet]:
    """The named sheets that exist; names[0] is the main sheet (else the file's first sheet, or the CSV),
    whose data rows are capped at `max_rows` (MAX_ACCOUNTS unless given), called `rows_named` when refused.
    The header row is the first holding the marker (or any of the markers) within HEADER_SEARCH_ROWS."""
    cap = (max_rows or MAX_ACCOUNTS, rows_named)
    markers = frozenset(normalise(m) for m in ((marker,) if isinstance(marker, str) else marker))
    data = _read_bytes(file_obj)
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix == "xls":
        raise FileProblem("不支持旧版 .xls 文件，请在 Excel 中“另存为” .xlsx 或 CSV 后再导入")
    budget = CellBudget(MAX_CELLS)
    if suffix in ("xlsx", "xlsm"):
        return _read_xlsx(data, names, markers, budget, cap)
    if suffix == "csv":
        return {names[0]: _sheet(names[0], _csv_rows(data, budget), markers, cap)}
    raise FileProblem("只支持 .xlsx 或 .csv 文件")


def _read_xlsx(data: bytes, names: list[str], markers: frozenset[str], budget: CellBudget, cap: tuple[int, str]
               ) -> dict[str, Sheet]:
    with XlsxFile(data) as book:
        try:
            titles = {normalise(t): t for t in book.titles}
            result = {}
            for i, name in enumerate(names):
                title = titles.get(normalise(name)) or (book.titles[0] if i == 0 and book.titles else None)
                if title is not None:
                    result[name] = _sheet(title, book.rows(title, budget), markers, cap if i == 0 else None)
            return result
        except FileProblem:
            raise
        except Exception as exc:
            raise FileProblem("读取 XLSX 内容时出错，文件可能已损坏") from exc


def _decode(data: bytes) -> str:
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise _encoding_problem(data, exc, encoding.upper().removesuffix("-SIG")) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        first_error = utf8_error
    try:
        # Excel in China saves "CSV" in the system code page (GBK); GB18030 is its superset.
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise _encoding_problem(data, first_error, "UTF-8 或 GBK") from None


def _encoding_problem(data: bytes, error: UnicodeDecodeError, tried: str) -> FileProblem:
    line = data[:error.start].count(b"\n") + 1
    return FileProblem(f"CSV 文件第{line}行含有无法按 {tried} 编码识别的字节（{data[error.start:error.start + 4].hex(' ')}），"
                       "请在 Excel 或 WPS 中另存为“CSV UTF-8”后再导入")


def _csv_rows(data: bytes, budget: CellBudget):
    content = _decode(data)
    first_line = content.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    _check_csv_shape(content, delimiter)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    del content
    try:
        for row in reader:
            budget.take(len(row))
            for column, value in enumerate(row[:MAX_COLUMNS], start=1):
                if len(value) > MAX_CELL_CHARS:
                    raise FileProblem(f"CSV 文件第{reader.line_num}行第{column}列超过 {MAX_CELL_CHARS} 个字符，"
                                      "请检查引号是否成对")
            yield reader.line_num, row[:MAX_COLUMNS]
    except csv.Error as exc:
        raise FileProblem(f"CSV 文件第{reader.line_num}行格式错误：{exc}") from None


def _check_csv_shape(content: str, delimiter: str) -> None:
    """Count lines and separators per line before parsing: the csv module builds a whole row before we see
    it, and 10 MB of commas on one line would be ten million fields."""
    if content.count("\n") > MAX_CSV_LINES:
        raise FileProblem(f"CSV 文件超过 {MAX_CSV_LINES:,} 行（空行也计入），请删除多余的空行或分批导入")
    start, line = 0, 1
    while start < len(content):
        end = content.find("\n", start)
        end = len(content) if end == -1 else end
        if content.count(delimiter, start, end) > MAX_CSV_SEPARATORS:
            raise FileProblem(f"CSV 文件第{line}行有超过 {MAX_CSV_SEPARATORS:,} 个分隔符，不像台账的一行")
        start, line = end + 1, line + 1


def _sheet(title: str, numbered_rows, markers: frozenset[str], cap: tuple[int, str] | None) -> Sheet:
    """Find the header row and keep the data rows after it; at most cap's count of them, when given."""
    sheet: Sheet | None = None
    fallback: tuple[int, tuple] | None = None
    looked_at = 0
    for number, row in numbered_rows:
        if all(v is None or text(v) == "" for v in row):
            continue
        if sheet is None:
            looked_at += 1
            fallback = fallback or (number, tuple(row))
            if any(normalise(v) in markers for v in row):
                sheet = Sheet(title, number, list(row))
            elif looked_at >= HEADER_SEARCH_ROWS:
                sheet = Sheet(title, fallback[0], list(fallback[1]))
            continue
        if cap is not None and len(sheet.rows) >= cap[0]:
            raise FileProblem(f"工作表“{title}”超过 {cap[0]:,} {cap[1]}（数据行），请分批导入")
        sheet.rows.append((number, tuple(row)))
    if sheet is None:
        # Fewer than HEADER_SEARCH_ROWS non-empty rows and none with the marker: first row is the header.
        sheet = Sheet(title, fallback[0], list(fallback[1])) if fallback else Sheet(title, 1, [])
    return sheet


# ---------------------------------------------------------------- writing


_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)


def write_workbook(sheets: list[tuple[str, list[tuple[str, int]], list[list]]]) -> bytes:
    """XLSX bytes; each sheet is (title, [(header, width)], rows). Styled header, frozen, filterable.

    Write-only mode streams each row out as it is appended: 10,000 accounts took 26 s through
    openpyxl's in-memory cells. Only dates and formula-like text need a cell object of their own.
    """
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        ws = workbook.create_sheet(title)
        for c, (_header, width) in enumerate(headers, start=1):
            ws.column_dimensions[get_column_letter(c)].width = width
        ws.row_dimensions[1].height = 32
        ws.freeze_panes = "A2"
        if headers:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(rows) + 1, 1)}"
        ws.append([_header_cell(ws, header) for header, _width in headers])
        for row in rows:
            ws.append([_cell(ws, value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _header_cell(ws, header: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=header)
    cell.font, cell.fill, cell.border = _HEADER_FONT, _HEADER_FILL, _BORDER
    cell.alignment = _HEADER_ALIGNMENT
    return cell


def _cell(ws, value):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith("="):
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"  # text that looks like a formula stays text (no formula injection)
            return cell
        return value
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return value
