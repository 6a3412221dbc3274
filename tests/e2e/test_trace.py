"""Trace, EPCIS events and recalls in a real browser against a real `provena up`.

The module's world: a producer processes a raw lot into a packed lot (a transformation)
and ships the packed lot to the retailer under an SSCC, all through the API, so the trace
from the shipment goes two levels upstream: shipment ◀ packed lot ◀ raw lot.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import PHONE, Screenshots
from tests.e2e.people import api_get, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("seeded")]

SHIPMENT = "SHP-2026-0901"
SSCC = "384370010000009016"
UNIT = f"https://id.gs1.org/00/{SSCC}"
LOT = "https://id.gs1.org/01/08437001001903/10/LOT-TOM-2026-901"
RAW = "https://id.gs1.org/01/08437001001910/10/RAW-TOM-2026-901"
RAW_CARD = "Lot GTIN 08437001001910 lot RAW-TOM-2026-901 (2 levels upstream)"
RECALL = "RCL-2026-0901"
REASON = "Listeria found in a retained sample of the raw lot"
COMMIT_TIMEOUT_SECONDS = 30.0

_TOKEN_POST = """async ([path, body]) => {
  const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'));
  const token = JSON.parse(sessionStorage.getItem(key)).access_token;
  const response = await fetch(path, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      'Idempotency-Key': crypto.randomUUID(),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}"""


def _write(page: Page, path: str, body: dict[str, Any]) -> None:
    """POST a write as the signed-in person and wait until its transaction is committed."""
    answer = page.evaluate(_TOKEN_POST, [path, body])
    deadline = time.monotonic() + COMMIT_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        status = api_get(page, f"/api/v1/transactions/{answer['tx_id']}")["status"]
        if status == "committed":
            return
        assert status == "pending", f"{path}: the transaction is {status}"
        time.sleep(0.25)
    pytest.fail(f"{path}: not committed within {COMMIT_TIMEOUT_SECONDS:g} s")


@dataclass(frozen=True)
class World:
    base_url: str


@pytest.fixture(scope="module")
def world(live_server: str, browser: Browser) -> World:
    """The transformation and the shipment, recorded once for the module."""
    context = browser.new_context()
    try:
        page = context.new_page()
        sign_in(page, live_server, "Tomás Herrera")
        _write(
            page,
            "/api/v1/transformations",
            {
                "id": "TRF-2026-0901",
                "inputs": [{"epc_class": RAW, "quantity": "500", "uom": "KGM"}],
                "outputs": [{"epc_class": LOT, "quantity": "80", "uom": "CS"}],
                "location": "urn:epc:id:sgln:8437001.00001.0",
            },
        )
        _write(
            page,
            "/api/v1/shipments",
            {
                "id": SHIPMENT,
                "origin": "Green Valley packhouse, Almeria, ES",
                "destination": {"msp_id": "RetailerMSP", "location": "Rotterdam DC"},
                "sscc": SSCC,
                "items": [
                    {
                        "sku": "GV-TOM-VINE-6KG",
                        "gtin": "8437001001903",
                        "description": "Vine tomatoes, 6 kg case",
                        "quantity": "80",
                        "unit": "CS",
                        "lot": "LOT-TOM-2026-901",
                        "certificate_ids": ["VOC-EUORG-2026-0101"],
                    }
                ],
            },
        )
    finally:
        context.close()
    return World(live_server)


def _node(page: Page, identifier: str) -> Any:
    return page.locator(f'[data-node="{identifier}"]')


def _accessible(page: Page, scope: str = "main") -> None:
    """axe on `scope`, with the pointer off the button it just pressed: the theme's hover
    shade of a filled button is lighter than its resting one."""
    page.mouse.move(0, 0)
    assert_accessible(page, scope)


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"


def test_a_producer_follows_a_shipment_back_to_its_raw_lot_with_the_proof_of_each_step(
    world: World, page: Page, screenshot: Screenshots
) -> None:
    sign_in(page, world.base_url, "Tomás Herrera")
    page.goto(f"{world.base_url}/shipments/{SHIPMENT}")
    page.get_by_role("main").get_by_role("link", name="Trace", exact=True).click()
    page.wait_for_url(f"{world.base_url}/trace?id={SHIPMENT}")
    expect(page.get_by_role("status", name="Trace summary")).to_have_text(
        f"SSCC {SSCC}: 2 upstream, 0 downstream, joined by 2 events."
    )
    graph = page.get_by_role("group", name="Trace graph")
    expect(graph.get_by_text("2 levels upstream", exact=True)).to_be_visible()
    unit = page.get_by_role("button", name=f"SSCC {SSCC} shipment {SHIPMENT} held by ProducerMSP")
    expect(unit).to_have_attribute("data-node", UNIT)
    expect(_node(page, LOT)).to_contain_text("GTIN 08437001001903 lot LOT-TOM-2026-901")
    _accessible(page)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "trace-01-graph")

    graph.get_by_role("button", name=RAW_CARD).click()
    expect(_node(page, RAW)).to_have_attribute("aria-pressed", "true")
    expect(_node(page, LOT)).to_have_attribute("data-emphasis", "path")
    expect(_node(page, UNIT)).to_have_attribute("data-emphasis", "path")
    expect(graph.locator('path[data-emphasis="path"]')).to_have_count(2)
    details = page.get_by_role("complementary", name="Details")
    steps = details.get_by_role("listitem")
    expect(steps).to_have_count(2)
    expect(steps.nth(0)).to_contain_text(f"lot LOT-TOM-2026-901 packed into SSCC {SSCC}")
    expect(steps.nth(1)).to_contain_text("transformed into")
    for index in range(2):
        expect(steps.nth(index).get_by_text("hash verified")).to_be_visible(timeout=15_000)
        expect(steps.nth(index).get_by_text("VALID", exact=True)).to_be_visible()
    _accessible(page)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "trace-02-path-and-proof")

    steps.nth(1).get_by_role("button", name="EPCIS event").click()
    dialog = page.get_by_role("dialog")
    document = dialog.get_by_role("region", name="EPCIS JSON-LD")
    expect(document).to_contain_text('"TransformationEvent"')
    expect(dialog.get_by_text("JSON-LD · 1 event")).to_be_visible()
    with page.expect_download() as download:
        dialog.get_by_role("button", name="Download").click()
    saved = Path(download.value.path())
    assert '"TransformationEvent"' in saved.read_text()
    assert download.value.suggested_filename.endswith(".jsonld")
    _accessible(page, '[role="dialog"]')
    screenshot(page, "trace-03-epcis-event")


def test_the_shipment_page_shows_its_epcis_events(
    world: World, page: Page, phone: Page, screenshot: Screenshots
) -> None:
    sign_in(page, world.base_url, "Tomás Herrera")
    page.goto(f"{world.base_url}/shipments/{SHIPMENT}")
    page.get_by_role("button", name="EPCIS events").click()
    dialog = page.get_by_role("dialog", name=f"EPCIS events of {SHIPMENT}")
    document = dialog.get_by_role("region", name="EPCIS JSON-LD")
    expect(document).to_contain_text('"EPCISQueryDocument"')
    expect(document).to_contain_text(f'"parentID": "{UNIT}"')
    expected = api_get(
        page,
        "/epcis/events?EQ_bizTransaction_desadv="
        + quote(f"urn:provena:shipment:{SHIPMENT}", safe="")
        + "&perPage=100",
    )
    count = len(expected["epcisBody"]["queryResults"]["resultsBody"]["eventList"])
    expect(dialog.get_by_text(f"JSON-LD · {count} event")).to_be_visible()
    with page.expect_download() as download:
        dialog.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename == f"{SHIPMENT}.epcis.jsonld"
    _accessible(page, '[role="dialog"]')
    screenshot(page, "trace-04-shipment-epcis-events")

    sign_in(phone, world.base_url, "Tomás Herrera")
    phone.goto(f"{world.base_url}/shipments/{SHIPMENT}")
    phone.get_by_role("button", name="EPCIS events").click()
    expect(phone.get_by_role("region", name="EPCIS JSON-LD")).to_contain_text("EPCISQueryDocument")
    _no_sideways_scroll(phone)
    _accessible(phone, '[role="dialog"]')
    screenshot(phone, "trace-04-shipment-epcis-events-phone")


def test_the_trace_is_a_list_by_depth_on_a_phone_and_its_graph_scrolls_in_its_frame(
    world: World, phone: Page, screenshot: Screenshots
) -> None:
    sign_in(phone, world.base_url, "Tomás Herrera")
    phone.goto(f"{world.base_url}/trace?id={SHIPMENT}")
    listing = phone.get_by_role("group", name="Trace by depth")
    upstream = listing.get_by_role("region", name="1 level upstream")
    expect(upstream.get_by_text(f"packed into SSCC {SSCC}")).to_be_visible()
    _no_sideways_scroll(phone)
    _accessible(phone)
    screenshot(phone, "trace-05-phone-list")

    listing.get_by_role("button", name=RAW_CARD).click()
    details = phone.get_by_role("complementary", name="Details")
    expect(details.get_by_role("listitem")).to_have_count(2)
    expect(details.get_by_text("hash verified").first).to_be_visible(timeout=15_000)
    _no_sideways_scroll(phone)
    phone.evaluate("window.scrollTo(0, 0)")
    screenshot(phone, "trace-06-phone-path")

    phone.locator("label", has_text="Graph").click()
    graph = phone.get_by_role("group", name="Trace graph")
    expect(_node(phone, RAW)).to_have_attribute("aria-pressed", "true")
    frame = graph.evaluate("(el) => [el.scrollWidth, el.clientWidth]")
    assert frame[0] > frame[1], "the graph should scroll inside its frame on a phone"
    _no_sideways_scroll(phone)
    _accessible(phone)
    phone.evaluate("window.scrollTo(0, 0)")
    screenshot(phone, "trace-07-phone-graph")


def test_nothing_to_trace_from_an_unknown_identifier(
    world: World, page: Page, screenshot: Screenshots
) -> None:
    sign_in(page, world.base_url, "Tomás Herrera")
    page.goto(f"{world.base_url}/trace")
    page.get_by_role("textbox", name="Identifier").fill("LOT-NOPE-0000")
    page.get_by_role("button", name="Trace", exact=True).click()
    expect(page.get_by_text("Nothing to trace from LOT-NOPE-0000")).to_be_visible()
    _accessible(page)
    screenshot(page, "trace-08-nothing-to-trace")

    page.get_by_role("textbox", name="Identifier").fill("urn:provena:lot:NOPE:NONE")
    page.get_by_role("button", name="Trace", exact=True).click()
    expect(page.get_by_text("Nothing joined to it")).to_be_visible()
    _accessible(page)


def test_a_producer_recalls_the_raw_lot_and_the_retailer_is_told_live(
    world: World, page: Page, phone: Page, screenshot: Screenshots
) -> None:
    sign_in(phone, world.base_url, "Jonas Berg")
    phone.goto(f"{world.base_url}/recalls")
    expect(phone.get_by_role("heading", level=1, name="Recalls")).to_be_visible()
    expect(phone.get_by_role("link", name="New recall")).to_have_count(0)

    sign_in(page, world.base_url, "Tomás Herrera")
    page.goto(f"{world.base_url}/trace?id={quote(RAW, safe='')}")
    _node(page, RAW).click()
    page.get_by_role("complementary", name="Details").get_by_role(
        "link", name="Recall this lot"
    ).click()
    page.wait_for_url(f"{world.base_url}/recalls/new?lot=*")
    expect(page.get_by_role("status", name="Recall reach")).to_have_text(
        "1 lot recalled, reaching 2 lots and units downstream in 1 shipment; "
        "3 organizations to notify."
    )
    shipments = page.get_by_role("table", name="Affected shipments")
    expect(shipments.get_by_role("link", name=SHIPMENT)).to_be_visible()
    organizations = page.get_by_role("list", name="Organizations to notify")
    expect(organizations.get_by_role("listitem")).to_have_text(
        ["CertifierMSP", "ProducerMSP", "RetailerMSP"]
    )
    expect(page.get_by_role("link", name="VOC-EUORG-2026-0101")).to_be_visible()
    page.get_by_role("textbox", name="Recall number").fill(RECALL)
    page.get_by_role("textbox", name="Reason").fill(REASON)
    _accessible(page)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "recall-01-new")

    page.get_by_role("button", name="Record the recall").click()
    page.wait_for_url(f"{world.base_url}/recalls/{RECALL}", timeout=30_000)
    expect(page.get_by_role("heading", level=1, name=RECALL)).to_be_visible()
    record = page.get_by_role("region", name="Recall", exact=True)
    expect(record).to_contain_text(REASON)
    with page.expect_download() as download:
        record.get_by_role("button", name="Download CSV").click()
    csv = Path(download.value.path()).read_text()
    assert csv.splitlines()[0].startswith("recall_id,identifier")
    assert SHIPMENT in csv
    with page.expect_download() as download:
        record.get_by_role("button", name="Download EPCIS document").click()
    assert '"EPCISDocument"' in Path(download.value.path()).read_text()
    _accessible(page)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "recall-02-detail")

    notice = phone.get_by_text(f"Recall {RECALL} concerns your organization")
    expect(notice).to_be_visible(timeout=30_000)
    recalls = phone.get_by_role("list", name="Recalls")
    expect(recalls.get_by_role("link", name=RECALL)).to_be_visible()
    _no_sideways_scroll(phone)
    screenshot(phone, "recall-03-phone-notified")
    phone.get_by_role("button", name="Open the recall").click()
    phone.wait_for_url(f"{world.base_url}/recalls/{RECALL}")
    expect(phone.get_by_role("list", name="Affected shipments")).to_contain_text(
        f"{SHIPMENT} · held by ProducerMSP when recalled"
    )
    _no_sideways_scroll(phone)
    _accessible(phone)
    phone.evaluate("window.scrollTo(0, 0)")
    screenshot(phone, "recall-04-phone-detail")

    phone.get_by_role("link", name=SHIPMENT).first.click()
    phone.wait_for_url(f"{world.base_url}/shipments/{SHIPMENT}")
    recalled = phone.get_by_role("alert").filter(has_text="Recalled")
    expect(recalled.get_by_role("link", name=RECALL)).to_be_visible()
    _accessible(phone)
    _no_sideways_scroll(phone)
    screenshot(phone, "recall-07-shipment-recalled-phone")

    page.goto(f"{world.base_url}/recalls")
    table = page.get_by_role("table", name="Recalls")
    expect(table.get_by_role("link", name=RECALL)).to_be_visible()
    _accessible(page)
    screenshot(page, "recall-05-list")

    page.goto(f"{world.base_url}/shipments/{SHIPMENT}")
    expect(page.get_by_role("alert").get_by_role("link", name=RECALL)).to_be_visible()
    _accessible(page)
    screenshot(page, "recall-08-shipment-recalled")


def test_the_recall_form_fits_a_phone(world: World, phone: Page, screenshot: Screenshots) -> None:
    sign_in(phone, world.base_url, "Tomás Herrera")
    phone.goto(f"{world.base_url}/recalls/new?lot={quote(LOT, safe='')}")
    expect(phone.get_by_role("status", name="Recall reach")).to_contain_text("in 1 shipment")
    expect(phone.get_by_role("list", name="Affected shipments")).to_contain_text(SHIPMENT)
    _no_sideways_scroll(phone)
    _accessible(phone)
    phone.evaluate("window.scrollTo(0, 0)")
    screenshot(phone, "recall-06-new-phone")
