"""The stamped attachment-1 form a unit uploads with its filing: PDF, JPG or PNG, checked by content.

The file name and the browser's content type are the uploader's claims; only the bytes decide. A PDF
must start with the PDF header, an image must parse as the format its name says (Pillow reads the
header and checks the structure without decoding the pixels)."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from PIL import Image, UnidentifiedImageError

from govmedia.errors import ValidationError

FORM_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
_PILLOW_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}


def form_max_bytes() -> int:
    return settings.GOVMEDIA_FILING_FORM_MAX_BYTES


def suffix_of(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)}KB"


def _refuse(name: str, why: str) -> ValidationError:
    return ValidationError({"form": [f"备案登记表“{name}”{why}"]})


def validate_stamped_form(upload) -> str:
    """Check an upload and answer its content type; raise a ValidationError naming the file otherwise."""
    name = getattr(upload, "name", "") or "（无文件名）"
    suffix = suffix_of(name)
    if suffix not in FORM_TYPES:
        raise _refuse(name, "类型不支持，请上传 PDF、JPG 或 PNG 文件。")
    limit = form_max_bytes()
    if upload.size > limit:
        raise _refuse(name, f"为 {_size(upload.size)}，超过 {_size(limit)} 上限。")
    if upload.size == 0:
        raise _refuse(name, "是空文件。")
    upload.seek(0)
    try:
        if suffix == ".pdf":
            if not upload.read(5) == b"%PDF-":
                raise _refuse(name, "不是 PDF 文件（文件内容与扩展名不符）。")
        else:
            try:
                with Image.open(upload) as image:
                    found = image.format
                    image.verify()
            except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
                raise _refuse(name, "不是有效的图片文件（文件内容与扩展名不符或已损坏）。") from None
            if found != _PILLOW_FORMATS[suffix]:
                raise _refuse(name, f"的内容是 {found} 图片，与扩展名不符。")
    finally:
        upload.seek(0)
    return FORM_TYPES[suffix]


class FormSizeCap(FileUploadHandler):
    """Stops taking an uploaded file as soon as it passes the cap, so an oversized file is neither kept in
    memory nor spooled to disk whole (the rest of the request body is read and dropped). The view sees
    `request.upload_over_cap` and says so. The cap is the stamped form's unless `max_bytes` is given."""

    def __init__(self, request=None, max_bytes: int | None = None):
        super().__init__(request)
        self.max_bytes = max_bytes

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > (self.max_bytes or form_max_bytes()):
            self.request.upload_over_cap = self.file_name or "（无文件名）"
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None  # the handlers after this one build the file


def over_cap_message(name: str) -> str:
    return f"备案登记表“{name}”超过 {_size(form_max_bytes())} 上限。"
