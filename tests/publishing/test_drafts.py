import io
import zipfile

import pytest

from govmedia.errors import PermissionDenied, RuleViolation, ValidationError
from govmedia.publishing.models import DraftState, Origin
from govmedia.publishing.selectors import MAX_DIFF_LINES, drafts_visible_to, version_diff
from govmedia.publishing.services.drafts import docx_to_html, draft_create, draft_edit, draft_withdraw
from govmedia.publishing.services.review import draft_submit, review_reject
from tests.publishing.factories import draft_for


def test_pasted_html_is_sanitized_and_its_text_derived(frozen_clock, assigned_operator, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo,
                      body='<p onclick="x()">开学<script>alert(1)</script>通知</p><a href="javascript:x">链接</a>')
    assert "script" not in draft.body_html and "onclick" not in draft.body_html and "javascript" not in draft.body_html
    assert "开学通知" in draft.body_text and "alert" not in draft.body_text


def test_a_draft_may_target_only_accounts_its_author_acts_for(frozen_clock, assigned_operator, edu_weibo,
                                                             edu_wechat, street_weibo):
    with pytest.raises(PermissionDenied, match="西海岸教体"):
        draft_create(by=assigned_operator, unit=edu_weibo.host_unit, title="标题", body_html="<p>正文</p>",
                     accounts=[edu_weibo, edu_wechat])
    with pytest.raises(PermissionDenied):
        draft_create(by=assigned_operator, unit=street_weibo.host_unit, title="标题", body_html="<p>正文</p>",
                     accounts=[street_weibo])


def test_a_repost_names_its_source(frozen_clock, assigned_operator, edu_weibo):
    with pytest.raises(ValidationError):
        draft_for(assigned_operator, edu_weibo, origin=Origin.REPOST)


def test_edits_before_submission_rewrite_version_one(frozen_clock, assigned_operator, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo)
    draft_edit(draft=draft, by=assigned_operator, title="新标题", body_html="<p>新正文</p>")
    assert list(draft.versions.values_list("number", "title")) == [(1, "新标题")]


def test_each_edit_after_a_reject_is_a_new_version_with_a_diff(frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, body="<p>第一段。</p><p>第二段。</p>", submit=True)
    review_reject(draft=draft, by=edu_reviewer, comment="第二段需要修改")
    draft_edit(draft=draft, by=assigned_operator, title=draft.title, body_html="<p>第一段。</p><p>第二段改。</p>")
    assert draft.versions.count() == 2
    ops = version_diff(draft.current_version, user=edu_reviewer)
    assert [(op.op, op.old, op.new) for op in ops if op.op != "equal"] == [("replace", ["第二段。"], ["第二段改。"])]
    assert version_diff(draft.versions.get(number=1), user=assigned_operator)[0].op == "insert"


def test_only_who_may_see_the_draft_compares_its_versions(frozen_clock, assigned_operator, edu_weibo,
                                                          street_reviewer, supervisor):
    version = draft_for(assigned_operator, edu_weibo).current_version
    with pytest.raises(PermissionDenied):
        version_diff(version, user=street_reviewer)
    assert version_diff(version, user=supervisor)[0].op == "insert"


def test_a_draft_in_review_cannot_be_edited(frozen_clock, assigned_operator, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, submit=True)
    with pytest.raises(RuleViolation):
        draft_edit(draft=draft, by=assigned_operator, title="改", body_html="<p>改</p>")


def test_only_the_author_edits(frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo)
    with pytest.raises(PermissionDenied):
        draft_edit(draft=draft, by=edu_reviewer, title="改", body_html="<p>改</p>")


def test_every_version_is_checked(frozen_clock, assigned_operator, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, body="<p>台湾总统发表讲话</p>")
    finding = draft.current_version.findings.get(category="expression_error")
    text = f"{draft.title}\n{draft.body_text}"
    assert text[finding.start:finding.end] == "台湾总统"


def _docx(paragraphs):
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                   f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>')
    buffer.seek(0)
    return buffer


def test_a_docx_becomes_escaped_paragraphs(frozen_clock):
    assert docx_to_html(_docx(["第一段", "a &lt;b&gt;"])) == "<p>第一段</p><p>a &lt;b&gt;</p>"


def test_no_file_given_for_import_is_a_clear_error():
    with pytest.raises(ValidationError, match="请选择要导入的 Word"):
        docx_to_html(None)


def test_a_file_that_is_not_a_docx_is_refused_in_chinese():
    with pytest.raises(ValidationError, match="docx"):
        docx_to_html(io.BytesIO(b"not a zip"))


def test_the_author_withdraws_an_unpublished_draft(frozen_clock, assigned_operator, edu_weibo):
    draft = draft_withdraw(draft=draft_for(assigned_operator, edu_weibo), by=assigned_operator)
    assert draft.state == DraftState.WITHDRAWN
    with pytest.raises(RuleViolation):
        draft_submit(draft=draft, by=assigned_operator)


def test_a_unit_sees_its_own_drafts_and_supervisors_all(frozen_clock, assigned_operator, edu_weibo, street_reviewer,
                                                        supervisor, school_leader, edu_leader):
    draft = draft_for(assigned_operator, edu_weibo)
    assert draft in drafts_visible_to(edu_leader) and draft in drafts_visible_to(supervisor)
    assert draft not in drafts_visible_to(street_reviewer) and draft not in drafts_visible_to(school_leader)


def test_an_assigned_operator_sees_only_the_drafts_they_wrote(frozen_clock, edu_unit_admin, edu_weibo,
                                                             assigned_operator):
    mine = draft_for(assigned_operator, edu_weibo)
    draft_for(edu_unit_admin, edu_weibo)
    assert list(drafts_visible_to(assigned_operator)) == [mine]


def test_a_huge_version_is_compared_whole_within_the_budget(frozen_clock, assigned_operator, edu_reviewer,
                                                            edu_weibo):
    body = "".join(f"<p>第{n}段</p>" for n in range(MAX_DIFF_LINES + 10))
    draft = draft_for(assigned_operator, edu_weibo, body=body, submit=True)
    review_reject(draft=draft, by=edu_reviewer, comment="请修改")
    draft_edit(draft=draft, by=assigned_operator, title=draft.title, body_html=body + "<p>补充</p>")
    [op] = version_diff(draft.current_version, user=assigned_operator)
    assert op.op == "replace" and op.new[-1] == "补充"


def test_a_draft_created_with_no_accounts_given_has_none_yet(frozen_clock, assigned_operator, edu_weibo):
    draft = draft_create(by=assigned_operator, unit=edu_weibo.host_unit, title="标题", body_html="<p>正文</p>",
                         accounts=None)
    assert not draft.accounts.exists()
    with pytest.raises(ValidationError, match="请选择发布账号"):
        draft_submit(draft=draft, by=assigned_operator)


def test_none_for_title_or_body_is_a_clear_error(frozen_clock, assigned_operator, edu_weibo):
    with pytest.raises(ValidationError, match="请填写标题"):
        draft_create(by=assigned_operator, unit=edu_weibo.host_unit, title=None, body_html="<p>正文</p>",
                     accounts=[edu_weibo])
    with pytest.raises(ValidationError, match="请填写正文"):
        draft_create(by=assigned_operator, unit=edu_weibo.host_unit, title="标题", body_html=None,
                     accounts=[edu_weibo], source_name=None)
