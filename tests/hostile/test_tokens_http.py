"""Forged tokens over real HTTP: a running API trusting one external issuer refuses each
forgery with a 401 problem naming what is wrong, and takes the genuine token beside it.

The unit tests in tests/identity check the validator; these check the whole path a
request takes (header parsing, the validator, the key cache fetching over HTTP, the
problem handler), against a real issuer on loopback and an impostor beside it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from provena.identity.tokens import MAX_TOKEN_LENGTH
from tests.api.conftest import RunningApi
from tests.hostile.servers import api_trusting, me, problem
from tests.support.issuer import FakeIssuer, running_issuer


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segment(value: dict[str, Any]) -> str:
    return b64(json.dumps(value).encode())


@pytest.fixture(scope="module")
def issuer() -> Iterator[FakeIssuer]:
    with running_issuer() as issuer:
        issuer.add_key("ec-1", "EC")
        issuer.add_key("ec-2", "EC")
        issuer.add_key("rsa-1", "RSA")
        yield issuer


@pytest.fixture(scope="module")
def impostor(issuer: FakeIssuer) -> Iterator[FakeIssuer]:
    """Another issuer, live on its own port, that signs tokens claiming to be `issuer`'s."""
    with running_issuer() as impostor:
        impostor.add_key("ec-1", "EC")  # the real issuer's kid, other key material
        impostor.add_key("impostor-1", "EC")
        yield impostor


@pytest.fixture(scope="module")
def api(issuer: FakeIssuer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApi]:
    with api_trusting(issuer, tmp_path_factory.mktemp("tokens-http")) as api:
        yield api


Forge = Callable[[FakeIssuer, FakeIssuer], str]


def _alg_none(issuer: FakeIssuer, _: FakeIssuer) -> str:
    return f"{segment({'alg': 'none', 'kid': 'ec-1'})}.{segment(issuer.claims())}."


def _hs256_with_public_key(issuer: FakeIssuer, _: FakeIssuer) -> str:
    public_pem = (
        issuer.keys["rsa-1"]
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    signing_input = (
        f"{segment({'alg': 'HS256', 'typ': 'JWT', 'kid': 'rsa-1'})}.{segment(issuer.claims())}"
    )
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(mac)}"


def _signed_by(issuer: FakeIssuer, key_of: str, kid: str, **claims: Any) -> str:
    return jwt.encode(issuer.claims(**claims), issuer.keys[key_of], "ES256", headers={"kid": kid})


def _tampered(issuer: FakeIssuer, _: FakeIssuer) -> str:
    header, _payload, signature = issuer.token("ec-1").split(".")
    elevated = issuer.claims(groups=["provena-admin", "org-CertifierMSP"])
    return f"{header}.{segment(elevated)}.{signature}"


def _embedded_jwk(issuer: FakeIssuer, impostor: FakeIssuer) -> str:
    """Signed by the impostor's key, which the header carries, under the real kid."""
    key = impostor.keys["ec-1"]
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    jwk = json.loads(ECAlgorithm.to_jwk(key.public_key()))
    return jwt.encode(issuer.claims(), key, "ES256", headers={"kid": "ec-1", "jwk": jwk})


def _crit(extension: str, **header: Any) -> Forge:
    def forge(issuer: FakeIssuer, _: FakeIssuer) -> str:
        headers = {"kid": "ec-1", "crit": [extension], extension: False, **header}
        return jwt.encode(issuer.claims(), issuer.keys["ec-1"], "ES256", headers=headers)

    return forge


def _oversized(issuer: FakeIssuer, _: FakeIssuer) -> str:
    token = issuer.token("ec-1", padding="x" * MAX_TOKEN_LENGTH)
    assert MAX_TOKEN_LENGTH < len(token) < 12_000  # under the server's header limit
    return token


def _now(offset: int) -> int:
    return int(time.time()) + offset


FORGERIES: list[tuple[str, Forge, str]] = [
    ("alg none", _alg_none, "signature algorithm 'none' is not accepted (RS256 or ES256 only)"),
    (
        "HS256 keyed with the public key",
        _hs256_with_public_key,
        "signature algorithm 'HS256' is not accepted (RS256 or ES256 only)",
    ),
    (
        "wrong kid (another published key's)",
        lambda issuer, _: _signed_by(issuer, "ec-1", "ec-2"),
        "token signature is invalid",
    ),
    (
        "wrong kid (a key of another type)",
        lambda issuer, _: _signed_by(issuer, "ec-1", "rsa-1"),
        "key 'rsa-1' is RSA, which cannot verify ES256",
    ),
    ("unknown kid", lambda _, impostor: impostor.token("impostor-1"), "unknown signing key id"),
    (
        "no kid",
        lambda issuer, _: jwt.encode(issuer.claims(), issuer.keys["ec-1"], "ES256"),
        "token header has no key id (kid)",
    ),
    (
        "wrong issuer",
        lambda issuer, _: issuer.token("ec-1", iss="https://issuer.example"),
        "token issuer is not",
    ),
    (
        "wrong audience",
        lambda issuer, _: issuer.token("ec-1", aud="another-api"),
        "token audience is not 'provena'",
    ),
    (
        "expired beyond the leeway",
        lambda issuer, _: issuer.token("ec-1", exp=_now(-31), iat=_now(-700), nbf=_now(-700)),
        "token has expired",
    ),
    (
        "nbf in the future beyond the leeway",
        lambda issuer, _: issuer.token("ec-1", nbf=_now(60)),
        "token is not yet valid",
    ),
    (
        "iat in the future beyond the leeway",
        lambda issuer, _: issuer.token("ec-1", iat=_now(60), nbf=None),
        "token is not yet valid",
    ),
    ("tampered claims (groups elevated)", _tampered, "token signature is invalid"),
    (
        "signed by another issuer under this issuer's iss and kid",
        lambda issuer, impostor: impostor.token("ec-1", iss=issuer.url),
        "token signature is invalid",
    ),
    (
        "signed by another issuer under its own kid",
        lambda issuer, impostor: impostor.token("impostor-1", iss=issuer.url),
        "unknown signing key id 'impostor-1'",
    ),
    ("embedded jwk", _embedded_jwk, "token signature is invalid"),
    (
        "missing exp",
        lambda issuer, _: issuer.token("ec-1", exp=None),
        "token lacks the 'exp' claim",
    ),
    (
        "missing iat",
        lambda issuer, _: issuer.token("ec-1", iat=None),
        "token lacks the 'iat' claim",
    ),
    (
        "missing sub",
        lambda issuer, _: issuer.token("ec-1", sub=None),
        "token lacks the 'sub' claim",
    ),
    (
        "crit header (an extension the library knows)",
        _crit("b64"),
        "token header lists critical extensions (crit), which are not supported",
    ),
    (
        "crit header (an unknown extension)",
        _crit("urn:example:policy"),
        "malformed token: Unsupported critical extension: urn:example:policy",
    ),
    ("oversized", _oversized, f"token is longer than {MAX_TOKEN_LENGTH} characters"),
    ("malformed base64", lambda *_: "e30!.e30.x", "malformed token: Invalid header padding"),
    (
        "malformed base64 in the payload",
        lambda issuer, _: f"{issuer.token('ec-1').split('.')[0]}.%%%.x",
        "malformed token: Invalid payload padding",
    ),
    ("not a JWS at all", lambda *_: "not-a-token", "malformed token: Not enough segments"),
]


def test_the_genuine_token_is_accepted(api: RunningApi, issuer: FakeIssuer) -> None:
    for kid in ("ec-1", "rsa-1"):
        response = me(api, issuer.token(kid))
        assert response.status_code == 200, response.text
        assert response.json()["subject"] == "user-1"


@pytest.mark.parametrize(
    ("forge", "detail"), [f[1:] for f in FORGERIES], ids=[f[0] for f in FORGERIES]
)
def test_forgery_is_refused_with_401(
    api: RunningApi, issuer: FakeIssuer, impostor: FakeIssuer, forge: Forge, detail: str
) -> None:
    response = me(api, forge(issuer, impostor))
    body = problem(response, 401)
    assert body["title"] == "Unauthorized"
    assert body["detail"].startswith(detail), body["detail"]
    assert body["instance"] == "/api/v1/me"
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    # Refusing a forgery changes nothing for the genuine token on the same server.
    assert me(api, issuer.token("ec-1")).status_code == 200


def test_a_forged_token_is_refused_even_once_the_genuine_one_is_remembered(
    api: RunningApi, issuer: FakeIssuer
) -> None:
    """The validator skips the signature of tokens it has seen: a tampered copy of one must
    not ride on that (the cache is keyed by the whole token, signature included)."""
    genuine = issuer.token("ec-1", sub="remembered")
    assert me(api, genuine).status_code == 200
    header, _, signature = genuine.split(".")
    elevated = issuer.claims(sub="remembered", groups=["provena-admin", "org-CertifierMSP"])
    body = problem(me(api, f"{header}.{segment(elevated)}.{signature}"), 401)
    assert body["detail"] == "token signature is invalid"


def test_a_token_is_not_taken_from_another_scheme_or_a_bad_header(
    api: RunningApi, issuer: FakeIssuer
) -> None:
    import httpx

    token = issuer.token("ec-1")
    for authorization in (f"Basic {token}", f"Bearer{token}", "Bearer", f"Bearer {token} extra"):
        response = httpx.get(f"{api.url}/api/v1/me", headers={"Authorization": authorization})
        assert response.status_code == 401, (authorization, response.text)
        assert response.headers["content-type"] == "application/problem+json"
