from __future__ import annotations

import io

import pytest
from PIL import Image

from jianli import testing
from jianli.accounts.models import Applicant


@pytest.fixture
def make_applicant(db):  # type: ignore[no-untyped-def]
    def make(photo: bytes | None = None, *, name: str = "张三", sequence: int = 12) -> Applicant:
        applicant = Applicant(name=name, id_number=testing.id_number(sequence=sequence), mobile="13912345678")
        applicant.set_id_photo(photo or testing.astronaut())
        applicant.save()
        return applicant

    return make


def jpeg_of(image: Image.Image, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def open_image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def on_canvas(data: bytes, size: tuple[int, int] = (640, 480)) -> bytes:
    """The photo placed on a camera-sized frame, the way a capture arrives."""
    image = open_image(data)
    image.thumbnail(size)
    canvas = Image.new("RGB", size, (128, 128, 128))
    canvas.paste(image, ((size[0] - image.width) // 2, (size[1] - image.height) // 2))
    return jpeg_of(canvas)
