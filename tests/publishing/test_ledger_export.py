import io
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook

from govmedia.errors import PermissionDenied
from govmedia.publishing.models import LedgerEntry
from govmedia.publishing.services.ledger_export import ledger_pdf, ledger_xlsx
from govmedia.publishing.services.publication import publication_record
from govmedia.publishing.services.review import review_approve
from tests.publishing.factories import draft_for


@pytest.fixture
def march(frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    """Two items published in March 2026 and one in April, on edu's ledger."""
    for n, (title, day) in enumerate((("=HYPERLINK(\"http://evil\")", date(2026, 3, 2)),
                                      ("春季开学安全提示", date(2026, 3, 3)), ("四月的信息", date(2026, 4, 1))), 1):
        frozen_clock.set(day)
        draft = review_approve(draft=draft_for(assigned_operator, edu_weibo, title=title, submit=True),
                               by=edu_reviewer, comment="同意发布")
        publication_record(draft=draft, by=assigned_operator, url=f"https://weibo.com/xhaedu/{n}",
                           published_at=frozen_clock.current)
    return LedgerEntry.objects.filter(recorded_at__month=3)


def test_the_xlsx_lists_the_months_entries_with_their_reviews(march, edu, edu_leader):
    sheet = load_workbook(io.BytesIO(ledger_xlsx(unit=edu, year=2026, month=3, by=edu_leader))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "区教育和体育局 信息审核发布登记台账（2026年3月）" and rows[1][0] == "序号"
    assert [r[0] for r in rows[2:]] == [1, 2] and rows[3][1] == "春季开学安全提示"
    assert "审核员审核 钱审核 通过" in rows[3][5] and "同意发布" in rows[3][5]
    assert rows[3][7] == "https://weibo.com/xhaedu/2" and rows[3][2] == "西海岸教育发布（新浪微博）"


def test_each_pdf_header_fits_its_column_on_one_line_and_the_row_fits_the_page():
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import cm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from govmedia.publishing.services import ledger_export
    from govmedia.registry.attachment1_pdf import _font

    font, padding = _font(), 2 * 6
    for name, width in zip(ledger_export.COLUMNS, ledger_export.WIDTHS_CM, strict=True):
        assert stringWidth(name, font, ledger_export.HEADER_PT) + padding <= width * cm, name
    assert sum(ledger_export.WIDTHS_CM) * cm <= landscape(A4)[0] - 2 * 1.2 * cm


def test_a_title_that_looks_like_a_formula_stays_text(march, edu, edu_leader):
    data = ledger_xlsx(unit=edu, year=2026, month=3, by=edu_leader)
    assert load_workbook(io.BytesIO(data)).active["B3"].data_type == "s"


def test_the_pdf_reads_like_the_paper_ledger(march, edu, supervisor, tmp_path):
    path = tmp_path / "ledger.pdf"
    path.write_bytes(ledger_pdf(unit=edu, year=2026, month=3, by=supervisor))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "信息审核发布登记台账" in text and "区教育和体育局" in text and "共 2 条" in text
    assert "春季开学安全提示" in text and "四月的信息" not in text and "哈希链校验：完好" in text


def test_another_unit_or_an_operator_cannot_export(march, edu, street_leader, assigned_operator):
    for outsider in (street_leader, assigned_operator):
        with pytest.raises(PermissionDenied):
            ledger_xlsx(unit=edu, year=2026, month=3, by=outsider)
        with pytest.raises(PermissionDenied):
            ledger_pdf(unit=edu, year=2026, month=3, by=outsider)
