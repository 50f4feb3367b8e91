import pytest

from govmedia.textcheck.lexicon import (
    MAX_TERM_LENGTH,
    Lexicon,
    LexiconError,
    default_lexicons,
    load_directory,
    load_lexicon,
    merge,
    parse_lexicon,
)


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_a_lexicon_line_is_category_tab_term_and_optional_suggestion():
    lex = parse_lexicon("prohibited\t赌博\ntypo\t按装\t安装\n", "x.tsv")
    assert [(e.category, e.term, e.suggestion, e.line) for e in lex] == [
        ("prohibited", "赌博", None, 1), ("typo", "按装", "安装", 2)]
    assert all(e.source == "x.tsv" for e in lex)


def test_comments_and_blank_lines_are_ignored():
    lex = parse_lexicon("# 标题\n\nprohibited\t赌博  # 行尾注释\n   \n", "x")
    assert [(e.term, e.line) for e in lex] == [("赌博", 3)]


def test_a_source_comment_becomes_the_lexicon_note():
    lex = parse_lexicon("# source: 某规范用语表（2024）\nprohibited\t赌博\n", "x")
    assert lex.note == "某规范用语表（2024）"


def test_canonical_and_allow_are_lexicon_categories():
    lex = parse_lexicon("canonical\t中国特色社会主义\nallow\t打击赌博\n", "x")
    assert [e.category for e in lex] == ["canonical", "allow"]


def test_empty_trailing_columns_are_ignored():
    lex = parse_lexicon("typo\t按装\t\t\nprohibited\t赌博\t \n", "x")
    assert [(e.term, e.suggestion) for e in lex] == [("按装", None), ("赌博", None)]


def test_a_bom_at_the_start_of_the_file_is_accepted(tmp_path):
    path = write(tmp_path, "bom.tsv", "\ufeffprohibited\t赌博\n")
    assert load_lexicon(path).entries[0].category == "prohibited"


@pytest.mark.parametrize(("text", "line", "reason"), [
    ("prohibited\t赌博\nbogus\t词\n", 2, "未知类别"),
    ("prohibited 赌博\n", 1, "制表符"),
    ("typo\ta\tb\tc\n", 1, "列数过多"),
    ("prohibited\t \n", 1, "词条为空"),
    ("prohibited\t-*-\n", 1, "只含空白或符号"),
    (f"prohibited\t{'长' * (MAX_TERM_LENGTH + 1)}\n", 1, "超过"),
    ("canonical\t两个维护\t两个维护\n", 1, "不能带建议"),
    ("allow\t打击赌博\t打击\n", 1, "不能带建议"),
    ("typo\t帳號\t帐号\n", 1, "归一化后相同"),
    ("typo\t按装\t--\n", 1, "建议列只含"),
])
def test_a_malformed_line_is_an_error_naming_file_line_and_reason(text, line, reason):
    with pytest.raises(LexiconError) as caught:
        parse_lexicon(text, "user.tsv")
    error = caught.value
    assert (error.file, error.line) == ("user.tsv", line)
    assert reason in error.reason
    assert str(error).startswith(f"user.tsv:{line}: ")


def test_invalid_utf8_is_an_error_naming_the_line(tmp_path):
    path = write(tmp_path, "gbk.tsv", "prohibited\t赌博\n".encode() + "prohibited\t大麻\n".encode("gbk"))
    with pytest.raises(LexiconError) as caught:
        load_lexicon(path)
    assert caught.value.line == 2
    assert "UTF-8" in caught.value.reason


def test_an_unreadable_lexicon_file_is_an_error(tmp_path):
    with pytest.raises(LexiconError) as caught:
        load_lexicon(tmp_path / "missing.tsv")
    assert caught.value.line == 0
    assert "missing.tsv" in str(caught.value)


def test_the_version_is_a_content_hash_unaffected_by_comments_and_layout():
    a = parse_lexicon("prohibited\t赌博\ntypo\t按装\t安装\n", "a")
    b = parse_lexicon("# 注释\ntypo\t按 装\t安装   \n\nprohibited\t賭博\n", "b")
    c = parse_lexicon("prohibited\t赌博\ntypo\t按装\t按照\n", "c")
    assert a.version == b.version
    assert a.version != c.version
    assert len(a.version) == 12


def test_from_entries_builds_and_validates_an_inline_lexicon():
    lex = Lexicon.from_entries([("prohibited", "赌博"), ("typo", "按装", "安装")], name="inline")
    assert len(lex) == 2
    with pytest.raises(LexiconError):
        Lexicon.from_entries([("nonsense", "x")])


def test_merging_lexicons_keeps_each_entry_source():
    merged = merge([parse_lexicon("prohibited\t赌博\n", "a.tsv"), parse_lexicon("prohibited\t大麻\n", "b.tsv")])
    assert [(e.term, e.source) for e in merged] == [("赌博", "a.tsv"), ("大麻", "b.tsv")]


def test_a_directory_of_lexicons_loads_every_tsv_file_in_name_order(tmp_path):
    write(tmp_path, "b.tsv", "prohibited\t大麻\n")
    write(tmp_path, "a.tsv", "prohibited\t赌博\n")
    write(tmp_path, "readme.txt", "not a lexicon")
    lexicons = load_directory(tmp_path, "default:")
    assert [lex.name for lex in lexicons] == ["default:a.tsv", "default:b.tsv"]


def test_an_empty_or_missing_data_directory_gives_no_lexicons(tmp_path):
    assert load_directory(tmp_path) == ()
    assert load_directory(tmp_path / "nope") == ()


def test_a_broken_shipped_file_is_reported_with_its_line(tmp_path):
    write(tmp_path, "bad.tsv", "prohibited\t赌博\nprohibited\n")
    with pytest.raises(LexiconError, match="default:bad.tsv:2"):
        load_directory(tmp_path, "default:")


def test_the_shipped_lexicons_load():
    for lexicon in default_lexicons():
        assert lexicon.name.startswith("default:")
        assert len(lexicon) > 0
