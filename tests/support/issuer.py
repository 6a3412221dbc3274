"""A stand-in OIDC issuer for tests: real HTTP discovery and JWKS, keys we control."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support.server import serve

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass
class FakeIssuer:
    """Publishes `keys` as its JWKS and signs tokens with them.

    `uses` sets a key's published `use` (None leaves it out; default "sig"), `extra_entries`
    are published beside the keys as they are, and `serving` swaps in any response, so
    tests can make the issuer publish what a broken one would.
    """

    url: str = ""
    keys: dict[str, PrivateKey] = field(default_factory=dict)
    uses: dict[str, str | None] = field(default_factory=dict)
    extra_entries: list[Any] = field(default_factory=list)
    discovery_response: Response | None = None
    jwks_response: Response | None = None
    jwks_fetches: int = 0
    discovery_fetches: int = 0
    audience: str = "provena"

    def add_key(self, kid: str, kind: str = "EC") -> PrivateKey:
        key: PrivateKey = (
            ec.generate_private_key(ec.SECP256R1())
            if kind == "EC"
            else rsa.generate_private_key(public_exponent=65537, key_size=2048)
        )
        self.keys[kid] = key
        return key

    def jwks(self) -> dict[str, Any]:
        entries = []
        for kid, key in self.keys.items():
            if isinstance(key, rsa.RSAPrivateKey):
                jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
            else:
                jwk = json.loads(ECAlgorithm.to_jwk(key.public_key()))
            use = self.uses.get(kid, "sig")
            entries.append({**jwk, "kid": kid} | ({} if use is None else {"use": use}))
        return {"keys": [*entries, *self.extra_entries]}

    @contextmanager
    def serving(
        self, *, discovery: Response | None = None, jwks: Response | None = None
    ) -> Iterator[None]:
        """Answer discovery and/or JWKS requests with these responses inside the block."""
        self.discovery_response, self.jwks_response = discovery, jwks
        try:
            yield
        finally:
            self.discovery_response = self.jwks_response = None

    def claims(self, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.url,
            "sub": "user-1",
            "aud": self.audience,
            "iat": now,
            "nbf": now,
            "exp": now + 600,
            "name": "Test User",
            "email": "test@example.org",
            "groups": ["provena-certifier", "org-CertifierMSP"],
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def token(self, kid: str, alg: str | None = None, **overrides: Any) -> str:
        key = self.keys[kid]
        alg = alg or ("RS256" if isinstance(key, rsa.RSAPrivateKey) else "ES256")
        return jwt.encode(self.claims(**overrides), key, algorithm=alg, headers={"kid": kid})

    def app(self) -> Starlette:
        async def discovery(request: Request) -> Response:
            self.discovery_fetches += 1
            if self.discovery_response is not None:
                return self.discovery_response
            return JSONResponse({"issuer": self.url, "jwks_uri": f"{self.url}/jwks"})

        async def jwks(request: Request) -> Response:
            self.jwks_fetches += 1
            if self.jwks_response is not None:
                return self.jwks_response
            return JSONResponse(self.jwks())

        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", discovery),
                Route("/jwks", jwks),
            ]
        )


@contextmanager
def running_issuer() -> Iterator[FakeIssuer]:
    issuer = FakeIssuer()
    with serve(issuer.app()) as url:
        issuer.url = url
        yield issuer
