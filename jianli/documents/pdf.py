"""A document's PDF (reportlab platypus: Chinese lines wrap), in the certificate's embedded font."""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jianli.certificates.pdf import FONT, RED, register_font
from jianli.documents.texts import DocumentText, day
from jianli.registrations.catalogue import AUTHORITY


def render(doc: DocumentText) -> bytes:
    register_font()
    body = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=21, firstLineIndent=24, wordWrap="CJK")
    plain = ParagraphStyle("plain", parent=body, firstLineIndent=0)
    title = ParagraphStyle("title", fontName=FONT, fontSize=22, leading=30, alignment=TA_CENTER,
                           textColor=colors.Color(*RED))
    number = ParagraphStyle("number", fontName=FONT, fontSize=11, leading=16, alignment=TA_CENTER)
    right = ParagraphStyle("right", parent=plain, alignment=TA_RIGHT)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=10, leading=14, wordWrap="CJK")

    story = [
        Paragraph("中华人民共和国住房和城乡建设部", ParagraphStyle("org", parent=number, fontSize=14, leading=20)),
        Spacer(1, 3 * mm),
        Paragraph(escape(doc.title), title),
        Paragraph(escape(doc.number), number),
        Spacer(1, 8 * mm),
        Paragraph(escape(doc.addressee), plain),
    ]
    story += [Paragraph(escape(p), body) for p in doc.paragraphs]
    story += [Paragraph(f"{i}. {escape(item)}", ParagraphStyle("item", parent=plain, leftIndent=24))
              for i, item in enumerate(doc.items, 1)]
    story += [Paragraph(escape(p), body) for p in doc.after_items]
    if doc.facts:
        story.append(Spacer(1, 6 * mm))
        rows = [[Paragraph(escape(k), cell), Paragraph(escape(v), cell)] for k, v in doc.facts]
        table = Table(rows, colWidths=[36 * mm, 124 * mm])
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.95, 0.95, 0.95)),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]))
        story.append(table)
    story += [Spacer(1, 12 * mm), Paragraph(AUTHORITY + "（电子签章）", right),
              Paragraph(day(doc.issued_on), right)]

    buf = BytesIO()
    template = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm, bottomMargin=20 * mm,
        title=f"{doc.title} {doc.number}", author=AUTHORITY, subject=doc.title, invariant=True,
    )
    template.build(story)
    return buf.getvalue()
