"""A real API on a real devnet with Provena's contracts, on SQLite and PostgreSQL.

Test modules import these fixtures (`backend`, `ledger`, `api`, `http`, `registry`) and the
request helpers; each module gets its own devnet and API per backend.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from provena.api.ledger import devnet_settings
from provena.contracts import CONTRACTS
from provena.settings import Settings
from tests.api.conftest import RunningApi, start_api
from tests.support.databases import database_url
from tests.support.ledger import Ledger, running_ledger

__all__ = [
    "BACKENDS",
    "WAIT",
    "api",
    "api_settings",
    "auth",
    "backend",
    "certificate",
    "http",
    "ledger",
    "new_id",
    "registry",
    "settled",
]

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(scope="module")
async def ledger(backend: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Ledger]:
    async with running_ledger(
        tmp_path_factory.mktemp("devnet"),
        "provena",
        CONTRACTS,
        ready_as=("CertifierMSP", "ines.moreau"),
    ) as running:
        yield running


@pytest.fixture(scope="module")
def api_settings() -> dict[str, Any]:
    """Settings a module's API gets on top of the devnet's (override in the module)."""
    return {}


@pytest.fixture(scope="module")
def api(
    backend: str,
    ledger: Ledger,
    api_settings: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[RunningApi]:
    directory = tmp_path_factory.mktemp(f"api-{backend}")
    wired = devnet_settings(Settings(data_dir=directory), ledger.devnet.config)
    overrides = {
        name: getattr(wired, name)
        for name in (
            "ledger_endpoint",
            "ledger_tls_ca",
            "ledger_server_name",
            "ledger_channel",
            "ledger_reader_msp_id",
            "ledger_reader_cert",
            "ledger_reader_key",
            "fabric_cas",
        )
    }
    with (
        database_url(backend, directory) as url,
        start_api(directory, url, **overrides, **api_settings) as running,
    ):
        yield running


@pytest.fixture
async def http(api: RunningApi) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=api.url, timeout=60) as client:
        yield client


def auth(api: RunningApi, username: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api.token(username)}", **headers}


WAIT = {"Prefer": "wait=20"}


def certificate(id: str, **overrides: Any) -> dict[str, Any]:
    return {
        "id": id,
        "scheme": "EU-ORGANIC",
        "subject": {"kind": "lot", "id": "LOT-7", "name": "Tomato lot 7"},
        "scope": "Organic tomatoes",
        "valid_from": "2026-01-01T00:00:00Z",
        "valid_until": "2036-01-01T00:00:00Z",
    } | overrides


def new_id(prefix: str = "C") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


async def settled(
    http: httpx.AsyncClient, api: RunningApi, url: str, username: str
) -> dict[str, Any]:
    async with asyncio.timeout(30):
        while True:
            answer = (await http.get(url, headers=auth(api, username))).json()
            if answer["status"] != "pending":
                return dict(answer)
            await asyncio.sleep(0.05)


@pytest.fixture(scope="module")
async def registry(api: RunningApi) -> None:
    """Bootstrapped and accredited through the API itself, by the certification body's admin."""
    async with httpx.AsyncClient(base_url=api.url, timeout=60) as http:
        boot = await http.post(
            "/api/v1/registry/bootstrap",
            json={"governance_msps": ["CertifierMSP"]},
            headers=auth(api, "ines.moreau", **WAIT),
        )
        assert boot.status_code == 200, boot.text
        assert boot.json()["status"] == "committed"
        accredit = await http.post(
            "/api/v1/registry/accreditations",
            json={"msp_id": "CertifierMSP", "schemes": ["EU-ORGANIC"]},
            headers=auth(api, "ines.moreau", **WAIT),
        )
        assert accredit.status_code == 200, accredit.text
