"""Security headers, CORS and sign-in limits over real HTTP, and the policy in a real browser.

The web app is the built one (web/dist): its index.html has no inline script, so the
policy allows scripts from this origin only; Mantine writes <style> elements, so styles
may be inline. Chromium loads the pages under the policy and reports any violation.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import sync_playwright

from provena.api.headers import HSTS
from tests.api.conftest import RunningApi, start_api
from tests.hostile.servers import api_trusting, problem
from tests.support.issuer import FakeIssuer, running_issuer

DIST = Path(__file__).resolve().parents[2] / "web" / "dist"
CHROMIUM = "/usr/bin/chromium"
APP_ORIGIN = "https://app.example"
STRANGER = "https://evil.example"


def policy(response: httpx.Response) -> dict[str, list[str]]:
    """The response's Content-Security-Policy, as directive -> sources."""
    directives: dict[str, list[str]] = {}
    for directive in response.headers["content-security-policy"].split(";"):
        name, *sources = directive.split()
        directives[name] = sources
    return directives


@pytest.fixture(scope="module")
def web_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApi]:
    """The API with the development issuer, serving the built web app."""
    if not (DIST / "index.html").is_file():
        pytest.fail("web/dist is not built: make web", pytrace=False)
    directory = tmp_path_factory.mktemp("headers")
    database = f"sqlite:///{directory / 'db.sqlite'}"
    with start_api(directory, database, web_dir=DIST, signin_burst=1000) as api:
        yield api


def _pages(api: RunningApi) -> dict[str, str]:
    asset = next((DIST / "assets").glob("index-*.js")).name
    return {
        "web app": "/",
        "web app route": "/verify",
        "web app asset": f"/assets/{asset}",
        "API": "/api/v1/config",
        "API error": "/api/v1/me",
        "sign-in page": "/dev-oidc/authorize",
        "API docs": "/docs",
        "health": "/healthz",
    }


@pytest.mark.parametrize(
    "page",
    ["web app", "web app route", "web app asset", "API", "API error", "sign-in page", "API docs"],
)
def test_every_response_carries_the_security_headers(web_api: RunningApi, page: str) -> None:
    response = httpx.get(web_api.url + _pages(web_api)[page])
    assert response.status_code < 500, response.text
    csp = policy(response)
    scripts = csp["script-src"]
    assert scripts[0] == "'self'"
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "blob:"} & set(scripts)
    assert all(s.startswith("'sha256-") for s in scripts[1:])  # only the docs pages' own
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]  # Mantine's <style> elements
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "strict-transport-security" not in response.headers  # development is plain HTTP


def test_the_built_web_app_has_no_inline_script() -> None:
    """What lets the policy leave out 'unsafe-inline' for scripts."""
    index = (DIST / "index.html").read_text()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", index, re.DOTALL)
    assert scripts, "index.html loads its bundle with a script element"
    assert all("src=" in attributes and not body.strip() for attributes, body in scripts)
    assert not re.search(r"\son[a-z]+=", index)  # no inline event handlers either


def test_the_docs_page_allows_exactly_its_own_inline_script(web_api: RunningApi) -> None:
    response = httpx.get(f"{web_api.url}/docs")
    inline = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert policy(response)["script-src"] == ["'self'", f"'sha256-{digest}'"]


def test_the_gateway_keeps_its_sandbox(web_api: RunningApi) -> None:
    response = httpx.get(f"{web_api.url}/ipfs/bafkqaaa")
    assert response.headers["content-security-policy"] == "sandbox; default-src 'none'"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def test_no_cross_origin_access_by_default(web_api: RunningApi) -> None:
    preflight = httpx.options(
        f"{web_api.url}/api/v1/me",
        headers={
            "Origin": STRANGER,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert "access-control-allow-origin" not in preflight.headers
    simple = httpx.get(f"{web_api.url}/api/v1/config", headers={"Origin": STRANGER})
    assert simple.status_code == 200
    assert "access-control-allow-origin" not in simple.headers


@pytest.fixture(scope="module")
def issuer() -> Iterator[FakeIssuer]:
    with running_issuer() as issuer:
        issuer.add_key("ec-1", "EC")
        yield issuer


@pytest.fixture(scope="module")
def cors_api(issuer: FakeIssuer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApi]:
    directory = tmp_path_factory.mktemp("cors")
    with api_trusting(issuer, directory, cors_origins=[APP_ORIGIN]) as api:
        yield api


def _preflight(api: RunningApi, origin: str) -> httpx.Response:
    return httpx.options(
        f"{api.url}/api/v1/me",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )


def test_a_configured_origin_may_call_the_api(cors_api: RunningApi, issuer: FakeIssuer) -> None:
    preflight = _preflight(cors_api, APP_ORIGIN)
    assert preflight.status_code == 200, preflight.text
    assert preflight.headers["access-control-allow-origin"] == APP_ORIGIN
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in preflight.headers  # bearer tokens only
    headers = {"Origin": APP_ORIGIN, "Authorization": f"Bearer {issuer.token('ec-1')}"}
    response = httpx.get(f"{cors_api.url}/api/v1/me", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == APP_ORIGIN


@pytest.mark.parametrize(
    "origin", [STRANGER, "http://app.example", "https://app.example.evil.example", "null"]
)
def test_an_unlisted_origin_gets_no_cross_origin_access(
    cors_api: RunningApi, issuer: FakeIssuer, origin: str
) -> None:
    preflight = _preflight(cors_api, origin)
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    headers = {"Origin": origin, "Authorization": f"Bearer {issuer.token('ec-1')}"}
    response = httpx.get(f"{cors_api.url}/api/v1/me", headers=headers)
    assert "access-control-allow-origin" not in response.headers


def test_the_production_profile_adds_hsts(issuer: FakeIssuer, tmp_path: Path) -> None:
    production: dict[str, Any] = {
        "profile": "production",
        "devnet": False,
        "oidc_role_groups": {"Provena Admins": "admin"},
        "key_encryption_key": base64.b64encode(bytes(32)).decode(),
        "public_url": "https://provena.example",
    }
    with api_trusting(issuer, tmp_path, **production) as api:
        response = httpx.get(f"{api.url}/api/v1/config")
    assert response.status_code == 200, response.text
    assert response.headers["strict-transport-security"] == HSTS
    # The external issuer's origin is where the web app signs in and renews its tokens.
    csp = policy(response)
    assert csp["connect-src"] == ["'self'", issuer.url]
    assert csp["frame-src"] == ["'self'", issuer.url]


def test_sign_in_is_rate_limited(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'db.sqlite'}"
    limits = {"signin_rate_per_minute": 1, "signin_burst": 3}
    with start_api(tmp_path, database, **limits) as api:
        token_request = {"grant_type": "refresh_token", "client_id": "provena-web"}
        token_request["refresh_token"] = "guess"
        statuses = [
            httpx.post(f"{api.url}/dev-oidc/token", data=token_request).status_code
            for _ in range(3)
        ]
        assert statuses == [400, 400, 400]  # refused on their merits, within the burst
        limited = httpx.post(f"{api.url}/dev-oidc/token", data=token_request)
        login = httpx.post(f"{api.url}/dev-oidc/authorize", data={"username": "david.okafor"})
        discovery = httpx.get(f"{api.url}/dev-oidc/.well-known/openid-configuration")
        # The API's own token checks go through discovery and JWKS: never limited.
        me = httpx.get(f"{api.url}/api/v1/me", headers={"Authorization": f"Bearer {api.token()}"})
    for response in (limited, login):
        body = problem(response, 429)
        assert body["detail"] == "too many sign-in requests"
        assert 1 <= int(response.headers["retry-after"]) <= 60
    assert discovery.status_code == 200
    assert me.status_code == 200, me.text


def test_the_browser_reports_no_policy_violation(web_api: RunningApi) -> None:
    """The web app (signed out and signed in), the sign-in page and the API docs, in Chromium
    under the policy: every violation is reported as a console error and an event."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium", pytrace=False)
    listen = """() => { window.__violations = [];
        document.addEventListener('securitypolicyviolation',
          (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI)); }"""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            errors: list[str] = []
            page.on(
                "console",
                lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
            )
            page.add_init_script(f"({listen})()")
            violations: list[str] = []
            for path, ready in (
                ("/", "Welcome to Provena"),
                ("/verify", None),
                ("/docs", None),
                ("/redoc", None),
            ):
                page.goto(f"{web_api.url}{path}")
                page.wait_for_load_state("networkidle")
                if ready:
                    page.get_by_role("heading", name=ready).wait_for()
                violations += page.evaluate("window.__violations")
            page.goto(f"{web_api.url}/")
            page.get_by_role("banner").get_by_role("button", name="Sign in", exact=True).click()
            page.wait_for_url(re.compile(r"/dev-oidc/authorize\?"))
            violations += page.evaluate("window.__violations")
            page.get_by_role("button", name="David Okafor").click()
            page.wait_for_url(f"{web_api.url}/")
            page.get_by_role("heading", name="Welcome back, David").wait_for()
            page.wait_for_load_state("networkidle")
            violations += page.evaluate("window.__violations")
        finally:
            browser.close()
    # ReDoc fetches its "powered by" logo from its CDN: blocking it is the policy at work.
    redoc_logo = "https://cdn.redoc.ly/"
    assert [v for v in violations if redoc_logo not in v] == []
    assert [e for e in errors if redoc_logo not in e] == []
