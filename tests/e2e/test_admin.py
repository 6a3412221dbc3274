"""Administration in a real browser against a real `provena up` and its demo world: the
registry's governor sees the accreditation of the certification body, grants and withdraws
one with its transaction status, and sees people with their ledger identities; a producer
is neither shown Admin nor let in."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import PHONE, Screenshots
from tests.e2e.people import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("seeded")]


def test_the_governor_sees_accreditations_grants_withdraws_and_sees_people(
    live_server: str, page: Page, screenshot: Screenshots
) -> None:
    sign_in(page, live_server, "Inès Moreau")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    page.wait_for_url(f"{live_server}/admin")
    accreditations = page.get_by_role("table", name="Accreditations")
    veritas = accreditations.get_by_role("row").filter(has_text="EU-ORGANIC")
    expect(veritas).to_contain_text("Veritas Organic Certification")
    expect(veritas).to_contain_text("Accredited")
    assert_accessible(page)
    screenshot(page, "admin-01-accreditations-desktop")

    grant = page.get_by_role("form", name="Grant an accreditation")
    grant.get_by_placeholder("Choose one").click()
    page.get_by_role("option", name="Green Valley Farmers Cooperative (ProducerMSP)").click()
    schemes = grant.get_by_placeholder("e.g. EU-ORGANIC")
    schemes.fill("DEMETER")
    schemes.press("Enter")
    grant.get_by_role("button", name="Grant accreditation").click()
    status = page.get_by_role("status").filter(has_text="Accrediting ProducerMSP for DEMETER")
    expect(status).to_contain_text("Committed")
    demeter = accreditations.get_by_role("row").filter(has_text="DEMETER")
    expect(demeter).to_contain_text("Green Valley Farmers Cooperative")

    demeter.get_by_role("button", name="Withdraw DEMETER from ProducerMSP").click()
    dialog = page.get_by_role("dialog", name="Withdraw DEMETER from ProducerMSP?")
    dialog.get_by_role("button", name="Withdraw").click()
    withdrawn = page.get_by_role("status").filter(has_text="Withdrawing DEMETER from ProducerMSP")
    expect(withdrawn).to_contain_text("Committed")
    expect(demeter).to_contain_text("Withdrawn")
    expect(demeter.get_by_role("button")).to_have_count(0)
    screenshot(page, "admin-02-withdrawn-desktop")

    page.get_by_role("tab", name="Organizations").click()
    organizations = page.get_by_role("table", name="Organizations")
    expect(organizations.get_by_role("row").filter(has_text="CertifierMSP")).to_contain_text(
        "governs the registry"
    )

    page.get_by_role("tab", name="People").click()
    people = page.get_by_role("table", name="People")
    ines = people.get_by_role("row").filter(has_text="Inès Moreau")
    expect(ines).to_contain_text("Veritas Organic Certification")
    expect(ines).to_contain_text("Key sealed on the server")
    expect(ines).to_contain_text("CertifierMSP")
    assert_accessible(page)
    screenshot(page, "admin-03-people-desktop")


def test_the_governor_reads_admin_as_cards_on_a_phone(
    live_server: str, browser: Browser, screenshot: Screenshots
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        page = context.new_page()
        sign_in(page, live_server, "Inès Moreau")
        page.goto(f"{live_server}/admin")
        cards = page.get_by_role("list", name="Accreditations")
        expect(cards.get_by_role("listitem").filter(has_text="Veritas")).to_contain_text(
            "EU-ORGANIC"
        )
        assert_accessible(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"
        screenshot(page, "admin-04-accreditations-phone")
        page.get_by_role("tab", name="People").click()
        person = page.get_by_role("list", name="People").get_by_role("listitem")
        expect(person.filter(has_text="Inès Moreau")).to_contain_text("Key sealed on the server")
        assert_accessible(page)
        screenshot(page, "admin-05-people-phone")
    finally:
        context.close()


def test_a_producer_is_not_shown_admin_and_is_told_it_is_not_allowed(
    live_server: str, page: Page, screenshot: Screenshots
) -> None:
    sign_in(page, live_server, "Tomás Herrera")
    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation.get_by_role("link", name="Network")).to_be_visible()
    expect(navigation.get_by_role("link", name="Admin")).to_have_count(0)
    page.goto(f"{live_server}/admin")
    expect(page.get_by_role("heading", level=1, name="Not allowed")).to_be_visible()
    expect(page.get_by_text("Your roles do not include either.")).to_be_visible()
    expect(page.get_by_role("table", name="People")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "admin-06-not-allowed-desktop")
