"""Findings marked in a post's text: offsets into title + "\\n" + text, escaped, robust to edited posts."""

from types import SimpleNamespace

import pytest

from govmedia.monitoring.highlight import excerpt, finding_span, highlighted_post, marked
from govmedia.monitoring.models import Finding


def post(title="通知", text="机构精减方案已印发。"):
    return SimpleNamespace(title=title, text=text)


def finding(pk=1, severity="medium", code="typo", **evidence):
    return Finding(pk=pk, severity=severity, code=code, evidence=evidence)


DOCUMENT = "通知\n机构精减方案已印发。"


def test_the_span_is_the_evidence_offsets_when_the_text_is_there():
    assert finding_span(DOCUMENT, {"start": 5, "end": 7, "text": "精减"}) == (5, 7)


def test_a_post_edited_since_is_marked_where_the_text_now_is():
    assert finding_span("通知\n新的机构精减方案", {"start": 5, "end": 7, "text": "精减"}) == (7, 9)


@pytest.mark.parametrize("evidence", [
    {"start": 5, "end": 7, "text": "精简"},  # no longer in the post
    {"start": 50, "end": 60},  # out of range, no text
    {"start": "5", "end": "7"},  # not numbers
    {},
])
def test_nothing_is_marked_when_the_finding_is_not_found(evidence):
    assert finding_span(DOCUMENT, evidence) is None


def test_markup_in_the_post_and_the_suggestion_is_escaped():
    document = "<img src=x onerror=alert(1)>精减"
    f = finding(start=28, end=30, text="精减", suggestion='"><script>')
    html = marked(document, [(28, 30, f)])
    assert html.startswith("&lt;img src=x onerror=alert(1)&gt;<mark")
    assert 'title="错别字（建议：&quot;&gt;&lt;script&gt;）"' in html and "<script>" not in html


def test_overlapping_findings_fold_into_the_first():
    document = "abcdef"
    html = marked(document, [(0, 4, finding(1)), (2, 6, finding(2))])
    assert html.count("<mark") == 1 and html.endswith("ef")


def test_title_and_text_are_marked_separately_with_line_breaks_kept():
    title, text = highlighted_post(post(text="第一行\n精减"), [finding(start=7, end=9, text="精减")])
    assert title == "通知" and text == '第一行<br><mark class="finding sev-medium" title="错别字" data-finding="1">精减</mark>'


def test_a_finding_crossing_from_title_into_text_is_marked_on_both_sides_of_the_line_break():
    title, text = highlighted_post(post(), [finding(start=1, end=4)])
    assert title.endswith(">知</mark>") and text.startswith("<mark") and text.count("</mark>") == 1


def test_the_excerpt_is_the_passage_around_the_finding():
    long = post(text="甲" * 100 + "精减" + "乙" * 100)
    shown = excerpt(long, finding(start=103, end=105, text="精减"), margin=5)
    assert shown == '…甲甲甲甲甲<mark class="finding sev-medium" title="错别字" data-finding="1">精减</mark>乙乙乙乙乙…'


def test_the_excerpt_of_a_finding_no_longer_in_the_post_is_its_opening():
    assert excerpt(post(), finding(start=0, end=1, text="不存在"), margin=3) == "通知<br>机构精…"
