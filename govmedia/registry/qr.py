"""An account's QR code (新媒体二维码): the uploaded image, else one generated from its access link."""

import io
import logging

import segno
from django.http import Http404, HttpResponse
from PIL import Image, UnidentifiedImageError

from govmedia.registry.models import Account

logger = logging.getLogger(__name__)

# An uploaded QR image is a photo or screenshot; anything larger than this is not a QR code.
MAX_UPLOADED_PIXELS = 25_000_000
QR_MAX_BYTES = 2 * 1024 * 1024
QR_SCALE = 5


def qr_png(account: Account) -> bytes | None:
    """PNG bytes of the account's QR code, or None when it has neither an uploaded image nor a link."""
    uploaded = _uploaded_png(account)
    if uploaded is not None:
        return uploaded
    if account.access_url:
        return generated_png(account.access_url)
    return None


def generated_png(url: str, *, scale: int = QR_SCALE) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def _uploaded_png(account: Account) -> bytes | None:
    """The uploaded image re-encoded as PNG, so callers (DOCX, PDF, browser) get one known format.

    Re-encoding through Pillow also drops anything that is not pixels (metadata, trailing payloads).
    An unreadable upload is logged and treated as absent, so the generated code is used instead.
    """
    if not account.qr_code:
        return None
    try:
        with account.qr_code.open("rb") as fh, Image.open(fh) as image:
            if image.width * image.height > MAX_UPLOADED_PIXELS:
                raise ValueError(f"图片过大（{image.width}×{image.height}）")
            image.load()
            if image.mode not in ("1", "L", "RGB", "RGBA"):
                image = image.convert("RGBA")
            out = io.BytesIO()
            image.save(out, format="PNG")
            return out.getvalue()
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        logger.warning("account %s: uploaded QR image %s unreadable: %s", account.pk, account.qr_code.name, exc)
        return None


def account_qr_response(account: Account) -> HttpResponse:
    png = qr_png(account)
    if png is None:
        raise Http404("该账号没有二维码，也没有可生成二维码的访问链接")
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response
