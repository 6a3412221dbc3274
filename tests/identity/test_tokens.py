"""Token validation against a real issuer serving discovery and JWKS over HTTP."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from provena.demo import Role
from provena.identity import GroupMapping, JwksCache, TokenError, TokenValidator
from provena.identity.errors import IssuerError
from tests.identity.conftest import make_validator
from tests.support.issuer import FakeIssuer

TIMES = {"exp", "nbf", "iat"}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


async def test_es256_token_gives_principal(issuer: FakeIssuer, client: httpx.AsyncClient) -> None:
    principal = await make_validator(issuer, client).validate(issuer.token("ec-1"))
    assert principal.subject == "user-1"
    assert principal.email == "test@example.org"
    assert principal.display_name == "Test User"
    assert principal.roles == {Role.CERTIFIER}
    assert principal.msp_id == "CertifierMSP"


async def test_rs256_token_accepted(issuer: FakeIssuer, client: httpx.AsyncClient) -> None:
    principal = await make_validator(issuer, client).validate(issuer.token("rsa-1"))
    assert principal.subject == "user-1"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"exp": -120}, "token has expired"),
        ({"nbf": 120}, "not yet valid"),
        ({"iat": 120}, "not yet valid"),
        ({"aud": "someone-else"}, "audience is not 'provena'"),
        ({"iss": "https://evil.example"}, "issuer is not"),
        ({"exp": None}, "lacks the 'exp' claim"),
        ({"iat": None}, "lacks the 'iat' claim"),
        ({"iss": None}, "lacks the 'iss' claim"),
        ({"aud": None}, "lacks the 'aud' claim"),
        ({"sub": None}, "lacks the 'sub' claim"),
        ({"groups": "provena-admin org-CertifierMSP org-ProducerMSP"}, "several organizations"),
        ({"groups": [1, 2]}, "list of group names"),
        ({"iat": "yesterday"}, r"invalid token: Issued At claim \(iat\) must be an integer"),
    ],
)
async def test_bad_claims_rejected(
    issuer: FakeIssuer, client: httpx.AsyncClient, overrides: dict[str, Any], message: str
) -> None:
    # Times are offsets from now, taken when the test runs (not when it was collected).
    now = int(time.time())
    claims: dict[str, Any] = {
        k: now + v if k in TIMES and isinstance(v, int) else v for k, v in overrides.items()
    }
    with pytest.raises(TokenError, match=message):
        await make_validator(issuer, client).validate(issuer.token("ec-1", **claims))


async def test_small_clock_skew_tolerated(issuer: FakeIssuer, client: httpx.AsyncClient) -> None:
    now = int(time.time())
    token = issuer.token("ec-1", exp=now - 10, iat=now + 10, nbf=now + 10)
    assert (await make_validator(issuer, client).validate(token)).subject == "user-1"


async def test_a_token_accepted_before_is_refused_once_it_expires(
    issuer: FakeIssuer, client: httpx.AsyncClient
) -> None:
    """Tokens seen before skip the signature check, never the expiry."""
    validator = make_validator(issuer, client)
    token = issuer.token("ec-1", exp=int(time.time()) - 29)  # inside the 30 s leeway
    assert (await validator.validate(token)).subject == "user-1"
    assert (await validator.validate(token)).subject == "user-1"
    await asyncio.sleep(1.5)  # out of the leeway now
    with pytest.raises(TokenError, match="token has expired"):
        await validator.validate(token)


async def test_alg_none_rejected(issuer: FakeIssuer, client: httpx.AsyncClient) -> None:
    header = b64(json.dumps({"alg": "none", "kid": "ec-1"}).encode())
    token = f"{header}.{b64(json.dumps(issuer.claims()).encode())}."
    with pytest.raises(TokenError, match="'none' is not accepted"):
        await make_validator(issuer, client).validate(token)


async def test_hs256_signed_with_public_key_rejected(
    issuer: FakeIssuer, client: httpx.AsyncClient
) -> None:
    public_pem = (
        issuer.keys["rsa-1"]
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}).encode())
    payload = b64(json.dumps(issuer.claims()).encode())
    import hashlib
    import hmac

    mac = hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    with pytest.raises(TokenError, match="'HS256' is not accepted"):
        await make_validator(issuer, client).validate(f"{header}.{payload}.{b64(mac)}")


async def test_alg_not_matching_key_type_rejected(
    issuer: FakeIssuer, client: httpx.AsyncClient
) -> None:
    # An RS256 header naming an EC key: the key decides what can verify, not the header.
    token = issuer.token("ec-1")
    header = b64(json.dumps({"alg": "RS256", "typ": "JWT", "kid": "ec-1"}).encode())
    forged = ".".join([header, *token.split(".")[1:]])
    with pytest.raises(TokenError, match="cannot verify RS256"):
        await make_validator(issuer, client).validate(forged)


async def test_tampered_payload_rejected(issuer: FakeIssuer, client: httpx.AsyncClient) -> None:
    header, _, signature = issuer.token("ec-1").split(".")
    payload = b64(json.dumps(issuer.claims(groups=["provena-admin"])).encode())
    with pytest.raises(TokenError, match="signature is invalid"):
        await make_validator(issuer, client).validate(f"{header}.{payload}.{signature}")


async def test_signed_by_unpublished_key_rejected(
    issuer: FakeIssuer, client: httpx.AsyncClient
) -> None:
    impostor = FakeIssuer(url=issuer.url)
    impostor.add_key("ec-1", "EC")  # same kid, different key
    with pytest.raises(TokenError, match="signature is invalid"):
        await make_validator(issuer, client).validate(impostor.token("ec-1"))


@pytest.mark.parametrize(
    ("garbage", "message"),
    [
        ("", "Not enough segments"),
        ("abc", "Not enough segments"),
        ("a.b.c", "Invalid header padding"),
        ("....", "Invalid header string"),
        ("WzFd.e30.x", "Invalid header string: must be a json object"),
        ("eyJhbGciOiJFUzI1NiJ9.x.y", "Invalid payload padding"),
    ],
)
async def test_garbage_rejected(
    issuer: FakeIssuer, client: httpx.AsyncClient, garbage: str, message: str
) -> None:
    with pytest.raises(TokenError, match=f"^malformed token: {message}"):
        await make_validator(issuer, client).validate(garbage)


async def test_missing_kid_rejected(issuer: FakeIssuer, client: httpx.AsyncClient) -> None:
    token = jwt.encode(issuer.claims(), issuer.keys["ec-1"], algorithm="ES256")
    with pytest.raises(TokenError, match="no key id"):
        await make_validator(issuer, client).validate(token)


async def test_unknown_kid_refetches_at_most_once_per_interval(
    issuer: FakeIssuer, client: httpx.AsyncClient
) -> None:
    validator = make_validator(issuer, client, min_refresh_seconds=60)
    await validator.validate(issuer.token("ec-1"))
    fetches = issuer.jwks_fetches
    forger = FakeIssuer(url=issuer.url)
    for i in range(20):
        forger.add_key(f"made-up-{i}")
        with pytest.raises(TokenError, match="unknown signing key id"):
            await validator.validate(forger.token(f"made-up-{i}"))
    assert issuer.jwks_fetches == fetches  # within the interval: no refetch at all


async def test_key_rotation_picked_up(issuer: FakeIssuer, client: httpx.AsyncClient) -> None:
    validator = make_validator(issuer, client, min_refresh_seconds=0)
    await validator.validate(issuer.token("ec-1"))
    fetches = issuer.jwks_fetches
    issuer.add_key("ec-2", "EC")
    try:
        principal = await validator.validate(issuer.token("ec-2"))
        assert principal.subject == "user-1"
        assert issuer.jwks_fetches == fetches + 1
        await validator.validate(issuer.token("ec-2"))
        assert issuer.jwks_fetches == fetches + 1  # cached now
    finally:
        del issuer.keys["ec-2"]


async def test_retired_key_stops_working_after_cache_expiry(
    issuer: FakeIssuer, client: httpx.AsyncClient
) -> None:
    issuer.add_key("ec-old", "EC")
    validator = make_validator(issuer, client, cache_seconds=0.2, min_refresh_seconds=0)
    token = issuer.token("ec-old")
    await validator.validate(token)
    del issuer.keys["ec-old"]
    await asyncio.sleep(0.3)
    with pytest.raises(TokenError, match="unknown signing key id"):
        await validator.validate(token)


async def test_a_key_replaced_under_its_id_no_longer_vouches_for_what_it_signed(
    issuer: FakeIssuer, client: httpx.AsyncClient
) -> None:
    """A token seen before is only taken on trust while its key is still the published one."""
    issuer.add_key("ec-swap", "EC")
    validator = make_validator(issuer, client, cache_seconds=0.2, min_refresh_seconds=0)
    token = issuer.token("ec-swap")
    await validator.validate(token)
    issuer.add_key("ec-swap", "EC")  # new material, same kid
    try:
        await asyncio.sleep(0.3)
        with pytest.raises(TokenError, match="signature"):
            await validator.validate(token)
    finally:
        del issuer.keys["ec-swap"]


async def test_explicit_jwks_url_and_expected_issuer(
    issuer: FakeIssuer, client: httpx.AsyncClient
) -> None:
    """OCI IAM Identity Domains: JWKS at a fixed path, `iss` differs from the domain URL."""
    discovery_before = issuer.discovery_fetches
    validator = TokenValidator(
        jwks=JwksCache(client=client, jwks_url=f"{issuer.url}/jwks"),
        issuer="https://identity.oraclecloud.com/",
        audience="provena",
        groups=GroupMapping(
            {"SupplyChainAuditors": Role.AUDITOR}, {"RetailerUsers": "RetailerMSP"}
        ),
    )
    token = issuer.token(
        "rsa-1",
        iss="https://identity.oraclecloud.com/",
        groups=["SupplyChainAuditors", "RetailerUsers", "Everyone"],
    )
    principal = await validator.validate(token)
    assert principal.roles == {Role.AUDITOR}
    assert principal.msp_id == "RetailerMSP"
    assert issuer.discovery_fetches == discovery_before


async def test_unreachable_issuer_is_issuer_error(client: httpx.AsyncClient) -> None:
    from tests.support.server import free_port

    jwks = JwksCache(client=client, jwks_url=f"http://127.0.0.1:{free_port()}/jwks")
    with pytest.raises(IssuerError, match="cannot read"):
        await jwks.key("any")
