"""Draw the attachment-1 layout (attachment1.Form) as a Word document with python-docx."""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from govmedia.registry.attachment1 import FOOTNOTES, GRID_CM, Cell, Checks, Form, Picture, Text

SONG, FANGSONG, HEI = "宋体", "仿宋", "黑体"
LATIN = "Times New Roman"
# 宋体 has no ☑/☐; Word and LibreOffice both know a symbol font that does.
SYMBOL_FONT = "Segoe UI Symbol"
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}
TABLE_PT, SMALL_PT = 10.5, 8  # 五号, and the note under 栏目设置


def _set_font(element_owner, east_asia: str, *, latin: str = LATIN, size: float | None = None,
              bold: bool | None = None) -> None:
    """Set a run's or style's fonts; East Asian text only follows w:rFonts/@w:eastAsia."""
    font = element_owner.font
    font.name = latin
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    r_fonts = element_owner.element.get_or_add_rPr().get_or_add_rFonts()
    r_fonts.set(qn("w:eastAsia"), east_asia)


def _run(paragraph, text: str, east_asia: str = SONG, *, size=TABLE_PT, bold=None, underline=False,
         latin: str = LATIN):
    run = paragraph.add_run(text)
    # Most runs are the Normal style's 宋体 五号; setting their fonts again took a third of the time.
    if (east_asia, latin, size, bold) != (SONG, LATIN, TABLE_PT, None):
        _set_font(run, east_asia, latin=latin, size=size, bold=bold)
    if underline:
        run.underline = True
    return run


def _paragraph(cell, used: list[bool]):
    """The cell's first (empty) paragraph the first time, a new one afterwards."""
    if not used[0]:
        used[0] = True
        return cell.paragraphs[0]
    return cell.add_paragraph()


def _fill_cell(cell, content: list, *, label: bool) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    used = [False]
    for item in content:
        paragraph = _paragraph(cell, used)
        paragraph.paragraph_format.space_after = Pt(0)
        if isinstance(item, Text):
            paragraph.alignment = ALIGN["center" if label else item.align]
            _run(paragraph, item.text, size=SMALL_PT if item.small else TABLE_PT)
        elif isinstance(item, Checks):
            for i, (checked, text, fill) in enumerate(item.items):
                if i:
                    _run(paragraph, "  ")
                _run(paragraph, "☑" if checked else "☐", SYMBOL_FONT, latin=SYMBOL_FONT)
                _run(paragraph, text)
                if fill is not None:
                    _run(paragraph, f" {fill} " if fill else " " * 16, underline=True)
        elif isinstance(item, Picture):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if item.png:
                paragraph.add_run().add_picture(io.BytesIO(item.png), width=Cm(item.width_cm))
            else:
                run = _run(paragraph, "（未上传，且无访问链接）", size=SMALL_PT)
                run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)


def _span(grid: list[list], spec: Cell):
    """Make the spec's cell span its rows and columns, as Word writes it: w:gridSpan on the first cell of
    each row (the cells it covers removed), w:vMerge restart/continue down the rows. Spans never overlap,
    so every cell looked up in `grid` is still in the table."""
    width = Cm(sum(GRID_CM[spec.col:spec.col + spec.colspan]))
    for row in range(spec.row, spec.row + spec.rowspan):
        first = grid[row][spec.col]
        if spec.colspan > 1:
            first._tc.get_or_add_tcPr().grid_span = spec.colspan
            first.width = width
            for covered in grid[row][spec.col + 1:spec.col + spec.colspan]:
                covered._tc.getparent().remove(covered._tc)
        if spec.rowspan > 1:
            first._tc.get_or_add_tcPr().vMerge_val = "restart" if row == spec.row else "continue"
    return grid[spec.row][spec.col]


def render_docx(form: Form) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    normal = document.styles["Normal"]
    _set_font(normal, SONG, size=TABLE_PT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)

    _run(document.add_paragraph(), "附件1", HEI, size=14)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(6)
    title.paragraph_format.space_after = Pt(12)
    _run(title, form.title, SONG, size=18, bold=True)
    line = document.add_paragraph()
    line.paragraph_format.tab_stops.add_tab_stop(Cm(sum(GRID_CM)), WD_TAB_ALIGNMENT.RIGHT)
    line.paragraph_format.space_after = Pt(6)
    filled = form.filled_on
    _run(line, f"单位名称（盖章）：{form.unit_name}\t填表时间：{filled.year}年{filled.month}月{filled.day}日",
         FANGSONG, size=12)

    table = document.add_table(rows=form.rows, cols=len(GRID_CM))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    rows = list(table.rows)
    # python-docx's table.cell() and row.cells rebuild the whole grid on every call, and its merge()
    # recomputes grid offsets by XPath; together they made a form take 0.33 s. The grid is read once
    # and spans are written straight into the XML (_span).
    grid = [list(row.cells) for row in rows]
    for row, cells in zip(rows, grid, strict=True):
        row.height, row.height_rule = Cm(0.8), WD_ROW_HEIGHT_RULE.AT_LEAST
        # Keep each row (an opinion with its signature line, say) on one page.
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, width in zip(cells, GRID_CM, strict=True):
            cell.width = Cm(width)
    for index, height in form.min_height_cm.items():
        rows[index].height = Cm(height)
    for spec in form.cells:
        _fill_cell(_span(grid, spec), spec.content, label=spec.label)

    for i, note in enumerate(FOOTNOTES):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(6 if i == 0 else 0)
        if i:
            paragraph.paragraph_format.left_indent = Pt(21)  # under the text after “注：”
        _run(paragraph, note, FANGSONG, size=TABLE_PT)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
