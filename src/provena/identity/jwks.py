"""The issuer's signing keys: discovery, JWKS fetching, caching and rotation.

Keys are looked up by `kid`. The key set is cached for `cache_seconds`; a token
signed with a `kid` the cache does not know triggers one refetch (the issuer may
have rotated its keys), but never more often than `min_refresh_seconds`, so a flood
of tokens with made-up `kid`s cannot turn into a flood of requests to the issuer.

OCI IAM Identity Domains publish discovery at the domain URL and the JWKS at
`/admin/v1/SigningCert/jwk`; set `jwks_url` to skip discovery.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import jwt

from provena.identity.errors import IssuerError, TokenError

__all__ = ["ALGORITHMS", "JwksCache"]

#: The only signature algorithms accepted, and the key type each needs.
ALGORITHMS: dict[str, str] = {"RS256": "RSA", "ES256": "EC"}


class JwksCache:
    """Fetches and caches an issuer's JSON Web Key Set."""

    def __init__(
        self,
        *,
        client: httpx.AsyncClient,
        discovery_url: str | None = None,
        jwks_url: str | None = None,
        cache_seconds: float = 300.0,
        min_refresh_seconds: float = 10.0,
    ) -> None:
        if not (discovery_url or jwks_url):
            raise ValueError("JwksCache needs a discovery_url or a jwks_url")
        self._client = client
        self._discovery_url = discovery_url
        self._jwks_url = jwks_url
        self._cache_seconds = cache_seconds
        self._min_refresh_seconds = min_refresh_seconds
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = -float("inf")
        self._lock = asyncio.Lock()

    async def key(self, kid: str) -> jwt.PyJWK:
        """The key with this `kid`, refetching the key set when it is stale or lacks it."""
        now = time.monotonic()
        if kid in self._keys and now - self._fetched_at < self._cache_seconds:
            return self._keys[kid]
        async with self._lock:
            now = time.monotonic()
            stale = now - self._fetched_at >= self._cache_seconds
            may_refresh = now - self._fetched_at >= self._min_refresh_seconds
            if stale or (kid not in self._keys and may_refresh):
                await self.refresh()
        if kid not in self._keys:
            raise TokenError(f"unknown signing key id {kid!r}")
        return self._keys[kid]

    async def refresh(self) -> None:
        """Fetch the key set now (discovering the JWKS URL first if needed)."""
        jwks_url = self._jwks_url or await self._discover()
        document = await self._get_json(jwks_url)
        keys: dict[str, jwt.PyJWK] = {}
        for entry in document.get("keys", []):
            if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
                continue
            kid = entry.get("kid")
            if not isinstance(kid, str) or entry.get("kty") not in ALGORITHMS.values():
                continue
            try:
                keys[kid] = jwt.PyJWK(entry)
            except jwt.PyJWTError:
                continue  # an unusable key in the set must not hide the usable ones
        if not keys:
            raise IssuerError(f"the JWKS at {jwks_url} has no usable RSA or EC signing keys")
        self._keys = keys
        self._fetched_at = time.monotonic()

    async def ping(self) -> int:
        """How many usable keys the issuer publishes, refetching them if the cache is stale."""
        async with self._lock:
            if time.monotonic() - self._fetched_at >= self._cache_seconds:
                await self.refresh()
        return len(self._keys)

    async def _discover(self) -> str:
        assert self._discovery_url is not None
        document = await self._get_json(self._discovery_url)
        jwks_uri = document.get("jwks_uri")
        if not isinstance(jwks_uri, str):
            raise IssuerError(f"discovery document {self._discovery_url} has no jwks_uri")
        self._jwks_url = jwks_uri
        return jwks_uri

    async def _get_json(self, url: str) -> dict[str, Any]:
        try:
            response = await self._client.get(url, headers={"Accept": "application/json"})
            response.raise_for_status()
            document = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise IssuerError(f"cannot read {url}: {exc}") from exc
        if not isinstance(document, dict):
            raise IssuerError(f"{url} did not return a JSON object")
        return document
