"""Public verification in a real browser, signed out: a dropped file is hashed in the page
(and never sent) and leads to the certificate that anchors it; a picture of a QR code leads
to its certificate's verification."""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, Request, expect

from provena.demo_world.story import REVOKED, SUSPENDED
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import PHONE, WEB, Screenshots
from tests.e2e.people import api_get, sign_in

pytestmark = pytest.mark.e2e

SEED_TIMEOUT_SECONDS = 90.0


@dataclass(frozen=True)
class AnchoredDocument:
    certificate_id: str
    name: str
    content: bytes


@pytest.fixture(scope="module")
def anchored(live_server: str, browser: Browser) -> AnchoredDocument:
    """A document the seeded demo world anchors in a certificate, and its bytes."""
    context = browser.new_context()
    try:
        page = context.new_page()
        sign_in(page, live_server, "Lars Nilsson")
        deadline = time.monotonic() + SEED_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            for summary in api_get(page, "/api/v1/certificates")["data"]:
                verification = httpx.get(
                    f"{live_server}/api/v1/verify/certificates/{summary['id']}"
                ).json()
                for document in verification["documents"]:
                    content = httpx.get(f"{live_server}/ipfs/{document['cid']}").content
                    return AnchoredDocument(summary["id"], document["name"], content)
            time.sleep(1.0)
    finally:
        context.close()
    pytest.fail("the demo world anchored no certificate document in time", pytrace=False)


def _drop(page: Page, target: str, name: str, content: bytes) -> None:
    """Drops a file on `target` as a person dragging it from their desktop would."""
    transfer = page.evaluate_handle(
        """([name, bytes]) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([new Uint8Array(bytes)], name));
          return transfer;
        }""",
        [name, list(content)],
    )
    page.dispatch_event(target, "drop", {"dataTransfer": transfer})


def test_a_dropped_file_is_hashed_here_and_shows_the_certificate_that_anchors_it(
    live_server: str, page: Page, anchored: AnchoredDocument, screenshot: Screenshots
) -> None:
    bodies: list[Request] = []
    page.on("request", lambda request: bodies.append(request) if request.post_data_buffer else None)
    page.goto(f"{live_server}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Verify").click()
    expect(page.get_by_role("heading", name="Verify a record")).to_be_visible()
    screenshot(page, "verify-01-start")

    _drop(page, "[data-testid=file-drop]", anchored.name, anchored.content)
    answer = page.get_by_role("status").filter(has_text="is anchored by")
    expect(answer).to_be_visible()
    records = answer.get_by_role("list", name="Records that anchor the file")
    link = records.get_by_role("link", name=anchored.certificate_id)
    expect(link).to_be_visible()
    screenshot(page, "verify-02-file-anchored")
    assert all(anchored.content not in (r.post_data_buffer or b"") for r in bodies)
    assert not [r.url for r in bodies if "/verify/files" in r.url]

    link.click()
    page.wait_for_url(f"{live_server}/verify/certificates/{anchored.certificate_id}")
    heading = page.get_by_role("heading", name=f"Certificate {anchored.certificate_id}")
    expect(heading).to_be_visible()
    expect(page.get_by_role("region", name="Documents")).to_contain_text(anchored.name)
    expect(page.get_by_role("region", name="Ledger proof")).to_contain_text("VALID")
    screenshot(page, "verify-03-certificate")


def test_an_unknown_file_is_said_to_be_unanchored(live_server: str, page: Page) -> None:
    page.goto(f"{live_server}/verify")
    _drop(page, "[data-testid=file-drop]", "forged.pdf", b"%PDF-1.4 not anchored anywhere")
    expect(page.get_by_role("status").filter(has_text="Not anchored")).to_contain_text("forged.pdf")


def _qr_png(text: str, path: Path) -> Path:
    script = "require('qrcode').toFile(process.argv[1], process.argv[2], {width: 320})"
    subprocess.run(["node", "-e", script, str(path), text], cwd=WEB, check=True)
    return path


def test_a_picture_of_a_qr_code_leads_to_its_certificate(
    live_server: str,
    browser: Browser,
    anchored: AnchoredDocument,
    tmp_path: Path,
    screenshot: Screenshots,
) -> None:
    picture = _qr_png(f"{live_server}/v/c/{anchored.certificate_id}", tmp_path / "qr.png")
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/verify")
        screenshot(page, "verify-phone-01-start")
        with page.expect_file_chooser() as chooser:
            page.get_by_role("button", name="Upload a picture of a QR code").click()
        chooser.value.set_files(str(picture))
        page.wait_for_url(f"{live_server}/verify/certificates/{anchored.certificate_id}")
        expect(page.get_by_role("region", name="Certificate")).to_be_visible()
        expect(page.get_by_role("region", name="Issuer")).to_be_visible()
        screenshot(page, "verify-phone-02-certificate")
    finally:
        context.close()


def test_an_unknown_certificate_id_is_said_to_be_unknown(live_server: str, page: Page) -> None:
    page.goto(f"{live_server}/verify")
    page.get_by_role("textbox", name="Certificate id").fill("NO-SUCH-CERT")
    page.get_by_role("button", name="Verify", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Unknown certificate")


@pytest.mark.usefixtures("seeded")
def test_the_verify_pages_have_no_serious_accessibility_violations(
    live_server: str, page: Page, anchored: AnchoredDocument
) -> None:
    """Each verdict has its own colours: valid, suspended (amber) and revoked (red)."""
    paths = ["/verify", f"/verify/certificates/{anchored.certificate_id}"]
    paths += [f"/verify/certificates/{certificate}" for certificate, _ in (SUSPENDED, REVOKED)]
    for path in paths:
        page.goto(f"{live_server}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if path.endswith(SUSPENDED[0]):
            expect(page.get_by_role("alert")).to_contain_text("Suspended")
        if path.endswith(REVOKED[0]):
            expect(page.get_by_role("alert")).to_contain_text("This certificate is revoked")
        assert_accessible(page)
