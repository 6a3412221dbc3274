"""The demo world's documents: PDF certificates and PNG field photos, drawn from their facts.

Both are byte-for-byte deterministic (fixed creation date, no random ids), so a second run
of the seed uploads the same bytes, gets the same CID, and its writes match the first run's.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from fpdf import FPDF
from PIL import Image, ImageDraw

__all__ = ["CertificateSheet", "certificate_pdf", "field_photo"]

_WIDTH, _HEIGHT = 480, 300
_HORIZON = 110


@dataclass(frozen=True, slots=True)
class CertificateSheet:
    """What a printed certificate states."""

    number: str
    scheme: str
    body: str
    holder: str
    subject: str
    scope: str
    valid_from: datetime
    valid_until: datetime
    certifier: str


def field_photo(crop: tuple[int, int, int]) -> bytes:
    """A PNG of a cultivated field under a morning sky, its rows dotted with `crop`'s colour."""
    image = Image.new("RGB", (_WIDTH, _HEIGHT))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, _HORIZON, _WIDTH, _HEIGHT], fill=(120, 84, 52))
    vanishing = (_WIDTH // 2, _HORIZON - 40)
    for row in range(-12, 13):  # crop rows converging on the vanishing point
        foot = (_WIDTH // 2 + row * 40, _HEIGHT)
        draw.line([vanishing, foot], fill=(64, 140, 56), width=7)
        for step in range(1, 9):
            t = step / 9
            x = vanishing[0] + (foot[0] - vanishing[0]) * t
            y = vanishing[1] + (foot[1] - vanishing[1]) * t
            if y > _HORIZON:
                r = 1 + 4 * t
                draw.ellipse([x - r, y - r, x + r, y + r], fill=crop)
    for y in range(_HORIZON):  # sky over the rows' far ends: pale at the horizon
        shade = y * 90 // _HORIZON
        draw.line([(0, y), (_WIDTH, y)], fill=(110 + shade, 160 + shade // 2, 230))
    draw.ellipse([360, 22, 410, 72], fill=(255, 221, 120))
    draw.rectangle([0, _HORIZON - 4, _WIDTH, _HORIZON + 2], fill=(86, 122, 60))  # hedgerow
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _day(moment: datetime) -> str:
    return moment.strftime("%d %B %Y")


def certificate_pdf(sheet: CertificateSheet) -> bytes:
    """A one-page PDF certificate, as a certification body would print it."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(sheet.valid_from)
    pdf.set_title(f"Certificate {sheet.number}")
    pdf.set_author(sheet.body)
    pdf.set_subject(f"{sheet.scheme} certificate for {sheet.holder}")
    pdf.add_page()
    pdf.set_draw_color(40, 96, 60)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 190, 277)
    pdf.set_font("Helvetica", "B", 22)
    pdf.cell(0, 24, "CERTIFICATE OF CONFORMITY", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 13)
    pdf.cell(0, 8, sheet.body, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    rows = (
        ("Certificate number", sheet.number),
        ("Standard", sheet.scheme),
        ("Certificate holder", sheet.holder),
        ("Certified subject", sheet.subject),
        ("Scope", sheet.scope),
        ("Valid from", _day(sheet.valid_from)),
        ("Valid until", _day(sheet.valid_until)),
    )
    for label, value in rows:
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(55, 8, label)
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 8, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(
        0,
        6,
        f"{sheet.body} certifies that the holder named above was audited against the "
        f"{sheet.scheme} standard and found to conform for the scope stated. This certificate "
        "stays the property of the certification body; its current status is the one recorded "
        "on the Provena ledger under the certificate number.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(20)
    pdf.cell(0, 6, "_______________________________", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, f"{sheet.certifier}, lead auditor", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
