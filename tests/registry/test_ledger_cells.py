"""Reading ledger files defensively: hostile XLSX and CSV uploads stay inside 10 s and 200 MB.

The files are built by hand (zip members written as raw XML) so they can claim what a real
spreadsheet program would never write: a sheet dimension of A1:XFD1048576, megabytes of padding.
Each hostile read runs in a fresh process so its time and peak memory are its own.
"""

import io
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from govmedia.registry import ledger_cells, ledger_xlsx
from govmedia.registry.ledger_cells import MAIN_SHEET, TEAM_SHEET, FileProblem, read_sheets, text
from tests.registry.handmade_xlsx import NS, handmade_xlsx, inline

ROOT = Path(__file__).resolve().parents[2]
BUDGET_SECONDS = 10
BUDGET_BYTES = 200 * 1024 * 1024
_COST_SCRIPT = """
import io, sys, time
from govmedia.registry.ledger_cells import FileProblem, read_sheets

def peak():
    # VmHWM, not ru_maxrss: ru_maxrss survives fork + exec on Linux and would start at the parent's peak.
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))

data = sys.stdin.buffer.read()
before = peak()
start = time.perf_counter()
try:
    sheets = read_sheets(io.BytesIO(data), sys.argv[1], ["账号台账"])
    outcome = "read " + str(sum(len(s.rows) for s in sheets.values())) + " rows"
except FileProblem as problem:
    outcome = str(problem)
print(time.perf_counter() - start, peak() - before)
print(outcome)
"""


def _read_cost(data: bytes, filename: str = "台账.xlsx") -> tuple[float, int, str]:
    """Seconds, extra peak memory in bytes, and the outcome of reading `data` in a fresh process.
    A read that overruns the time budget several times over fails the test by its timeout."""
    done = subprocess.run([sys.executable, "-c", _COST_SCRIPT, filename], input=data, capture_output=True,
                          cwd=ROOT, timeout=3 * BUDGET_SECONDS, check=True)
    figures, outcome = done.stdout.decode().splitlines()
    seconds, extra = figures.split()
    return float(seconds), int(extra), outcome


def _assert_within_budget(data: bytes, filename: str = "台账.xlsx") -> str:
    assert len(data) <= ledger_cells.MAX_FILE_BYTES
    seconds, extra, outcome = _read_cost(data, filename)
    assert seconds < BUDGET_SECONDS, (seconds, outcome)
    assert extra < BUDGET_BYTES, (extra, outcome)
    return outcome


def _read(data: bytes, filename: str = "台账.xlsx", names=(MAIN_SHEET,)):
    return read_sheets(io.BytesIO(data), filename, list(names))


# ---------------------------------------------------------------- what a hostile XLSX claims is not trusted


def test_one_row_at_the_last_row_of_a_sheet_claiming_the_whole_grid_is_read_quickly():
    data = handmade_xlsx([f'<row r="1048576">{inline("XFD1048576", "账号ID")}</row>'],
                          dimension="A1:XFD1048576")
    assert len(data) < 2048
    assert _assert_within_budget(data) == "read 0 rows"


def test_thousands_of_far_apart_rows_far_to_the_right_cost_only_what_they_hold():
    rows = (f'<row r="{r}">{inline(f"A{r}", "x")}{inline(f"XFD{r}", "y")}</row>'
            for r in range(1, 1_048_577, 200))
    data = handmade_xlsx(rows, dimension="A1:XFD1048576")
    outcome = _assert_within_budget(data)
    assert outcome.startswith("read ")


def test_cells_beyond_the_column_cap_are_ignored():
    far = ledger_cells.MAX_COLUMNS + 1
    from openpyxl.utils import get_column_letter

    rows = ['<row r="1">' + inline("A1", "账号ID") + "</row>",
            '<row r="2">' + inline("A2", "gh_1") + inline(f"{get_column_letter(far)}2", "远处") + "</row>"]
    sheet = _read(handmade_xlsx(rows))[MAIN_SHEET]
    assert sheet.rows == [(2, ("gh_1",))]


def test_a_sheet_padded_with_190_mb_of_whitespace_is_refused_by_its_compression_ratio():
    data = handmade_xlsx(['<row r="1">' + inline("A1", "账号ID") + "</row>"], padding_mb=190)
    assert len(data) < 400 * 1024
    outcome = _assert_within_budget(data)
    assert "压缩比异常" in outcome and "sheet1.xml" in outcome


def test_shared_strings_padded_to_a_zip_bomb_are_refused_before_openpyxl_reads_them():
    data = handmade_xlsx([], shared_strings=["账号ID"], padding_mb=60, padding_in="strings")
    with pytest.raises(FileProblem, match="sharedStrings.xml"):
        _read(data)


def test_a_style_sheet_too_big_for_openpyxl_to_parse_whole_is_refused():
    # openpyxl parses styles into objects; 15 MB of cell formats cost it 12 s and 280 MB.
    formats = "".join(f'<xf numFmtId="{i % 50}" fontId="{i % 7}"/>' for i in range(150_000))
    styles = f'<styleSheet xmlns="{NS}"><cellXfs>{formats}</cellXfs></styleSheet>'
    with pytest.raises(FileProblem, match="styles.xml.*超过 4MB"):
        _read(handmade_xlsx([], extra_parts={"xl/styles.xml": styles}))


def test_a_zip_with_thousands_of_members_is_refused():
    with pytest.raises(FileProblem, match="部件"):
        _read(handmade_xlsx([], extra_members=ledger_xlsx.MAX_MEMBERS))


def test_reading_stops_at_the_cell_budget_counting_cells_actually_read(monkeypatch):
    monkeypatch.setattr(ledger_cells, "MAX_CELLS", 50)
    rows = [f'<row r="{r}">' + "".join(inline(f"{c}{r}", "v") for c in "ABCDE") + "</row>" for r in range(1, 12)]
    with pytest.raises(FileProblem, match="单元格超过 50 个"):
        _read(handmade_xlsx(rows, dimension="A1:B2"))


def test_shared_strings_and_rows_without_numbers_are_read_as_written():
    rows = ['<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>',
            '<row><c t="s"><v>2</v></c><c><v>12000</v></c></row>']
    sheet = _read(handmade_xlsx(rows, shared_strings=["账号ID", "账号名称", "gh_1"]))[MAIN_SHEET]
    assert (sheet.header_row, sheet.headers) == (1, ["账号ID", "账号名称"])
    assert sheet.rows == [(2, ("gh_1", 12000))]


# ---------------------------------------------------------------- the caps count accounts, not sheet rows


def test_the_row_cap_counts_accounts_of_the_main_sheet_only(monkeypatch):
    from openpyxl import Workbook

    monkeypatch.setattr(ledger_cells, "MAX_ACCOUNTS", 3)
    workbook = Workbook()
    workbook.active.title = MAIN_SHEET
    team = workbook.create_sheet(TEAM_SHEET)
    for ws in (workbook.active, team):
        ws.append(["账号ID", "管理员姓名"])
    for i in range(3):
        workbook.active.append([f"gh_{i}"])
        team.append([f"gh_{i}", "甲"])
        team.append([f"gh_{i}", "乙"])
    out = io.BytesIO()
    workbook.save(out)
    sheets = _read(out.getvalue(), names=(MAIN_SHEET, TEAM_SHEET))
    assert (len(sheets[MAIN_SHEET].rows), len(sheets[TEAM_SHEET].rows)) == (3, 6)

    workbook.active.append(["gh_3"])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(FileProblem, match="超过 3 个账号"):
        _read(out.getvalue(), names=(MAIN_SHEET, TEAM_SHEET))


def test_a_3000_account_ledger_with_two_team_members_each_is_read_whole():
    from openpyxl import Workbook

    from govmedia.registry.ledger import COLUMNS, TEAM_COLUMNS

    workbook = Workbook(write_only=True)
    main, team = workbook.create_sheet(MAIN_SHEET), workbook.create_sheet(TEAM_SHEET)
    main.append([c.header for c in COLUMNS])
    team.append([c.header for c in TEAM_COLUMNS])
    for i in range(3000):
        main.append([f"单位{i}", f"账号{i}", f"gh_{i}", "微信订阅号"] + ["内容"] * (len(COLUMNS) - 4))
        for name in ("甲", "乙"):
            team.append(["微信订阅号", f"gh_{i}", f"账号{i}", name, "科员", "0532-86980000", "13900000000"])
    out = io.BytesIO()
    workbook.save(out)
    sheets = _read(out.getvalue(), names=(MAIN_SHEET, TEAM_SHEET))
    assert (len(sheets[MAIN_SHEET].rows), len(sheets[TEAM_SHEET].rows)) == (3000, 6000)


# ---------------------------------------------------------------- CSV


def test_a_csv_of_10_mb_of_separators_is_refused_within_the_budget():
    data = b"," * (ledger_cells.MAX_FILE_BYTES - 10)
    assert "分隔符" in _assert_within_budget(data, "台账.csv")


def test_a_csv_stops_at_the_cell_budget(monkeypatch):
    monkeypatch.setattr(ledger_cells, "MAX_CELLS", 50)
    data = ("账号ID,账号名称\n" + "gh,名\n" * 30).encode()
    with pytest.raises(FileProblem, match="单元格超过 50 个"):
        _read(data, "台账.csv")


def test_a_csv_of_10_mb_of_empty_lines_is_refused_within_the_budget():
    data = "账号ID\n".encode() + b"\n" * (ledger_cells.MAX_FILE_BYTES - 20)
    assert "空行也计入" in _assert_within_budget(data, "台账.csv")


def test_a_csv_field_left_open_by_a_stray_quote_names_its_line():
    data = ("账号ID,账号名称\ngh_1,正常\ngh_2,\"" + "长" * 200_000 + "\n").encode()
    with pytest.raises(FileProblem, match="第3行"):
        _read(data, "台账.csv")


def test_a_csv_in_no_known_encoding_names_the_line_and_the_bytes():
    data = "账号ID\ngh_1\n".encode() + b"gh_\xff\xff\n"
    with pytest.raises(FileProblem, match=r"第3行.*ff ff"):
        _read(data, "台账.csv")


@pytest.mark.parametrize(("raw", "expected"), [
    ("\u200b西海岸发布\ufeff ", "西海岸发布"), (" gh_\u200d01\u2060 ", "gh_01"), ("\u200c", ""), ("西海岸 发布", "西海岸 发布"),
    (1.0, "1"), (None, ""), (True, "是"),
])
def test_a_cell_reads_as_its_visible_text(raw, expected):
    assert text(raw) == expected


def _styles(body: str) -> dict[str, str]:
    return {"xl/styles.xml": f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}">{body}</styleSheet>'}


def test_a_style_sheet_of_130000_fonts_is_skipped_not_built():
    # Each font distinct, so the part packs like real XML and passes the compression-ratio guard.
    fonts = "<fonts>" + "".join(f'<font><sz val="{i}"/></font>' for i in range(130_000)) + "</fonts>"
    data = handmade_xlsx([f'<row r="1">{inline("A1", "账号ID")}</row>'], extra_parts=_styles(fonts))
    assert len(data) < 1024 * 1024
    assert _assert_within_budget(data) == "read 0 rows"


def test_more_cell_formats_than_excel_allows_are_refused_by_name():
    xfs = "<cellXfs>" + "".join(f'<xf numFmtId="0" fontId="{i}"/>' for i in range(64_001)) + "</cellXfs>"
    data = handmade_xlsx([f'<row r="1">{inline("A1", "账号ID")}</row>'], extra_parts=_styles(xfs))
    with pytest.raises(FileProblem, match="单元格格式超过 64,000 种"):
        _read(data)


def test_a_date_in_a_chinese_builtin_date_format_is_read_as_a_date():
    # Style 1 uses built-in format 31 (yyyy"年"m"月"d"日"), which Chinese Excel writes by id alone;
    # style 2 a custom date format; style 0 a plain number.
    styles = _styles('<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy/mm/dd"/></numFmts>'
                     '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="31"/><xf numFmtId="176"/></cellXfs>')
    row = '<row r="2"><c r="A2" s="1"><v>44197</v></c><c r="B2" s="2"><v>44198</v></c><c r="C2" s="0"><v>7</v></c></row>'
    data = handmade_xlsx([f'<row r="1">{inline("A1", "账号ID")}</row>', row], extra_parts=styles)
    [(_, values)] = _read(data)[MAIN_SHEET].rows
    assert values[:3] == (datetime(2021, 1, 1), datetime(2021, 1, 2), 7)
