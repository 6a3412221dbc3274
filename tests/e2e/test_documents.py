"""The document viewer in a real browser: the page fetches the document's DAG as a CAR from
the trustless gateway, checks every block and the file's SHA-256 itself, and only then
shows the content. A block altered on the way, or rotten on the server's disk, shows a
failed verification and no content."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect

from provena.ipfs.car import CarReader, car_header, car_section
from provena.ipfs.cid import CID, RAW, block_key
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import PHONE, Screenshots
from tests.e2e.people import sign_in

pytestmark = pytest.mark.e2e

PRODUCER = "Tomás Herrera"

_UPLOAD = """async ([name, type, encoded]) => {
  const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'));
  const token = JSON.parse(sessionStorage.getItem(key)).access_token;
  const body = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
  const response = await fetch(`/api/v1/documents?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': type },
    body,
  });
  if (!response.ok) throw new Error(`upload: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}"""


@dataclass(frozen=True)
class Uploaded:
    cid: str
    sha256: str
    name: str


def _pdf(text: str) -> bytes:
    """A one-page PDF saying `text`, with a correct cross-reference table."""
    stream = f"BT /F1 28 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _large_text(seed: str) -> bytes:
    """About 1.5 MiB of text: more than one 1 MiB chunk, so a root and two leaves."""
    line = f"{seed}: lot 2026-0142, 4 °C at every checkpoint, seal intact.\n".encode()
    return line * (1_572_864 // len(line) + 1)


def _upload(page: Page, name: str, media_type: str, content: bytes) -> Uploaded:
    record = page.evaluate(_UPLOAD, [name, media_type, base64.b64encode(content).decode()])
    return Uploaded(record["cid"], record["sha256"], name)


@pytest.fixture
def producer(browser: Browser, live_server: str) -> Iterator[Page]:
    """Tomás Herrera, signed in at desktop size."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        sign_in(page, live_server, PRODUCER)
        yield page
    finally:
        context.close()


def _blocks(base_url: str, cid: str) -> list[tuple[CID, bytes]]:
    """The document's DAG as the gateway sends it, each block checked on the way in."""
    car = httpx.get(f"{base_url}/ipfs/{cid}?format=car", timeout=30.0)
    car.raise_for_status()

    async def source() -> AsyncIterator[bytes]:
        yield car.content

    async def read() -> list[tuple[CID, bytes]]:
        return [section async for section in CarReader(source())]

    # Playwright's sync API owns this thread's event loop: read on another thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, read()).result()


def _leaf(blocks: list[tuple[CID, bytes]]) -> CID:
    leaves = [cid for cid, _ in blocks if cid.codec.code == RAW]
    assert len(leaves) >= 2, f"expected a DAG of several leaves, got {len(blocks)} blocks"
    return leaves[-1]


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def _verified(page: Page) -> Locator:
    return page.get_by_role("status").filter(has_text="Verified in this browser")


def test_a_pdf_is_verified_in_the_browser_then_drawn(
    live_server: str, producer: Page, screenshot: Screenshots
) -> None:
    document = _upload(producer, "cold-chain-audit.pdf", "application/pdf", _pdf("Audit 0142"))
    producer.goto(f"{live_server}/documents/{document.cid}")

    expect(producer.get_by_role("heading", level=1, name="cold-chain-audit.pdf")).to_be_visible()
    record = producer.get_by_role("region", name="Record")
    expect(record).to_contain_text(document.cid)
    expect(record).to_contain_text(document.sha256)
    expect(record).to_contain_text("application/pdf")
    expect(_verified(producer)).to_be_visible()
    page_one = producer.get_by_role("img", name="cold-chain-audit.pdf, page 1")
    expect(page_one).to_be_visible()
    drawn = page_one.evaluate(
        "canvas => canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height)"
        ".data.some((value, i) => i % 4 !== 3 && value < 128)"
    )
    assert drawn, "the first page's canvas has no dark pixel: nothing was drawn"
    assert_accessible(producer)
    screenshot(producer, "documents-01-pdf-verified")


def test_json_is_pretty_printed_on_a_phone(
    live_server: str, producer: Page, browser: Browser, screenshot: Screenshots
) -> None:
    payload = {"lot": "2026-0142", "readings": [{"at": "Rotterdam", "celsius": 3.8}]}
    document = _upload(producer, "readings.json", "application/json", json.dumps(payload).encode())
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        phone = context.new_page()
        sign_in(phone, live_server, PRODUCER)
        phone.goto(f"{live_server}/documents/{document.cid}")
        expect(_verified(phone)).to_be_visible()
        expect(phone.get_by_test_id("document-text")).to_have_text(json.dumps(payload, indent=2))
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"
        screenshot(phone, "documents-02-json-phone")
    finally:
        context.close()


def test_a_block_altered_on_the_way_fails_the_browsers_own_check(
    live_server: str, producer: Page, screenshot: Screenshots
) -> None:
    document = _upload(producer, "manifest.txt", "text/plain", _large_text("altered"))
    blocks = _blocks(live_server, document.cid)
    leaf = _leaf(blocks)
    altered = car_header([blocks[0][0]]) + b"".join(
        car_section(cid, _flip(data, len(data) // 2) if cid == leaf else data)
        for cid, data in blocks
    )

    def serve_altered(route: Route) -> None:
        route.fulfill(status=200, body=altered, content_type="application/vnd.ipld.car")

    producer.route("**/ipfs/**", serve_altered)
    producer.goto(f"{live_server}/documents/{document.cid}")
    failed = producer.get_by_role("status").filter(
        has_text=f"Verification failed: block {leaf} does not match its hash"
    )
    expect(failed).to_be_visible()
    expect(producer.get_by_role("region", name="Content")).to_have_count(0)
    expect(producer.get_by_test_id("document-text")).to_have_count(0)
    screenshot(producer, "documents-03-altered-block")


def test_a_block_rotten_on_the_servers_disk_never_shows_content(
    live_server: str, live_data_dir: Path, producer: Page
) -> None:
    document = _upload(producer, "rotten.txt", "text/plain", _large_text("rotten"))
    key = block_key(_leaf(_blocks(live_server, document.cid)))
    path = live_data_dir / "ipfs" / "blocks" / key[-3:-1] / f"{key}.data"
    stored = path.read_bytes()
    path.write_bytes(_flip(stored, len(stored) // 2))

    producer.goto(f"{live_server}/documents/{document.cid}")
    expect(producer.get_by_role("status").filter(has_text="Verification failed")).to_be_visible()
    expect(producer.get_by_role("region", name="Content")).to_have_count(0)
    expect(producer.get_by_test_id("document-text")).to_have_count(0)
