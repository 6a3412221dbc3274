"""Writing to the ledger with a signing key kept in this browser: a certifier moves their key
here, then issues, suspends and reinstates a certificate, each signed in the page and shown
so, and is told what to do once the key is gone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import PHONE, Screenshots
from tests.e2e.people import api_get, sign_in

pytestmark = pytest.mark.e2e

COMMIT_TIMEOUT_MS = 20_000
CERTIFIER = "David Okafor"
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
SIGNED_HERE = "Signed in this browser"

_CLEAR_KEY_STORAGE = """() => new Promise((resolve, reject) => {
  const request = indexedDB.deleteDatabase('provena-keys');
  request.onsuccess = () => resolve(true);
  request.onerror = () => reject(request.error);
  request.onblocked = () => reject(new Error('the key database is still open'));
})"""


def _capture(screenshot: Screenshots, page: Page, name: str) -> None:
    """A full-page screenshot from the top, so the fixed header is drawn where it belongs."""
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, name)


def _keep_key_in_browser(page: Page, base_url: str) -> str:
    """Moves the signed-in person's key into this browser; returns their new enrollment id."""
    page.goto(f"{base_url}/profile")
    section = page.get_by_role("region", name="My ledger identity")
    expect(section).to_contain_text("Key sealed by Provena")
    enrollment_id: str = api_get(page, "/api/v1/me/ledger-identity")["next_enrollment_id"]
    section.get_by_role("button", name="Keep my signing key in this browser").click()
    dialog = page.get_by_role("dialog", name="Keep your signing key in this browser?")
    dialog.get_by_role("button", name="Create my key here").click()
    expect(section.get_by_role("status")).to_contain_text(f"You are enrolled as {enrollment_id}")
    expect(section).to_contain_text("Key in this browser")
    return enrollment_id


def _committed_here(status: Locator, enrollment_id: str) -> dict[str, Any]:
    """Waits for a write to commit signed in this browser by `enrollment_id`'s key (the API
    records the identity that signed); returns its transaction."""
    expect(status).to_contain_text("Committed", timeout=COMMIT_TIMEOUT_MS)
    expect(status).to_contain_text(re.compile(r"Recorded in block \d+"))
    expect(status.get_by_text(SIGNED_HERE, exact=True)).to_be_visible()
    href = status.get_by_role("link").get_attribute("href") or ""
    tx_id = href.removeprefix("/network?tx=")
    transaction: dict[str, Any] = api_get(status.page, f"/api/v1/transactions/{tx_id}")
    assert transaction["signer"].startswith(f"{enrollment_id} ("), transaction["signer"]
    return transaction


def _change_status(page: Page, action: str, number: str, reason: str) -> None:
    page.get_by_role("button", name=action, exact=True).click()
    dialog = page.get_by_role("dialog", name=f"{action} {number}?")
    dialog.get_by_role("textbox", name="Reason").fill(reason)
    dialog.get_by_role("button", name=action, exact=True).click()


def test_a_certifier_signs_their_writes_in_this_browser(
    live_server: str, seeded: None, browser: Browser, screenshot: Screenshots
) -> None:
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        sign_in(page, live_server, CERTIFIER)
        enrollment_id = _keep_key_in_browser(page, live_server)

        page.goto(f"{live_server}/certificates/new")
        form = page.get_by_role("form", name="Issue a certificate")
        number = form.get_by_role("textbox", name="Certificate number").input_value()
        form.get_by_role("textbox", name="Scheme").fill("EU-ORGANIC")
        form.get_by_role("textbox", name="Scope").fill("Organic cherry tomatoes, tunnel 4")
        form.get_by_role("textbox", name="Identifier").fill("GVFC-T4")
        form.get_by_role("textbox", name="Name").fill("Green Valley tunnel 4")
        form.get_by_role("textbox", name="Holder organization (MSP)").fill("ProducerMSP")
        page.get_by_role("button", name="Issue certificate").click()
        issuing = page.get_by_role("status", name=re.compile(f"^Issuing {number}"))
        assert _committed_here(issuing, enrollment_id)["function"].endswith("IssueCertificate")
        assert_accessible(page)
        _capture(screenshot, page, "browser-signing-01-issued")

        page.get_by_role("link", name=f"Open certificate {number}").click()
        badge = page.get_by_role("status", name="Status")
        expect(badge).to_have_text("Active")
        _change_status(page, "Suspend", number, "Residue test pending at the lab")
        suspending = page.get_by_role("status", name=re.compile(f"^Suspending {number}"))
        _committed_here(suspending, enrollment_id)
        expect(badge).to_have_text("Suspended")
        _capture(screenshot, page, "browser-signing-02-suspended")

        page.set_viewport_size(PHONE)
        _change_status(page, "Reinstate", number, "The lab found no residues")
        reinstating = page.get_by_role("status", name=re.compile(f"^Reinstating {number}"))
        _committed_here(reinstating, enrollment_id)
        expect(badge).to_have_text("Active")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"
        _capture(screenshot, page, "browser-signing-03-reinstated-phone")

        # The browser's storage is cleared: the key is gone, and the person is told so.
        page.evaluate(_CLEAR_KEY_STORAGE)
        _change_status(page, "Revoke", number, "Fraudulent claims")
        dialog = page.get_by_role("dialog", name=f"Revoke {number}?")
        alert = dialog.get_by_role("alert")
        expect(alert).to_contain_text("The change was not made")
        expect(alert).to_contain_text("Your signing key is not in this browser any more.")
        expect(alert).to_contain_text("Nothing was recorded.")
        assert_accessible(page, "[role=dialog]")
        _capture(screenshot, page, "browser-signing-04-key-gone-phone")
        page.set_viewport_size(DESKTOP)
        _capture(screenshot, page, "browser-signing-05-key-gone")
        assert api_get(page, f"/api/v1/certificates/{number}")["status"] == "ACTIVE"

        alert.get_by_role("link", name="Enroll again in your profile").click()
        expect(page).to_have_url(f"{live_server}/profile")
        section = page.get_by_role("region", name="My ledger identity")
        expect(
            section.get_by_role("button", name="Keep my signing key in this browser")
        ).to_be_visible()
    finally:
        context.close()
