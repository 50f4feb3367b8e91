"""Draft attachments: allowed types checked by extension and content, a size cap, names made safe, only the
author while the draft may be edited; downloads only for those who see the draft, never sniffed."""

import hashlib
import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from govmedia.audit.models import AuditEntry
from govmedia.errors import PermissionDenied, RuleViolation, ValidationError
from govmedia.publishing.models import DraftAttachment
from govmedia.publishing.services.attachments import attachment_add, attachment_remove, clean_file_name
from govmedia.publishing.services.review import draft_submit
from tests.publishing.factories import draft_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32


def _docx() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("附件正文")
    document.save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def _zip_without_office_part() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("evil/payload.txt", "x")
    return buffer.getvalue()


@pytest.fixture
def draft(frozen_clock, assigned_operator, edu_weibo):
    return draft_for(assigned_operator, edu_weibo)


def _add(draft, by, name, data):
    return attachment_add(draft=draft, by=by, upload=SimpleUploadedFile(name, data))


@pytest.mark.parametrize(("name", "data", "content_type"), [
    ("通知.pdf", PDF, "application/pdf"),
    ("图.PNG", PNG, "image/png"),
    ("旧表.xls", OLE2, "application/vnd.ms-excel"),
    ("旧文.doc", OLE2, "application/msword"),
    ("附件.docx", None, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("统计.xlsx", None, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_allowed_types_are_stored_with_their_digest(draft, assigned_operator, name, data, content_type):
    data = data or (_docx() if name.endswith("docx") else _xlsx())
    attachment = _add(draft, assigned_operator, name, data)
    assert attachment.content_type == content_type and attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest() and attachment.uploaded_by == assigned_operator
    assert attachment.file.name.startswith(f"drafts/{draft.pk}/") and name.split(".")[0] not in attachment.file.name
    with attachment.file.open("rb") as stored:
        assert stored.read() == data


@pytest.mark.parametrize(("name", "data", "why"), [
    ("通知.pdf", PNG, "内容与扩展名不符"),
    ("图.png", PDF, "内容与扩展名不符"),
    ("假.docx", b"PK\x03\x04" + b"\x00" * 40, "内容与扩展名不符"),
    ("包.docx", None, "内容与扩展名不符"),
    ("压缩包.zip", b"PK\x03\x04", "类型不支持"),
    ("页面.html", b"<script>", "类型不支持"),
    ("无扩展名", PDF, "类型不支持"),
    ("空.pdf", b"", "空文件"),
])
def test_other_files_are_refused_naming_the_file(draft, assigned_operator, name, data, why):
    data = _zip_without_office_part() if data is None else data
    with pytest.raises(ValidationError, match=f"附件“{name}”.*{why}"):
        _add(draft, assigned_operator, name, data)
    assert not DraftAttachment.objects.exists()


def test_a_file_over_the_cap_is_refused(draft, assigned_operator, settings):
    settings.GOVMEDIA_DRAFT_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="超过"):
        _add(draft, assigned_operator, "通知.pdf", PDF)


@pytest.mark.parametrize(("given", "kept"), [
    ("../../etc/通知.PDF", "通知.pdf"),
    ("C:\\Users\\张三\\报告.pdf", "报告.pdf"),
    ('a<b>:"c|?*.pdf', "a_b_c_.pdf"),
    (".hidden.pdf", "hidden.pdf"),
    ("\x00\x1f.pdf", "附件.pdf"),
    ("长" * 300 + ".pdf", "长" * 196 + ".pdf"),
])
def test_file_names_are_made_safe(given, kept):
    assert clean_file_name(given) == kept


def test_only_the_author_adds_and_removes_while_the_draft_may_be_edited(draft, assigned_operator, edu_reviewer,
                                                                        edu_unit_admin):
    for someone in (edu_reviewer, edu_unit_admin):
        with pytest.raises(PermissionDenied):
            _add(draft, someone, "通知.pdf", PDF)
    attachment = _add(draft, assigned_operator, "通知.pdf", PDF)
    with pytest.raises(PermissionDenied):
        attachment_remove(attachment=attachment, by=edu_reviewer)
    draft_submit(draft=draft, by=assigned_operator)
    with pytest.raises(RuleViolation, match="审核中"):
        _add(draft, assigned_operator, "另一个.pdf", PDF)
    with pytest.raises(RuleViolation):
        attachment_remove(attachment=attachment, by=assigned_operator)
    assert draft.attachments.count() == 1


def test_a_removed_attachment_s_file_goes_once_committed(draft, assigned_operator,
                                                         django_capture_on_commit_callbacks):
    attachment = _add(draft, assigned_operator, "通知.pdf", PDF)
    storage, stored = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=attachment, by=assigned_operator)
    assert not DraftAttachment.objects.exists() and not storage.exists(stored)


# ---------------------------------------------------------------- the views


def _upload_url(draft) -> str:
    return f"/publishing/drafts/{draft.pk}/attachments/"


def test_the_author_uploads_and_the_page_lists_it(client, draft, assigned_operator):
    client.force_login(assigned_operator)
    response = client.post(_upload_url(draft), {"file": SimpleUploadedFile("通知.pdf", PDF)}, follow=True)
    attachment = DraftAttachment.objects.get()
    page = response.content.decode()
    assert "已添加附件“通知.pdf”" in page and f"{_upload_url(draft)}{attachment.pk}/" in page


def test_a_refused_upload_is_told_on_the_page(client, draft, assigned_operator):
    client.force_login(assigned_operator)
    response = client.post(_upload_url(draft), {"file": SimpleUploadedFile("通知.pdf", PNG)}, follow=True)
    assert "内容与扩展名不符" in response.content.decode() and not DraftAttachment.objects.exists()
    response = client.post(_upload_url(draft), {}, follow=True)
    assert "请选择要上传的附件" in response.content.decode()


def test_an_upload_over_the_cap_is_stopped_as_it_arrives(client, draft, assigned_operator, settings):
    settings.GOVMEDIA_DRAFT_ATTACHMENT_MAX_BYTES = 1000
    client.force_login(assigned_operator)
    response = client.post(_upload_url(draft), {"file": SimpleUploadedFile("大.pdf", PDF + b"x" * 5000)})
    assert response.wsgi_request.upload_over_cap == "大.pdf"
    assert not DraftAttachment.objects.exists()
    assert "附件“大.pdf”超过 1KB 上限" in client.get(f"/publishing/drafts/{draft.pk}/").content.decode()


def test_the_upload_keeps_its_csrf_check_behind_the_cap(draft, assigned_operator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(assigned_operator)
    assert client.post(_upload_url(draft), {"file": SimpleUploadedFile("通知.pdf", PDF)}).status_code == 403
    assert not DraftAttachment.objects.exists()


def test_a_reviewer_of_the_unit_cannot_upload_or_remove(client, draft, assigned_operator, edu_reviewer):
    attachment = _add(draft, assigned_operator, "通知.pdf", PDF)
    client.force_login(edu_reviewer)
    response = client.post(_upload_url(draft), {"file": SimpleUploadedFile("审核人的.pdf", PDF)}, follow=True)
    assert "只有撰稿人可以添加附件" in response.content.decode()
    response = client.post(f"{_upload_url(draft)}{attachment.pk}/remove/", follow=True)
    assert "只有撰稿人可以删除附件" in response.content.decode()
    assert list(DraftAttachment.objects.values_list("name", flat=True)) == ["通知.pdf"]


def test_another_unit_s_user_neither_uploads_removes_nor_downloads(client, draft, assigned_operator,
                                                                   street_unit_admin):
    attachment = _add(draft, assigned_operator, "通知.pdf", PDF)
    client.force_login(street_unit_admin)
    assert client.post(_upload_url(draft), {"file": SimpleUploadedFile("外.pdf", PDF)}).status_code == 404
    assert client.post(f"{_upload_url(draft)}{attachment.pk}/remove/").status_code == 404
    assert client.get(f"{_upload_url(draft)}{attachment.pk}/").status_code == 404
    assert DraftAttachment.objects.count() == 1


def test_the_author_removes_an_attachment(client, draft, assigned_operator):
    attachment = _add(draft, assigned_operator, "通知.pdf", PDF)
    client.force_login(assigned_operator)
    assert client.get(f"{_upload_url(draft)}{attachment.pk}/remove/").status_code == 405
    response = client.post(f"{_upload_url(draft)}{attachment.pk}/remove/", follow=True)
    assert "已删除附件“通知.pdf”" in response.content.decode() and not DraftAttachment.objects.exists()


def test_a_reviewer_of_the_unit_downloads_it_as_an_attachment_never_sniffed(client, draft, assigned_operator,
                                                                           edu_reviewer):
    attachment = _add(draft, assigned_operator, "通知 第1版.pdf", PDF)
    client.force_login(edu_reviewer)
    response = client.get(f"{_upload_url(draft)}{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "application/pdf"


def test_an_attachment_is_found_only_under_its_own_draft(client, frozen_clock, draft, assigned_operator,
                                                         edu_weibo):
    other = draft_for(assigned_operator, edu_weibo, title="另一篇")
    attachment = _add(other, assigned_operator, "通知.pdf", PDF)
    client.force_login(assigned_operator)
    assert client.get(f"{_upload_url(draft)}{attachment.pk}/").status_code == 404
    assert client.post(f"{_upload_url(draft)}{attachment.pk}/remove/").status_code == 404


def test_an_upload_is_audited(client, draft, assigned_operator):
    client.force_login(assigned_operator)
    client.post(_upload_url(draft), {"file": SimpleUploadedFile("通知.pdf", PDF)})
    entry = AuditEntry.objects.get(object_type="publishing.DraftAttachment")
    assert entry.actor == assigned_operator and entry.object_repr == "通知.pdf"
