"""Attachment checks: the type is read from the content, never from the file name or the browser's claim.

`check_upload()` raises ServiceError with `fields={"file": message}`; callers re-key "file" to their field.
"""

from __future__ import annotations

from django.conf import settings

from jianli import images
from jianli.errors import ServiceError

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
ALLOWED = (PDF, JPEG, PNG)

MSG_EMPTY = "所选文件为空"
MSG_WRONG_TYPE = "文件格式不正确，只能上传PDF、JPG或PNG文件"
MSG_DAMAGED = "文件已损坏或不完整，请重新选择"
# The trailer may be followed by whitespace or a few bytes of junk that readers tolerate.
_PDF_TAIL = 1024


def size_text(limit: int) -> str:
    """2097152 → "2MB", 512000 → "500KB"."""
    if limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)}MB"
    if limit % 1024 == 0:
        return f"{limit // 1024}KB"
    return f"{limit}字节"


def limits_text() -> str:
    """The hint beside upload fields."""
    return (
        f"PDF不超过{size_text(settings.JIANLI_UPLOAD_MAX_PDF)}，"
        f"JPG/PNG不超过{size_text(settings.JIANLI_UPLOAD_MAX_IMAGE)}"
    )


def sniff(content: bytes) -> str | None:
    """The content type from the first bytes, or None when it is none of ours."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def _refuse(code: str, message: str) -> ServiceError:
    return ServiceError(code, message, fields={"file": message})


def check_upload(content: bytes, *, filename: str) -> str:
    """The content type of an acceptable attachment, or ServiceError (upload_empty, upload_wrong_type,
    upload_too_large, upload_damaged). The decision is taken on the bytes alone, whatever `filename`
    says, so an executable renamed .pdf is refused as the wrong type and a PNG named .jpg is a PNG."""
    if not content:
        raise _refuse("upload_empty", MSG_EMPTY)
    content_type = sniff(content)
    if content_type is None:
        raise _refuse("upload_wrong_type", MSG_WRONG_TYPE)
    if content_type == PDF:
        limit, message = settings.JIANLI_UPLOAD_MAX_PDF, "PDF文件不能超过{}"
    else:
        limit, message = settings.JIANLI_UPLOAD_MAX_IMAGE, "图片不能超过{}"
    if len(content) > limit:
        raise _refuse("upload_too_large", message.format(size_text(limit)))
    if content_type == PDF:
        if b"%%EOF" not in content[-_PDF_TAIL:]:
            raise _refuse("upload_damaged", MSG_DAMAGED)
    elif not _image_ok(content, content_type):
        raise _refuse("upload_damaged", MSG_DAMAGED)
    return content_type


def _image_ok(content: bytes, content_type: str) -> bool:
    expected = {JPEG: "JPEG", PNG: "PNG"}[content_type]
    try:
        with images.opened(content, field="file") as image:
            if image.format != expected:
                return False
            image.verify()
        # verify() does not decode the pixels; a truncated image fails only on load.
        with images.opened(content, field="file") as image:
            image.load()
    except ServiceError as e:
        if e.code == "too_many_pixels":
            raise
        return False
    except Exception:  # noqa: BLE001 — Pillow raises many kinds for broken files; all mean "damaged"
        return False
    return True
