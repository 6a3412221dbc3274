"""The demo world's documents are real files, and the same facts give the same bytes (so a
resumed seed uploads what the first run did and its writes match the first run's)."""

from __future__ import annotations

import importlib
import io
import pkgutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

import provena.demo_world
from provena.demo_world.artwork import CertificateSheet, certificate_pdf, field_photo

SHEET = CertificateSheet(
    number="VOC-TEST-0001",
    scheme="EU-ORGANIC",
    body="Veritas Organic Certification",
    holder="Green Valley Farmers Cooperative",
    subject="Lot: Vine tomatoes, lot 14",
    scope="Organic vine tomatoes",
    valid_from=datetime(2026, 1, 1, tzinfo=UTC),
    valid_until=datetime(2027, 1, 1, tzinfo=UTC),
    certifier="David Okafor",
)


def test_a_certificate_pdf_is_valid_states_its_facts_and_is_deterministic(tmp_path: Path) -> None:
    data = certificate_pdf(SHEET)
    assert data == certificate_pdf(SHEET)
    assert data != certificate_pdf(replace(SHEET, number="OTHER-1"))
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "Pages:           1" in info.stdout
    assert "Title:           Certificate VOC-TEST-0001" in info.stdout
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    lines = [line.strip() for line in text.stdout.splitlines() if line.strip()]
    assert "CERTIFICATE OF CONFORMITY" in lines
    assert any("01 January 2027" in line for line in lines)
    assert len(lines) > 8


def test_a_field_photo_is_a_png_picture_and_is_deterministic() -> None:
    data = field_photo((204, 40, 36))
    assert data == field_photo((204, 40, 36))
    assert data != field_photo((70, 110, 30))
    image = Image.open(io.BytesIO(data))
    image.verify()
    assert image.format == "PNG"


def _isort_order(name: str) -> tuple[int, str]:
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


MODULES = sorted(
    info.name for info in pkgutil.walk_packages(provena.demo_world.__path__, "provena.demo_world.")
)


@pytest.mark.parametrize("module_name", [*MODULES, "provena.demo_world"])
def test_modules_declare_sorted_exports(module_name: str) -> None:
    names = importlib.import_module(module_name).__all__
    assert names == sorted(names, key=_isort_order)
