import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from govmedia.textcheck.cli import main

LEXICON = "# source: 测试词库\nprohibited\t赌博\ntypo\t按装\t安装\n"


@pytest.fixture
def lexicon(tmp_path):
    path = tmp_path / "test.tsv"
    path.write_text(LEXICON, encoding="utf-8")
    return str(path)


@pytest.fixture
def post(tmp_path):
    path = tmp_path / "post.txt"
    path.write_text("第一行正常\n软件按装后可网上赌-博\n", encoding="utf-8")
    return str(path)


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_findings_exit_1_and_are_printed_one_per_line(capsys, lexicon, post):
    code, out, _ = run(capsys, "--no-default-lexicon", "--lexicon", lexicon, post)
    assert code == 1
    assert out.splitlines() == [
        f"{post}:2:3: [typo/medium] 按装 → 安装 (疑似错别字，建议改为“安装”)",
        f"{post}:2:9: [prohibited/high] 赌-博 (疑似违法有害信息，不得发布)",
    ]


def test_json_output_lists_each_path_as_given_with_its_findings(capsys, lexicon, post, tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text("区政府召开常务会议。", encoding="utf-8")
    code, out, _ = run(capsys, "--format", "json", "--no-default-lexicon", "--lexicon", lexicon, post,
                       str(clean))
    assert code == 1
    result = json.loads(out)
    assert [r["path"] for r in result] == [post, str(clean)]
    assert result[1]["findings"] == []
    first = result[0]["findings"][0]
    assert first == {
        "category": "typo", "severity": "medium", "start": 8, "end": 10, "text": "按装", "suggestion": "安装",
        "rule": "lex:typo:按装", "source": lexicon, "lexicon_version": first["lexicon_version"],
        "explanation": "疑似错别字，建议改为“安装”", "line": 2, "column": 3, "confidence": 1.0}
    text = Path(post).read_text(encoding="utf-8")
    assert all(text[f["start"]:f["end"]] == f["text"] for f in result[0]["findings"])


def test_a_clean_file_exits_0(capsys, tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text("区政府召开常务会议，研究部署安全生产工作。", encoding="utf-8")
    code, out, err = run(capsys, str(clean))
    assert (code, out) == (0, "")
    assert "发现 0 处问题" in err


def test_lexicon_can_be_repeated(capsys, lexicon, tmp_path):
    second = tmp_path / "second.tsv"
    second.write_text("prohibited\t暗号甲\n", encoding="utf-8")
    document = tmp_path / "a.txt"
    document.write_text("暗号甲和赌博", encoding="utf-8")
    code, out, _ = run(capsys, "--format", "json", "--no-default-lexicon", "--lexicon", lexicon, "--lexicon",
                       str(second), str(document))
    assert code == 1
    assert [f["source"] for f in json.loads(out)[0]["findings"]] == [str(second), lexicon]


def test_standard_input_is_read_for_a_dash(capsys, lexicon, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("赌博".encode()), encoding="utf-8"))
    code, out, _ = run(capsys, "--format", "json", "--no-default-lexicon", "--lexicon", lexicon, "-")
    assert code == 1
    assert json.loads(out)[0]["path"] == "-"


def test_html_and_docx_inputs_are_checked_on_their_visible_text(capsys, lexicon, tmp_path):
    import docx

    page = tmp_path / "page.html"
    page.write_text("<html><script>赌博</script><body><p>按装</p></body></html>", encoding="utf-8")
    document = docx.Document()
    document.add_paragraph("赌博")
    path = tmp_path / "post.docx"
    document.save(path)
    code, out, _ = run(capsys, "--format", "json", "--no-default-lexicon", "--lexicon", lexicon, str(page),
                       str(path))
    result = json.loads(out)
    assert code == 1
    assert [f["text"] for f in result[0]["findings"]] == ["按装"]
    assert [f["text"] for f in result[1]["findings"]] == ["赌博"]


def test_a_gb18030_text_file_is_accepted(capsys, lexicon, tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("网上赌博".encode("gb18030"))
    code, out, _ = run(capsys, "--no-default-lexicon", "--lexicon", lexicon, str(path))
    assert code == 1 and "赌博" in out


def test_a_bad_lexicon_exits_2_naming_file_line_and_reason(capsys, tmp_path, post):
    bad = tmp_path / "bad.tsv"
    bad.write_text("prohibited\t赌博\nbogus\t词\n", encoding="utf-8")
    code, out, err = run(capsys, "--lexicon", str(bad), post)
    assert (code, out) == (2, "")
    assert f"{bad}:2:" in err and "未知类别" in err and "lexicon error" in err


def test_a_missing_lexicon_exits_2(capsys, tmp_path, post):
    code, _, err = run(capsys, "--lexicon", str(tmp_path / "nope.tsv"), post)
    assert code == 2 and "nope.tsv" in err


def test_an_unreadable_input_exits_2_but_the_others_are_still_checked(capsys, lexicon, post, tmp_path):
    code, out, err = run(capsys, "--format", "json", "--no-default-lexicon", "--lexicon", lexicon,
                         str(tmp_path / "missing.txt"), post)
    assert code == 2
    assert "missing.txt" in err and "input error" in err
    assert [r["path"] for r in json.loads(out)] == [post]


def test_an_undecodable_input_exits_2(capsys, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"\x81\x30" * 10 + b"\xff\xfe\xfd")
    code, _, err = run(capsys, str(path))
    assert code == 2 and "UTF-8" in err


def test_binary_input_exits_2(capsys, tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    code, _, err = run(capsys, str(path))
    assert code == 2 and "不是文本文件" in err and "binary data" not in err


@pytest.mark.parametrize("argv", [[], ["--format", "xml", "a.txt"], ["--bogus", "a.txt"]])
def test_usage_errors_exit_2(capsys, argv):
    code, _, err = run(capsys, *argv)
    assert code == 2 and "usage" in err


def test_help_exits_0(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "--lexicon" in out


def test_a_large_text_file_is_streamed_with_offsets_into_the_whole_file(capsys, lexicon, tmp_path):
    unit = "政务公开" * 5000 + "\n网上赌博\n"
    path = tmp_path / "big.txt"
    path.write_text(unit * 60, encoding="utf-8")
    code, out, _ = run(capsys, "--format", "json", "--no-default-lexicon", "--lexicon", lexicon, str(path))
    findings = json.loads(out)[0]["findings"]
    assert code == 1 and len(findings) == 60
    text = path.read_text(encoding="utf-8")
    assert all(text[f["start"]:f["end"]] == "赌博" for f in findings)
    assert [f["line"] for f in findings[:3]] == [2, 4, 6]


def test_govmedia_check_dispatches_here(capsys, lexicon, post):
    from govmedia.cli import main as govmedia_main

    assert govmedia_main(["check", "--no-default-lexicon", "--lexicon", lexicon, post]) == 1
    assert "赌-博" in capsys.readouterr().out


def test_python_dash_m_runs_the_checker(lexicon, post):
    command = [sys.executable, "-m", "govmedia.textcheck", "check", "--no-default-lexicon", "--lexicon",
               lexicon, "--format", "json", post]
    result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)[0]["findings"][0]["text"] == "按装"


class _StubSpeller:
    """Stands in for the statistical typo detector: reports 注意 (for 主义) wherever it occurs."""

    def __init__(self, names=()):
        pass

    def find(self, text, folded, compact, lo, hi):
        start = text.find("注意", lo, hi)
        if start < 0:
            return []
        return [(start, start + 2, "typo", 1, "主义", "speller:注意", "builtin", "疑似错别字，建议改为“主义”",
                 start, start + 2)]


def test_no_spelling_turns_the_statistical_typo_detector_off_and_keeps_the_lists(capsys, monkeypatch, lexicon,
                                                                                  tmp_path):
    monkeypatch.setattr("govmedia.textcheck.checker.Speller", _StubSpeller)
    path = tmp_path / "post.txt"
    path.write_text("坚持社会注意思想，软件按装", encoding="utf-8")
    argv = ["--format", "json", "--no-default-lexicon", "--lexicon", lexicon, str(path)]
    _, with_speller, _ = run(capsys, *argv)
    code, without, _ = run(capsys, "--no-spelling", *argv)
    assert [f["rule"] for f in json.loads(with_speller)[0]["findings"]] == ["speller:注意", "lex:typo:按装"]
    assert code == 1 and [f["rule"] for f in json.loads(without)[0]["findings"]] == ["lex:typo:按装"]


def test_help_explains_no_spelling_in_chinese(capsys):
    _, out, _ = run(capsys, "--help")
    assert "--no-spelling" in out and "错别字" in out


def test_json_output_is_one_valid_document_whatever_the_paths_and_findings(capsys, lexicon, tmp_path):
    odd = tmp_path / 'a "quoted" \\ name.txt'
    odd.write_text("赌博\n" * 3, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    code, out, _ = run(capsys, "--format", "json", "--no-default-lexicon", "--lexicon", lexicon, str(odd),
                       str(empty))
    result = json.loads(out)
    assert code == 1 and [r["path"] for r in result] == [str(odd), str(empty)]
    assert [f["line"] for f in result[0]["findings"]] == [1, 2, 3] and result[1]["findings"] == []


def test_json_output_with_no_readable_file_is_an_empty_list(capsys, tmp_path):
    code, out, _ = run(capsys, "--format", "json", str(tmp_path / "missing.txt"))
    assert code == 2 and json.loads(out) == []
