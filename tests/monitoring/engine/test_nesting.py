"""HTML nested deeper than MAX_DEPTH is flattened before the sanitizer's parser, whose cost grows with the square
of the depth; the text is kept, and ordinary HTML passes unchanged."""

import re

import pytest

from govmedia.monitoring.engine.nesting import MAX_DEPTH, cap_nesting
from govmedia.monitoring.engine.sanitize import html_to_text, sanitize_html


def depth(html: str) -> int:
    """The deepest nesting of the sanitized output (well-formed: nh3 closes what it opens)."""
    deepest = level = 0
    for closing, name in re.findall(r"<(/?)([a-z0-9]+)[^>]*>", html):
        if name in {"br", "img", "hr", "source"}:
            continue
        level += -1 if closing else 1
        deepest = max(deepest, level)
    return deepest


def test_a_hundred_thousand_nested_divs_are_flattened_to_the_cap_and_keep_their_text():
    n = 100_000
    clean = sanitize_html("<div>" * n + "深层文字" + "</div>" * n)
    assert depth(clean) == MAX_DEPTH
    assert clean == "<div>" * MAX_DEPTH + "深层文字" + "</div>" * MAX_DEPTH
    assert html_to_text(clean) == "深层文字"


@pytest.mark.parametrize("unit", [
    "<span><div></span>",  # an end tag html5 ignores: the stack keeps growing
    "<b><div></b>",  # misnested formatting
    "<ul><li>",  # lists in list items
    "<table><tr><td>",  # tables in cells
    "<div><p>段落",
])
def test_misnested_or_unclosed_markup_is_capped_too(unit):
    clean = sanitize_html(unit * 20_000 + "结尾")
    assert depth(clean) <= MAX_DEPTH * 4 // 3 + 3  # html5 adds a tbody per table: 4 open elements per 3 tags
    assert html_to_text(clean).endswith("结尾")


def test_text_between_the_deep_tags_is_all_kept():
    html = "".join(f"<div>第{i}层" for i in range(1000)) + "</div>" * 1000
    assert html_to_text(sanitize_html(html)).replace("\n", "") == "".join(f"第{i}层" for i in range(1000))


def test_unclosed_paragraphs_and_list_items_are_not_nesting():
    html = "<ul>" + "<li>一项" * 500 + "</ul>" + "<p>一段" * 500
    assert cap_nesting(html) is html


def test_ordinary_html_passes_unchanged():
    html = ("<h1>标题</h1><p>区教育和体育局召开<strong>秋季开学</strong>工作会议。</p>"
            "<table><tr><td>一</td><td>二</td></tr></table><ul><li>甲</li><li>乙</li></ul><br><img src=x>") * 100
    assert cap_nesting(html) is html


def test_nesting_just_at_the_cap_is_left_alone_and_one_more_is_flattened():
    at_cap = "<div>" * MAX_DEPTH + "文字" + "</div>" * MAX_DEPTH
    assert cap_nesting(at_cap) is at_cap
    over = "<div>" * (MAX_DEPTH + 1) + "文字" + "</div>" * (MAX_DEPTH + 1)
    assert cap_nesting(over) == at_cap
