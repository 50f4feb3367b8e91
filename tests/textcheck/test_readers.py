import io
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from govmedia.textcheck.readers import (
    EncodingError,
    InputError,
    decode,
    document_from_bytes,
    docx_to_text,
    html_to_text,
    iter_text_file,
    kind_of,
    read_document,
)

PAGE = """<!DOCTYPE html><html><head><title>区政府通知</title>
<style>.x { content: "赌博" }</style><script>var s = "大麻";</script></head>
<body><div class="nav"><a href="/index.html">首页</a> <a href="javascript:void(0)">菜单</a></div>
<p>第一段
  文字&nbsp;续行 &amp; 符号</p><p>第二段<img src="https://cdn.example.cn/a.png"></p>
<!-- 注释里的赌博 --><noscript>请启用脚本</noscript><pre>保留
  格式</pre><a href="https://item.taobao.com/1">链接</a></body></html>"""


def test_html_gives_the_visible_text_only():
    text, _ = html_to_text(PAGE)
    assert "赌博" not in text and "大麻" not in text and "请启用脚本" not in text
    assert text.splitlines() == ["区政府通知", "首页 菜单", "第一段 文字\xa0续行 & 符号", "第二段", "保留", "格式", "链接"]


def test_html_links_are_collected_for_the_link_checker():
    _, links = html_to_text(PAGE)
    assert links == ["/index.html", "https://cdn.example.cn/a.png", "https://item.taobao.com/1"]


def test_html_declared_charset_is_honoured():
    data = '<html><head><meta charset="gbk"></head><body><p>赌博</p></body></html>'.encode("gbk")
    assert document_from_bytes("page.html", data).text == "赌博"


def make_docx(tmp_path):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "秘密★1年"
    document.add_paragraph("第一段正文")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "单元格甲"
    table.rows[0].cells[1].text = "单元格乙"
    paragraph = document.add_paragraph("见")
    part = document.part
    rel = part.relate_to("https://jd.com/x", docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = docx.oxml.shared.OxmlElement("w:hyperlink")
    link.set(docx.oxml.shared.qn("r:id"), rel)
    run = docx.oxml.shared.OxmlElement("w:r")
    text = docx.oxml.shared.OxmlElement("w:t")
    text.text = "链接文字"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    document.sections[0].footer.paragraphs[0].text = "第 1 页"
    path = tmp_path / "post.docx"
    document.save(path)
    return path


def test_docx_gives_header_paragraphs_tables_hyperlink_text_and_footer(tmp_path):
    text, links = docx_to_text(str(make_docx(tmp_path)))
    assert text.splitlines() == ["秘密★1年", "第一段正文", "单元格甲", "单元格乙", "见链接文字", "第 1 页"]
    assert links == ["https://jd.com/x"]


def test_a_docx_is_recognized_by_its_content_too(tmp_path):
    data = make_docx(tmp_path).read_bytes()
    assert kind_of("upload.bin", data) == "docx"
    assert document_from_bytes("upload.bin", data).kind == "docx"


def test_a_broken_docx_is_an_input_error():
    with pytest.raises(InputError, match="docx"):
        document_from_bytes("bad.docx", b"PK\x03\x04 not really a zip")


def test_utf8_with_or_without_bom_is_read():
    assert decode("赌博".encode(), "a.txt") == "赌博"
    assert decode("\ufeff赌博".encode(), "a.txt") == "赌博"


def test_gb18030_text_is_accepted_as_a_fallback():
    assert decode("国务院办公厅".encode("gb18030"), "a.txt") == "国务院办公厅"


def test_binary_data_is_an_input_error():
    with pytest.raises(InputError, match="不是文本文件（含有二进制数据）"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.png")
    with pytest.raises(InputError, match="不是文本文件（含有二进制数据）"):
        decode(bytes(range(1, 32)) * 10, "a.bin")


def test_undecodable_bytes_are_an_input_error():
    with pytest.raises(InputError, match="UTF-8"):
        decode(b"\xff\xff\xff\xff", "a.txt")


def test_plain_text_files_are_read_incrementally(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("政务" * 1_000_000, encoding="utf-8")
    pieces = list(iter_text_file(str(path)))
    assert len(pieces) > 1 and "".join(pieces) == "政务" * 1_000_000


def test_incremental_reading_reports_a_bad_encoding(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("政务公开".encode("gbk"))
    with pytest.raises(EncodingError):
        list(iter_text_file(str(path)))
    assert "".join(iter_text_file(str(path), "gb18030")) == "政务公开"


def test_read_document_reads_standard_input():
    document = read_document("-", stdin=io.BytesIO("<!doctype html><p>赌博</p>".encode()))
    assert (document.kind, document.text) == ("html", "赌博")


def test_an_unreadable_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="无法读取文件：文件不存在"):
        read_document(str(tmp_path / "missing.txt"))


def test_kind_follows_the_suffix_then_the_content():
    assert kind_of("a.HTML") == "html"
    assert kind_of("a.docx") == "docx"
    assert kind_of("a.txt", b"<!DOCTYPE html><html>") == "html"
    assert kind_of("a.txt", "正文".encode()) == "text"


def test_plain_text_checks_do_not_load_the_html_and_docx_parsers():
    # lxml costs start-up time of every CLI run; only HTML and .docx inputs need it.
    code = ("import sys; from govmedia.textcheck.cli import main; main(['--no-default-lexicon', '-']); "
            "print('lxml' in sys.modules, 'govmedia.textcheck.docxtext' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], input="区政府召开常务会议。", capture_output=True, text=True,
                          encoding="utf-8", cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.strip().splitlines()[-1] == "False False", done.stderr
