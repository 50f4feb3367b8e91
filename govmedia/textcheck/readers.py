"""Reading the inputs of ``govmedia check``: plain text, HTML (visible text only) and .docx.

Offsets of findings index the text extracted here (``Document.text``). Plain text is UTF-8 (a BOM is
allowed); GB18030 (which covers GBK/GB2312) is accepted as a fallback because much Chinese office text
still comes that way; anything else, or binary data, is an ``InputError`` with a Chinese reason.

Inputs read whole (HTML, .docx, and plain text given as bytes) are capped, so that a hostile file stays
within seconds and a bounded amount of memory; the CLI streams plain text files instead. The .docx
format has its own budget in ``docxtext``.
"""

from __future__ import annotations

import codecs
import errno
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
DOCX_SUFFIXES = {".docx"}
FALLBACK_ENCODING = "gb18030"
_READ_SIZE = 1 << 20
MAX_WHOLE_BYTES = 10 * 1024 * 1024  # plain text read whole (the platform's upload cap too)
# HTML goes through a Python callback per tag and text node: 2 MB of the densest markup is about 3 s.
MAX_HTML_BYTES = 2 * 1024 * 1024
MAX_DOCX_BYTES = 50 * 1024 * 1024  # the zip: photos make real posts big, and they are never inflated
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class InputError(Exception):
    """An input that cannot be checked; ``reason`` is a Chinese sentence shown to the user as is."""

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
    return InputError(path, "不是文本文件（含有二进制数据），请上传 .txt、.html 或 .docx 文件")


def undecodable(path: str) -> InputError:
    return InputError(path, "无法识别的文本编码，请另存为 UTF-8（或 GB18030/GBK）编码的文本后再检查")


def unreadable(path: str, exc: OSError) -> InputError:
    # strerror is English (from the C library); the common cases are said in Chinese.
    reason = {errno.ENOENT: "文件不存在", errno.EACCES: "没有读取该文件的权限", errno.EISDIR: "这是一个目录，不是文件"}
    return InputError(path, f"无法读取文件：{reason.get(exc.errno, f'系统错误（errno {exc.errno}）')}")


def _too_big(path: str, cap: int) -> InputError:
    return InputError(path, f"文件超过 {cap // 1024 // 1024}MB，请拆分后再检查")


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
    raise undecodable(path)


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
                    raise EncodingError(path, f"不是有效的 {encoding.upper()} 编码文本") from exc
                if first and len(_CONTROL.findall(text[:100_000])) > 10:
                    raise _binary(path)
                first = False
                if text:
                    yield text
                if not data:
                    return
    except OSError as exc:
        raise unreadable(path, exc) from exc


class _VisibleText:
    """An lxml parser target collecting what a browser would show. libxml2's HTML parser (C) reads hostile
    markup in linear time; html.parser, pure Python, took over 500 s on 0.5 MB of one unclosed tag's
    attributes."""

    SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "object"}
    BLOCK = {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
             "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
             "nav", "ol", "p", "pre", "section", "table", "td", "th", "title", "tr", "ul"}
    LINK_ATTRS = {"href", "src"}

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.links: list[str] = []
        self.skip_depth = 0
        self.pre_depth = 0

    def start(self, tag: str, attrib) -> None:
        for name, value in attrib.items():
            if name in self.LINK_ATTRS and value and not value.startswith(("#", "javascript:", "data:")):
                self.links.append(value.strip())
        if tag in self.SKIP:
            self.skip_depth += 1
        elif tag == "pre":
            self.pre_depth += 1
        if tag in self.BLOCK:
            self._newline()

    def end(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)
        if tag in self.BLOCK:
            self._newline()

    def data(self, data: str) -> None:
        if self.skip_depth:
            return
        if not self.pre_depth:
            # As a browser renders it: a line break in the source is just a space.
            data = re.sub(r"[ \t\r\n\f]+", " ", data)
        self.parts.append(data)

    def close(self) -> None:
        return None

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def text(self) -> str:
        lines = (line.strip(" ") for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def html_to_text(html: str) -> tuple[str, list[str]]:
    """Visible text (script, style and the like skipped) and the link targets of an HTML page."""
    from lxml import etree  # imported on first use: most inputs of the CLI are plain text

    collector = _VisibleText()
    parser = etree.HTMLParser(target=collector, no_network=True, recover=True, remove_comments=True)
    for start in range(0, len(html), _READ_SIZE):
        parser.feed(html[start:start + _READ_SIZE])
    parser.close()
    return collector.text(), list(dict.fromkeys(collector.links))


def _declared_charset(data: bytes) -> str | None:
    found = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", data[:4096], re.IGNORECASE)
    return found.group(1).decode("ascii").lower() if found else None


def docx_to_text(source: str | bytes) -> tuple[str, list[str]]:
    """Text of a .docx in reading order (headers, body paragraphs, tables, text boxes, footers) and links.

    Raises DocxProblem (Chinese) over a cap, zipfile/lxml errors for a damaged file."""
    from .docxtext import read_docx

    return read_docx(io.BytesIO(source) if isinstance(source, bytes) else source)


def _docx_document(path: str, source) -> Document:
    from lxml import etree

    from .docxtext import DocxProblem

    try:
        text, links = docx_to_text(source)
    except DocxProblem as exc:
        raise InputError(path, f"无法检查该 .docx 文件：{exc}") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        raise InputError(path, "无法读取该 .docx 文件：不是有效的 Word 文档（文件可能已损坏，或并非 .docx 格式）") from None
    except etree.XMLSyntaxError:
        raise InputError(path, "无法读取该 .docx 文件：文档内容格式错误，文件可能已损坏") from None
    except Exception:  # zlib, CRC and other damage: the user can only re-save the file
        raise InputError(path, "无法读取该 .docx 文件：文件可能已损坏，请用 Word 或 WPS 重新保存后再检查") from None
    return Document(path, text, "docx", links)


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
        if len(data) > MAX_DOCX_BYTES:
            raise _too_big(path, MAX_DOCX_BYTES)
        return _docx_document(path, io.BytesIO(data))
    cap = MAX_HTML_BYTES if kind == "html" else MAX_WHOLE_BYTES
    if len(data) > cap:
        raise _too_big(path, cap)
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
        data = stream.read(MAX_DOCX_BYTES + 1)  # the largest cap; document_from_bytes applies the right one
        return document_from_bytes(path, data.encode("utf-8") if isinstance(data, str) else data)
    try:
        with open(path, "rb") as handle:
            if kind_of(path, handle.read(4096)) == "docx":
                # zipfile seeks in the file itself: only the directory and the text parts are read.
                handle.seek(0, io.SEEK_END)
                if handle.tell() > MAX_DOCX_BYTES:
                    raise _too_big(path, MAX_DOCX_BYTES)
                handle.seek(0)
                return _docx_document(path, handle)
            handle.seek(0)
            data = handle.read(MAX_WHOLE_BYTES + 1)
    except OSError as exc:
        raise unreadable(path, exc) from exc
    return document_from_bytes(path, data)
