"""Helpers for tests: real photos that ship inside installed packages (never committed), files and identifiers.

They need no Django set-up (bench/ uses them so); the people and objects are in `jianli.testing.cast`."""

from __future__ import annotations

import base64
import datetime as dt
import io
import struct
import zlib
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jianli.identifiers import make_id_number, make_uscc


def jpeg(image: Image.Image, quality: int = 92) -> bytes:
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
    return jpeg(canvas, quality=90)


def astronaut() -> bytes:
    from skimage import data  # a test-only package (requirements-dev), absent where the demo runs

    return jpeg(Image.fromarray(data.astronaut()))


def grace_hopper() -> bytes:
    import matplotlib  # a test-only package (requirements-dev), absent where the demo runs

    return (Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg").read_bytes()


def cat() -> bytes:
    from skimage import data  # a test-only package (requirements-dev), absent where the demo runs

    return jpeg(Image.fromarray(data.chelsea()))


def id_number(born: dt.date = dt.date(1985, 3, 7), sequence: int = 12, region: str = "110101") -> str:
    return make_id_number(region, born, sequence)


def uscc(n: int = 0) -> str:
    return make_uscc("110105", f"MA{n:07d}")


def cat_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("cat.jpg", cat(), "image/jpeg")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def pdf_bytes(size: int = 2000) -> bytes:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\n"
    return body + b"%" + b"0" * max(0, size - len(body) - 20) + b"\ntrailer<<>>\n%%EOF\n"


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(width: int, height: int, *, complete: bool = True) -> bytes:
    """A grey PNG declaring width×height pixels, built row by row (never held decoded): a few hundred KB that
    take width×height×3 bytes once decoded to colour. `complete=False` stops after the first rows, which is
    all a header check reads (and keeps tests fast)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    packer = zlib.compressobj(9)
    rows = height if complete else min(height, 16)
    batch = bytes((width + 1) * 64)
    parts = [packer.compress(batch) for _ in range(rows // 64)]
    parts.append(packer.compress(bytes((width + 1) * (rows % 64))))
    idat = b"".join(parts) + packer.flush()
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")
