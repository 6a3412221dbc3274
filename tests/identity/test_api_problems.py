"""The API in front of an external issuer: a broken issuer is a 503, a refused token a 401.

Each test runs its own API (the key cache lives in it) trusting the test issuer, over
real HTTP on both sides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.responses import JSONResponse, Response

from tests.api.conftest import RunningApi, start_api
from tests.support.issuer import FakeIssuer


@pytest.fixture
def api(issuer: FakeIssuer, tmp_path: Path) -> Iterator[RunningApi]:
    database = f"sqlite:///{tmp_path / 'db.sqlite'}"
    with start_api(tmp_path, database, dev_issuer=False, oidc_issuer=issuer.url) as api:
        yield api


def me(api: RunningApi, token: str) -> httpx.Response:
    return httpx.get(f"{api.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def assert_problem(response: httpx.Response, status: int, detail: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert (problem["status"], problem["detail"], problem["instance"]) == (
        status,
        detail,
        "/api/v1/me",
    )
    return problem


def test_token_of_the_external_issuer_is_accepted(api: RunningApi, issuer: FakeIssuer) -> None:
    response = me(api, issuer.token("ec-1"))
    assert response.status_code == 200, response.text
    assert response.json()["organization"]["msp_id"] == "CertifierMSP"


Served = Callable[[FakeIssuer], dict[str, Response]]


@pytest.mark.parametrize(
    ("served", "reason"),
    [
        (
            lambda _: {"jwks": Response(b"<html>", media_type="text/html")},
            "/jwks did not return JSON",
        ),
        (lambda _: {"jwks": JSONResponse({"keys": "none"})}, "has no 'keys' list"),
        (lambda _: {"jwks": JSONResponse({"keys": [{"kid": "x"}]})}, "key 'x' has key type None"),
        (lambda _: {"jwks": JSONResponse({}, status_code=500)}, "/jwks answered HTTP 500"),
        # The right issuer, so the missing jwks_uri is what fails (not the issuer check).
        (lambda issuer: {"discovery": JSONResponse({"issuer": issuer.url})}, "has no jwks_uri"),
        (lambda _: {"discovery": JSONResponse({"issuer": "x"})}, "is for issuer 'x'"),
        (lambda _: {"discovery": JSONResponse({}, status_code=404)}, "answered HTTP 404"),
    ],
    ids=[
        "JWKS not JSON",
        "no keys",
        "no usable key",
        "JWKS 500",
        "no jwks_uri",
        "another issuer",
        "discovery 404",
    ],
)
def test_broken_issuer_gives_503_and_fails_readiness(
    api: RunningApi, issuer: FakeIssuer, served: Served, reason: str
) -> None:
    with issuer.serving(**served(issuer)):
        response = me(api, issuer.token("ec-1"))
        ready = httpx.get(f"{api.url}/readyz")
    assert_problem(response, 503, "the identity provider is unavailable")
    assert ready.status_code == 503
    identity = next(c for c in ready.json()["checks"] if c["name"] == "identity")
    assert identity["status"] == "fail"
    assert identity["detail"].startswith("IssuerError: ")
    assert reason in identity["detail"]


def test_token_signed_by_an_encryption_key_gets_401(api: RunningApi, issuer: FakeIssuer) -> None:
    issuer.add_key("enc-1", "EC")
    issuer.uses["enc-1"] = "enc"
    try:
        response = me(api, issuer.token("enc-1"))
    finally:
        del issuer.keys["enc-1"], issuer.uses["enc-1"]
    detail = "signing key 'enc-1' cannot verify tokens: key 'enc-1' is for use 'enc', not 'sig'"
    problem = assert_problem(response, 401, detail)
    assert problem["title"] == "Unauthorized"
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_token_without_iat_gets_401(api: RunningApi, issuer: FakeIssuer) -> None:
    response = me(api, issuer.token("ec-1", iat=None))
    assert_problem(response, 401, "token lacks the 'iat' claim")
