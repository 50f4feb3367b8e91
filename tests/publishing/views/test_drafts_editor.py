"""Writing a draft: the unit's accounts only, the body sanitized, a Word import that fills the body, the
grade, and edits only by the author while the draft may be edited."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from govmedia.publishing.models import Draft, DraftKind, DraftState, Grade, Origin
from govmedia.publishing.services.review import review_reject
from govmedia.publishing.views import draft_editor
from tests.publishing.factories import draft_for

pytestmark = pytest.mark.django_db

NEW = "/publishing/drafts/new/"


def _edit_url(draft) -> str:
    return f"/publishing/drafts/{draft.pk}/edit/"


def _values(account, **changes) -> dict:
    values = {"title": "秋季开学工作会议召开", "body_html": "<p>区教育和体育局召开秋季开学工作会议。</p>",
              "accounts": [account.pk], "origin": Origin.ORIGINAL, "source_name": "", "marked_grade": Grade.ROUTINE}
    return {**values, **changes}


def _docx(*paragraphs) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_the_new_draft_form_offers_only_the_accounts_the_author_writes_for(client, assigned_operator, edu_weibo,
                                                                          edu_wechat, street_weibo):
    client.force_login(assigned_operator)
    page = client.get(NEW).content.decode()
    assert edu_weibo.name in page and edu_wechat.name not in page and street_weibo.name not in page
    assert 'contenteditable="true"' in page and 'list="approved-sources"' in page and "新华社" in page


def test_a_saved_draft_is_sanitized_and_goes_to_its_page(client, frozen_clock, assigned_operator, edu_weibo):
    client.force_login(assigned_operator)
    response = client.post(NEW, _values(edu_weibo, body_html='<p onclick="x()">开学<script>alert(1)</script>通知</p>',
                                        marked_grade=Grade.SENSITIVE))
    draft = Draft.objects.get()
    assert response.status_code == 302 and response.url == f"/publishing/drafts/{draft.pk}/"
    assert "script" not in draft.body_html and "onclick" not in draft.body_html
    assert list(draft.accounts.all()) == [edu_weibo] and draft.marked_grade == Grade.SENSITIVE
    assert draft.author == assigned_operator and draft.state == DraftState.DRAFT


def test_a_repost_without_a_source_is_refused_on_the_field(client, frozen_clock, assigned_operator, edu_weibo):
    client.force_login(assigned_operator)
    response = client.post(NEW, _values(edu_weibo, origin=Origin.REPOST))
    assert response.status_code == 200 and "转载须注明来源" in response.content.decode()
    assert not Draft.objects.exists()


def test_a_page_shown_again_after_an_error_carries_the_body_sanitized(client, frozen_clock, assigned_operator,
                                                                     edu_weibo):
    client.force_login(assigned_operator)
    response = client.post(NEW, _values(edu_weibo, title="", body_html="<p>正文<script>alert(1)</script></p>"))
    page = response.content.decode()
    assert response.status_code == 200 and "正文" in page and "alert(1)" not in page


def test_an_account_of_another_unit_cannot_be_targeted(client, frozen_clock, assigned_operator, edu_weibo,
                                                      street_weibo):
    client.force_login(assigned_operator)
    response = client.post(NEW, {**_values(edu_weibo), "accounts": [edu_weibo.pk, street_weibo.pk]})
    assert response.status_code == 200 and "accounts" in response.context["form"].errors
    assert not Draft.objects.exists()


def test_someone_with_no_account_to_write_for_is_refused(client, street_operator, street_weibo):
    client.force_login(street_operator)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _values(street_weibo)).status_code == 403
    assert not Draft.objects.exists()


def test_a_user_writing_for_several_units_picks_one_first(client, frozen_clock, edu_unit_admin, edu, school,
                                                          edu_weibo, school_douyin, street, street_weibo):
    client.force_login(edu_unit_admin)
    picker = client.get(NEW).content.decode()
    assert f"?unit={edu.pk}" in picker and f"?unit={school.pk}" in picker and f"?unit={street.pk}" not in picker
    page = client.get(f"{NEW}?unit={school.pk}").content.decode()
    assert school_douyin.name in page and edu_weibo.name not in page
    assert client.get(f"{NEW}?unit={street.pk}").status_code == 404
    assert client.post(f"{NEW}?unit={street.pk}", _values(street_weibo)).status_code == 404
    client.post(f"{NEW}?unit={school.pk}", _values(school_douyin))
    assert Draft.objects.get().unit == school


def test_a_word_document_fills_the_body_and_keeps_what_was_typed(client, frozen_clock, assigned_operator,
                                                                edu_weibo):
    client.force_login(assigned_operator)
    upload = SimpleUploadedFile("通知.docx", _docx("第一段：开学时间。", "第二段：<安全>要求。"))
    response = client.post(NEW, {**_values(edu_weibo, body_html=""), "docx": upload, "import_docx": "1"})
    form = response.context["form"]
    assert response.status_code == 200 and not form.is_bound
    assert form.initial["body_html"] == "<p>第一段：开学时间。</p><p>第二段：&lt;安全&gt;要求。</p>"
    assert form.initial["title"] == "秋季开学工作会议召开" and form.initial["accounts"] == [str(edu_weibo.pk)]
    assert "已导入“通知.docx”的正文" in response.content.decode()
    assert not Draft.objects.exists()


def test_a_file_that_is_no_word_document_is_refused_in_chinese(client, assigned_operator, edu_weibo):
    client.force_login(assigned_operator)
    upload = SimpleUploadedFile("通知.docx", b"not a zip at all")
    response = client.post(NEW, {**_values(edu_weibo), "docx": upload, "import_docx": "1"})
    assert response.status_code == 200 and "无法读取该文件" in response.content.decode()
    assert not Draft.objects.exists()


def test_a_word_document_over_the_cap_is_stopped_as_it_arrives(client, assigned_operator, edu_weibo, monkeypatch):
    monkeypatch.setattr(draft_editor, "DOCX_MAX_BYTES", 1000)
    client.force_login(assigned_operator)
    upload = SimpleUploadedFile("大.docx", b"x" * 5000)
    response = client.post(NEW, {**_values(edu_weibo), "docx": upload})
    assert response.wsgi_request.upload_over_cap == "大.docx"
    assert "超过" in response.content.decode() and not Draft.objects.exists()


def test_the_form_keeps_its_csrf_check_behind_the_upload_cap(assigned_operator, edu_weibo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(assigned_operator)
    assert client.post(NEW, _values(edu_weibo)).status_code == 403
    assert not Draft.objects.exists()


def test_the_author_edits_a_draft_and_its_grade(client, frozen_clock, assigned_operator, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo)
    client.force_login(assigned_operator)
    assert 'value="秋季开学工作会议召开"' in client.get(_edit_url(draft)).content.decode()
    response = client.post(_edit_url(draft), _values(edu_weibo, title="新标题", marked_grade=Grade.MAJOR,
                                                     seen_revision=draft.revision))
    draft.refresh_from_db()
    assert response.status_code == 302 and draft.title == "新标题" and draft.marked_grade == Grade.MAJOR
    assert draft.versions.count() == 1


def test_an_edit_after_a_reject_is_a_new_version(client, frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, submit=True)
    review_reject(draft=draft, by=edu_reviewer, comment="请补充时间")
    client.force_login(assigned_operator)
    client.post(_edit_url(draft), _values(edu_weibo, body_html="<p>会议于九月一日召开。</p>"))
    assert draft.versions.count() == 2


def test_an_edit_over_a_newer_change_is_refused(client, frozen_clock, assigned_operator, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo)
    client.force_login(assigned_operator)
    response = client.post(_edit_url(draft), _values(edu_weibo, title="旧窗口", seen_revision=draft.revision - 1))
    assert "请刷新后再改" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "秋季开学工作会议召开"


def test_a_grade_change_refused_leaves_the_edit_unsaved(client, frozen_clock, assigned_operator, edu_reviewer,
                                                        edu_leader, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, marked_grade=Grade.SENSITIVE, submit=True)
    review_reject(draft=draft, by=edu_reviewer, comment="改")
    client.force_login(assigned_operator)
    response = client.post(_edit_url(draft), _values(edu_weibo, title="改后的标题", marked_grade=Grade.ROUTINE))
    assert "不能降低" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "秋季开学工作会议召开" and draft.versions.count() == 1


def test_a_draft_in_review_is_not_edited(client, frozen_clock, assigned_operator, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, submit=True)
    client.force_login(assigned_operator)
    response = client.post(_edit_url(draft), _values(edu_weibo, title="改"), follow=True)
    assert "稿件审核中，不能修改" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "秋季开学工作会议召开"


def test_a_reviewer_of_the_unit_cannot_edit_someone_s_draft(client, frozen_clock, assigned_operator, edu_reviewer,
                                                            edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo)
    client.force_login(edu_reviewer)
    assert client.get(_edit_url(draft)).status_code == 403
    assert client.post(_edit_url(draft), _values(edu_weibo, title="审核人改的")).status_code == 403
    draft.refresh_from_db()
    assert draft.title == "秋季开学工作会议召开"


def test_another_unit_s_user_does_not_find_the_draft(client, frozen_clock, assigned_operator, street_unit_admin,
                                                     edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo)
    client.force_login(street_unit_admin)
    assert client.get(_edit_url(draft)).status_code == 404
    assert client.post(_edit_url(draft), _values(edu_weibo, title="外单位改的")).status_code == 404
    draft.refresh_from_db()
    assert draft.title == "秋季开学工作会议召开"


def test_a_reply_draft_is_edited_on_its_message_not_here(client, frozen_clock, assigned_operator, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, kind=DraftKind.REPLY)
    client.force_login(assigned_operator)
    response = client.post(_edit_url(draft), _values(edu_weibo, title="改"), follow=True)
    assert "答复稿请在留言页面修改" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "秋季开学工作会议召开"
