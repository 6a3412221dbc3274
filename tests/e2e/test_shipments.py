"""The shipment screens in a real browser against a real `provena up` and its demo world."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Screenshots
from tests.e2e.people import api_get, sign_in
from tests.e2e.test_certificates import PHONE, assert_accessible, phone

pytestmark = pytest.mark.e2e

__all__ = ["phone"]  # the phone-sized page fixture, shared with the certificate journeys


def test_a_carrier_lists_the_shipments_it_holds_held_or_is_offered(
    live_server: str, page: Page, screenshot: Screenshots
) -> None:
    sign_in(page, live_server, "Sam Carter")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Shipments").click()
    page.wait_for_url(f"{live_server}/shipments")
    expect(page.get_by_role("heading", level=1, name="Shipments")).to_be_visible()
    table = page.get_by_role("table", name="Shipments")
    expect(table.get_by_role("link", name="SHP-2026-0203")).to_be_visible()
    expect(table.get_by_role("link", name="SHP-2026-0201")).to_have_count(0)
    expect(page.get_by_role("link", name="New shipment")).to_have_count(0)

    shown = table.get_by_role("row").all_inner_texts()[1:]
    expected = api_get(page, "/api/v1/shipments?limit=100")["data"]
    assert {row.split("\t")[0].strip() for row in shown} == {s["id"] for s in expected}
    assert_accessible(page)
    screenshot(page, "shipments-01-list-carrier")

    page.get_by_role("textbox", name="Holder (MSP)").fill("CarrierMSP")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(f"{live_server}/shipments?holder=CarrierMSP")
    expect(table.get_by_role("link")).to_have_text(["SHP-2026-0203"])


def test_the_list_is_cards_on_a_phone(
    live_server: str, phone: Page, screenshot: Screenshots
) -> None:
    sign_in(phone, live_server, "Tomás Herrera")
    phone.goto(f"{live_server}/shipments")
    cards = phone.get_by_role("list", name="Shipments")
    expect(cards.get_by_role("link", name="SHP-2026-0201")).to_be_visible()
    expect(phone.get_by_role("table", name="Shipments")).to_be_hidden()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"
    assert_accessible(phone)
    screenshot(phone, "shipments-02-list-phone")
