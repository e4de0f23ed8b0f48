from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from jianli.errors import ServiceError
from jianli.registrations import uploads
from jianli.testing import grace_hopper

MB = 1024 * 1024


def pdf(size: int = 2000) -> bytes:
    head = b"%PDF-1.4\n1 0 obj<<>>endobj\n"
    tail = b"\ntrailer<<>>\n%%EOF\n"
    return head + b"0" * max(0, size - len(head) - len(tail)) + tail


def png(width: int = 64, height: int = 64) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def small_jpeg() -> bytes:
    buf = io.BytesIO()
    Image.open(io.BytesIO(grace_hopper())).convert("RGB").resize((300, 400)).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def refusal(content: bytes, filename: str) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        uploads.check_upload(content, filename=filename)
    assert set(caught.value.fields) == {"file"}
    assert caught.value.fields["file"] == caught.value.message
    return caught.value


def test_accepted_types_are_read_from_the_content() -> None:
    assert uploads.check_upload(pdf(), filename="合同.pdf") == "application/pdf"
    assert uploads.check_upload(small_jpeg(), filename="photo.jpg") == "image/jpeg"
    assert uploads.check_upload(png(), filename="scan.png") == "image/png"
    assert uploads.check_upload(png(), filename="scan.jpg") == "image/png"  # the name does not decide
    assert uploads.check_upload(pdf(2 * MB), filename="big.pdf") == "application/pdf"  # the limit itself


def test_empty_file() -> None:
    error = refusal(b"", "a.pdf")
    assert (error.code, error.message) == ("upload_empty", "所选文件为空")


@pytest.mark.parametrize(
    "content",
    [
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 500,  # Linux executable
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 500,  # Windows executable
        b"PK\x03\x04" + b"\x00" * 100,  # a zip / .docx
        "这是一段文字".encode(),
        b"GIF89a" + b"\x00" * 50,
    ],
)
def test_wrong_type_whatever_the_name(content: bytes) -> None:
    error = refusal(content, "资格证书.pdf")
    assert (error.code, error.message) == ("upload_wrong_type", "文件格式不正确，只能上传PDF、JPG或PNG文件")


def test_too_large_names_the_limit() -> None:
    error = refusal(pdf(3 * MB), "big.pdf")
    assert (error.code, error.message) == ("upload_too_large", "PDF文件不能超过2MB")
    error = refusal(pdf(2 * MB + 1), "big.pdf")
    assert error.code == "upload_too_large"
    big_png = png(1200, 1200)
    noisy = Image.frombytes("RGB", (700, 700), random.Random(1).randbytes(700 * 700 * 3))  # incompressible
    buf = io.BytesIO()
    noisy.save(buf, "PNG")
    assert len(buf.getvalue()) > 500 * 1024
    error = refusal(buf.getvalue(), "photo.png")
    assert (error.code, error.message) == ("upload_too_large", "图片不能超过500KB")
    assert uploads.check_upload(big_png, filename="plain.png") == "image/png"  # many pixels, few bytes


def test_limits_follow_the_settings(settings) -> None:  # type: ignore[no-untyped-def]
    assert uploads.limits_text() == "PDF不超过2MB，JPG/PNG不超过500KB"
    settings.JIANLI_UPLOAD_MAX_PDF = 5 * MB
    settings.JIANLI_UPLOAD_MAX_IMAGE = 1 * MB
    assert uploads.limits_text() == "PDF不超过5MB，JPG/PNG不超过1MB"
    assert uploads.check_upload(pdf(3 * MB), filename="big.pdf") == "application/pdf"
    settings.JIANLI_UPLOAD_MAX_IMAGE = 1024
    assert refusal(small_jpeg(), "p.jpg").message == "图片不能超过1KB"


def test_damaged_files() -> None:
    assert refusal(pdf()[:-20], "cut.pdf").code == "upload_damaged"  # no %%EOF at the end
    jpeg = small_jpeg()
    assert refusal(jpeg[: len(jpeg) // 2], "cut.jpg").code == "upload_damaged"
    assert refusal(b"\xff\xd8\xff" + b"\x00" * 100, "fake.jpg").code == "upload_damaged"
    assert refusal(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "fake.png").code == "upload_damaged"
    messages = {
        refusal(b"", "a").message,
        refusal(b"MZ", "a").message,
        refusal(pdf(3 * MB), "a").message,
        refusal(pdf()[:-20], "a").message,
    }
    assert len(messages) == 4
