"""Server-side request forgery: the server fetches only what its configuration names.

What the server fetches, and from where:

    OIDC discovery      PROVENA_OIDC_DISCOVERY_URL, or the issuer's well-known URL
    JWKS                PROVENA_OIDC_JWKS_URL, or the discovery document's `jwks_uri`,
                        which must be on the discovery document's own origin
    Kubo RPC            PROVENA_IPFS_KUBO_URL
    Fabric CA           PROVENA_FABRIC_CAS (one URL per organization)
    pinning service     the endpoint its client is made with (not wired into the API)

None of them follows a redirect. Nothing a request carries (a token's `iss`, `kid`, `jku`
or `x5u`, a body or a query) names a URL the server fetches. Each test puts a canary
where a forged request would go and checks it heard nothing.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from pydantic import ValidationError
from starlette.responses import JSONResponse, RedirectResponse

from provena.api.app import create_app
from provena.identity.errors import CaMalformedAnswer
from provena.identity.fabricca import FabricCaClient
from provena.ipfs import RemoteError
from provena.ipfs.cid import cid_for
from provena.ipfs.kubo import KuboClient
from provena.ipfs.pinning import PinningServiceClient
from provena.settings import Settings
from tests.api.conftest import RunningApi
from tests.hostile.servers import Canary, api_trusting, me, problem, running_canary
from tests.support.issuer import FakeIssuer, running_issuer

SRC = Path(__file__).resolve().parents[2] / "src" / "provena"
RAW = 0x55


@pytest.fixture(scope="module")
def issuer() -> Iterator[FakeIssuer]:
    with running_issuer() as issuer:
        issuer.add_key("ec-1", "EC")
        yield issuer


@pytest.fixture
def canary() -> Iterator[Canary]:
    with running_canary() as canary:
        yield canary


@pytest.fixture
def api(issuer: FakeIssuer, tmp_path: Path) -> Iterator[RunningApi]:
    """A fresh API each test: the key cache, and the JWKS URL it discovered, live in it."""
    with api_trusting(issuer, tmp_path) as api:
        yield api


def identity_check(api: RunningApi) -> str:
    ready = httpx.get(f"{api.url}/readyz")
    assert ready.status_code == 503, ready.text
    check = next(c for c in ready.json()["checks"] if c["name"] == "identity")
    assert check["status"] == "fail"
    detail: str = check["detail"]
    return detail


def _elsewhere(issuer: FakeIssuer, canary: Canary) -> dict[str, str]:
    issuer_netloc = issuer.url.removeprefix("http://")
    canary_netloc = canary.url.removeprefix("http://")
    return {
        "another port": f"{canary.url}/jwks",
        "another scheme": f"https://{issuer_netloc}/jwks",
        "another host name for the same server": f"http://localhost:{issuer_netloc.split(':')[1]}/jwks",
        "userinfo that looks like the issuer": f"http://{issuer_netloc}@{canary_netloc}/jwks",
        "cloud metadata": "http://169.254.169.254/latest/meta-data/",
    }


@pytest.mark.parametrize(
    "where",
    [
        "another port",
        "another scheme",
        "another host name for the same server",
        "userinfo that looks like the issuer",
        "cloud metadata",
    ],
)
def test_a_jwks_uri_off_the_issuers_origin_is_not_fetched(
    api: RunningApi, issuer: FakeIssuer, canary: Canary, where: str
) -> None:
    jwks_uri = _elsewhere(issuer, canary)[where]
    fetches = issuer.jwks_fetches
    discovery = JSONResponse({"issuer": issuer.url, "jwks_uri": jwks_uri})
    with issuer.serving(discovery=discovery):
        response = me(api, issuer.token("ec-1"))
        detail = identity_check(api)
    assert problem(response, 503)["detail"] == "the identity provider is unavailable"
    assert f"names jwks_uri {jwks_uri!r}, which is not on its origin" in detail
    assert "set PROVENA_OIDC_JWKS_URL to trust a JWKS elsewhere" in detail
    assert canary.hits == []
    assert issuer.jwks_fetches == fetches


def test_a_jwks_url_configured_elsewhere_is_trusted(
    issuer: FakeIssuer, canary: Canary, tmp_path: Path
) -> None:
    """Configuration, unlike a discovery document, may name another origin (OCI IAM's key
    set can be given this way)."""
    canary.body = issuer.jwks()
    discoveries = issuer.discovery_fetches
    with api_trusting(issuer, tmp_path, oidc_jwks_url=f"{canary.url}/keys") as api:
        response = me(api, issuer.token("ec-1"))
    assert response.status_code == 200, response.text
    assert canary.hits == ["GET /keys"]
    assert issuer.discovery_fetches == discoveries


@pytest.mark.parametrize("document", ["discovery", "jwks"])
def test_the_issuers_redirects_are_not_followed(
    api: RunningApi, issuer: FakeIssuer, canary: Canary, document: str
) -> None:
    redirect = RedirectResponse(f"{canary.url}/{document}", status_code=307)
    with issuer.serving(**{document: redirect}):
        response = me(api, issuer.token("ec-1"))
        detail = identity_check(api)
    assert problem(response, 503)["detail"] == "the identity provider is unavailable"
    assert "answered HTTP 307, not 200" in detail
    assert canary.hits == []


def _with_header(issuer: FakeIssuer, **header: Any) -> str:
    return jwt.encode(issuer.claims(), issuer.keys["ec-1"], "ES256", headers=header)


def test_nothing_in_a_token_makes_the_server_fetch_a_url(
    api: RunningApi, issuer: FakeIssuer, canary: Canary
) -> None:
    """The issuer, its keys and where they are come from configuration, never the token."""
    forger = FakeIssuer(url=canary.url)
    forger.add_key("ec-1", "EC")
    canary.body = forger.jwks()  # what a forger would publish, if the server came to look
    attempts = {
        "jku": (
            _with_header(forger, kid="ec-1", jku=f"{canary.url}/jwks"),
            "token header names a key set URL (jku), which is never followed",
        ),
        "x5u": (
            _with_header(forger, kid="ec-1", x5u=f"{canary.url}/cert.pem"),
            "token header names a certificate URL (x5u), which is never followed",
        ),
        "iss": (forger.token("ec-1"), "token signature is invalid"),
        "kid": (_with_header(forger, kid=f"{canary.url}/jwks"), "unknown signing key id"),
    }
    assert me(api, issuer.token("ec-1")).status_code == 200
    for name, (token, detail) in attempts.items():
        body = problem(me(api, token), 401)
        assert body["detail"].startswith(detail), (name, body["detail"])
    assert canary.hits == []


@pytest.fixture
def redirector(canary: Canary) -> Iterator[Canary]:
    """A server at a configured URL that sends every request on to the canary."""
    with running_canary(status=307) as redirector:
        redirector.headers = {"Location": f"{canary.url}/stolen"}
        yield redirector


async def test_kubo_redirects_are_not_followed(redirector: Canary, canary: Canary) -> None:
    client = KuboClient(redirector.url)
    try:
        with pytest.raises(RemoteError, match="answered 307"):
            await client.block_get(cid_for(b"hello", codec=RAW, version=1))
    finally:
        await client.aclose()
    assert redirector.hits == ["POST /api/v0/block/get"]
    assert canary.hits == []


async def test_pinning_service_redirects_are_not_followed(
    redirector: Canary, canary: Canary
) -> None:
    client = PinningServiceClient(redirector.url, "token")
    try:
        with pytest.raises((RemoteError, ValidationError)):
            await client.get("../../elsewhere")
    finally:
        await client.aclose()
    assert len(redirector.hits) == 1
    assert canary.hits == []


async def test_fabric_ca_redirects_are_not_followed(redirector: Canary, canary: Canary) -> None:
    async with FabricCaClient(redirector.url) as ca:
        with pytest.raises(CaMalformedAnswer, match="HTTP 307 from the CA"):
            await ca.cainfo()
    assert redirector.hits == ["POST /api/v1/cainfo"]
    assert canary.hits == []


#: Names of request fields and parameters that would carry a URL for the server to fetch.
_URL_LIKE = re.compile(r"(url|uri|href|endpoint|callback|webhook|jku|x5u)s?$", re.IGNORECASE)


def _openapi() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as directory:
        settings = Settings(
            data_dir=Path(directory), dev_issuer=False, oidc_issuer="http://issuer.invalid"
        )
        return create_app(settings).openapi()


def _inputs(spec: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """Every (operation, field or parameter name, format) a client can send."""
    schemas: dict[str, Any] = spec["components"]["schemas"]
    found: list[tuple[str, str, str | None]] = []

    def walk(operation: str, schema: dict[str, Any], seen: frozenset[str]) -> None:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                walk(operation, schemas[name], seen | {name})
            return
        for nested in (
            *schema.get("anyOf", ()),
            *schema.get("oneOf", ()),
            *schema.get("allOf", ()),
        ):
            walk(operation, nested, seen)
        for child in ("items", "additionalProperties"):
            if isinstance(schema.get(child), dict):
                walk(operation, schema[child], seen)
        for name, sub in schema.get("properties", {}).items():
            found.append((operation, name, sub.get("format")))
            walk(operation, sub, seen)

    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", ()):
                found.append((label, parameter["name"], parameter.get("schema", {}).get("format")))
            for content in operation.get("requestBody", {}).get("content", {}).values():
                walk(label, content["schema"], frozenset())
    return found


def test_no_endpoint_takes_a_url_from_its_caller() -> None:
    """A URL in a request is something the server might be talked into fetching: none is
    accepted, so a new one is a decision to review (and to allowlist here)."""
    inputs = _inputs(_openapi())
    assert len(inputs) > 50  # the walk reaches the request bodies
    url_like = [i for i in inputs if _URL_LIKE.search(i[1]) or i[2] in {"uri", "url"}]
    assert [i for i in url_like if i[:2] not in _ACCEPTED_URLS] == []


#: URLs the API takes on purpose, and where it fetches them from.
_ACCEPTED_URLS = {
    # An EPCIS subscription's webhook: POSTed to (never read back) by the listener's
    # process, from its own client, only http(s) (tests/api/test_subscriptions.py).
    ("POST /epcis/queries/SimpleEventQuery/subscriptions", "dest"),
}


#: The modules that open HTTP connections, and to what.
_HTTP_CLIENTS = {
    "api/app.py": "the OIDC issuer (discovery and JWKS), from configuration; EPCIS webhooks",
    "demo_world/seeder.py": "this API itself, on loopback",
    "identity/fabricca.py": "each organization's Fabric CA, from configuration",
    "ipfs/kubo.py": "the Kubo node, from configuration",
    "ipfs/pinning.py": "a pinning service endpoint its caller names",
}
_MAKES_HTTP = re.compile(
    r"httpx\.(Async)?Client\(|urllib\.request|urlopen\(|^\s*import requests|aiohttp", re.MULTILINE
)


def test_only_known_modules_open_http_connections() -> None:
    """A new outbound HTTP client is a new place to check for this file's rules."""
    makers = sorted(
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if _MAKES_HTTP.search(path.read_text()) and path.name != "__init__.py"
    )
    assert makers == sorted(_HTTP_CLIENTS)
