"""The account's QR code: the uploaded image, else one generated from the access link."""

import io

import pytest
from django.core.files.base import ContentFile
from django.http import Http404
from PIL import Image

from govmedia.registry.qr import account_qr_response, generated_png, qr_png
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _image_bytes(fmt: str, size=(120, 90), color="navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


def test_an_account_with_only_a_link_gets_a_qr_code_generated_from_it():
    account = AccountFactory(access_url="https://weibo.com/xhaedu")
    png = qr_png(account)
    assert png.startswith(PNG_SIGNATURE)
    assert png == generated_png("https://weibo.com/xhaedu")
    with Image.open(io.BytesIO(png)) as image:
        assert image.width == image.height > 100  # scale 5: a few pixels per module


def test_an_uploaded_image_wins_over_the_link_and_comes_back_as_png():
    account = AccountFactory(access_url="https://weibo.com/xhaedu")
    account.qr_code.save("qr.jpg", ContentFile(_image_bytes("JPEG")))
    png = qr_png(account)
    assert png.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (120, 90)


def test_an_unreadable_upload_falls_back_to_the_generated_code():
    account = AccountFactory(access_url="https://weibo.com/xhaedu")
    account.qr_code.save("qr.png", ContentFile(b"this is not an image"))
    assert qr_png(account) == generated_png("https://weibo.com/xhaedu")


def test_an_account_with_neither_has_no_qr_code():
    account = AccountFactory(access_url="")
    assert qr_png(account) is None
    with pytest.raises(Http404):
        account_qr_response(account)


def test_the_qr_response_is_a_png_image():
    response = account_qr_response(AccountFactory(access_url="https://weibo.com/xhaedu"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(PNG_SIGNATURE)
