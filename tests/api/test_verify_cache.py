"""Public certificate verification keeps what it read between requests, and a change on the
ledger shows in the very next answer once projected (real devnet, over HTTP)."""

# ruff: noqa: F811 (the fixtures imported from tests.api.devnetapi are parameters here)

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.api.conftest import RunningApi
from tests.api.devnetapi import (  # noqa: F401 (fixtures)
    WAIT,
    api,
    auth,
    backend,
    certificate,
    http,
    ledger,
    new_id,
    registry,
)


@pytest.fixture(scope="module")
def api_settings() -> dict[str, Any]:
    return {}


async def test_a_revocation_shows_in_the_next_verification_after_cached_answers(
    http: httpx.AsyncClient, api: RunningApi, registry: None
) -> None:
    cert_id = new_id()
    certifier = auth(api, "david.okafor", **WAIT)
    issued = await http.post("/api/v1/certificates", json=certificate(cert_id), headers=certifier)
    assert issued.status_code == 200, issued.text
    path = f"/api/v1/verify/certificates/{cert_id}"
    async with asyncio.timeout(30):
        while True:
            first = await http.get(path)
            if first.status_code == 200:
                break
            await asyncio.sleep(0.05)
    again = await http.get(path)
    assert first.json()["status"] == again.json()["status"] == "ACTIVE"
    revoked = await http.post(
        f"/api/v1/certificates/{cert_id}/revoke", json={"reason": "misuse"}, headers=certifier
    )
    assert revoked.status_code == 200, revoked.text
    async with asyncio.timeout(30):  # until the projection row carries the revocation
        while True:
            row = await http.get(
                f"/api/v1/certificates/{cert_id}", headers=auth(api, "david.okafor")
            )
            if row.json()["status"] == "REVOKED":
                break
            await asyncio.sleep(0.05)
    after = (await http.get(path)).json()
    assert (after["status"], after["valid"]) == ("REVOKED", False)
    assert after["proof"]["tx_id"] == revoked.json()["tx_id"] != first.json()["proof"]["tx_id"]
    assert [c["status"] for c in after["status_log"]] == ["ACTIVE", "REVOKED"]
