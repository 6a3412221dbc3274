"""Reads, ledger proofs, the network view and public verification, over HTTP on a real
devnet with Provena's contracts, on SQLite and PostgreSQL."""

# ruff: noqa: F811 (the fixtures imported from tests.api.devnetapi are parameters here)

from __future__ import annotations

import asyncio
import hashlib
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

BURST = 40


@pytest.fixture(scope="module")
def api_settings() -> dict[str, Any]:
    # A burst the module's verifications fit in, refilled slowly: the last test exhausts it.
    return {"verify_rate_per_minute": 1, "verify_burst": BURST}


async def until(http: httpx.AsyncClient, url: str, headers: dict[str, str]) -> dict[str, Any]:
    """The first 200 answer of `url`: the projection catches up with the ledger."""
    async with asyncio.timeout(30):
        while True:
            answer = await http.get(url, headers=headers)
            if answer.status_code == 200:
                body: dict[str, Any] = answer.json()
                return body
            await asyncio.sleep(0.05)


async def issue(http: httpx.AsyncClient, api: RunningApi, **overrides: Any) -> str:
    cert_id = new_id()
    answer = await http.post(
        "/api/v1/certificates",
        json=certificate(cert_id, **overrides),
        headers=auth(api, "david.okafor", **WAIT),
    )
    assert answer.status_code == 200, answer.text
    await until(http, f"/api/v1/certificates/{cert_id}", auth(api, "david.okafor"))
    return cert_id


@pytest.fixture(scope="module")
async def world(api: RunningApi, registry: None) -> dict[str, str]:
    """Two certificates (one for the producer, one later revoked) and a shipment handed on."""
    async with httpx.AsyncClient(base_url=api.url, timeout=60) as http:
        lot = new_id("LOT")
        held = await issue(
            http,
            api,
            subject={
                "kind": "lot",
                "id": lot,
                "name": "Heirloom tomatoes",
                "msp_id": "ProducerMSP",
            },
            scope="Heirloom tomatoes, greenhouse 3",
            valid_until="2027-06-01T00:00:00Z",
        )
        other = await issue(http, api)
        revoked = await http.post(
            f"/api/v1/certificates/{other}/revoke",
            json={"reason": "withdrawn by the body"},
            headers=auth(api, "david.okafor", **WAIT),
        )
        assert revoked.status_code == 200, revoked.text
        shipment_id = new_id("SHP")
        created = await http.post(
            "/api/v1/shipments",
            json={
                "id": shipment_id,
                "items": [
                    {
                        "sku": "TOM-1",
                        "description": "Tomatoes",
                        "quantity": "120",
                        "unit": "kg",
                        "lot": lot,
                        "certificate_ids": [held],
                    }
                ],
                "origin": "Green Valley packhouse",
                "destination": {"msp_id": "RetailerMSP", "location": "Harbor Street store"},
            },
            headers=auth(api, "tomas.herrera", **WAIT),
        )
        assert created.status_code == 200, created.text
        for username, path, body in (
            ("tomas.herrera", "transfer", {"to_msp": "CarrierMSP"}),
            ("sam.carter", "transfer/accept", None),
        ):
            moved = await http.post(
                f"/api/v1/shipments/{shipment_id}/{path}",
                json=body,
                headers=auth(api, username, **WAIT),
            )
            assert moved.status_code == 200, moved.text
        async with asyncio.timeout(30):
            while True:
                read = await http.get(
                    f"/api/v1/shipments/{shipment_id}", headers=auth(api, "sam.carter")
                )
                if read.status_code == 200 and read.json()["custodian_msp_id"] == "CarrierMSP":
                    break
                await asyncio.sleep(0.05)
        return {"held": held, "revoked": other, "lot": lot, "shipment": shipment_id}


async def test_certificates_list_filters_searches_and_pages_with_stable_cursors(
    http: httpx.AsyncClient, api: RunningApi, world: dict[str, str]
) -> None:
    mine = auth(api, "mei.tanaka")
    revoked = (await http.get("/api/v1/certificates?status=REVOKED", headers=mine)).json()
    assert world["revoked"] in [c["id"] for c in revoked["data"]]
    assert all(c["status"] == "REVOKED" for c in revoked["data"])
    searched = (await http.get("/api/v1/certificates?q=HEIRLOOM", headers=mine)).json()
    assert [c["id"] for c in searched["data"]] == [world["held"]]
    expiring = await http.get(
        "/api/v1/certificates", params={"expiring_before": "2030-01-01T00:00:00Z"}, headers=mine
    )
    assert [c["id"] for c in expiring.json()["data"]] == [world["held"]]
    everything = (await http.get("/api/v1/certificates?limit=200", headers=mine)).json()["data"]
    seen, cursor = [], None
    while True:
        params = {"limit": 1} | ({"cursor": cursor} if cursor else {})
        page = (await http.get("/api/v1/certificates", params=params, headers=mine)).json()
        seen += [c["id"] for c in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
        await issue(http, api)  # a newer certificate never shifts the pages still to come
    assert seen == [c["id"] for c in everything]
    issued = [c["issued_at"] for c in everything]
    assert issued == sorted(issued, reverse=True)
    too_many = await http.get("/api/v1/certificates?limit=201", headers=mine)
    assert too_many.status_code == 422
    forged = await http.get("/api/v1/certificates?cursor=bm90LWEtY3Vyc29y", headers=mine)
    assert forged.status_code == 400


async def test_each_organization_lists_and_reads_only_its_certificates_auditors_all(
    http: httpx.AsyncClient, api: RunningApi, world: dict[str, str]
) -> None:
    def ids(answer: httpx.Response) -> list[str]:
        return [c["id"] for c in answer.json()["data"]]

    producer = await http.get("/api/v1/certificates?limit=200", headers=auth(api, "tomas.herrera"))
    assert ids(producer) == [world["held"]]  # the subject's organization sees its own only
    carrier = await http.get("/api/v1/certificates", headers=auth(api, "sam.carter"))
    assert ids(carrier) == []
    auditor = await http.get("/api/v1/certificates?limit=200", headers=auth(api, "fatima.haddad"))
    assert {world["held"], world["revoked"]} <= set(ids(auditor))
    hidden = await http.get(
        f"/api/v1/certificates/{world['held']}", headers=auth(api, "sam.carter")
    )
    assert hidden.status_code == 404
    assert hidden.headers["content-type"] == "application/problem+json"
    unsigned = await http.get("/api/v1/certificates")
    assert unsigned.status_code == 401


async def test_a_certificate_reads_with_its_ledger_proof_and_full_history(
    http: httpx.AsyncClient, api: RunningApi, world: dict[str, str]
) -> None:
    read = await http.get(
        f"/api/v1/certificates/{world['revoked']}", headers=auth(api, "david.okafor")
    )
    assert read.status_code == 200, read.text
    body = read.json()
    proof = body["proof"]
    assert proof["tx_id"] == body["tx_id"]
    assert proof["block_number"] == body["block_number"]
    assert proof["validation_code"] == "VALID"
    assert proof["creator_msp_id"] == "CertifierMSP"
    assert proof["endorsers"]
    assert set(proof["endorsers"]) <= {
        "CertifierMSP",
        "ProducerMSP",
        "CarrierMSP",
        "RetailerMSP",
    }
    assert proof["function"] == "Certificates:RevokeCertificate"
    assert "CN=" in proof["creator_subject"]
    history = body["history"]
    assert [h["status"] for h in history] == ["ACTIVE", "REVOKED"]
    assert [h["proof"]["function"] for h in history] == [
        "Certificates:IssueCertificate",
        "Certificates:RevokeCertificate",
    ]
    assert history[-1]["tx_id"] == body["tx_id"]
    assert history[0]["proof"]["block_number"] < history[1]["proof"]["block_number"]


async def test_shipments_are_seen_by_owner_custodians_and_destination_only(
    http: httpx.AsyncClient, api: RunningApi, world: dict[str, str]
) -> None:
    shipment = world["shipment"]
    for username in ("tomas.herrera", "sam.carter", "jonas.berg", "lars.nilsson"):
        listed = await http.get(
            "/api/v1/shipments", params={"q": shipment}, headers=auth(api, username)
        )
        assert [s["id"] for s in listed.json()["data"]] == [shipment], username
    outsider = await http.get(f"/api/v1/shipments/{shipment}", headers=auth(api, "mei.tanaka"))
    assert outsider.status_code == 404
    listed = await http.get("/api/v1/shipments", headers=auth(api, "mei.tanaka"))
    assert shipment not in [s["id"] for s in listed.json()["data"]]
    held = await http.get("/api/v1/shipments?holder=CarrierMSP", headers=auth(api, "sam.carter"))
    assert shipment in [s["id"] for s in held.json()["data"]]
    by_origin = await http.get(
        "/api/v1/shipments?origin=packhouse&destination=ProducerMSP",
        headers=auth(api, "tomas.herrera"),
    )
    assert by_origin.json()["data"] == []


async def test_shipments_offered_to_an_organization(
    http: httpx.AsyncClient, api: RunningApi, world: dict[str, str]
) -> None:
    """What a dashboard counts as waiting for an organization: a transfer proposed to it."""
    offered = new_id("SHP")
    created = await http.post(
        "/api/v1/shipments",
        json={
            "id": offered,
            "items": [
                {
                    "sku": "TOM-2",
                    "description": "Tomatoes",
                    "quantity": "40",
                    "unit": "kg",
                    "lot": world["lot"],
                    "certificate_ids": [world["held"]],
                }
            ],
            "origin": "Green Valley packhouse",
            "destination": {"msp_id": "RetailerMSP", "location": "Harbor Street store"},
        },
        headers=auth(api, "tomas.herrera", **WAIT),
    )
    assert created.status_code == 200, created.text
    proposed = await http.post(
        f"/api/v1/shipments/{offered}/transfer",
        json={"to_msp": "CarrierMSP"},
        headers=auth(api, "tomas.herrera", **WAIT),
    )
    assert proposed.status_code == 200, proposed.text
    carrier = auth(api, "sam.carter")
    to_carrier = await http.get("/api/v1/shipments?offered_to=CarrierMSP", headers=carrier)
    ids = [s["id"] for s in to_carrier.json()["data"]]
    assert offered in ids
    assert world["shipment"] not in ids  # accepted: no longer offered
    to_retailer = await http.get("/api/v1/shipments?offered_to=RetailerMSP", headers=carrier)
    assert offered not in [s["id"] for s in to_retailer.json()["data"]]


async def test_a_shipment_reads_with_items_custody_transfers_proof_and_history(
    http: httpx.AsyncClient, api: RunningApi, world: dict[str, str]
) -> None:
    read = await http.get(f"/api/v1/shipments/{world['shipment']}", headers=auth(api, "jonas.berg"))
    assert read.status_code == 200, read.text
    body = read.json()
    assert [i["certificate_ids"] for i in body["items"]] == [[world["held"]]]
    assert [c["msp_id"] for c in body["custody"]] == ["ProducerMSP", "CarrierMSP"]
    assert [(t["to_msp_id"], t["status"]) for t in body["transfers"]] == [
        ("CarrierMSP", "ACCEPTED")
    ]
    assert body["proof"]["function"] == "Shipments:AcceptTransfer"
    assert body["proof"]["creator_msp_id"] == "CarrierMSP"
    assert [h["proof"]["function"] for h in body["history"]] == [
        "Shipments:CreateShipment",
        "Shipments:ProposeTransfer",
        "Shipments:AcceptTransfer",
    ]


async def test_transactions_list_by_kind_submitter_and_record(
    http: httpx.AsyncClient, api: RunningApi, world: dict[str, str]
) -> None:
    mine = await http.get(
        "/api/v1/transactions",
        params={"who": "me", "kind": "RevokeCertificate"},
        headers=auth(api, "david.okafor"),
    )
    assert mine.status_code == 200, mine.text
    rows = mine.json()["data"]
    assert world["revoked"] in [r["record_id"] for r in rows]
    assert {r["function"] for r in rows} == {"Certificates:RevokeCertificate"}
    qualified = await http.get(
        "/api/v1/transactions",
        params={"kind": "Shipments:CreateShipment", "record_id": world["shipment"]},
        headers=auth(api, "tomas.herrera"),
    )
    assert [r["status"] for r in qualified.json()["data"]] == ["committed"]
    other_org = await http.get(
        "/api/v1/transactions",
        params={"record_id": world["shipment"]},
        headers=auth(api, "mei.tanaka"),
    )
    assert other_org.json()["data"] == []  # another organization's transactions stay hidden
    colleague = await http.get(
        "/api/v1/transactions", params={"who": "me"}, headers=auth(api, "mei.tanaka")
    )
    assert colleague.json()["data"] == []  # mei submitted nothing; david's rows are not hers


async def test_the_network_view_shows_height_blocks_chaincode_and_backends(
    http: httpx.AsyncClient, api: RunningApi, world: dict[str, str]
) -> None:
    answer = await http.get("/api/v1/network?blocks=3", headers=auth(api, "jonas.berg"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["channel"] == "provena"
    numbers = [b["number"] for b in body["blocks"]]
    assert numbers == [body["height"] - 1, body["height"] - 2, body["height"] - 3]
    assert all(t["validation_code"] for b in body["blocks"] for t in b["transactions"])
    assert {o["msp_id"] for o in body["organizations"]} >= {"CertifierMSP", "RetailerMSP"}
    assert body["chaincode"]["name"] == "provena"
    assert {"Certificates", "Shipments", "Registry"} <= set(body["chaincode"]["contracts"])
    assert body["backends"] == {
        "ledger": "devnet",
        "ipfs": "embedded",
        "object_storage": "local",
        "identity_provider": "development",
        "identity_issuer": api.settings.issuer_url,
        "key_sealing": "local",
    }
    assert (await http.get("/api/v1/network")).status_code == 401


async def test_public_verification_of_a_certificate_now_and_at_an_instant(
    http: httpx.AsyncClient, api: RunningApi, world: dict[str, str]
) -> None:
    now = await http.get(f"/api/v1/verify/certificates/{world['revoked']}")
    assert now.status_code == 200, now.text
    body = now.json()
    assert (body["status"], body["valid"]) == ("REVOKED", False)
    issued_at, _revoked_at = (c["at"] for c in body["status_log"])
    then = await http.get(
        f"/api/v1/verify/certificates/{world['revoked']}", params={"at": issued_at}
    )
    assert (then.json()["status"], then.json()["valid"]) == ("ACTIVE", True)
    before = await http.get(
        f"/api/v1/verify/certificates/{world['revoked']}",
        params={"at": "2025-01-01T00:00:00+02:00"},
    )
    assert before.json()["status"] == "NOT_ISSUED"
    assert body["issuer"]["msp_id"] == "CertifierMSP"
    assert body["issuer"]["accredited_at_issue"] is True
    assert "EU-ORGANIC" in body["issuer"]["accreditation_at"]["schemes"]
    assert body["proof"]["block_number"] >= 0
    assert body["proof"]["creator_msp_id"] == "CertifierMSP"
    text = now.text
    assert "okafor" not in text
    assert "@" not in text
    assert "creator_subject" not in body["proof"]
    assert "by" not in body["status_log"][0]
    naive = await http.get(
        f"/api/v1/verify/certificates/{world['revoked']}", params={"at": "2026-01-01T00:00:00"}
    )
    assert naive.status_code == 400
    missing = await http.get("/api/v1/verify/certificates/C-nothing-here")
    assert missing.status_code == 404


async def test_qr_short_urls_answer_json_or_redirect_to_the_verify_page(
    http: httpx.AsyncClient, api: RunningApi, world: dict[str, str]
) -> None:
    json_answer = await http.get(f"/v/c/{world['held']}", headers={"Accept": "application/json"})
    assert json_answer.status_code == 200
    assert json_answer.json()["status"] == "ACTIVE"
    browser = await http.get(f"/v/s/{world['shipment']}", headers={"Accept": "text/html"})
    assert browser.status_code == 303
    assert (
        browser.headers["location"]
        == f"{api.settings.base_url}/verify/shipments/{world['shipment']}"
    )


async def test_public_verification_of_a_shipment_shows_its_custody_chain(
    http: httpx.AsyncClient, api: RunningApi, world: dict[str, str]
) -> None:
    answer = await http.get(f"/api/v1/verify/shipments/{world['shipment']}")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [c["msp_id"] for c in body["custody"]] == ["ProducerMSP", "CarrierMSP"]
    assert body["proof"]["creator_msp_id"] == "CarrierMSP"
    assert "quantity" not in body["items"][0]  # what was shipped, not how much
    assert "@" not in answer.text


async def test_a_file_is_verified_by_hash_cid_or_upload_without_being_stored(
    http: httpx.AsyncClient, api: RunningApi, registry: None
) -> None:
    content = b"lab report " + new_id().encode()
    uploaded = await http.post(
        "/api/v1/documents",
        files={"file": ("report.pdf", content, "application/pdf")},
        headers=auth(api, "david.okafor"),
    )
    assert uploaded.status_code in (200, 201), uploaded.text
    cid = uploaded.json()["cid"]
    cert_id = await issue(http, api, documents=[cid])
    sha = hashlib.sha256(content).hexdigest()
    for params in ({"sha256": sha}, {"cid": cid}):
        found = (await http.get("/api/v1/verify/files", params=params)).json()
        assert found["anchored"] is True
        assert [(a["kind"], a["id"]) for a in found["anchors"]] == [("certificate", cert_id)]
    raw = await http.post(
        "/api/v1/verify/files", content=content, headers={"Content-Type": "application/pdf"}
    )
    assert raw.json()["sha256"] == sha
    assert raw.json()["size"] == len(content)
    assert [a["id"] for a in raw.json()["anchors"]] == [cert_id]
    form = await http.post(
        "/api/v1/verify/files", files={"file": ("copy.pdf", content, "application/pdf")}
    )
    assert (form.json()["sha256"], form.json()["anchored"]) == (sha, True)
    stranger = await http.post("/api/v1/verify/files", content=b"never anchored")
    assert stranger.json()["anchored"] is False
    assert stranger.json()["anchors"] == []
    bad = await http.get("/api/v1/verify/files", params={"sha256": "zz"})
    assert bad.status_code == 400
    malformed = await http.post(
        "/api/v1/verify/files",
        content=b"--b\r\n[]--b--\r\n",
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert malformed.status_code == 400
    assert malformed.json()["detail"].startswith("malformed multipart/form-data body")


async def test_public_verification_is_rate_limited_per_client(
    http: httpx.AsyncClient, api: RunningApi, world: dict[str, str]
) -> None:
    """Runs last: spends what is left of the module's burst, then gets 429 with Retry-After."""
    statuses = []
    for _ in range(BURST + 1):
        answer = await http.get(f"/api/v1/verify/certificates/{world['held']}")
        statuses.append(answer.status_code)
        if answer.status_code == 429:
            break
    assert statuses[-1] == 429
    assert set(statuses[:-1]) == {200}
    assert int(answer.headers["Retry-After"]) >= 1
    assert answer.headers["content-type"] == "application/problem+json"
    short = await http.get(f"/v/c/{world['held']}", headers={"Accept": "application/json"})
    assert short.status_code == 429
