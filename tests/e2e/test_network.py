"""The network page in a real browser: a signed-in person sees the ledger's recent blocks
with validation codes, the organizations, the chaincode, which backends run and the cloud
side they name."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import PHONE, Screenshots
from tests.e2e.people import api_get, sign_in

pytestmark = pytest.mark.e2e


def test_the_network_page_lists_blocks_organizations_chaincode_and_backends(
    live_server: str, page: Page, screenshot: Screenshots
) -> None:
    sign_in(page, live_server, "Lars Nilsson")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Network").click()
    page.wait_for_url(f"{live_server}/network")
    blocks = page.get_by_role("table", name="Recent blocks")
    expect(blocks.get_by_role("row").nth(1)).to_be_visible()
    expect(blocks).to_contain_text("Valid")
    expect(page.get_by_role("region", name="Ledger")).to_contain_text("provena")
    backends = page.get_by_role("list", name="Backends")
    expect(backends).to_contain_text("Embedded devnet (development)")
    expect(backends).to_contain_text("Development identity provider")
    expect(page.get_by_role("table", name="Organizations")).to_contain_text("CertifierMSP")
    cloud = page.get_by_role("list", name="Cloud side")
    expect(cloud).to_contain_text("Files are stored in: local files (embedded stand-in) in /")
    expect(cloud).to_contain_text("People sign in with: development issuer (embedded stand-in)")
    expect(cloud).to_contain_text("Deployed on: this machine: the embedded development stack")
    assert_accessible(page)
    screenshot(page, "network-01-desktop")


def test_a_transaction_named_in_the_address_is_highlighted(
    live_server: str, browser: Browser, screenshot: Screenshots
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        page = context.new_page()
        sign_in(page, live_server, "Lars Nilsson")
        tx_id = api_get(page, "/api/v1/network?blocks=3")["blocks"][-1]["transactions"][0]["tx_id"]
        page.goto(f"{live_server}/network?tx={tx_id}")
        marked = page.get_by_role("table", name="Recent blocks").locator("tr[aria-current=true]")
        expect(marked).to_have_count(1)
        expect(marked).to_be_in_viewport()
        expect(page.get_by_role("list", name="Cloud side")).to_contain_text("embedded stand-in")
        screenshot(page, "network-02-phone-highlight")
    finally:
        context.close()


def test_the_network_page_asks_a_signed_out_person_to_sign_in(live_server: str, page: Page) -> None:
    page.goto(f"{live_server}/network")
    expect(page.get_by_role("heading", name="Sign in to see the network")).to_be_visible()
