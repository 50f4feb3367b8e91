"""Files attached to a draft: reviewers see them with the text.

Allowed: PDF, Word (.doc, .docx), Excel (.xls, .xlsx), JPG, PNG and GIF. The extension and the bytes must
agree (a PDF starts with the PDF header, .doc/.xls are OLE2 compound files, .docx/.xlsx are ZIP packages
holding a Word or Excel part, images carry their format's signature). Archives (.zip, .rar) are refused: a
reviewer cannot see what is inside one without unpacking it. The size cap is the setting
GOVMEDIA_DRAFT_ATTACHMENT_MAX_BYTES (the view stops taking a file once past it, registry.uploads.FormSizeCap).

Only the draft's author adds or removes attachments, and only while the draft may be edited (a draft, or
one returned to them): what was reviewed is what goes out. The draft row is locked while the files change, so
a submission and an upload never cross.
"""

import hashlib
import re
import unicodedata
import zipfile

from django.conf import settings
from django.db import transaction

from govmedia import clock
from govmedia.errors import PermissionDenied, RuleViolation, ValidationError
from govmedia.orgs.models import User
from govmedia.orgs.permissions import may_write_drafts_for
from govmedia.publishing.models import Draft, DraftAttachment
from govmedia.publishing.services.drafts import EDITABLE_STATES

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
}
_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".doc": (OLE2,),
    ".xls": (OLE2,),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
}
# The part an Office package of each kind must hold (besides [Content_Types].xml).
_PACKAGE_PART = {".docx": "word/", ".xlsx": "xl/"}
MAX_ATTACHMENTS = 20
NAME_MAX = 200
_SUFFIX_MAX = 10
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_RESERVED = re.compile(r'[\\/:*?"<>|]+')


def attachment_max_bytes() -> int:
    return settings.GOVMEDIA_DRAFT_ATTACHMENT_MAX_BYTES


def human_size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)}KB"


def allowed_extensions() -> str:
    return "、".join(sorted({suffix.lstrip(".").upper() for suffix in ATTACHMENT_TYPES} - {"JPEG"}))


def over_cap_message(name: str) -> str:
    return f"附件“{name}”超过 {human_size(attachment_max_bytes())} 上限。"


def clean_file_name(name: str) -> str:
    """The uploader's name made safe to show and to offer as a download name: no folders, no control
    characters, reserved characters as "_", no leading dots, at most NAME_MAX characters with the
    extension kept."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(_RESERVED.sub("_", _CONTROL.sub("", name)).split())
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    suffix = ("." + suffix.lower())[:_SUFFIX_MAX] if dot else ""
    stem = stem.strip(" .")[:NAME_MAX - len(suffix)] or "附件"
    return stem + suffix


def _refuse(name: str, why: str) -> ValidationError:
    return ValidationError({"file": [f"附件“{name}”{why}"]})


def _is_office_package(upload, suffix: str) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith(_PACKAGE_PART[suffix]) for n in names)


def checked_content_type(upload, name: str) -> str:
    """The content type of an allowed upload; a ValidationError naming the file otherwise."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ATTACHMENT_TYPES:
        raise _refuse(name, f"类型不支持，请上传 {allowed_extensions()} 文件。")
    limit = attachment_max_bytes()
    if upload.size > limit:
        raise _refuse(name, f"为 {human_size(upload.size)}，超过 {human_size(limit)} 上限。")
    if not upload.size:
        raise _refuse(name, "是空文件。")
    upload.seek(0)
    try:
        head = upload.read(16)
        upload.seek(0)
        ok = head.startswith(_SIGNATURES[suffix]) and (suffix not in _PACKAGE_PART
                                                        or _is_office_package(upload, suffix))
    finally:
        upload.seek(0)
    if not ok:
        raise _refuse(name, "的内容与扩展名不符或文件已损坏。")
    return ATTACHMENT_TYPES[suffix]


def _digest(upload) -> str:
    sha = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest()


def _locked_editable(draft: Draft, by: User, verb: str) -> Draft:
    if draft.author_id != by.pk or not may_write_drafts_for(by, draft.unit_id):
        raise PermissionDenied(f"只有撰稿人可以{verb}附件")
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    if locked.state not in EDITABLE_STATES:
        raise RuleViolation(f"稿件{locked.get_state_display()}，不能{verb}附件")
    return locked


@transaction.atomic
def attachment_add(*, draft: Draft, by: User, upload) -> DraftAttachment:
    """Attach an uploaded file to the draft, checked by extension and content."""
    draft = _locked_editable(draft, by, "添加")
    name = clean_file_name(getattr(upload, "name", "") or "")
    content_type = checked_content_type(upload, name)
    if draft.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError({"file": [f"每篇稿件最多 {MAX_ATTACHMENTS} 个附件"]})
    attachment = DraftAttachment(draft=draft, name=name, size=upload.size, content_type=content_type,
                                 sha256=_digest(upload), uploaded_by=by, uploaded_at=clock.now())
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
    except BaseException:  # no file on disk without its row
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: DraftAttachment, by: User) -> None:
    """Remove an attachment (the file goes once the removal is committed)."""
    _locked_editable(attachment.draft, by, "删除")
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))
