"""Every picture a client sends (avatar, 证件照, attachment, camera frame) passes here before anything decodes it.

A few hundred kilobytes of PNG can declare 20000×20000 pixels and take gigabytes once decoded, so the size is
read from the header first and a picture over JIANLI_IMAGE_MAX_PIXELS is refused with a message at its field.
Only JPEG, PNG and WebP are opened at all. Pillow's own bomb check is set to the same limit with its warning
raised as an error, and OpenCV's OPENCV_IO_MAX_IMAGE_PIXELS is set from settings before cv2 is imported: both
are the second line, for any path that forgets to come here.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import cv2
import numpy as np
from django.conf import settings
from PIL import Image, UnidentifiedImageError

from jianli.errors import ServiceError

FORMATS = ("JPEG", "PNG", "WEBP")
MSG_UNREADABLE = "无法识别该图片，请上传JPG或PNG格式的图片"

Image.MAX_IMAGE_PIXELS = settings.JIANLI_IMAGE_MAX_PIXELS
warnings.simplefilter("error", Image.DecompressionBombWarning)


@dataclass(frozen=True)
class Header:
    format: str
    width: int
    height: int


def limit_text() -> str:
    """25000000 → "2500万"."""
    limit = settings.JIANLI_IMAGE_MAX_PIXELS
    return f"{limit / 10_000:g}万" if limit >= 10_000 else str(limit)


def too_many_pixels_message() -> str:
    return f"图片像素过多（不能超过{limit_text()}像素），请缩小或压缩后重新上传"


def _refuse(field: str, code: str, message: str) -> ServiceError:
    return ServiceError(code, message, fields={field: message}, status=422)


def header(data: bytes, *, field: str) -> Header:
    """Format and size from the header alone (no pixel is decoded), or ServiceError at `field`."""
    if not data:
        raise _refuse(field, "empty", "所选文件为空，请重新选择")
    try:
        # Opening reads only the header; Pillow's bomb warning (an error here) fires on the declared size.
        with Image.open(io.BytesIO(data), formats=FORMATS) as opened:
            found = Header(str(opened.format), *opened.size)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _refuse(field, "too_many_pixels", too_many_pixels_message()) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise _refuse(field, "type", MSG_UNREADABLE) from None
    if found.width * found.height > settings.JIANLI_IMAGE_MAX_PIXELS:
        raise _refuse(field, "too_many_pixels", too_many_pixels_message())
    return found


def check(data: bytes, *, field: str) -> None:
    header(data, field=field)


@contextmanager
def opened(data: bytes, *, field: str, draft: tuple[int, int] | None = None) -> Iterator[Image.Image]:
    """The picture, opened after its header passed. `draft` lets a JPEG decode at a reduced scale (at least
    that size), which is all a thumbnail needs."""
    header(data, field=field)
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            if draft is not None and image.format == "JPEG":
                image.draft("RGB", draft)
            yield image
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _refuse(field, "too_many_pixels", too_many_pixels_message()) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise _refuse(field, "type", MSG_UNREADABLE) from None


def decode_bgr(data: bytes, *, field: str = "image") -> np.ndarray | None:
    """A BGR array for OpenCV (None when OpenCV cannot read it), only after the header passed (cv2.imdecode
    allocates the declared size first)."""
    header(data, field=field)
    return cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)


def check_frames(payload: dict[str, object], *, prefix: str = "") -> None:
    """Every picture among a face check's submitted values (camera frames), before any provider sees them."""
    for name, value in payload.items():
        if isinstance(value, bytes) and value:
            check(value, field=f"{prefix}{name}")
