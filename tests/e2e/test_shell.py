"""The web shell in a real browser against a real `provena up`: sign in with the
development issuer, see the profile and the system status, sign out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Screenshots

pytestmark = pytest.mark.e2e


def test_sign_in_profile_system_and_sign_out(
    live_server: str, page: Page, screenshot: Screenshots
) -> None:
    header = page.get_by_role("banner")
    nav = page.get_by_role("navigation", name="Main")

    page.goto(f"{live_server}/")
    expect(page.get_by_role("heading", name="Welcome to Provena")).to_be_visible()
    expect(nav.get_by_role("link", name="Profile")).to_have_count(0)
    screenshot(page, "shell-01-home-signed-out")

    header.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(re.compile(r"/dev-oidc/authorize\?"))
    david = page.get_by_role("button", name="David Okafor")
    expect(david).to_be_visible()
    expect(page.get_by_role("region", name="Veritas Organic Certification")).to_contain_text(
        "CertifierMSP"
    )
    screenshot(page, "shell-02-dev-issuer-sign-in")

    david.click()
    page.wait_for_url(f"{live_server}/")
    account = header.get_by_role("button", name="David Okafor")
    expect(account).to_be_visible()
    expect(page.get_by_role("heading", name="Welcome back, David")).to_be_visible()
    screenshot(page, "shell-03-home-signed-in")

    nav.get_by_role("link", name="Profile").click()
    page.wait_for_url(f"{live_server}/profile")
    expect(page.get_by_role("heading", level=1, name="David Okafor")).to_be_visible()
    identity = page.get_by_role("region", name="Identity")
    expect(identity).to_contain_text("david.okafor@certifier.provena.test")
    expect(identity).to_contain_text("david.okafor")
    organization = page.get_by_role("region", name="Organization")
    expect(organization).to_contain_text("Veritas Organic Certification")
    expect(organization).to_contain_text("CertifierMSP")
    expect(organization).to_contain_text("Certification body")
    roles = page.get_by_role("list", name="Roles").get_by_role("listitem")
    expect(roles).to_have_text(["certifier"])
    screenshot(page, "shell-04-profile")

    account.click()
    menu = page.get_by_role("menu")
    expect(menu).to_contain_text("Veritas Organic Certification")
    expect(menu.get_by_role("listitem")).to_have_text(["certifier"])
    screenshot(page, "shell-05-user-menu")
    page.keyboard.press("Escape")

    nav.get_by_role("link", name="System").click()
    page.wait_for_url(f"{live_server}/system")
    expect(page.get_by_role("heading", name="System status")).to_be_visible()
    database = page.get_by_role("listitem", name="Database")
    expect(database.get_by_text("ok", exact=True)).to_be_visible()
    overall = page.get_by_role("region", name="Overall status")
    expect(overall).to_contain_text("All systems operational")
    expect(page.get_by_role("region", name="Deployment")).to_contain_text("development")
    screenshot(page, "shell-06-system")

    account.click()
    page.get_by_role("menuitem", name="Sign out").click()
    page.wait_for_url(f"{live_server}/")
    expect(header.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Profile")).to_have_count(0)
    screenshot(page, "shell-07-signed-out")


def test_navigation_collapses_to_a_burger_on_a_phone(
    live_server: str, browser: Browser, screenshot: Screenshots
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/")
        system_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="System")
        expect(page.get_by_role("heading", name="Welcome to Provena")).to_be_visible()
        expect(system_link).not_to_be_in_viewport()
        screenshot(page, "phone-01-home")

        page.get_by_role("button", name="Open navigation").click()
        expect(system_link).to_be_in_viewport()
        screenshot(page, "phone-02-navigation-open")

        system_link.click()
        page.wait_for_url(f"{live_server}/system")
        expect(page.get_by_role("heading", name="System status")).to_be_visible()
        expect(page.get_by_role("button", name="Open navigation")).to_be_visible()
        screenshot(page, "phone-03-system")
    finally:
        context.close()
