"""The stamped attachment-1 form: only real PDF, JPG and PNG files within the size cap."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from govmedia.errors import ValidationError
from govmedia.registry.uploads import validate_stamped_form


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "content_type"), [
    ("表.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    ("表.PNG", image_bytes("PNG"), "image/png"),
    ("表.jpg", image_bytes("JPEG"), "image/jpeg"),
    ("表.jpeg", image_bytes("JPEG"), "image/jpeg"),
])
def test_a_real_pdf_or_image_is_accepted(name, content, content_type):
    assert validate_stamped_form(SimpleUploadedFile(name, content)) == content_type


@pytest.mark.parametrize(("name", "content", "why"), [
    ("表.exe", b"MZ\x90\x00", "类型不支持"),
    ("表.html", b"<script>alert(1)</script>", "类型不支持"),
    ("表.svg", b"<svg onload=alert(1)>", "类型不支持"),
    ("表", b"%PDF-1.4", "类型不支持"),
    ("表.pdf", b"<html><script>alert(1)</script>", "不是 PDF"),
    ("表.pdf", b"MZ\x90\x00\x03", "不是 PDF"),
    ("表.png", b"<?php system($_GET['c']); ?>", "不是有效的图片"),
    ("表.jpg", image_bytes("PNG"), "与扩展名不符"),
    ("表.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "不是有效的图片"),
    ("表.pdf", b"", "空文件"),
])
def test_a_hostile_or_mislabelled_file_is_refused_with_its_name(name, content, why):
    with pytest.raises(ValidationError) as refused:
        validate_stamped_form(SimpleUploadedFile(name, content, content_type="application/pdf"))
    message = " ".join(refused.value.message_dict["form"])
    assert why in message and name in message


def test_a_file_over_the_cap_is_refused_before_it_is_read(settings):
    settings.GOVMEDIA_FILING_FORM_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as refused:
        validate_stamped_form(SimpleUploadedFile("表.pdf", b"%PDF-1.4" + b"0" * 2000))
    assert "超过 1KB 上限" in " ".join(refused.value.message_dict["form"])


def test_an_image_claiming_huge_dimensions_is_refused():
    # A PNG header claiming 100,000 × 100,000 pixels: Pillow refuses it from the header alone.
    buffer = io.BytesIO()
    Image.new("1", (1, 1)).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    data[16:24] = (100_000).to_bytes(4, "big") * 2
    with pytest.raises(ValidationError):
        validate_stamped_form(SimpleUploadedFile("表.png", bytes(data)))
