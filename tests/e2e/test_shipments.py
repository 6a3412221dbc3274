"""The shipment screens in a real browser against a real `provena up` and its demo world."""

from __future__ import annotations

import pytest
from playwright.sync_api import FilePayload, Page, expect

from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import PHONE, Screenshots
from tests.e2e.people import api_get, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("seeded")]


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


def _committed(page: Page, label: str) -> None:
    """Waits for the write's transaction status to say Committed."""
    status = page.get_by_role("status", name=f"{label} Committed")
    expect(status).to_contain_text("Recorded in block", timeout=30_000)


def test_a_carrier_accepts_an_offered_shipment_and_records_its_temperatures(
    live_server: str, page: Page, screenshot: Screenshots
) -> None:
    sign_in(page, live_server, "Sam Carter")
    page.goto(f"{live_server}/shipments/SHP-2026-0202")
    expect(page.get_by_role("heading", level=1, name="SHP-2026-0202")).to_be_visible()
    expect(page.get_by_role("button", name="Record a checkpoint")).to_have_count(0)

    page.get_by_role("button", name="Accept the transfer").click()
    _committed(page, "Accepting the transfer")
    custody = page.get_by_label("Custody chain")
    expect(custody.get_by_text("CarrierMSP")).to_be_visible()
    expect(page.get_by_text("In transit", exact=True).first).to_be_visible()

    page.get_by_role("button", name="Record a checkpoint").click()
    page.get_by_role("textbox", name="Read point").fill("urn:epc:id:sgln:7350012.00001.REEFER-17")
    page.get_by_role("textbox", name="Temperatures (°C)").fill("4.4, 9.1")
    page.get_by_role("button", name="Record", exact=True).click()
    _committed(page, "Recording the checkpoint")
    summary = page.get_by_role("status", name="Temperature summary")
    expect(summary).to_have_text("3 readings; 1 outside 2\u20138 °C (red squares).")
    chart = page.get_by_role("img", name="Temperature readings against the 2\u20138 °C band")
    expect(chart.locator("rect[data-outside='true']")).to_have_count(1)
    expect(page.get_by_text("9.1 °C · outside")).to_be_visible()

    shipment = api_get(page, "/api/v1/shipments/SHP-2026-0202")
    assert shipment["custodian_msp_id"] == "CarrierMSP"
    readings = shipment["checkpoints"][-1]["sensor_readings"]
    assert [r["value"] for r in readings] == ["4.4", "9.1"]
    assert_accessible(page)
    page.evaluate("window.scrollTo(0, 0)")  # the fixed header stays at the top of the picture
    screenshot(page, "shipments-03-detail-chart")


def test_a_receiver_accepts_a_shipment_at_its_door_and_confirms_delivery(
    live_server: str, page: Page, phone: Page, screenshot: Screenshots
) -> None:
    sign_in(page, live_server, "Sam Carter")
    page.goto(f"{live_server}/shipments/SHP-2026-0203")
    page.get_by_role("button", name="Propose a transfer").click()
    page.get_by_role("combobox", name="Hand custody to").click()
    page.get_by_role("option", name="RetailerMSP", exact=False).click()
    page.get_by_role("button", name="Propose", exact=True).click()
    _committed(page, "Proposing the transfer")
    expect(page.get_by_role("button", name="Cancel the transfer")).to_be_visible()

    sign_in(phone, live_server, "Jonas Berg")
    phone.goto(f"{live_server}/shipments/SHP-2026-0203")
    expect(phone.get_by_role("button", name="Confirm delivery")).to_have_count(0)
    phone.get_by_role("button", name="Accept the transfer").click()
    _committed(phone, "Accepting the transfer")
    phone.get_by_role("button", name="Confirm delivery").click()
    _committed(phone, "Confirming delivery")
    expect(phone.get_by_text("Nothing for you to do on this shipment now.")).to_be_visible()
    assert api_get(phone, "/api/v1/shipments/SHP-2026-0203")["status"] == "DELIVERED"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"
    assert_accessible(phone)
    screenshot(phone, "shipments-04-detail-phone")


def test_a_producer_creates_a_shipment_of_a_certified_lot_and_offers_it_to_the_carrier(
    live_server: str, page: Page, phone: Page, screenshot: Screenshots
) -> None:
    sign_in(page, live_server, "Tomás Herrera")
    page.goto(f"{live_server}/shipments")
    page.get_by_role("link", name="New shipment").click()
    page.wait_for_url(f"{live_server}/shipments/new")
    page.get_by_role("textbox", name="Shipment id").fill("SHP-2026-0777")
    page.get_by_role("textbox", name="Origin").fill("Green Valley packhouse, Almeria, ES")
    page.get_by_role("combobox", name="Destination organization").click()
    page.get_by_role("option", name="RetailerMSP", exact=False).click()
    page.get_by_role("textbox", name="Destination location").fill("Rotterdam DC")
    page.get_by_role("textbox", name="SKU, item 1").fill("GV-TOM-VINE-6KG")
    page.get_by_role("textbox", name="Description, item 1").fill("Vine tomatoes, 6 kg case")
    page.get_by_role("textbox", name="Quantity, item 1").fill("48")
    page.get_by_role("textbox", name="Lot, item 1").fill("LOT-TOM-2026-014")
    page.get_by_role("group", name="Item 1").get_by_role("combobox").click()
    page.get_by_role("option", name="VOC-EUORG-2026-0101", exact=False).click()
    page.keyboard.press("Escape")
    packing_list: FilePayload = {
        "name": "packing-list.txt",
        "mimeType": "text/plain",
        "buffer": b"48 CS tomatoes",
    }
    page.get_by_test_id("document-input").set_input_files(files=[packing_list])
    assert_accessible(page)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "shipments-05-create")
    page.get_by_role("button", name="Create shipment").click()
    _committed(page, "Creating SHP-2026-0777")

    created = api_get(page, "/api/v1/shipments/SHP-2026-0777")
    assert created["items"][0]["certificate_ids"] == ["VOC-EUORG-2026-0101"]
    assert [d["name"] for d in created["documents"]] == ["packing-list.txt"]

    page.get_by_role("link", name="Open SHP-2026-0777").click()
    page.get_by_role("button", name="Propose a transfer").click()
    page.get_by_role("combobox", name="Hand custody to").click()
    page.get_by_role("option", name="CarrierMSP", exact=False).click()
    page.get_by_role("button", name="Propose", exact=True).click()
    _committed(page, "Proposing the transfer")
    expect(
        page.get_by_role("term").filter(has_text="Offered to").locator("xpath=..")
    ).to_contain_text("CarrierMSP")
    expect(page.get_by_role("link", name="packing-list.txt")).to_be_visible()

    sign_in(phone, live_server, "Tomás Herrera")
    phone.goto(f"{live_server}/shipments/new")
    phone.get_by_role("button", name="Create shipment").click()
    expect(phone.get_by_role("alert")).to_have_text("Some fields need attention.")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"
    phone.evaluate("window.scrollTo(0, 0)")
    screenshot(phone, "shipments-06-create-phone")
