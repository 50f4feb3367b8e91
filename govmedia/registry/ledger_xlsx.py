"""Reading an uploaded XLSX within a budget of time and memory, whatever the file claims about itself.

An XLSX is a zip of XML parts. The zip's directory is checked before anything is inflated; the parts
openpyxl must parse whole (workbook, styles) are size-capped; shared strings and sheets are streamed
here with lxml, visiting only the cells present in the file and counting each against a budget.
`ledger_cells` turns the rows into sheets; this module knows nothing of the ledger's columns.
"""

import io
import zipfile
from collections.abc import Iterator

from lxml import etree
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.numbers import builtin_format_code, is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import ARC_STYLE, SHARED_STRINGS, SHEET_MAIN_NS

MAX_COLUMNS = 100  # columns kept per row; the ledger has 33, cells further right are ignored
# An XLSX is a zip: a 10 MB upload could unpack to gigabytes of XML. Refuse before parsing.
MAX_MEMBERS = 500
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# openpyxl keeps every shared string in a list, and parses the other parts (styles, workbook, …) whole into
# objects: a 15 MB styles.xml costs it 12 s and 280 MB. Real ledgers stay far below these sizes.
MAX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024
MAX_OTHER_PART_BYTES = 4 * 1024 * 1024
MAX_RATIO = 200  # spreadsheet XML packs 5–50 times; whitespace padding about 1,000 times
MAX_CELL_STYLES = 64_000  # Excel's own limit on cell formats in a workbook
# The CJK locales' built-in date formats (e.g. 31: yyyy"年"m"月"d"日"), which Chinese Excel and WPS write by
# id alone and openpyxl does not know.
CJK_DATE_FORMAT_IDS = frozenset(range(27, 37)) | frozenset(range(50, 59))


class FileProblem(Exception):
    """The file as a whole cannot be read (size, format, encoding, too many rows)."""


class CellBudget:
    """Counts cells read in the whole file and stops the read past `limit`."""

    def __init__(self, limit: int):
        self.limit, self.used = limit, 0

    def take(self, n: int = 1) -> None:
        self.used += n
        if self.used > self.limit:
            raise FileProblem(f"文件中的单元格超过 {self.limit:,} 个，请删除无关的工作表、行或列，或分批导入")


class XlsxFile:
    """An uploaded XLSX opened for reading: its worksheet titles, and each sheet's rows on demand."""

    def __init__(self, data: bytes):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                _check_archive(archive)
            self._reader = _LedgerExcelReader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
            self._reader.read()
        except FileProblem:
            raise
        except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
            raise FileProblem("无法读取该 XLSX 文件，请确认是用 Excel 或 WPS 保存的 .xlsx 文件") from exc
        self.titles = list(self._reader.sheet_paths)

    def rows(self, title: str, budget: CellBudget) -> Iterator[tuple[int, tuple]]:
        """(row number, values) of each row of the sheet that holds a value."""
        with self._reader.archive.open(self._reader.sheet_paths[title]) as source:
            yield from _worksheet_rows(source, self._reader, budget)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self._reader.archive.close()


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


_ROW_TAG, _CELL_TAG, _SHEET_DATA_TAG, _SST_TAG, _SI_TAG, _T_TAG, _RUN_TAG, _VALUE_TAG = (
    f"{{{SHEET_MAIN_NS}}}{t}" for t in ("row", "c", "sheetData", "sst", "si", "t", "r", "v"))
_NUM_FMT_TAG, _CELL_XFS_TAG, _XF_TAG = (f"{{{SHEET_MAIN_NS}}}{t}" for t in ("numFmt", "cellXfs", "xf"))


class _LedgerExcelReader(ExcelReader):
    """openpyxl's reader, cut down to what a ledger needs: the shared strings, the sheets' names and
    places, and which cell styles are dates. Its read-only sheets scan a sheet's whole XML on opening
    when the sheet declares no dimension, it builds a rich-text object per shared string (about 25 µs
    each: 16 MB of short strings took 17 s), and it builds an object per font, fill and format of the
    style sheet (150,000 fonts in a 250 KB upload took 5–14 s and 80 MB); all are avoided here."""

    def read(self):
        self.read_manifest()
        self.read_strings()
        self.read_workbook()
        self.date_styles = _date_styles(self.archive)
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


def _date_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the cell styles (<cellXfs> entries, a cell's s="…") that show a number as a date.

    Streamed: only custom number formats and cell formats are looked at, each once; fonts, fills and
    borders are skipped by the parser, however many the file holds."""
    try:
        source = archive.open(ARC_STYLE)
    except KeyError:
        return frozenset()
    custom: dict[int, str] = {}
    dates, index, in_cell_formats = set(), 0, False
    with source:
        for event, element in _iterparse(source, ("start", "end"), (_NUM_FMT_TAG, _CELL_XFS_TAG, _XF_TAG)):
            tag = element.tag
            if tag == _CELL_XFS_TAG:
                in_cell_formats = event == "start"
            elif event == "end" and tag == _NUM_FMT_TAG:
                custom[_int(element.get("numFmtId"))] = element.get("formatCode") or ""
            elif event == "end" and tag == _XF_TAG and in_cell_formats:
                if index >= MAX_CELL_STYLES:
                    raise FileProblem(f"文件中的单元格格式超过 {MAX_CELL_STYLES:,} 种（Excel 的上限），"
                                      "请清除无用的单元格格式后再导入")
                format_id = _int(element.get("numFmtId"))
                code = custom.get(format_id) or builtin_format_code(format_id)
                if format_id in CJK_DATE_FORMAT_IDS or (code and is_date_format(code)):
                    dates.add(index)
                index += 1
            if event == "end":
                element.clear()
    return frozenset(dates)


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def _worksheet_rows(source, reader: _LedgerExcelReader, budget: CellBudget):
    """(row number, values) of each row that holds a value, read straight from the sheet's XML.

    openpyxl's own row iteration pads each row to the sheet's declared width and yields every missing
    row up to the last, so a 2 KB file declaring A1:XFD1048576 costs minutes and gigabytes; its cell
    parser builds an object per inline string (1,000,000 of them took over 30 s). Here only the cells
    present in the file are visited, each one counts against the budget, and values are converted here.
    """
    strings, date_styles, epoch = reader.shared_strings, reader.date_styles, reader.wb.epoch
    row_number, column, values, read, allowed = 0, 0, {}, 0, budget.limit - budget.used
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
        # Usually <is><t>text</t></is>; rich text has several runs, each with its own <t>.
        if len(element) == 1 and len(box := element[0]) == 1 and box[0].tag == _T_TAG and not len(box[0]):
            return box[0].text or ""
        return "".join(t.text or "" for t in element.iter(_T_TAG))
    for child in element:
        if child.tag == _VALUE_TAG:
            raw = child.text
            break
    else:
        raw = None
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
