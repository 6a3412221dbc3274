"""The issuer's discovery document and key set: what is used, what is set aside, what is refused.

Every broken document is served for real by the test issuer over HTTP; the cache must
answer each with an `IssuerError` naming the problem (503 at the API), and a token naming
a key that was set aside with a `TokenError` giving the reason (401).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.responses import JSONResponse, Response

from provena.identity import IssuerError, JwksCache, TokenError
from tests.identity.conftest import make_validator
from tests.support.issuer import FakeIssuer

DISCOVERY = "/.well-known/openid-configuration"
#: A P-256 point that is not on the curve (x = y = 1).
OFF_CURVE = {"x": "A" * 42 + "E", "y": "A" * 42 + "E"}


def entry_of(issuer: FakeIssuer, kid: str = "ec-1", /, **changes: Any) -> dict[str, Any]:
    """`kid`'s JWKS entry as `issuer` publishes it, with `changes` (None removes a member)."""
    entry = next(e for e in issuer.jwks()["keys"] if e["kid"] == kid) | changes
    return {k: v for k, v in entry.items() if v is not None}


def raw(body: bytes, status: int = 200) -> Response:
    return Response(body, status_code=status, media_type="application/json")


async def refresh_fails(issuer: FakeIssuer, client: httpx.AsyncClient, message: str) -> None:
    jwks = JwksCache(client=client, discovery_url=issuer.url + DISCOVERY, issuer=issuer.url)
    with pytest.raises(IssuerError, match=message):
        await jwks.refresh()


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (raw(b"<html>down for maintenance</html>"), r"/jwks did not return JSON"),
        (raw(b'["not", "a", "key", "set"]'), r"/jwks did not return a JSON object"),
        (raw(b"{}"), r"the JWKS at \S+/jwks has no 'keys' list"),
        (raw(b'{"keys": 5}'), r"has no 'keys' list"),
        (raw(b'{"keys": {"kid": "ec-1"}}'), r"has no 'keys' list"),
        (raw(b'{"keys": []}'), r"has no usable RSA or EC signing keys$"),
        (raw(b"{}", status=500), r"/jwks answered HTTP 500, not 200"),
        (raw(b"{}", status=404), r"/jwks answered HTTP 404, not 200"),
        (raw(b"", status=302), r"/jwks answered HTTP 302, not 200"),
    ],
    ids=[
        "not JSON",
        "not an object",
        "no keys",
        "keys a number",
        "keys an object",
        "keys empty",
        "HTTP 500",
        "HTTP 404",
        "redirect",
    ],
)
async def test_malformed_jwks_is_issuer_error(
    issuer: FakeIssuer, client: httpx.AsyncClient, document: Response, message: str
) -> None:
    with issuer.serving(jwks=document):
        await refresh_fails(issuer, client, message)


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        (lambda i: "ec-1", "an entry is not a JSON object"),
        (lambda i: entry_of(i, kid=None), "an entry has no kid"),
        (lambda i: entry_of(i, kid=""), "an entry has no kid"),
        (lambda i: entry_of(i, use="enc"), "key 'ec-1' is for use 'enc', not 'sig'"),
        (lambda i: entry_of(i, kty=None), "key 'ec-1' has key type None, not RSA or EC"),
        (
            lambda i: {"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"},
            "key 'hmac' has key type 'oct', not RSA or EC",
        ),
        (lambda i: entry_of(i, x="AAAA"), "key 'ec-1' is malformed: Coords should be 32 bytes"),
        (lambda i: entry_of(i, **OFF_CURVE), "key 'ec-1' is malformed: .*not on the curve"),
        (lambda i: entry_of(i, crv="P-999"), "key 'ec-1' is malformed: Unsupported crv: P-999"),
        (lambda i: entry_of(i, y=None), "key 'ec-1' is malformed"),
        (lambda i: entry_of(i, "rsa-1", n="!!"), "key 'rsa-1' is malformed: .*n must be"),
        (lambda i: entry_of(i, "rsa-1", e=None), "key 'rsa-1' is malformed"),
        (lambda i: entry_of(i, "rsa-1", n=12345), "key 'rsa-1' is malformed"),
    ],
    ids=[
        "not an object",
        "no kid",
        "empty kid",
        "use enc",
        "no kty",
        "symmetric key",
        "EC coordinate too short",
        "EC point off the curve",
        "EC unknown curve",
        "EC without y",
        "RSA bad modulus",
        "RSA without exponent",
        "RSA modulus a number",
    ],
)
async def test_key_set_without_a_usable_key_says_why(
    issuer: FakeIssuer, client: httpx.AsyncClient, entry: Any, reason: str
) -> None:
    document = JSONResponse({"keys": [entry(issuer)]})
    with issuer.serving(jwks=document):
        await refresh_fails(issuer, client, f"has no usable RSA or EC signing keys: {reason}")


@pytest.mark.parametrize(
    ("kid", "entry", "reason"),
    [
        ("enc-1", {"use": "enc"}, "key 'enc-1' is for use 'enc', not 'sig'"),
        ("bad-1", OFF_CURVE, "key 'bad-1' is malformed: .*not on the curve"),
        ("untyped", {"kty": None}, "key 'untyped' has key type None, not RSA or EC"),
    ],
)
async def test_token_naming_a_key_set_aside_is_refused_with_the_reason(
    issuer: FakeIssuer,
    client: httpx.AsyncClient,
    kid: str,
    entry: dict[str, Any],
    reason: str,
) -> None:
    """The key is published under its kid beside usable keys, and the token is signed by it."""
    signer = FakeIssuer(url=issuer.url)
    signer.add_key(kid, "EC")
    published = entry_of(signer, kid, **entry)
    issuer.extra_entries.append(published)
    try:
        validator = make_validator(issuer, client)
        with pytest.raises(TokenError, match=f"signing key '{kid}' cannot verify tokens: {reason}"):
            await validator.validate(signer.token(kid))
        assert (await validator.validate(issuer.token("ec-1"))).subject == "user-1"
    finally:
        issuer.extra_entries.remove(published)


async def test_key_without_use_verifies(issuer: FakeIssuer, client: httpx.AsyncClient) -> None:
    """`use` is optional in a JWK (RFC 7517 §4.2): absent, the key may sign."""
    issuer.add_key("no-use", "RSA")
    issuer.uses["no-use"] = None
    try:
        assert "use" not in entry_of(issuer, "no-use")
        principal = await make_validator(issuer, client).validate(issuer.token("no-use"))
        assert principal.subject == "user-1"
    finally:
        del issuer.keys["no-use"], issuer.uses["no-use"]


async def test_unusable_keys_do_not_hide_usable_ones(
    issuer: FakeIssuer, client: httpx.AsyncClient
) -> None:
    broken = [entry_of(issuer, kid="enc", use="enc"), {"kid": "x"}, "junk"]
    issuer.extra_entries.extend(broken)
    try:
        jwks = JwksCache(client=client, jwks_url=f"{issuer.url}/jwks")
        fetches = issuer.jwks_fetches
        assert await jwks.ping() == 2
        assert await jwks.ping() == 2  # fresh: answered from the cache
        assert issuer.jwks_fetches == fetches + 1
        assert (await jwks.key("rsa-1")).key_type == "RSA"
    finally:
        del issuer.extra_entries[:]


def discovery(issuer: FakeIssuer, /, **changes: Any) -> Response:
    document = {"issuer": issuer.url, "jwks_uri": f"{issuer.url}/jwks"} | changes
    return JSONResponse({k: v for k, v in document.items() if v is not None})


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (lambda i: raw(b"not json"), f"{DISCOVERY} did not return JSON"),
        (lambda i: raw(b'"a string"'), f"{DISCOVERY} did not return a JSON object"),
        (lambda i: raw(b"{}", status=503), f"{DISCOVERY} answered HTTP 503, not 200"),
        (
            lambda i: discovery(i, jwks_uri=None),
            f"discovery document \\S+{DISCOVERY} has no jwks_uri",
        ),
        (lambda i: discovery(i, jwks_uri=7), "has no jwks_uri"),
        (
            lambda i: discovery(i, issuer=None),
            f"discovery document \\S+{DISCOVERY} names no issuer",
        ),
        (lambda i: discovery(i, issuer=""), "names no issuer"),
        (
            lambda i: discovery(i, issuer="https://evil.example"),
            "is for issuer 'https://evil.example', not 'http://127.0.0.1:",
        ),
    ],
    ids=[
        "not JSON",
        "not an object",
        "HTTP 503",
        "no jwks_uri",
        "jwks_uri not a string",
        "no issuer",
        "empty issuer",
        "another issuer",
    ],
)
async def test_malformed_discovery_is_issuer_error(
    issuer: FakeIssuer, client: httpx.AsyncClient, document: Any, message: str
) -> None:
    fetches = issuer.jwks_fetches
    with issuer.serving(discovery=document(issuer)):
        await refresh_fails(issuer, client, message)
    assert issuer.jwks_fetches == fetches  # no key was fetched on a broken document's word


async def test_issuer_error_reaches_the_token(
    issuer: FakeIssuer, client: httpx.AsyncClient
) -> None:
    """A validator whose issuer is broken says so (503), rather than blaming the token (401)."""
    with issuer.serving(jwks=raw(b"oops")), pytest.raises(IssuerError, match="did not return JSON"):
        await make_validator(issuer, client).validate(issuer.token("ec-1"))


async def test_needs_a_discovery_or_jwks_url(client: httpx.AsyncClient) -> None:
    with pytest.raises(ValueError, match="needs a discovery_url or a jwks_url"):
        JwksCache(client=client)
