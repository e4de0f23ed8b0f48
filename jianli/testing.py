"""Helpers for tests: real photos that ship inside installed packages (never committed), and a cast of people."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jianli import pii
from jianli.identifiers import make_id_number, make_uscc

if TYPE_CHECKING:  # annotations only: the models load after django.setup(), the pictures above without it
    from django.test import Client

    from jianli.accounts.models import Applicant
    from jianli.employers.models import Employer
    from jianli.registrations.models import Qualification, Registration


def jpeg(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=92)
    return buf.getvalue()


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


def make_applicant(*, name: str = "张三", born: dt.date = dt.date(1985, 3, 7), sequence: int = 12,
                   mobile: str = "13912345678", photo: bytes | None = None) -> Applicant:
    # App-loading order: models load after django.setup(); the pictures above are used without it (bench/).
    from jianli.accounts.models import Applicant, Profile

    applicant = Applicant(name=name, id_number=id_number(born, sequence), mobile=mobile)
    if photo is not None:
        applicant.set_id_photo(photo)
    applicant.save()
    Profile.objects.create(nickname=name[-1], applicant=applicant)
    return applicant


def make_employer(n: int = 0, name: str = "北京华建工程监理有限公司") -> Employer:
    from jianli.employers.models import Employer  # after django.setup(), as above

    return Employer.objects.create(uscc=uscc(n), name=name)


def make_qualification(
    applicant: Applicant, *, obtained_on: dt.date = dt.date(2024, 10, 20), certificate_number: str = ""
) -> Qualification:
    from jianli.registrations.models import Qualification  # after django.setup(), as above

    return Qualification.objects.create(
        certificate_number=certificate_number or f"JL{applicant.pk:010d}", name=applicant.name,
        id_hash=pii.lookup_hash(applicant.id_number), category="土木建筑工程", obtained_on=obtained_on,
    )


def make_registration(
    applicant: Applicant, employer: Employer, *, valid_until: dt.date, specialties: Iterable[str] = ("房屋建筑工程",)
) -> Registration:
    from jianli.registrations.models import Certificate, Registration  # after django.setup(), as above

    registration = Registration.objects.create(
        number=f"T{applicant.pk:07d}", applicant=applicant, employer=employer, specialties=list(specialties),
        valid_from=valid_until.replace(year=valid_until.year - 3), valid_until=valid_until,
    )
    Certificate.objects.create(number=f"C{applicant.pk:07d}", registration=registration, issued_on=registration.valid_from)
    return registration


def sign_in(client: Client, applicant: Applicant) -> None:
    """A signed-in applicant session, as after a passed face verification."""
    session = client.session
    session["applicant_id"] = applicant.pk
    session["profile_id"] = applicant.profile.pk
    session.save()


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
