"""Administration reads over HTTP on a real devnet: who may read them, the accreditations as
the ledger changed them, and the people with their ledger identities (never their keys)."""

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
    api_settings,
    auth,
    backend,
    http,
    ledger,
    new_id,
    registry,
)

pytestmark = pytest.mark.usefixtures("registry")


async def _read(http: httpx.AsyncClient, api: RunningApi, path: str, username: str) -> Any:
    answer = await http.get(path, headers=auth(api, username))
    assert answer.status_code == 200, answer.text
    return answer.json()


async def _refused(http: httpx.AsyncClient, api: RunningApi, path: str, username: str) -> None:
    answer = await http.get(path, headers=auth(api, username))
    assert answer.status_code == 403, answer.text
    assert answer.headers["content-type"] == "application/problem+json"


async def test_the_governor_governs_auditors_read_and_other_admins_do_neither(
    http: httpx.AsyncClient, api: RunningApi
) -> None:
    governor = await _read(http, api, "/api/v1/admin/access", "ines.moreau")
    assert governor == {"governance_msps": ["CertifierMSP"], "governs": True, "may_read": True}
    auditor = await _read(http, api, "/api/v1/admin/access", "fatima.haddad")
    assert (auditor["governs"], auditor["may_read"]) == (False, True)
    other_admin = await _read(http, api, "/api/v1/admin/access", "rosa.alvarez")
    assert (other_admin["governs"], other_admin["may_read"]) == (False, False)
    producer = await _read(http, api, "/api/v1/admin/access", "tomas.herrera")
    assert (producer["governs"], producer["may_read"]) == (False, False)
    assert (await http.get("/api/v1/admin/access")).status_code == 401


@pytest.mark.parametrize("path", ["/api/v1/admin/accreditations", "/api/v1/admin/people"])
async def test_only_governors_and_auditors_may_read(
    http: httpx.AsyncClient, api: RunningApi, path: str
) -> None:
    await _read(http, api, path, "ines.moreau")
    await _read(http, api, path, "lars.nilsson")
    await _read(http, api, path, "fatima.haddad")
    await _refused(http, api, path, "rosa.alvarez")  # an admin, of a non-governing organization
    await _refused(http, api, path, "tomas.herrera")
    await _refused(http, api, path, "david.okafor")
    assert (await http.get(path)).status_code == 401


async def _accreditation(http: httpx.AsyncClient, api: RunningApi, msp_id: str) -> Any:
    body = await _read(http, api, "/api/v1/admin/accreditations", "fatima.haddad")
    assert body["count"] == len(body["data"])
    return next(a for a in body["data"] if a["msp_id"] == msp_id)


async def _until_schemes(
    http: httpx.AsyncClient, api: RunningApi, msp_id: str, schemes: list[tuple[str, bool]]
) -> list[dict[str, Any]]:
    """The organization's schemes once they are `schemes` (name, withdrawn): the feed follows
    the ledger."""
    async with asyncio.timeout(30):
        while True:
            found: list[dict[str, Any]] = (await _accreditation(http, api, msp_id))["schemes"]
            if [(s["scheme"], s["withdrawn_at"] is not None) for s in found] == schemes:
                return found
            await asyncio.sleep(0.05)


async def test_accreditations_show_each_scheme_since_its_grant_and_withdrawn_ones(
    http: httpx.AsyncClient, api: RunningApi
) -> None:
    certifier = await _accreditation(http, api, "CertifierMSP")
    assert certifier["organization_name"] == "Veritas Organic Certification"
    assert [s["scheme"] for s in certifier["schemes"]] == ["EU-ORGANIC"]
    scheme = new_id("SCHEME").upper()
    governor = auth(api, "ines.moreau", **WAIT)
    granted = await http.post(
        "/api/v1/registry/accreditations",
        json={"msp_id": "ProducerMSP", "schemes": [scheme, "GLOBALG.A.P"]},
        headers=governor,
    )
    assert granted.status_code == 200, granted.text
    withdrawn = await http.delete(
        f"/api/v1/registry/accreditations/ProducerMSP/{scheme}", headers=governor
    )
    assert withdrawn.status_code == 200, withdrawn.text
    schemes = await _until_schemes(
        http, api, "ProducerMSP", [("GLOBALG.A.P", False), (scheme, True)]
    )
    kept, gone = schemes
    assert kept["since"] == gone["since"]
    assert kept["tx_id"] == granted.json()["tx_id"]
    assert gone["tx_id"] == withdrawn.json()["tx_id"]
    assert gone["withdrawn_at"] > gone["since"]


async def test_people_show_their_ledger_identities_and_never_keys(
    http: httpx.AsyncClient, api: RunningApi
) -> None:
    await _read(http, api, "/api/v1/me", "tomas.herrera")  # seen, never enrolled
    body = await _read(http, api, "/api/v1/admin/people", "ines.moreau")
    people = {p["email"]: p for p in body["data"]}
    ines = people["ines.moreau@certifier.provena.test"]
    assert (ines["display_name"], ines["msp_id"], ines["roles"]) == (
        "Inès Moreau",
        "CertifierMSP",
        ["admin"],
    )
    assert ines["organization_name"] == "Veritas Organic Certification"
    [identity] = ines["ledger_identities"]
    assert identity["msp_id"] == "CertifierMSP"
    assert identity["custody"] == "server"
    assert identity["revoked_at"] is None
    assert identity["enrollment_id"]
    assert set(identity) == {
        "msp_id",
        "enrollment_id",
        "role",
        "custody",
        "created_at",
        "revoked_at",
    }
    assert people["tomas.herrera@producer.provena.test"]["ledger_identities"] == []
