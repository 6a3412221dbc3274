"""Signing a demo person in through the development issuer, and calling the API as them.

The calls run inside the signed-in page (its own token from the OIDC client's storage), so
the test talks to the API exactly as the web app does.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

_TOKEN_FETCH = """async (path) => {
  const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'));
  const token = JSON.parse(sessionStorage.getItem(key)).access_token;
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}"""


def sign_in(page: Page, base_url: str, name: str) -> None:
    """Signs `name` (a demo person's display name) in from the home page."""
    page.goto(f"{base_url}/")
    page.get_by_role("banner").get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(re.compile(r"/dev-oidc/authorize\?"))
    page.get_by_role("button", name=name).click()
    page.wait_for_url(f"{base_url}/")
    expect(page.get_by_role("banner").get_by_role("button", name=name)).to_be_visible()


def api_get(page: Page, path: str) -> Any:
    """GET `path` with the signed-in person's token, from the page, as JSON."""
    return page.evaluate(_TOKEN_FETCH, path)
