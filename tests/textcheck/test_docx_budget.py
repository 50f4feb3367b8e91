"""Hostile .docx files (built here by hand with zipfile) are refused in Chinese, within time and memory."""

import io
import json
import subprocess
import sys
import textwrap
import time
import zipfile

import docx
import pytest

from govmedia.textcheck import docxtext
from govmedia.textcheck.readers import InputError, document_from_bytes, read_document

BODY_START = '<w:body>'


def docx_with_body(body: str, *, extra_members: int = 0, compress=zipfile.ZIP_DEFLATED) -> bytes:
    """A real (python-docx) package whose word/document.xml body is replaced by ``body``."""
    template = io.BytesIO()
    docx.Document().save(template)
    source = zipfile.ZipFile(template)
    xml = source.read("word/document.xml").decode()
    head, _, rest = xml.partition(BODY_START)
    tail = rest[rest.index("<w:sectPr"):]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as package:
        for info in source.infolist():
            data = (head + BODY_START + body + tail).encode() if info.filename == "word/document.xml" \
                else source.read(info.filename)
            package.writestr(info.filename, data)
        for i in range(extra_members):
            package.writestr(f"word/extra{i}.xml", b"<a/>")
    return out.getvalue()


def paragraphs(n: int) -> str:
    return "<w:p><w:r><w:t>段</w:t></w:r></w:p>" * n


def numbered_paragraphs(n: int) -> str:
    # Like the tester's file: varied enough to pack only about 30 times, so no ratio check catches it.
    return "".join(f"<w:p><w:r><w:t>{i * 7919 % 100_003}</w:t></w:r></w:p>" for i in range(n))


def refused(data: bytes) -> str:
    with pytest.raises(InputError) as caught:
        document_from_bytes("post.docx", data)
    reason = caught.value.reason
    assert not any(word in reason for word in ("zip", "cannot", "File", "Error")), reason  # Chinese only
    return reason


def test_a_docx_with_a_normal_number_of_paragraphs_is_read():
    document = document_from_bytes("post.docx", docx_with_body(paragraphs(2000)))
    assert document.text.count("段") == 2000


def test_too_many_paragraphs_are_refused_in_chinese():
    assert "段落超过" in refused(docx_with_body(numbered_paragraphs(docxtext.MAX_PARAGRAPHS + 1)))


def test_whitespace_padding_is_refused_by_its_compression_ratio():
    padded = "<w:p><w:r><w:t>正文</w:t></w:r></w:p>" + " " * (40 * 1024 * 1024) + "<w:p/>"
    assert "压缩比异常" in refused(docx_with_body(padded))


def test_a_part_larger_than_the_cap_is_refused_even_at_a_plausible_ratio(monkeypatch):
    monkeypatch.setattr(docxtext, "MAX_PART_BYTES", 64 * 1024)
    assert "解压后超过" in refused(docx_with_body(paragraphs(5000), compress=zipfile.ZIP_STORED))


def test_the_stream_counts_what_is_inflated_not_what_the_header_says(monkeypatch):
    data = docx_with_body(paragraphs(5000))
    # The directory check passes (it is told nothing is too big); the stream still stops at the cap.
    monkeypatch.setattr(docxtext, "_check_archive", lambda archive: None)
    monkeypatch.setattr(docxtext, "MAX_PART_BYTES", 64 * 1024)
    assert "解压后超过" in refused(data)


def test_a_flood_of_empty_elements_is_refused():
    assert "结构过于复杂" in refused(docx_with_body("<w:bookmarkEnd/>" * (docxtext.MAX_ELEMENTS + 1),
                                                         compress=zipfile.ZIP_STORED))


def test_too_much_text_is_refused():
    assert "字符" in refused(docx_with_body(f"<w:p><w:r><w:t>{'字' * (docxtext.MAX_CHARS + 1)}</w:t></w:r></w:p>",
                                           compress=zipfile.ZIP_STORED))


def test_too_many_zip_members_are_refused():
    assert "部件" in refused(docx_with_body(paragraphs(1), extra_members=docxtext.MAX_MEMBERS))


def test_a_dtd_is_refused():
    data = docx_with_body(paragraphs(1))
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/document.xml":
                content = content.replace(b"?>", b'?><!DOCTYPE w:document [<!ENTITY a "aaaa">]>', 1)
            package.writestr(info.filename, content)
    assert "DTD" in refused(out.getvalue())


@pytest.mark.parametrize("data", [b"PK\x03\x04 not really a zip", b"PK\x05\x06" + b"\x00" * 18])
def test_a_damaged_docx_is_refused_in_chinese(data):
    assert ".docx 文件" in refused(data)


def test_html_and_text_read_whole_are_capped():
    with pytest.raises(InputError, match="文件超过 2MB"):
        document_from_bytes("page.html", b"<html>" + b" " * (2 * 1024 * 1024))
    with pytest.raises(InputError, match="超过"):
        document_from_bytes("post.txt", b"a" * (10 * 1024 * 1024 + 1))


# A fresh interpreter, so that peak memory (ru_maxrss) measures this read and nothing else.
CHILD = textwrap.dedent("""
    import json, resource, sys, time
    from govmedia.textcheck.readers import InputError, read_document
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        outcome = len(read_document(sys.argv[1]).text)
    except InputError as error:
        outcome = error.reason
    print(json.dumps({"seconds": time.perf_counter() - start, "outcome": outcome,
                      "extra_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024}))
""")


@pytest.mark.parametrize("name, body", [
    ("paras", lambda: numbered_paragraphs(600_000)),  # the tester's file: 18 s and 330 MB before
    ("pad", lambda: "<w:p/>" + " " * (250 * 1024 * 1024) + "<w:p/>"),  # 450 MB peak before
])
def test_hostile_docx_stays_within_10_s_and_200_mb(tmp_path, name, body):
    path = tmp_path / f"{name}.docx"
    path.write_bytes(docx_with_body(body()))
    assert path.stat().st_size < 10 * 1024 * 1024  # within the platform's upload cap
    result = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, timeout=60,
                            check=True)
    measured = json.loads(result.stdout)
    assert measured["seconds"] < 10 and measured["extra_mb"] < 200, measured
    assert {"paras": "段落超过", "pad": "压缩比异常"}[name] in measured["outcome"]


def test_read_document_opens_a_docx_on_disk_without_reading_it_whole(tmp_path):
    path = tmp_path / "post.docx"
    path.write_bytes(docx_with_body(paragraphs(3)))
    assert read_document(str(path)).text == "段\n段\n段"


def test_html_with_an_endless_unclosed_tag_is_read_in_linear_time():
    # html.parser rescans an unclosed tag from its start: 0.5 MB of this took over 500 s.
    page = b"<html><body><p>\xe6\xad\xa3\xe6\x96\x87</p><a " + b"x=1 " * 50_000
    started = time.perf_counter()
    document = document_from_bytes("page.html", page)
    assert time.perf_counter() - started < 2 and document.text == "正文"
