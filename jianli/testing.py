"""Helpers for tests: real photos that ship inside installed packages (never committed), and a cast of people."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from jianli.demo import make_id_number, make_uscc


def jpeg(image) -> bytes:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=92)
    return buf.getvalue()


def astronaut() -> bytes:
    from PIL import Image
    from skimage import data

    return jpeg(Image.fromarray(data.astronaut()))


def grace_hopper() -> bytes:
    import matplotlib

    return (Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg").read_bytes()


def cat() -> bytes:
    from PIL import Image
    from skimage import data

    return jpeg(Image.fromarray(data.chelsea()))


def id_number(born: dt.date = dt.date(1985, 3, 7), sequence: int = 12, region: str = "110101") -> str:
    return make_id_number(region, born, sequence)


def uscc(n: int = 0) -> str:
    return make_uscc("110105", f"MA{n:07d}")


def cat_file():  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("cat.jpg", cat(), "image/jpeg")
