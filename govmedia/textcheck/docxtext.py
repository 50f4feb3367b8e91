"""The text of a .docx within a budget of time and memory, whatever the file claims about itself.

A .docx is a zip of XML parts. A 600 KB upload can hold 600,000 paragraphs, or unpack to gigabytes of
whitespace; python-docx builds the whole tree and a Python object per paragraph (18 s and 330 MB for
the first), so the text is read here instead. The zip's directory is checked before anything is
inflated; each part read goes through a stream that counts the bytes it actually inflates (the sizes in
the zip's header are only the first check); the XML is parsed by lxml into callbacks, so no tree is kept;
elements, paragraphs and characters are counted as they come and the read stops at the first cap.

The text is what python-docx gives (``Paragraph.text``), in the order the checker has always used:
the default headers of the sections, every paragraph of the body (tables and text boxes included, in
document order), then the default footers; one line per paragraph.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"

# Real posts and reports are far below every cap: a 300-page report has about 20,000 paragraphs,
# 600,000 characters and 10 MB of document.xml. Images can make the zip large; they are never inflated.
MAX_MEMBERS = 1000
MAX_PART_BYTES = 32 * 1024 * 1024  # inflated bytes of one XML part actually read
MAX_RELS_BYTES = 2 * 1024 * 1024  # relationship parts are small lists, parsed whole
MAX_RATIO = 200  # Word's XML packs 5–30 times; whitespace padding about 1,000 times
RATIO_FLOOR = 1024 * 1024  # below this, any ratio is harmless
MAX_ELEMENTS = 1_000_000  # XML elements across the parts read: about 2.5 µs each, so at most ~2.5 s
MAX_PARAGRAPHS = 100_000
MAX_CHARS = 2_000_000  # characters of text extracted: bounds what the checker is then given


class DocxProblem(Exception):
    """The .docx cannot be read, or is over a cap; the message is Chinese, for the user."""


class _Budget:
    def __init__(self) -> None:
        self.elements = self.paragraphs = self.chars = 0


class _CappedStream:
    """A member of the zip read in chunks, counting what is inflated; refuses past the caps."""

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int):
        self._source, self._info, self._cap, self.read_bytes = archive.open(info), info, cap, 0

    def chunks(self, size: int = 64 * 1024):
        with self._source:
            while data := self._source.read(size):
                self.read_bytes += len(data)
                if self.read_bytes > self._cap:
                    raise DocxProblem(f"文件内部部件“{self._info.filename}”解压后超过 "
                                      f"{self._cap // 1024 // 1024}MB，无法检查")
                if self.read_bytes > RATIO_FLOOR and self.read_bytes > MAX_RATIO * max(self._info.compress_size, 1):
                    raise _bomb(self._info, self.read_bytes)
                yield data


def _bomb(info: zipfile.ZipInfo, size: int) -> DocxProblem:
    return DocxProblem(f"文件内部部件“{info.filename}”的压缩比异常（{info.compress_size:,} 字节解压为 {size:,} 字节以上），"
                       "疑似恶意构造的文件，已拒绝")


def _check_archive(archive: zipfile.ZipFile) -> None:
    """What the zip's directory says, checked before anything is inflated (the streams check again)."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise DocxProblem(f"文件内部包含 {len(members):,} 个部件（上限 {MAX_MEMBERS:,}），不像正常的 Word 文档")
    for info in members:
        if not info.filename.endswith((".xml", ".rels")):
            continue  # images, fonts and the like are never opened
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _bomb(info, info.file_size)
        cap = MAX_RELS_BYTES if info.filename.endswith(".rels") else MAX_PART_BYTES
        if info.file_size > cap:
            raise DocxProblem(f"文件内部部件“{info.filename}”解压后超过 {cap // 1024 // 1024}MB，无法检查")


def _member(archive: zipfile.ZipFile, name: str) -> zipfile.ZipInfo | None:
    try:
        return archive.getinfo(name)
    except KeyError:
        return None


def _parser(target) -> etree.XMLParser:
    # No entity expansion, no network, libxml2's own limits on node size and depth kept (huge_tree off).
    return etree.XMLParser(target=target, resolve_entities=False, no_network=True, huge_tree=False,
                           load_dtd=False)


def _relationships(archive: zipfile.ZipFile, name: str) -> list[tuple[str, str, str]]:
    """(type, target, id) of each relationship in a .rels part, in file order; none if the part is missing."""
    info = _member(archive, name)
    if info is None:
        return []
    data = b"".join(_CappedStream(archive, info, MAX_RELS_BYTES).chunks())
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    return [(rel.get("Type", ""), rel.get("Target", ""), rel.get("Id", "")) for rel in root.iter(RELS)]


_BODY, _P, _P_PR, _R, _T, _BR, _HYPERLINK, _SECT_PR, _HEADER_REF, _FOOTER_REF = (f"{W}{name}" for name in (
    "body", "p", "pPr", "r", "t", "br", "hyperlink", "sectPr", "headerReference", "footerReference"))


class _PartText:
    """lxml parser target: the text of each paragraph of one part, without building a tree.

    As python-docx's ``Paragraph.text``: the runs that are children of the paragraph or of a hyperlink in
    it; of a run, its w:t text, w:tab and w:ptab as a tab, w:br (a line break) and w:cr as a newline,
    w:noBreakHyphen as "-". A paragraph nested in a text box gets its own line after the one holding it;
    a text box's VML fallback copy (inside mc:Fallback) is skipped.
    """

    # Where python-docx looks for sections: the body's last child, and a paragraph's properties.
    SECTION_PATHS = ([_BODY, _SECT_PR], [_BODY, _P, _P_PR, _SECT_PR])
    RUN_CHILDREN = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}
    # Tags that need more than counting; everything else costs a push and a pop (this runs per element).
    SPECIAL = {FALLBACK, _P, _T, _BR, *RUN_CHILDREN, _HEADER_REF, _FOOTER_REF, _SECT_PR}

    def __init__(self, lines: list, budget: _Budget, body_only: bool, on_section: Callable | None = None):
        self.lines, self.budget, self.body_only, self.on_section = lines, budget, body_only, on_section
        self.stack: list[str] = []
        self.open: list[tuple[int, list[str], int]] = []  # (line index, parts, depth) of paragraphs being read
        self.fallback_depth = 0
        self.in_text = False
        self.elements_left = MAX_ELEMENTS - budget.elements

    def _run_of_open_paragraph(self) -> bool:
        """Is the element just opened (stack[-1]) a child of a run that counts for the innermost paragraph?"""
        stack, depth = self.stack, len(self.stack)
        if not self.open or depth < 3 or stack[-2] != _R:
            return False
        p_depth = self.open[-1][2]
        return (stack[-3] == _P and p_depth == depth - 3) or (
            stack[-3] == _HYPERLINK and depth >= 4 and stack[-4] == _P and p_depth == depth - 4)

    def start(self, tag, attrib) -> None:
        self.elements_left -= 1
        if self.elements_left < 0:
            raise DocxProblem(f"文档结构过于复杂（超过 {MAX_ELEMENTS:,} 个 XML 元素），请拆分后再检查")
        self.stack.append(tag)
        if tag in self.SPECIAL:
            self._special_start(tag, attrib)

    def _special_start(self, tag, attrib) -> None:
        if tag == _T:
            self.in_text = self._run_of_open_paragraph()
        elif tag == _P:
            if self.fallback_depth or (self.body_only and (len(self.stack) < 2 or self.stack[1] != _BODY)):
                return
            self.budget.paragraphs += 1
            if self.budget.paragraphs > MAX_PARAGRAPHS:
                raise DocxProblem(f"文档段落超过 {MAX_PARAGRAPHS:,} 个，请拆分后再检查")
            self.lines.append("")
            self.open.append((len(self.lines) - 1, [], len(self.stack) - 1))
        elif tag == FALLBACK:
            self.fallback_depth += 1
        elif tag == _BR:
            if self._run_of_open_paragraph() and attrib.get(f"{W}type", "textWrapping") == "textWrapping":
                self._add("\n")
        elif tag in self.RUN_CHILDREN:
            if self._run_of_open_paragraph():
                self._add(self.RUN_CHILDREN[tag])
        elif tag in (_HEADER_REF, _FOOTER_REF):
            if self.on_section and attrib.get(f"{W}type") == "default" and self.stack[-2] == _SECT_PR:
                self.on_section(tag, attrib.get(R_ID))
        elif tag == _SECT_PR and self.on_section and self.stack[1:] in self.SECTION_PATHS:
            self.on_section(tag, None)

    def data(self, text: str) -> None:
        if self.in_text:
            self._add(text)

    def _add(self, text: str) -> None:
        self.budget.chars += len(text)
        if self.budget.chars > MAX_CHARS:
            raise DocxProblem(f"文档文字超过 {MAX_CHARS:,} 个字符，请拆分后再检查")
        self.open[-1][1].append(text)

    def end(self, tag) -> None:
        self.stack.pop()
        if tag not in self.SPECIAL:
            return
        if tag == _T:
            self.in_text = False
        elif tag == FALLBACK:
            self.fallback_depth -= 1
        elif tag == _P and self.open and self.open[-1][2] == len(self.stack):
            index, parts, _depth = self.open.pop()
            self.lines[index] = "".join(parts)

    def doctype(self, *args) -> None:
        # Word never writes a DTD; one in a .docx is there to play with entities.
        raise DocxProblem("文档含有 DTD 声明，不是 Word 保存的文档")

    def close(self) -> None:
        self.budget.elements = MAX_ELEMENTS - self.elements_left  # the next part counts on from here


def _parse_part(archive: zipfile.ZipFile, name: str, target: _PartText) -> None:
    info = _member(archive, name)
    if info is None:
        return
    parser = _parser(target)
    for chunk in _CappedStream(archive, info, MAX_PART_BYTES).chunks():
        parser.feed(chunk)
    parser.close()


def _main_document(archive: zipfile.ZipFile) -> str:
    for rel_type, target, _id in _relationships(archive, "_rels/.rels"):
        if rel_type.endswith("/officeDocument"):
            return target.lstrip("/")
    return "word/document.xml"


def read_docx(source) -> tuple[str, list[str]]:
    """(text, hyperlink targets) of a .docx given as a path or a binary file object; raises DocxProblem
    for a file over a cap, and lets zipfile and lxml errors through for a damaged one."""
    with zipfile.ZipFile(source) as archive:
        _check_archive(archive)
        document = _main_document(archive)
        if _member(archive, document) is None:
            raise DocxProblem("文件中没有 Word 正文部件，不是有效的 .docx 文件")
        folder, base = posixpath.split(document)
        rels = _relationships(archive, posixpath.join(folder, "_rels", base + ".rels"))
        targets = {rel_id: posixpath.normpath(posixpath.join(folder, target)) if not target.startswith("/")
                   else target.lstrip("/") for _type, target, rel_id in rels}

        # The body is parsed first (its sections name the headers and footers) but placed between them.
        budget = _Budget()
        sections: list[dict[str, str | None]] = []

        def on_section(tag: str, rel_id: str | None) -> None:
            if tag == _SECT_PR:
                sections.append({})
            elif sections:
                sections[-1][tag] = rel_id

        body: list[str] = []
        _parse_part(archive, document, _PartText(body, budget, body_only=True, on_section=on_section))

        def parts_of(tag: str) -> list[str]:
            lines: list[str] = []
            seen: set[str] = set()
            for section in sections:
                part = targets.get(section.get(tag) or "")
                if part and part not in seen:
                    seen.add(part)
                    _parse_part(archive, part, _PartText(lines, budget, body_only=False))
            return lines

        headers = parts_of(_HEADER_REF)
        footers = parts_of(_FOOTER_REF)
        links = [target for rel_type, target, _id in rels if rel_type.endswith("/hyperlink")]
    return "\n".join(headers + body + footers), list(dict.fromkeys(links))
