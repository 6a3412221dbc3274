"""My ledger identity in a real browser: the Fabric certificate read in the page, and the
choice to keep a new, non-extractable signing key in this browser only."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Screenshots
from tests.e2e.people import api_get, sign_in

pytestmark = pytest.mark.e2e

CERTIFIER = "Mei Tanaka"

_KEY_IN_INDEXEDDB = """async (subject) => {
  const database = await new Promise((resolve, reject) => {
    const request = indexedDB.open('provena-keys');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const keys = await new Promise((resolve, reject) => {
    const request = database.transaction('signing-keys').objectStore('signing-keys').get(subject);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  let exported = 'refused';
  try { await crypto.subtle.exportKey('pkcs8', keys.privateKey); exported = 'exported'; }
  catch { /* a non-extractable key refuses */ }
  return { curve: keys.privateKey.algorithm.namedCurve, extractable: keys.privateKey.extractable,
           exported };
}"""


def test_a_certifier_moves_her_signing_key_into_this_browser(
    live_server: str, seeded: None, browser: Browser, screenshot: Screenshots
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        sign_in(page, live_server, CERTIFIER)
        page.goto(f"{live_server}/profile")
        section = page.get_by_role("region", name="My ledger identity")
        expect(section).to_contain_text("CertifierMSP")
        expect(section.get_by_role("list", name="Certificate attributes")).to_contain_text(
            "provena.role = certifier"
        )
        expect(section).to_contain_text("Key sealed by Provena")
        before = api_get(page, "/api/v1/me/ledger-identity")
        screenshot(page, "ledger-identity-01-server-held")

        section.get_by_role("button", name="Keep my signing key in this browser").click()
        dialog = page.get_by_role("dialog", name="Keep your signing key in this browser?")
        expect(dialog).to_contain_text(
            "Your key will exist only in this browser. If you clear its storage or use another "
            "device, you must enroll again. Provena will never be able to sign for you."
        )
        screenshot(page, "ledger-identity-02-explained")
        dialog.get_by_role("button", name="Create my key here").click()

        expect(section.get_by_role("status")).to_contain_text(
            f"You are enrolled as {before['next_enrollment_id']}"
        )
        expect(section).to_contain_text("Key in this browser")
        expect(section).to_contain_text(before["next_enrollment_id"])
        after = api_get(page, "/api/v1/me/ledger-identity")
        assert after["custody"] == "browser"
        assert after["enrollment_id"] == before["next_enrollment_id"]
        me = api_get(page, "/api/v1/me")
        key = page.evaluate(_KEY_IN_INDEXEDDB, me["subject"])
        assert key == {"curve": "P-256", "extractable": False, "exported": "refused"}
        screenshot(page, "ledger-identity-03-browser-held")
    finally:
        context.close()


def test_the_ledger_identity_fits_a_phone(
    live_server: str, browser: Browser, screenshot: Screenshots
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    try:
        page: Page = context.new_page()
        sign_in(page, live_server, "David Okafor")
        page.goto(f"{live_server}/profile")
        section = page.get_by_role("region", name="My ledger identity")
        expect(
            section.get_by_role("button", name="Keep my signing key in this browser")
        ).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"the page scrolls sideways ({width} px)"
        screenshot(page, "ledger-identity-04-phone")
    finally:
        context.close()
