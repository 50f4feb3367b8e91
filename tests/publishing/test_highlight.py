"""A version's text with its findings marked: at their offsets into title + "\\n" + body, escaped around
them, the same words twice marked twice, and a finding whose words moved marked where they are, or listed."""

from govmedia.publishing.highlight import finding_place, marked_version
from govmedia.publishing.models import DraftVersion, VersionFinding


def version(title, body):
    return DraftVersion(title=title, body_text=body, number=1)


def finding(pk, start, end, text, category="expression_error", severity="high"):
    return VersionFinding(pk=pk, start=start, end=end, text=text, category=category, severity=severity,
                          suggestion="台湾地区领导人", explanation="严重表述错误")


def test_a_finding_in_the_title_is_marked_in_the_title_and_one_in_the_body_in_the_body():
    marked = marked_version(version("台湾总统讲话", "昨日台湾总统表示"), [finding(1, 0, 4, "台湾总统"),
                                                                       finding(2, 9, 13, "台湾总统")])
    assert marked.title == ('<mark class="finding sev-high cat-expression_error" title="严重表述错误'
                            '（建议：台湾地区领导人）" id="finding-1">台湾总统</mark>讲话')
    assert marked.body.startswith("昨日<mark ") and 'id="finding-2">台湾总统</mark>表示' in marked.body


def test_the_text_around_the_marks_is_escaped_and_line_breaks_kept():
    marked = marked_version(version("<i>题</i>", "<script>x</script>\n台湾总统"), [finding(1, 28, 32, "台湾总统")])
    assert marked.title == "&lt;i&gt;题&lt;/i&gt;"
    assert marked.body.startswith("&lt;script&gt;x&lt;/script&gt;<br><mark ")


def test_the_same_words_twice_are_marked_twice():
    marked = marked_version(version("题", "台湾总统和台湾总统"), [finding(1, 2, 6, "台湾总统"), finding(2, 7, 11, "台湾总统")])
    assert marked.body.count("</mark>") == 2 and "</mark>和<mark" in marked.body


def test_a_finding_whose_words_moved_is_marked_where_they_are_or_listed_as_unplaced():
    moved, gone = finding(1, 0, 4, "台湾总统"), finding(2, 5, 9, "机密文件", category="secret_marking")
    marked = marked_version(version("题", "昨日台湾总统表示"), [moved, gone])
    assert 'id="finding-1">台湾总统</mark>' in marked.body and marked.unplaced == [gone]


def test_overlapping_findings_fold_into_the_first():
    marked = marked_version(version("题", "台湾总统讲话"), [finding(1, 2, 6, "台湾总统"), finding(2, 4, 8, "总统讲话")])
    assert marked.body.count("<mark") == 1 and marked.body.endswith("</mark>讲话")


def test_a_findings_place_is_counted_within_the_title_or_the_body_from_one():
    title = "台湾总统讲话"
    assert finding_place(title, finding(1, 0, 4, "台湾总统")) == "标题第 1–4 字"
    assert finding_place(title, finding(2, 9, 13, "台湾总统")) == "正文第 3–6 字"
    assert finding_place(title, finding(3, 7, 8, "昨")) == "正文第 1 字"
