"""The issuer's signing keys: discovery, JWKS fetching, caching and rotation.

Keys are looked up by `kid`. The key set is cached for `cache_seconds`; a token
signed with a `kid` the cache does not know triggers one refetch (the issuer may
have rotated its keys), but never more often than `min_refresh_seconds`, so a flood
of tokens with made-up `kid`s cannot turn into a flood of requests to the issuer.

Only keys meant for signatures are kept: an entry whose `use` is present and not
`sig`, or that lacks a `kid`, an RSA or EC `kty`, or valid key parameters, is set
aside with the reason, so a token naming it is refused with that reason while the
usable keys beside it keep working. A key set with no usable key at all, or a
document that is not a key set, is an `IssuerError`.

With a discovery URL, the discovery document must name a `jwks_uri` and an `issuer`,
and that issuer must be the one tokens are accepted from (when `issuer` is given):
keys fetched on another issuer's word must not verify this issuer's tokens. The
`jwks_uri` it names must be on the discovery document's own origin (scheme, host and
port): a discovery document is not allowed to point the server at another host, such
as an internal address. A JWKS elsewhere is trusted only when configured as `jwks_url`.
Redirects are never followed, whatever the client does by default.

OCI IAM Identity Domains publish discovery at the domain URL and the JWKS at
`/admin/v1/SigningCert/jwk`; set `jwks_url` to skip discovery.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
import jwt

from provena.identity.errors import IssuerError, TokenError

__all__ = ["ALGORITHMS", "JwksCache"]

#: The only signature algorithms accepted, and the key type each needs.
ALGORITHMS: dict[str, str] = {"RS256": "RSA", "ES256": "EC"}


class _UnusableKey(Exception):
    """A JWKS entry that cannot verify tokens; the message says why."""

    def __init__(self, reason: str, kid: str | None = None) -> None:
        super().__init__(reason)
        self.kid = kid


def _signing_key(entry: object) -> tuple[str, jwt.PyJWK]:
    """The entry's `kid` and key, or `_UnusableKey` saying why it cannot verify tokens."""
    if not isinstance(entry, dict):
        raise _UnusableKey("an entry is not a JSON object")
    kid = entry.get("kid")
    if not isinstance(kid, str) or not kid:
        raise _UnusableKey("an entry has no kid")
    use = entry.get("use", "sig")
    if use != "sig":
        raise _UnusableKey(f"key {kid!r} is for use {use!r}, not 'sig'", kid)
    kty = entry.get("kty")
    if kty not in ALGORITHMS.values():
        raise _UnusableKey(f"key {kid!r} has key type {kty!r}, not RSA or EC", kid)
    try:
        return kid, jwt.PyJWK(entry)
    except jwt.PyJWTError as exc:
        raise _UnusableKey(f"key {kid!r} is malformed: {exc}", kid) from exc


class JwksCache:
    """Fetches and caches an issuer's JSON Web Key Set."""

    def __init__(
        self,
        *,
        client: httpx.AsyncClient,
        discovery_url: str | None = None,
        jwks_url: str | None = None,
        issuer: str | None = None,
        cache_seconds: float = 300.0,
        min_refresh_seconds: float = 10.0,
    ) -> None:
        if not (discovery_url or jwks_url):
            raise ValueError("JwksCache needs a discovery_url or a jwks_url")
        self._client = client
        self._discovery_url = discovery_url
        self._jwks_url = jwks_url
        self._issuer = issuer
        self._cache_seconds = cache_seconds
        self._min_refresh_seconds = min_refresh_seconds
        self._keys: dict[str, jwt.PyJWK] = {}
        self._unusable: dict[str, str] = {}
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
        if kid in self._keys:
            return self._keys[kid]
        if kid in self._unusable:
            raise TokenError(f"signing key {kid!r} cannot verify tokens: {self._unusable[kid]}")
        raise TokenError(f"unknown signing key id {kid!r}")

    async def refresh(self) -> None:
        """Fetch the key set now (discovering the JWKS URL first if needed)."""
        jwks_url = self._jwks_url or await self._discover()
        entries = (await self._get_json(jwks_url)).get("keys")
        if not isinstance(entries, list):
            raise IssuerError(f"the JWKS at {jwks_url} has no 'keys' list")
        keys: dict[str, jwt.PyJWK] = {}
        unusable: dict[str, str] = {}
        reasons: list[str] = []
        for entry in entries:
            try:
                kid, key = _signing_key(entry)
            except _UnusableKey as exc:
                reasons.append(str(exc))
                if exc.kid is not None:
                    unusable[exc.kid] = str(exc)
                continue
            keys[kid] = key
        if not keys:
            why = f": {'; '.join(reasons)}" if reasons else ""
            raise IssuerError(f"the JWKS at {jwks_url} has no usable RSA or EC signing keys{why}")
        self._keys = keys
        self._unusable = unusable
        self._fetched_at = time.monotonic()

    async def ping(self) -> int:
        """How many usable keys the issuer publishes, refetching them if the cache is stale."""
        async with self._lock:
            if time.monotonic() - self._fetched_at >= self._cache_seconds:
                await self.refresh()
        return len(self._keys)

    async def _discover(self) -> str:
        assert self._discovery_url is not None
        url = self._discovery_url
        document = await self._get_json(url)
        issuer = document.get("issuer")
        if not isinstance(issuer, str) or not issuer:
            raise IssuerError(f"discovery document {url} names no issuer")
        if self._issuer is not None and issuer != self._issuer:
            raise IssuerError(
                f"discovery document {url} is for issuer {issuer!r}, not {self._issuer!r}"
            )
        jwks_uri = document.get("jwks_uri")
        if not isinstance(jwks_uri, str) or not jwks_uri:
            raise IssuerError(f"discovery document {url} has no jwks_uri")
        if _origin(jwks_uri) != _origin(url):
            raise IssuerError(
                f"discovery document {url} names jwks_uri {jwks_uri!r}, which is not on its "
                f"origin {_origin(url)}; set PROVENA_OIDC_JWKS_URL to trust a JWKS elsewhere"
            )
        self._jwks_url = jwks_uri
        return jwks_uri

    async def _get_json(self, url: str) -> dict[str, Any]:
        try:
            response = await self._client.get(
                url, headers={"Accept": "application/json"}, follow_redirects=False
            )
        except httpx.HTTPError as exc:
            raise IssuerError(f"cannot read {url}: {exc}") from exc
        if response.status_code != httpx.codes.OK:
            raise IssuerError(f"{url} answered HTTP {response.status_code}, not 200")
        try:
            document = response.json()
        except ValueError as exc:
            raise IssuerError(f"{url} did not return JSON: {exc}") from exc
        if not isinstance(document, dict):
            raise IssuerError(f"{url} did not return a JSON object")
        return document


def _origin(url: str) -> str:
    """`scheme://host:port` of `url`, with the scheme's default port made explicit."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        port = None
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}"
