"""The signed-in dashboard in a real browser against a real `provena up` and its demo world."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import PHONE, Screenshots
from tests.e2e.people import api_get, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("seeded")]


def test_a_carrier_sees_what_waits_for_him_and_a_transfer_offered_live(
    live_server: str, page: Page, browser: Browser, screenshot: Screenshots
) -> None:
    sign_in(page, live_server, "Sam Carter")
    expect(page.get_by_role("heading", level=1, name="Welcome back, Sam")).to_be_visible()
    offered = page.get_by_role("region", name="Transfers offered to you")
    expect(offered.get_by_label("Transfers offered to you: 1")).to_be_visible()
    expect(offered.get_by_role("link", name="SHP-2026-0202")).to_be_visible()
    held = page.get_by_role("region", name="Shipments you hold")
    expect(held.get_by_label("Shipments you hold: 1")).to_be_visible()
    expect(held.get_by_role("link", name="SHP-2026-0203")).to_be_visible()
    expect(page.get_by_text("Live", exact=True)).to_be_visible()

    producer = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    try:
        sign_in(producer, live_server, "Tomás Herrera")
        producer.goto(f"{live_server}/shipments/SHP-2026-0205")
        producer.get_by_role("button", name="Propose a transfer").click()
        producer.get_by_role("combobox", name="Hand custody to").click()
        producer.get_by_role("option", name="CarrierMSP", exact=False).click()
        producer.get_by_role("button", name="Propose", exact=True).click()
    finally:
        producer.context.close()

    activity = page.get_by_role("list", name="Recent activity")
    proposed = activity.get_by_role("listitem").filter(has_text="Transfer proposed SHP-2026-0205")
    expect(proposed).to_be_visible(timeout=30_000)
    expect(offered.get_by_label("Transfers offered to you: 2")).to_be_visible()
    expect(offered.get_by_role("link", name="SHP-2026-0205")).to_be_visible()
    height = api_get(page, "/api/v1/network?blocks=1")["height"]
    expect(page.get_by_role("region", name="Ledger height")).to_contain_text(str(height))
    assert_accessible(page)
    screenshot(page, "dashboard-01-carrier")


def test_a_producer_sees_certificates_expiring_within_30_days_on_a_phone(
    live_server: str, phone: Page, screenshot: Screenshots
) -> None:
    sign_in(phone, live_server, "Tomás Herrera")
    expiring = phone.get_by_role("region", name="Certificates expiring within 30 days")
    expect(expiring.get_by_label("Certificates expiring within 30 days: 1")).to_be_visible()
    expect(expiring.get_by_role("link", name="VOC-GGAP-2026-0102")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"
    assert_accessible(phone)
    phone.evaluate("window.scrollTo(0, 0)")
    screenshot(phone, "dashboard-02-producer-phone")
