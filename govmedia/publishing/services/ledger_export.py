"""The review ledger of one unit and month, as XLSX and as a PDF laid out like the paper ledger
(信息审核发布登记台账). Both read the ledger entries as stored, so what is exported is what the hash chain
covers; the PDF's last line gives the chain's verdict and the month's last hash."""

import io
from datetime import date, datetime, time
from xml.sax.saxutils import escape

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from govmedia.errors import PermissionDenied, ValidationError
from govmedia.orgs.models import Unit, User
from govmedia.orgs.permissions import may_export_ledger
from govmedia.publishing.models import LedgerEntry
from govmedia.publishing.services.ledger import verify_chain
from govmedia.registry.attachment1_pdf import _font as cjk_font  # the registry's embedded CJK font

TITLE = "信息审核发布登记台账"
COLUMNS = ("序号", "标题", "发布账号", "撰稿人", "审核等级", "审核记录", "检查发现及处理", "发布链接", "发布时间",
           "哈希")
# Each header fits on one line at the PDF's header size (8 pt, 6 pt padding each side), and the whole row fits a
# landscape A4 page inside its margins.
WIDTHS_CM = (1.0, 3.8, 2.8, 1.6, 1.7, 5.6, 3.4, 3.2, 2.2, 1.8)
HEADER_PT = 8
MAX_CELL_CHARS = 900  # a table row taller than a page cannot be laid out


def month_entries(*, unit: Unit, year: int, month: int, by: User) -> list[LedgerEntry]:
    if not may_export_ledger(by, unit.pk):
        raise PermissionDenied("无权导出该单位的审核发布台账")
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValidationError("月份无效")
    start = timezone.make_aware(datetime.combine(date(year, month, 1), time.min))
    end = timezone.make_aware(datetime.combine(date(year + month // 12, month % 12 + 1, 1), time.min))
    return list(LedgerEntry.objects.filter(unit=unit, recorded_at__gte=start, recorded_at__lt=end)
                .order_by("sequence"))


def _reviews(content: dict) -> str:
    lines = []
    for r in content.get("reviews", []):
        comment = f"：{r['comment']}" if r.get("comment") else ""
        lines.append(f"{r['step']} {r['reviewer']} {r['decision']}（{r['at']}）{comment}")
    if content.get("emergency"):
        lines.insert(0, f"紧急发布：{content.get('emergency_reason', '')}")
    return "\n".join(lines)


def _findings(content: dict) -> str:
    return "\n".join(f"{f['category']}“{f['text']}”：{f['handling']}" for f in content.get("findings", [])) or "无"


def row(entry: LedgerEntry) -> tuple:
    c = entry.content
    return (entry.sequence, c.get("title", ""), "、".join(c.get("accounts", [])), c.get("author", ""),
            c.get("grade", ""), _reviews(c), _findings(c), c.get("published_url", ""), c.get("published_at", ""),
            entry.hash[:12])


def _xlsx_cell(ws, value):
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"  # text that looks like a formula stays text (no formula injection)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def ledger_xlsx(*, unit: Unit, year: int, month: int, by: User) -> bytes:
    entries = month_entries(unit=unit, year=year, month=month, by=by)
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(f"{year}年{month}月")
    for letter, width in zip("ABCDEFGHIJ", WIDTHS_CM, strict=True):
        ws.column_dimensions[letter].width = width * 5
    title = WriteOnlyCell(ws, value=f"{unit.name} {TITLE}（{year}年{month}月）")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    header = []
    for name in COLUMNS:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for entry in entries:
        ws.append([_xlsx_cell(ws, value) for value in row(entry)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _p(text, style) -> Paragraph:
    text = str(text)
    if len(text) > MAX_CELL_CHARS:
        text = text[:MAX_CELL_CHARS] + "…"
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def ledger_pdf(*, unit: Unit, year: int, month: int, by: User) -> bytes:
    entries = month_entries(unit=unit, year=year, month=month, by=by)
    font = cjk_font()
    cell = ParagraphStyle("ledger-cell", fontName=font, fontSize=7.5, leading=10, wordWrap="CJK")
    head = ParagraphStyle("ledger-head", parent=cell, fontSize=HEADER_PT, alignment=1)
    title = ParagraphStyle("ledger-title", fontName=font, fontSize=16, leading=22, alignment=1)
    note = ParagraphStyle("ledger-note", fontName=font, fontSize=9, leading=13)
    data = [[_p(name, head) for name in COLUMNS]]
    data += [[_p(value, cell) for value in row(entry)] for entry in entries]
    if not entries:
        data.append([_p("本月无登记", cell)] + [""] * (len(COLUMNS) - 1))
    table = Table(data, colWidths=[w * cm for w in WIDTHS_CM], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), "#eeeeee"),
        *([("SPAN", (0, 1), (-1, 1))] if not entries else []),
    ]))
    verdict = verify_chain(unit)
    chain = "完好" if verdict.intact else f"校验失败：{verdict.problem}"
    last = f"本月末条哈希：{entries[-1].hash}" if entries else ""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=1.2 * cm, rightMargin=1.2 * cm,
                            topMargin=1.2 * cm, bottomMargin=1.2 * cm, title=TITLE, author=unit.name)
    doc.build([
        Paragraph(escape(TITLE), title),
        Paragraph(escape(f"单位：{unit.name}　　月份：{year}年{month}月　　共 {len(entries)} 条"), note),
        Spacer(1, 0.3 * cm), table, Spacer(1, 0.3 * cm),
        Paragraph(escape(f"哈希链校验：{chain}。{last}"), note),
    ])
    return buffer.getvalue()
