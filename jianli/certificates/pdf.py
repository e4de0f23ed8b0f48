"""The electronic certificate's page (reportlab), laid out like the paper certificate, with its QR code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

# Debian's TrueType CJK fonts (reportlab embeds TrueType as a subset; it cannot embed the CFF outlines of Noto CJK).
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
FONT = "JianliCJK"
RED = (0.62, 0.08, 0.08)


@lru_cache(maxsize=1)
def register_font() -> str:
    candidates = [settings.CERTIFICATE_FONT] if settings.CERTIFICATE_FONT else list(FONT_CANDIDATES)
    for path in candidates:
        if Path(path).exists():
            pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=0))
            return path
    raise ImproperlyConfigured(
        "no TrueType Chinese font for PDFs: install Debian's fonts-wqy-microhei (make browser) "
        "or set JIANLI_CERTIFICATE_FONT"
    )


@dataclass(frozen=True)
class CertificatePage:
    name: str
    registration_number: str
    certificate_number: str
    specialties: tuple[str, ...]
    employer: str
    valid_from: dt.date
    valid_until: dt.date
    issued_on: dt.date
    verify_url: str
    verdict: str  # the label: 有效, 已注销, 已更换, 已失效
    photo: bytes | None


def _date(d: dt.date) -> str:
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


def draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code as vector squares: sharp at any zoom, and what a scanner reads from a print."""
    qr = segno.make(url, error="m")
    rows = list(qr.matrix_iter(scale=1, border=2))
    module = size / len(rows)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(x + c * module, y + size - (r + 1) * module, module, module, stroke=0, fill=1)


def render(page: CertificatePage) -> bytes:
    register_font()
    buf = BytesIO()
    width, height = A4
    c = Canvas(buf, pagesize=A4, invariant=True)
    c.setTitle(f"注册监理工程师注册执业证书 {page.certificate_number}")
    c.setAuthor("中华人民共和国住房和城乡建设部")
    c.setSubject("电子证书")

    c.setStrokeColorRGB(*RED)
    c.setLineWidth(3)
    c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    c.setLineWidth(0.8)
    c.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)

    c.setFillColorRGB(*RED)
    c.setFont(FONT, 18)
    c.drawCentredString(width / 2, height - 40 * mm, "中华人民共和国")
    c.setFont(FONT, 26)
    c.drawCentredString(width / 2, height - 54 * mm, "注册监理工程师注册执业证书")
    c.setFont(FONT, 13)
    c.drawCentredString(width / 2, height - 64 * mm, "（电子证书）")

    photo_w, photo_h = 33 * mm, 48 * mm
    photo_x, photo_y = width - 30 * mm - photo_w, height - 130 * mm
    c.setStrokeColorRGB(0.5, 0.5, 0.5)
    c.rect(photo_x, photo_y, photo_w, photo_h)
    if page.photo:
        c.drawImage(ImageReader(BytesIO(page.photo)), photo_x, photo_y, photo_w, photo_h,
                    preserveAspectRatio=True, anchor="c")
    else:
        c.setFillColorRGB(0.5, 0.5, 0.5)
        c.setFont(FONT, 11)
        c.drawCentredString(photo_x + photo_w / 2, photo_y + photo_h / 2, "照片")

    rows = [
        ("姓　　名", page.name),
        ("注 册 号", page.registration_number),
        ("证书编号", page.certificate_number),
        ("注册专业", "、".join(page.specialties) or "—"),
        ("聘用单位", page.employer),
        ("有 效 期", f"{_date(page.valid_from)} 至 {_date(page.valid_until)}"),
        ("发证日期", _date(page.issued_on)),
    ]
    y = height - 88 * mm
    for label, value in rows:
        c.setFillColorRGB(0.35, 0.35, 0.35)
        c.setFont(FONT, 12)
        c.drawString(30 * mm, y, label)
        c.setFillColorRGB(0, 0, 0)
        size = 14 if len(value) <= 20 else 11
        c.setFont(FONT, size)
        c.drawString(56 * mm, y, value)
        y -= 13 * mm

    qr_size = 42 * mm
    qr_x, qr_y = width - 30 * mm - qr_size, 40 * mm
    draw_qr(c, page.verify_url, qr_x, qr_y, qr_size)
    c.setFillColorRGB(0.2, 0.2, 0.2)
    c.setFont(FONT, 10)
    c.drawCentredString(qr_x + qr_size / 2, qr_y - 6 * mm, "扫码核验证书状态")

    c.setFillColorRGB(0, 0, 0)
    c.setFont(FONT, 13)
    c.drawString(30 * mm, 70 * mm, "发证机关：中华人民共和国住房和城乡建设部")
    c.setFont(FONT, 9)
    c.setFillColorRGB(0.3, 0.3, 0.3)
    c.drawString(30 * mm, 58 * mm, "本电子证书经住房和城乡建设部电子签章，与纸质证书具有同等效力。")
    c.drawString(30 * mm, 52 * mm, "证书状态以扫码核验结果为准：")
    c.setFont(FONT, 7)
    c.drawString(30 * mm, 47 * mm, page.verify_url)

    if page.verdict != "有效":
        c.saveState()
        c.setFillColorRGB(0.85, 0.1, 0.1)
        c.setFont(FONT, 16)
        c.drawCentredString(width / 2, height - 74 * mm, f"本证书{page.verdict}，不能作为执业凭证")
        c.setFillAlpha(0.25)
        c.translate(width / 2, height / 2)
        c.rotate(30)
        c.setFont(FONT, 110)
        c.drawCentredString(0, -30, page.verdict)
        c.restoreState()

    c.showPage()
    c.save()
    return buf.getvalue()
