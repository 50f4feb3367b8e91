"""Issue 9 attack findings: each test is a rule the new publishing/interaction surfaces break today.

Confirmed by reproducers; the NUL-byte ones fail on PostgreSQL (production), which refuses NUL in text and
jsonb, and pass on SQLite, which stores it."""

import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from govmedia.interaction.models import Message, SurveyResponse
from govmedia.publishing.models import ChainStep, DraftState
from govmedia.publishing.services.review import StepSpec, chain_configure
from tests.interaction.factories import SurveyFactory
from tests.interaction.views.test_messages_entry import HEADER, IMPORT
from tests.monitoring.pages import said
from tests.publishing.factories import draft_for

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ---------------------------------------------------------------- anonymous: the public survey page


def test_an_anonymous_survey_answer_with_a_nul_byte_is_refused_not_a_500(frozen_clock, edu_weibo):
    survey = SurveyFactory(account=edu_weibo)
    url = reverse("survey_answer", args=[survey.token])
    browser = Client(REMOTE_ADDR="203.0.113.5", raise_request_exception=False)
    browser.get(url)
    single, _multiple, text = survey.questions.all()
    response = browser.post(url, {f"q{single.pk}": "满意", f"q{text.pk}": "希望\x00增加足球课"})
    assert response.status_code in (200, 400)
    assert not SurveyResponse.objects.exists()
    assert "控制字符" in response.content.decode()


# ---------------------------------------------------------------- same unit: the message import


def test_a_message_import_with_a_nul_byte_names_the_cell_not_a_500(frozen_clock, edu_unit_admin, edu_weibo):
    upload = SimpleUploadedFile("留言.csv", (HEADER + ",咨询,2026-03-01 09:30,请\x00问？,,\n").encode("utf-8"),
                                content_type="text/csv")
    client = login(edu_unit_admin)
    client.raise_request_exception = False
    response = client.post(IMPORT, {"account": edu_weibo.pk, "file": upload})
    assert response.status_code in (200, 302)
    assert not Message.objects.exists()


# ---------------------------------------------------------------- review chain configuration


def test_an_approver_a_supervisor_names_from_another_unit_can_reach_and_decide_the_draft(
        supervisor, district, street_operator, assigned_operator, edu_weibo):
    """A supervisor may name anyone active (an outside expert): the named person must then be able to open
    the draft's review page and decide it, or the unit's drafts would stick in review."""
    chain_configure(unit=district.edu, grade="routine",
                    steps=[StepSpec("外单位审核", "", "any", (street_operator.pk,))], by=supervisor)
    draft = draft_for(assigned_operator, edu_weibo, submit=True)
    client = login(street_operator)
    assert client.get(reverse("publishing:review", args=[draft.pk])).status_code == 200
    client.post(reverse("publishing:review_approve", args=[draft.pk]), {"revision": draft.revision})
    draft.refresh_from_db()
    assert draft.state == DraftState.APPROVED


def test_an_anonymous_survey_link_with_a_nul_byte_is_a_404_not_a_500(frozen_clock, edu_weibo):
    SurveyFactory(account=edu_weibo)
    response = Client(raise_request_exception=False).get("/s/%00/")
    assert response.status_code == 404


def test_a_chain_step_name_with_a_nul_byte_is_refused_naming_the_step_not_a_500(edu_unit_admin, district):
    client = login(edu_unit_admin)
    client.raise_request_exception = False
    response = client.post(reverse("publishing:chain_save", args=[district.edu.pk, "routine"]),
                           {"label_0": "审\x00核", "role_0": "reviewer"})
    assert response.status_code == 302
    assert not ChainStep.objects.exists()  # checked in Python: PostgreSQL cannot even be asked about NUL
    assert "第1步：步骤名称含有不可见的控制字符（U+0000）" in said(client.get(response.url))


# ---------------------------------------------------------------- a hostile .docx in the editor's import

_CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
_DOCUMENT = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
             b"<w:body><w:p><w:r><w:t>" + "秋季开学工作会议".encode() * 50 + b"</w:t></w:r></w:p></w:body></w:document>")


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("word/document.xml", _DOCUMENT)
    return out.getvalue()


def _damaged_stream(data: bytes) -> bytes:
    """The document part's deflate stream overwritten (zlib.error when inflated)."""
    start = data.index(b"word/document.xml") + len(b"word/document.xml")
    return data[:start] + b"\xff" * 8 + data[start + 8:]


def _patched_headers(data: bytes, *, local: tuple[int, int], central: tuple[int, int], bits: bool) -> bytes:
    """Every local and central header's 16-bit field at the offset set to the value (or the value's bits added
    to it, for the flags): the encryption flag, the compression method."""
    patched = bytearray(data)
    for signature, (offset, value) in ((b"PK\x03\x04", local), (b"PK\x01\x02", central)):
        at = patched.find(signature)
        while at >= 0:
            old = struct.unpack_from("<H", patched, at + offset)[0]
            struct.pack_into("<H", patched, at + offset, old | value if bits else value)
            at = patched.find(signature, at + 4)
    return bytes(patched)


@pytest.mark.parametrize("make", [
    pytest.param(lambda: _damaged_stream(_docx()), id="damaged-deflate-stream"),
    pytest.param(lambda: _patched_headers(_docx(), local=(6, 1), central=(8, 1), bits=True), id="encrypted-part"),
    pytest.param(lambda: _patched_headers(_docx(), local=(8, 99), central=(10, 99), bits=False), id="unknown-compression"),
])
def test_a_damaged_or_encrypted_docx_import_is_refused_in_chinese_not_a_500(assigned_operator, edu_weibo, make):
    client = login(assigned_operator)
    client.raise_request_exception = False
    response = client.post(reverse("publishing:draft_new"), {
        "title": "秋季开学", "import_docx": "1", "accounts": [edu_weibo.pk],
        "docx": SimpleUploadedFile("会议.docx", make())})
    assert response.status_code == 200
    assert "无法读取该文件" in response.content.decode()
