"""A real issuer serving discovery and JWKS over HTTP, and validators that trust it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from provena.identity import GroupMapping, JwksCache, TokenValidator
from provena.settings import default_org_groups, default_role_groups
from tests.support.issuer import FakeIssuer, running_issuer


@pytest.fixture(scope="module")
def issuer() -> Iterator[FakeIssuer]:
    with running_issuer() as issuer:
        issuer.add_key("ec-1", "EC")
        issuer.add_key("rsa-1", "RSA")
        yield issuer


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


def make_validator(
    issuer: FakeIssuer,
    client: httpx.AsyncClient,
    *,
    cache_seconds: float = 300,
    min_refresh_seconds: float = 10,
) -> TokenValidator:
    """A validator discovering `issuer`'s keys, with a cache of its own."""
    jwks = JwksCache(
        client=client,
        discovery_url=f"{issuer.url}/.well-known/openid-configuration",
        issuer=issuer.url,
        cache_seconds=cache_seconds,
        min_refresh_seconds=min_refresh_seconds,
    )
    return TokenValidator(
        jwks=jwks,
        issuer=issuer.url,
        audience="provena",
        groups=GroupMapping(default_role_groups(), default_org_groups()),
        leeway_seconds=30,
    )
