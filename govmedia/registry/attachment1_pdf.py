"""Draw the attachment-1 layout (attachment1.Form) as a PDF with reportlab.

Text uses the TrueType CJK font named by settings.GOVMEDIA_PDF_FONT, embedded as a subset of the glyphs
used, so the form renders the same on a machine without Adobe's Asian font pack (Adobe's CID fonts such
as STSong-Light are never embedded and show only through substitution). Checkboxes are drawn as vector
boxes by CheckRun, which also wraps the long 平台功能 list inside its cell.
"""

import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from govmedia.registry.attachment1 import FOOTNOTES, GRID_CM, Checks, Form, Picture, Text

FONT = "GovmediaSong"
SIZE, SMALL = 10.5, 6.5
# Longer free text would make a table row taller than a page, which reportlab cannot lay out.
MAX_CELL_CHARS = 900
MAX_SPAN_ROWS = 12
ALIGNS = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        # A path, with ":N" after a .ttc for the face in the collection.
        path, colon, index = settings.GOVMEDIA_PDF_FONT.rpartition(":")
        if not (colon and index.isdigit()):
            path, index = settings.GOVMEDIA_PDF_FONT, "0"
        if not Path(path).is_file():
            raise ImproperlyConfigured(
                f"生成 PDF 需要中文 TrueType 字体，未找到 {path}：请安装 fonts-arphic-uming"
                f"（apt-get install fonts-arphic-uming），或用环境变量 GOVMEDIA_PDF_FONT 指定字体文件。")
        pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=int(index)))
    return FONT


def _style(size=SIZE, align="left", leading=None) -> ParagraphStyle:
    return ParagraphStyle(f"a1-{size}-{align}", fontName=_font(), fontSize=size, leading=leading or size * 1.35,
                          alignment=ALIGNS[align], wordWrap="CJK")


def _markup(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


class CheckRun(Flowable):
    """Checkbox items laid out like text: box, label, optional underlined fill; wraps at the cell edge."""

    _TOKEN = re.compile(r"[A-Za-z0-9_./:@-]+|.", re.S)

    def __init__(self, checks: Checks, size: float = SIZE):
        super().__init__()
        self.checks, self.size, self.leading = checks, size, size * 1.5
        self.lines: list[list[tuple]] = []

    def _units(self) -> list[list[tuple]]:
        """Units that never break: the box with the first character of its label, then single tokens.
        A token is ("box", checked, width), ("text", s, width, underline) or ("gap", width)."""
        units, size = [], self.size
        for i, (checked, label, fill) in enumerate(self.checks.items):
            if i:
                units.append([("gap", size)])
            tokens = [("text", t, self._width(t), False) for t in self._TOKEN.findall(label)]
            if fill is not None:
                fill_text = f" {fill} " if fill else "\u3000" * 6
                tokens += [("text", t, self._width(t), True) for t in self._TOKEN.findall(fill_text)]
            box = ("box", checked, size * 1.05)
            units.append([box, *tokens[:1]])
            units.extend([t] for t in tokens[1:])
        return units

    def _width(self, text: str) -> float:
        return pdfmetrics.stringWidth(text, _font(), self.size)

    def wrap(self, avail_width, avail_height):
        self.lines, line, x = [], [], 0.0
        for unit in self._units():
            width = sum(t[-1] if t[0] != "text" else t[2] for t in unit)
            if x + width > avail_width and line:
                self.lines.append(line)
                line, x = [], 0.0
            if unit[0][0] == "gap" and not line:
                continue
            line.extend(unit)
            x += width
        if line:
            self.lines.append(line)
        self.width, self.height = avail_width, len(self.lines) * self.leading
        return self.width, self.height

    def draw(self):
        canvas, size = self.canv, self.size
        canvas.setFont(_font(), size)
        canvas.setLineWidth(0.6)
        for n, line in enumerate(self.lines):
            baseline = self.height - (n + 1) * self.leading + (self.leading - size) / 2 + size * 0.14
            x = 0.0
            for token in line:
                if token[0] == "box":
                    side = size * 0.78
                    bottom = baseline - size * 0.06
                    canvas.rect(x + 0.5, bottom, side, side)
                    if token[1]:
                        canvas.setLineWidth(1.1)
                        canvas.lines([(x + 0.5 + side * 0.18, bottom + side * 0.52, x + 0.5 + side * 0.42, bottom + side * 0.2),
                                      (x + 0.5 + side * 0.42, bottom + side * 0.2, x + 0.5 + side * 0.88, bottom + side * 0.92)])
                        canvas.setLineWidth(0.6)
                    x += token[2]
                elif token[0] == "text":
                    canvas.drawString(x, baseline, token[1])
                    if token[3]:
                        canvas.line(x, baseline - 1.5, x + token[2], baseline - 1.5)
                    x += token[2]
                else:
                    x += token[1]


def _flowables(content: list, *, label: bool, overflow: list[Text]) -> list:
    out = []
    for item in content:
        if isinstance(item, Text):
            size = SMALL if item.small else SIZE
            text = item.text
            if item.title and len(text) > MAX_CELL_CHARS:
                overflow.append(item)
                text = text[:MAX_CELL_CHARS - 100] + f"……（全文见表后“{item.title}”）"
            out.append(Paragraph(_markup(text), _style(size, "center" if label else item.align)))
        elif isinstance(item, Checks):
            out.append(CheckRun(item))
        elif isinstance(item, Picture):
            if item.png:
                reader = ImageReader(io.BytesIO(item.png))
                w, h = reader.getSize()
                width = item.width_cm * cm
                out.append(Image(io.BytesIO(item.png), width=width, height=width * h / w, hAlign="CENTER"))
            else:
                out.append(Paragraph("（未上传，且无访问链接）", _style(SMALL, "center")))
    return out


def _table(form: Form, overflow: list[Text]) -> Table:
    data = [["" for _ in GRID_CM] for _ in range(form.rows)]
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.7, "black"),
        ("BOX", (0, 0), (-1, -1), 1.2, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    last_cell_of_row = {}
    for spec in form.cells:
        data[spec.row][spec.col] = _flowables(spec.content, label=spec.label, overflow=overflow)
        # reportlab never breaks a page inside a row span, so a long 栏目设置 list gets its label
        # repeated as “（续）” every MAX_SPAN_ROWS rows.
        end = spec.row + spec.rowspan
        for start in range(spec.row, end, MAX_SPAN_ROWS):
            if start > spec.row:
                data[start][spec.col] = [Paragraph("（续）", _style(SIZE, "center"))]
            last = min(start + MAX_SPAN_ROWS, end) - 1
            if last > start or spec.colspan > 1:
                commands.append(("SPAN", (spec.col, start), (spec.col + spec.colspan - 1, last)))
        if spec.rowspan == 1 and spec.col >= last_cell_of_row.get(spec.row, (-1,))[0]:
            last_cell_of_row[spec.row] = (spec.col, data[spec.row][spec.col])
    for row, height in form.min_height_cm.items():
        # reportlab has no "at least" row height; room to write in is a spacer under the text.
        last_cell_of_row[row][1].append(Spacer(1, height * cm - SIZE * 2))
    # Rows are never split across pages (reportlab's splitInRow ignores column spans); that is why
    # over-long free text is cut in the cell and printed in full after the form.
    table = Table(data, colWidths=[w * cm for w in GRID_CM])
    table.setStyle(TableStyle(commands))
    return table


def render_pdf(form: Form) -> bytes:
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=1.8 * cm, bottomMargin=1.8 * cm,
        title=f"{form.title}（{form.unit_name}）", author=form.unit_name, subject="政务新媒体备案登记表",
        creator="govmedia",
    )
    filled = form.filled_on
    overflow: list[Text] = []
    heading = Table(
        [[Paragraph(_markup(f"单位名称（盖章）：{form.unit_name}"), _style(12)),
          Paragraph(f"填表时间：{filled.year}年{filled.month}月{filled.day}日", _style(12, "right"))]],
        colWidths=[sum(GRID_CM) * cm * 0.62, sum(GRID_CM) * cm * 0.38],
        style=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)],
    )
    story = [
        Paragraph("附件1", _style(12)),
        Spacer(1, 4),
        Paragraph(_markup(form.title), _style(18, "center", leading=26)),
        Spacer(1, 8),
        heading,
        Spacer(1, 4),
        _table(form, overflow),
        Spacer(1, 6),
    ]
    story += [Paragraph(_markup(note), ParagraphStyle("a1-note", parent=_style(9.5), leftIndent=0 if i == 0 else 19))
              for i, note in enumerate(FOOTNOTES)]
    for item in overflow:
        story += [Spacer(1, 12), Paragraph(_markup(f"{item.title}（全文）"), _style(12))]
        story += [Paragraph(_markup(part), _style()) for part in item.text.splitlines() if part.strip()]
    document.build(story)
    return out.getvalue()
