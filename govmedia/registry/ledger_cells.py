"""Spreadsheet plumbing for the ledger: reading XLSX/CSV defensively, cell values, headers, writing XLSX.

No rules of the measures here; `ledger` decides what the cells mean for the registry.
"""

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from lxml import etree
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

MAIN_SHEET = "账号台账"
COLUMNS_SHEET = "栏目设置"
TEAM_SHEET = "管理队伍"

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ACCOUNTS = 10_000  # data rows of the main sheet; the other sheets count against MAX_CELLS only
# Every limit below counts what is actually read, never what the file says about itself (its declared
# dimension or row count), so a small hostile upload stays within seconds and well under 200 MB.
MAX_CELLS = 1_000_000  # cells read across all sheets: bounds time and memory; 10,000 accounts ~650,000
MAX_COLUMNS = 100  # columns kept per row; the ledger has 33, cells further right are ignored
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_CSV_LINES = 100_000  # lines of a CSV read, blank ones included: 10 MB of newlines is 10 million
MAX_CSV_SEPARATORS = 10 * MAX_COLUMNS  # per line; text cells may hold commas of their own
# An XLSX is a zip: a 10 MB upload could unpack to gigabytes of XML. Refuse before parsing.
MAX_MEMBERS = 500
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# openpyxl keeps every shared string in a list, and parses the other parts (styles, workbook, …) whole into
# objects: a 15 MB styles.xml costs it 12 s and 280 MB. Real ledgers stay far below these sizes.
MAX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024
MAX_OTHER_PART_BYTES = 4 * 1024 * 1024
MAX_RATIO = 200  # spreadsheet XML packs 5–50 times; whitespace padding about 1,000 times
HEADER_SEARCH_ROWS = 10  # ledgers often carry a title row or two above the header


class FileProblem(Exception):
    """The file as a whole cannot be read (size, format, encoding, too many rows)."""


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

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def text(value) -> str:
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
    return str(value).translate(_INVISIBLE).strip()


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


class _CellBudget:
    """Counts cells read in the whole file and stops the read at MAX_CELLS."""

    def __init__(self):
        self.used = 0

    def take(self, n: int = 1) -> None:
        self.used += n
        if self.used > MAX_CELLS:
            raise FileProblem(f"文件中的单元格超过 {MAX_CELLS:,} 个，请删除无关的工作表、行或列，或分批导入")


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


def read_sheets(file_obj, filename: str, names: list[str], marker: str = "账号ID") -> dict[str, Sheet]:
    """The named sheets that exist; names[0] is the main sheet (else the file's first sheet, or the CSV)."""
    data = _read_bytes(file_obj)
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix == "xls":
        raise FileProblem("不支持旧版 .xls 文件，请在 Excel 中“另存为” .xlsx 或 CSV 后再导入")
    budget = _CellBudget()
    if suffix in ("xlsx", "xlsm"):
        return _read_xlsx(data, names, normalise(marker), budget)
    if suffix == "csv":
        return {names[0]: _sheet(names[0], _csv_rows(data, budget), normalise(marker), MAX_ACCOUNTS)}
    raise FileProblem("只支持 .xlsx 或 .csv 文件")


def _check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a zip bomb from the zip's directory alone. zipfile never inflates a member beyond the
    size its directory declares (it fails the CRC check instead), so these sizes bound what is read."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise FileProblem(f"文件内部包含 {len(members)} 个部件（上限 {MAX_MEMBERS}），不像正常的台账文件")
    for m in members:
        if m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise FileProblem(f"文件内部部件“{m.filename}”的压缩比异常（{m.compress_size:,} 字节解压为 "
                              f"{m.file_size:,} 字节），疑似恶意构造的文件，已拒绝")
        if m.filename.startswith("xl/worksheets/") or not m.filename.endswith((".xml", ".rels")):
            continue  # sheets are streamed; images and the like are never opened
        cap = MAX_SHARED_STRINGS_BYTES if m.filename == "xl/sharedStrings.xml" else MAX_OTHER_PART_BYTES
        if m.file_size > cap:
            raise FileProblem(f"文件内部部件“{m.filename}”超过 {cap // 1024 // 1024}MB，"
                              "请删除无关的内容（如大量单元格格式）后再导入")
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise FileProblem("文件解压后超过 100MB，请删除无关的工作表、图片或分批导入")


def _read_xlsx(data: bytes, names: list[str], marker: str, budget: _CellBudget) -> dict[str, Sheet]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_archive(archive)
        reader = _LedgerExcelReader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        reader.read()
    except FileProblem:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise FileProblem("无法读取该 XLSX 文件，请确认是用 Excel 或 WPS 保存的 .xlsx 文件") from exc
    try:
        paths = reader.sheet_paths
        titles = {normalise(t): t for t in paths}
        result = {}
        for i, name in enumerate(names):
            title = titles.get(normalise(name)) or (next(iter(paths), None) if i == 0 else None)
            if title is not None:
                with reader.archive.open(paths[title]) as source:
                    rows = _worksheet_rows(source, reader, budget)
                    result[name] = _sheet(title, rows, marker, MAX_ACCOUNTS if i == 0 else None)
        return result
    except FileProblem:
        raise
    except Exception as exc:
        raise FileProblem("读取 XLSX 内容时出错，文件可能已损坏") from exc
    finally:
        reader.archive.close()


_ROW_TAG, _CELL_TAG, _SHEET_DATA_TAG, _SST_TAG, _SI_TAG, _T_TAG, _RUN_TAG, _VALUE_TAG = (
    f"{{{SHEET_MAIN_NS}}}{t}" for t in ("row", "c", "sheetData", "sst", "si", "t", "r", "v"))


class _LedgerExcelReader(ExcelReader):
    """openpyxl's reader, cut down to what a ledger needs: the shared strings, the sheets' names and
    places, and the styles (which cells are dates). Its read-only sheets scan a sheet's whole XML on
    opening when the sheet declares no dimension, and it builds a rich-text object per shared string
    (about 25 µs each: 16 MB of short strings took 17 s); both are avoided here."""

    def read(self):
        self.read_manifest()
        self.read_strings()
        self.read_workbook()
        apply_stylesheet(self.archive, self.wb)
        self.sheet_paths = {sheet.name: rel.target for sheet, rel in self.parser.find_sheets()
                            if rel.target in self.valid_files and rel.Type.endswith("/worksheet")}

    def read_strings(self):
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = _string_table(source)


def _string_table(source) -> list[str]:
    """The text of each <si>: its plain <t>, or its rich-text runs joined (phonetic hints left out)."""
    strings, root = [], None
    for event, element in _iterparse(source, ("start", "end"), (_SST_TAG, _SI_TAG)):
        if event == "start":
            root = root if root is not None else element
            continue
        if element.tag == _SI_TAG:
            plain = element.find(_T_TAG)
            value = plain.text or "" if plain is not None else "".join(
                run.findtext(_T_TAG) or "" for run in element.iterfind(_RUN_TAG))
            # As openpyxl does: Excel escapes a literal "_x" as "_x005F_x".
            strings.append(value.replace("x005F_", ""))
            root.clear()
    return strings


def _worksheet_rows(source, reader: _LedgerExcelReader, budget: _CellBudget):
    """(row number, values) of each row that holds a value, read straight from the sheet's XML.

    openpyxl's own row iteration pads each row to the sheet's declared width and yields every missing
    row up to the last, so a 2 KB file declaring A1:XFD1048576 costs minutes and gigabytes; its cell
    parser builds an object per inline string (1,000,000 of them took over 30 s). Here only the cells
    present in the file are visited, each one counts against the budget, and values are converted here.
    """
    strings, date_styles, epoch = reader.shared_strings, reader.wb._date_formats, reader.wb.epoch
    row_number, column, values, read, allowed = 0, 0, {}, 0, MAX_CELLS - budget.used
    # End events only, for the three tags used: this loop runs once per cell, so it does as little as it can.
    for _event, element in _iterparse(source, ("end",), (_CELL_TAG, _ROW_TAG, _SHEET_DATA_TAG)):
        tag = element.tag
        if tag == _CELL_TAG:
            read += 1
            if read > allowed:
                budget.take(read)
            reference = element.get("r")
            column = _COLUMN_INDEX.get(reference.rstrip(_DIGITS), _BEYOND) if reference else column + 1
            if column <= MAX_COLUMNS:
                value = _xml_cell_value(element, strings, date_styles, epoch)
                if value is not None and (type(value) is not str or value.strip()):
                    values[column] = value
            element.clear()
        elif tag == _ROW_TAG:
            number = element.get("r")
            row_number = int(float(number)) if number else row_number + 1
            if values:
                yield row_number, tuple(values.get(c) for c in range(1, max(values) + 1))
            column, values = 0, {}
            # Drop finished rows from the tree, or a million empty <row/> elements would pile up.
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
        else:
            break
    budget.take(read)


def _iterparse(source, events, tags):
    # lxml reports only the tags asked for (not each <v>, <is>, <t>); entities stay unexpanded and
    # libxml2 refuses oversized nodes.
    return etree.iterparse(source, events=events, tag=tags, resolve_entities=False, no_network=True,
                           huge_tree=False, remove_blank_text=True)


_DIGITS = "0123456789"
_COLUMN_INDEX = {get_column_letter(i): i for i in range(1, MAX_COLUMNS + 1)}
_BEYOND = MAX_COLUMNS + 1  # any column further right, however far




def _xml_cell_value(element, strings: list[str], date_styles, epoch):
    """The value of one <c> as Excel shows it (formulas by their cached result)."""
    kind = element.get("t", "n")
    # Walking the one or two children directly: lxml's find() parses its path argument on every call.
    if kind == "inlineStr":
        return "".join(t.text or "" for t in element.iter(_T_TAG))
    raw = next((child.text for child in element if child.tag == _VALUE_TAG), None)
    if not raw:
        return None
    if kind == "s":
        return strings[int(raw)]
    if kind == "b":
        return raw == "1"
    if kind == "n":
        number = float(raw) if any(c in raw for c in ".Ee") else int(raw)
        style = element.get("s")
        if style and int(style) in date_styles:
            try:
                return from_excel(number, epoch)
            except (OverflowError, ValueError):
                return number  # not a date after all; the column's check says what is wrong
        return number
    if kind == "d":
        return from_ISO8601(raw)
    return raw  # "str" (a formula's text result) and "e" (an error such as #N/A)


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


def _csv_rows(data: bytes, budget: _CellBudget):
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


def _sheet(title: str, numbered_rows, marker: str, max_rows: int | None) -> Sheet:
    """Find the header row and keep the data rows after it; at most max_rows of them, when given."""
    sheet: Sheet | None = None
    fallback: tuple[int, tuple] | None = None
    looked_at = 0
    for number, row in numbered_rows:
        if all(v is None or text(v) == "" for v in row):
            continue
        if sheet is None:
            looked_at += 1
            fallback = fallback or (number, tuple(row))
            if any(normalise(v) == marker for v in row):
                sheet = Sheet(title, number, list(row))
            elif looked_at >= HEADER_SEARCH_ROWS:
                sheet = Sheet(title, fallback[0], list(fallback[1]))
            continue
        if max_rows is not None and len(sheet.rows) >= max_rows:
            raise FileProblem(f"工作表“{title}”超过 {max_rows:,} 个账号（数据行），请分批导入")
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


def _cell_value(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def write_workbook(sheets: list[tuple[str, list[tuple[str, int]], list[list]]]) -> bytes:
    """XLSX bytes; each sheet is (title, [(header, width)], rows). Styled header, frozen, filterable."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        ws = workbook.create_sheet(title)
        for c, (header, width) in enumerate(headers, start=1):
            cell = ws.cell(row=1, column=c, value=header)
            cell.font, cell.fill, cell.border = _HEADER_FONT, _HEADER_FILL, _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            ws.column_dimensions[get_column_letter(c)].width = width
        ws.row_dimensions[1].height = 32
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c, value=_cell_value(value))
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula stays text (no formula injection)
                elif isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
        if headers:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(rows) + 1, 1)}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
