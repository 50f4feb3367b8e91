"""Reading the inputs of ``govmedia check``: plain text, HTML (visible text only) and .docx.

Offsets of findings index the text extracted here (``Document.text``). Plain text is UTF-8 (a BOM is
allowed); GB18030 (which covers GBK/GB2312) is accepted as a fallback because much Chinese office text
still comes that way; anything else, or binary data, is an ``InputError``.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
DOCX_SUFFIXES = {".docx"}
FALLBACK_ENCODING = "gb18030"
_READ_SIZE = 1 << 20
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class InputError(Exception):
    """An input that cannot be checked; the message is shown to the user (Chinese and English)."""

    def __init__(self, path: str, reason: str):
        self.path, self.reason = path, reason
        super().__init__(f"{path}: {reason}")


@dataclass
class Document:
    path: str
    text: str
    kind: str  # "text", "html" or "docx"
    links: list[str] = field(default_factory=list)  # href/src targets, for the link checker


class EncodingError(InputError):
    """The bytes are not valid in the encoding tried."""


def _binary(path: str) -> InputError:
    return InputError(path, "不是文本文件（binary data, not text）")


def decode(data: bytes, path: str, declared: str | None = None) -> str:
    """UTF-8 (with or without BOM), else a declared charset, else GB18030; never guesses silently wrong."""
    if b"\x00" in data:
        raise _binary(path)
    encodings = ["utf-8-sig", *([declared] if declared else []), FALLBACK_ENCODING]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if len(_CONTROL.findall(text[:100_000])) > 10:  # decodes, but is not prose
            raise _binary(path)
        return text
    raise InputError(path, "无法识别的文本编码，请使用 UTF-8（cannot decode: expected UTF-8 or GB18030）")


def iter_text_file(path: str, encoding: str = "utf-8-sig") -> Iterator[str]:
    """Decoded pieces of a plain text file, read incrementally; raises InputError on a bad byte."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    first = True
    try:
        with open(path, "rb") as handle:
            while True:
                data = handle.read(_READ_SIZE)
                if b"\x00" in data:
                    raise _binary(path)
                try:
                    text = decoder.decode(data, final=not data)
                except UnicodeDecodeError as exc:
                    raise EncodingError(path, f"不是有效的 {encoding.upper()} 文本（invalid {encoding}）") from exc
                if first and len(_CONTROL.findall(text[:100_000])) > 10:
                    raise _binary(path)
                first = False
                if text:
                    yield text
                if not data:
                    return
    except OSError as exc:
        raise InputError(path, f"无法读取文件（cannot read: {exc.strerror or exc}）") from exc


class _VisibleText(HTMLParser):
    SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "object"}
    BLOCK = {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
             "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
             "nav", "ol", "p", "pre", "section", "table", "td", "th", "title", "tr", "ul"}
    LINK_ATTRS = {"href", "src"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.skip_depth = 0
        self.pre_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in self.LINK_ATTRS and value and not value.startswith(("#", "javascript:", "data:")):
                self.links.append(value.strip())
        if tag in self.SKIP:
            self.skip_depth += 1
        elif tag == "pre":
            self.pre_depth += 1
        if tag in self.BLOCK:
            self._newline()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        skip_before = self.skip_depth
        self.handle_starttag(tag, attrs)
        self.skip_depth = skip_before  # <br/>, <img/>: no end tag follows

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)
        if tag in self.BLOCK:
            self._newline()

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if not self.pre_depth:
            # As a browser renders it: a line break in the source is just a space.
            data = re.sub(r"[ \t\r\n\f]+", " ", data)
        self.parts.append(data)

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def text(self) -> str:
        lines = (line.strip(" ") for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def html_to_text(html: str) -> tuple[str, list[str]]:
    """Visible text (script, style and the like skipped) and the link targets of an HTML page."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return parser.text(), list(dict.fromkeys(parser.links))


def _declared_charset(data: bytes) -> str | None:
    found = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", data[:4096], re.IGNORECASE)
    return found.group(1).decode("ascii").lower() if found else None


def docx_to_text(source: str | bytes) -> tuple[str, list[str]]:
    """Text of a .docx in reading order (headers, body paragraphs, tables, text boxes, footers) and links."""
    import docx  # python-docx; imported lazily to keep plain-text checks light
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(source) if isinstance(source, bytes) else source)
    fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

    def paragraphs(element) -> list[str]:
        out = []
        for p in element.iter(qn("w:p")):
            # Text boxes are stored twice (DrawingML and a VML fallback); read the first copy only.
            if any(a.tag == fallback for a in p.iterancestors()):
                continue
            out.append(Paragraph(p, None).text)
        return out

    lines: list[str] = []
    seen_parts = set()
    for section in document.sections:
        if not section.header.is_linked_to_previous and id(section.header.part) not in seen_parts:
            seen_parts.add(id(section.header.part))
            lines += paragraphs(section.header._element)
    lines += paragraphs(document.element.body)
    for section in document.sections:
        if not section.footer.is_linked_to_previous and id(section.footer.part) not in seen_parts:
            seen_parts.add(id(section.footer.part))
            lines += paragraphs(section.footer._element)
    links = [rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")]
    return "\n".join(lines), list(dict.fromkeys(links))


def kind_of(path: str, data: bytes | None = None) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in DOCX_SUFFIXES:
        return "docx"
    if data is not None:
        if data[:4] == b"PK\x03\x04" and b"word/" in data[:4096]:
            return "docx"
        head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if head.startswith((b"<!doctype html", b"<html")):
            return "html"
    return "text"


def document_from_bytes(path: str, data: bytes) -> Document:
    kind = kind_of(path, data)
    if kind == "docx":
        try:
            text, links = docx_to_text(data)
        except Exception as exc:  # python-docx raises many kinds (zip, XML, missing part)
            raise InputError(path, f"无法读取 .docx 文件（cannot read .docx: {exc}）") from exc
        return Document(path, text, kind, links)
    text = decode(data, path, _declared_charset(data) if kind == "html" else None)
    if kind == "html":
        text, links = html_to_text(text)
        return Document(path, text, kind, links)
    return Document(path, text, kind)


def read_document(path: str, stdin=None) -> Document:
    """Read ``path`` (``-`` for standard input) into a Document."""
    if path == "-":
        import sys

        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read()
        return document_from_bytes(path, data.encode("utf-8") if isinstance(data, str) else data)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(path, f"无法读取文件（cannot read: {exc.strerror or exc}）") from exc
    return document_from_bytes(path, data)
