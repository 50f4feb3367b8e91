"""A version against the one before as rows for the page: changed lines marked character by character, long
unchanged stretches folded, very long lines shown replaced whole."""

from govmedia.publishing.selectors import DiffOp
from govmedia.publishing.views import draft_diff
from govmedia.publishing.views.draft_diff import Row, diff_rows


def test_a_changed_line_is_marked_character_by_character():
    rows = diff_rows([DiffOp("replace", ["会议于九月召开。"], ["会议于九月一日召开。"])])
    assert rows == [Row("change", (("", "会议于九月"), ("ins", "一日"), ("", "召开。")))]


def test_lines_beyond_the_pairs_are_deleted_or_inserted_whole():
    rows = diff_rows([DiffOp("replace", ["甲", "乙"], ["丙"]), DiffOp("insert", [], ["丁"])])
    assert [row.kind for row in rows] == ["change", "delete", "insert"]
    assert rows[1].parts == (("del", "乙"),) and rows[2].parts == (("ins", "丁"),)


def test_a_long_unchanged_stretch_is_folded_keeping_context_around_changes():
    same = [f"第{i}段" for i in range(10)]
    rows = diff_rows([DiffOp("insert", [], ["新"]), DiffOp("equal", same, same), DiffOp("delete", ["旧"], [])])
    kinds = [row.kind for row in rows]
    assert kinds == ["insert", "equal", "equal", "fold", "equal", "equal", "delete"]
    assert rows[3].folded == 6 and rows[1].parts == (("", "第0段"),) and rows[5].parts == (("", "第9段"),)


def test_an_unchanged_start_keeps_only_the_lines_before_the_change():
    same = [f"第{i}段" for i in range(5)]
    rows = diff_rows([DiffOp("equal", same, same), DiffOp("insert", [], ["新"])])
    assert [row.kind for row in rows] == ["fold", "equal", "equal", "insert"] and rows[0].folded == 3


def test_very_long_lines_are_shown_replaced_whole(monkeypatch):
    monkeypatch.setattr(draft_diff, "MAX_CHAR_DIFF", 5)
    rows = diff_rows([DiffOp("replace", ["一二三四五六"], ["一二三四五七"])])
    assert rows == [Row("change", (("del", "一二三四五六"), ("ins", "一二三四五七")))]
