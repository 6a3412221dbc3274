"""The certificate screens in a real browser against a real `provena up` and its demo world."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.e2e.conftest import WEB, Screenshots
from tests.e2e.people import api_get, sign_in

pytestmark = pytest.mark.e2e

PHONE: ViewportSize = {"width": 375, "height": 812}


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A fresh browser context at phone size."""
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        yield context.new_page()
    finally:
        context.close()


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violations in the page's main content, once settled."""
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(WEB / "node_modules/axe-core/axe.min.js"))
    violations = page.evaluate('async () => (await axe.run("main")).violations')
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    found = [(v["id"], [(n["target"], n["failureSummary"]) for n in v["nodes"]]) for v in serious]
    assert not serious, json.dumps(found)


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
    screenshot(page, "certificates-01-list-producer")

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
    screenshot(phone, "certificates-02-list-phone")
