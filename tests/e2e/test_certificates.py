"""The certificate screens in a real browser against a real `provena up` and its demo world."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import FilePayload, Page, expect

from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import PHONE, Screenshots
from tests.e2e.people import api_get, sign_in

pytestmark = pytest.mark.e2e

AUDIT_PDF: FilePayload = {
    "name": "audit-report.pdf",
    "mimeType": "application/pdf",
    "buffer": b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
}


def capture(screenshot: Screenshots, page: Page, name: str) -> None:
    """A full-page screenshot from the top, so the fixed header is drawn where it belongs."""
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, name)


def test_a_producer_sees_the_certificates_of_their_organization_only(
    live_server: str, page: Page, screenshot: Screenshots
) -> None:
    sign_in(page, live_server, "Tomás Herrera")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Certificates").click()
    page.wait_for_url(f"{live_server}/certificates")
    expect(page.get_by_role("heading", level=1, name="Certificates")).to_be_visible()
    table = page.get_by_role("table", name="Certificates")
    expect(table.get_by_role("link", name="VOC-EUORG-2026-0101")).to_be_visible()
    expect(table.get_by_role("link", name="VOC-GGAP-2026-0102")).to_be_visible()
    expect(table.get_by_role("link", name="VOC-FT-2026-0103")).to_have_count(0)
    expect(page.get_by_role("link", name="Issue a certificate")).to_have_count(0)

    shown = table.get_by_role("row").all_inner_texts()[1:]
    expected = api_get(page, "/api/v1/certificates?limit=100")["data"]
    assert {row.split("\t")[0].strip() for row in shown} == {c["id"] for c in expected}
    assert all("ProducerMSP" in (c["issuer_msp_id"], c["subject"]["msp_id"]) for c in expected)
    assert_accessible(page)
    capture(screenshot, page, "certificates-01-list-producer")

    page.get_by_role("textbox", name="Search").fill("packhouse")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(f"{live_server}/certificates?q=packhouse")
    expect(table.get_by_role("link")).to_have_text(["VOC-GGAP-2026-0102"])


def test_the_list_is_cards_on_a_phone(
    live_server: str, phone: Page, screenshot: Screenshots
) -> None:
    sign_in(phone, live_server, "David Okafor")
    phone.goto(f"{live_server}/certificates")
    cards = phone.get_by_role("list", name="Certificates")
    expect(cards.get_by_role("link", name="VOC-FT-2026-0103")).to_be_visible()
    expect(phone.get_by_role("table", name="Certificates")).to_be_hidden()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"
    capture(screenshot, phone, "certificates-02-list-phone")


def issue_certificate(page: Page, base_url: str, number: str) -> None:
    """Fills in the issue form as a certifier, with a PDF dropped, and submits it."""
    page.goto(f"{base_url}/certificates")
    page.get_by_role("link", name="Issue a certificate").click()
    page.wait_for_url(f"{base_url}/certificates/new")
    form = page.get_by_role("form", name="Issue a certificate")
    form.get_by_role("textbox", name="Certificate number").fill(number)
    form.get_by_role("textbox", name="Scheme").fill("EU-ORGANIC")
    form.get_by_role("textbox", name="Scope").fill("Organic vine tomatoes, greenhouse 2")
    form.get_by_role("textbox", name="Identifier").fill("GVFC-GH-2")
    form.get_by_role("textbox", name="Name").fill("Green Valley greenhouse 2")
    form.get_by_role("textbox", name="Holder organization (MSP)").fill("ProducerMSP")
    page.get_by_test_id("document-input").set_input_files(AUDIT_PDF)
    expect(page.get_by_role("list", name="Documents to upload")).to_contain_text("audit-report.pdf")


def test_a_certifier_issues_a_certificate_with_a_document_and_sees_it_commit(
    live_server: str, page: Page, screenshot: Screenshots
) -> None:
    number = f"CERT-E2E-{secrets.token_hex(3).upper()}"
    sign_in(page, live_server, "David Okafor")
    issue_certificate(page, live_server, number)
    capture(screenshot, page, "certificates-03-form")
    page.get_by_role("button", name="Issue certificate").click()
    status = page.get_by_role("status", name=re.compile(f"^Issuing {number}"))
    expect(status).to_contain_text(re.compile("Pending|Committed"))
    expect(status).to_contain_text("Committed", timeout=20_000)
    expect(status).to_contain_text(re.compile(r"Recorded in block \d+"))
    expect(page.get_by_role("progressbar", name="Upload of audit-report.pdf")).to_have_attribute(
        "aria-valuenow", "100"
    )
    assert_accessible(page)
    capture(screenshot, page, "certificates-04-issued")

    page.get_by_role("link", name=f"Open certificate {number}").click()
    page.wait_for_url(f"{live_server}/certificates/{number}")
    expect(page.get_by_role("heading", level=1, name=number)).to_be_visible()
    badge = page.get_by_role("status", name="Status")
    expect(badge).to_have_text("Active")
    document = page.get_by_role("listitem", name="audit-report.pdf")
    expect(document.get_by_role("link", name="audit-report.pdf")).to_have_attribute(
        "href", re.compile(r"^/documents/b")
    )
    expect(document).to_contain_text("SHA-256")
    proof = page.get_by_role("region", name="Ledger proof")
    expect(proof).to_contain_text("VALID")
    expect(proof).to_contain_text(re.compile(r"Created by.+\(CertifierMSP\)"))
    expect(page.get_by_role("img", name=f"QR code for {live_server}/v/c/{number}")).to_be_visible()
    assert_accessible(page)
    capture(screenshot, page, "certificates-06-detail")

    page.get_by_role("button", name="Suspend").click()
    dialog = page.get_by_role("dialog", name=f"Suspend {number}?")
    dialog.get_by_role("textbox", name="Reason").fill("Residue test pending at the lab")
    dialog.get_by_role("button", name="Suspend").click()
    expect(dialog).to_be_hidden()
    suspending = page.get_by_role("status", name=re.compile(f"^Suspending {number}"))
    expect(suspending).to_contain_text("Committed", timeout=20_000)
    expect(badge).to_have_text("Suspended")
    expect(page.get_by_text("Residue test pending at the lab")).to_be_visible()
    expect(page.get_by_role("button", name="Reinstate")).to_be_visible()
    capture(screenshot, page, "certificates-07-suspended")


def test_the_issuer_attaches_a_document_to_a_certificate(
    live_server: str, seeded: None, page: Page, screenshot: Screenshots
) -> None:
    sign_in(page, live_server, "David Okafor")
    page.goto(f"{live_server}/certificates/VOC-EUORG-2026-0101")
    documents = page.get_by_role("region", name="Documents")
    with page.expect_file_chooser() as chooser:
        documents.get_by_role("button", name="Attach a document").click()
    lab_result = AUDIT_PDF["buffer"] + b"% residue analysis, lot GVFC-0101\n"  # new bytes, new CID
    chooser.value.set_files(
        {"name": "residue-lab-result.pdf", "mimeType": "application/pdf", "buffer": lab_result}
    )
    status = page.get_by_role("status", name=re.compile("^Attaching residue-lab-result.pdf"))
    expect(status).to_contain_text("Committed", timeout=20_000)
    attached = documents.get_by_role("listitem", name="residue-lab-result.pdf")
    expect(attached.get_by_role("link", name="residue-lab-result.pdf")).to_have_attribute(
        "href", re.compile(r"^/documents/b"), timeout=20_000
    )
    history = page.get_by_role("region", name="History")
    expect(history).to_contain_text("Document attached")
    assert_accessible(page)
    capture(screenshot, page, "certificates-09-document-attached")


def test_the_detail_fits_a_phone(live_server: str, phone: Page, screenshot: Screenshots) -> None:
    sign_in(phone, live_server, "David Okafor")
    phone.goto(f"{live_server}/certificates/VOC-EUORG-2026-0101")
    expect(phone.get_by_role("heading", level=1, name="VOC-EUORG-2026-0101")).to_be_visible()
    expect(phone.get_by_role("region", name="Ledger proof")).to_contain_text("VALID")
    expect(phone.get_by_role("img", name=re.compile("QR code for"))).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"
    capture(screenshot, phone, "certificates-08-detail-phone")


def test_the_issue_form_says_what_is_missing_on_a_phone(
    live_server: str, phone: Page, screenshot: Screenshots
) -> None:
    sign_in(phone, live_server, "David Okafor")
    phone.goto(f"{live_server}/certificates/new")
    phone.get_by_test_id("document-input").set_input_files(AUDIT_PDF)
    phone.get_by_role("button", name="Issue certificate").click()
    expect(phone.get_by_text("Name the scheme, e.g. EU-ORGANIC.")).to_be_visible()
    expect(phone.get_by_text("Say what the certificate covers.")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"
    assert_accessible(phone)
    capture(screenshot, phone, "certificates-05-form-phone")
