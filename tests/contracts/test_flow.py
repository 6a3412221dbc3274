"""The contracts end to end on the devnet: registry, certificates, shipments and custody."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from provena.fabric import CommitError, EndorseError
from tests.contracts import records
from tests.contracts.conftest import World, refused
from tests.contracts.records import CID, CID_2, DOC, SHA, certificate, item


async def test_registry_bootstrap_once_and_governance(accredited: World) -> None:
    world = accredited
    await refused(
        world.submit("priya.shah", "Registry", "Bootstrap", ["RetailerMSP"]),
        409,
        "conflict: the registry is already bootstrapped",
    )
    await refused(
        world.submit("priya.shah", "Registry", "AccreditCertifier", "RetailerMSP", ["X"]),
        403,
        "access denied: RetailerMSP does not govern the registry",
    )
    await refused(
        world.submit("david.okafor", "Registry", "AccreditCertifier", "CertifierMSP", ["X"]),
        403,
        "access denied: accredit certifiers needs the role admin; the caller has 'certifier'",
    )
    accreditation = await world.evaluate(
        "lars.nilsson", "Registry", "GetAccreditation", "CertifierMSP"
    )
    assert accreditation["schemes"] == ["EU-ORGANIC"]


async def test_certificate_life(accredited: World) -> None:
    world = accredited
    issued = await world.submit(
        "david.okafor", "Certificates", "IssueCertificate", certificate("CERT-LIFE")
    )
    assert issued["status"] == "ACTIVE"
    assert issued["issuer_msp"] == "CertifierMSP"
    assert issued["issuer_id"].startswith("x509::")
    await refused(
        world.submit("david.okafor", "Certificates", "IssueCertificate", certificate("CERT-LIFE")),
        409,
        "conflict: certificate CERT-LIFE already exists",
    )
    await refused(
        world.submit("tomas.herrera", "Certificates", "SuspendCertificate", "CERT-LIFE", "x"),
        403,
        "access denied: only CertifierMSP may change the status of CERT-LIFE; "
        "the caller is from ProducerMSP",
    )
    suspended = await world.submit(
        "mei.tanaka", "Certificates", "SuspendCertificate", "CERT-LIFE", "audit pending"
    )
    assert suspended["status"] == "SUSPENDED"
    await refused(
        world.submit("mei.tanaka", "Certificates", "SuspendCertificate", "CERT-LIFE", "again"),
        409,
        "conflict: certificate CERT-LIFE is SUSPENDED; it cannot become SUSPENDED",
    )
    await world.submit(
        "mei.tanaka", "Certificates", "ReinstateCertificate", "CERT-LIFE", "audit ok"
    )
    revoked = await world.submit(
        "david.okafor", "Certificates", "RevokeCertificate", "CERT-LIFE", "fraud"
    )
    assert revoked["status"] == "REVOKED"
    await refused(
        world.submit("david.okafor", "Certificates", "ReinstateCertificate", "CERT-LIFE", "oops"),
        409,
        "conflict: certificate CERT-LIFE is REVOKED; it cannot become ACTIVE",
    )
    history = await world.evaluate(
        "lars.nilsson", "Certificates", "GetCertificateHistory", "CERT-LIFE"
    )
    assert [h["certificate"]["status"] for h in history] == [
        "ACTIVE",
        "SUSPENDED",
        "ACTIVE",
        "REVOKED",
    ]
    assert len({h["tx_id"] for h in history}) == 4
    before = await world.evaluate(
        "lars.nilsson", "Certificates", "VerifyCertificate", "CERT-LIFE", history[0]["timestamp"]
    )
    assert before["status"] == "ACTIVE"
    now = await world.evaluate(
        "lars.nilsson", "Certificates", "VerifyCertificate", "CERT-LIFE", "2035-01-01T00:00:00Z"
    )
    assert now["status"] == "REVOKED"
    assert now["valid"] is False


async def test_issue_needs_accreditation_and_role(accredited: World) -> None:
    world = accredited
    await refused(
        world.submit(
            "david.okafor", "Certificates", "IssueCertificate", certificate("C-X", scheme="OTHER")
        ),
        403,
        "access denied: CertifierMSP is not accredited for OTHER",
    )
    await refused(
        world.submit("tomas.herrera", "Certificates", "IssueCertificate", certificate("C-Y")),
        403,
        "access denied: issue certificates needs the role certifier; the caller has 'producer'",
    )
    await refused(
        world.submit("david.okafor", "Certificates", "IssueCertificate", certificate("bad id")),
        500,
        "argument certificate: id: String should match pattern '^[A-Za-z0-9._:-]{1,64}$'",
    )


async def test_find_and_list(accredited: World) -> None:
    world = accredited
    await world.submit("david.okafor", "Certificates", "IssueCertificate", certificate("CERT-FIND"))
    by_cid = await world.evaluate("fatima.haddad", "Certificates", "FindByDocument", CID)
    by_sha = await world.evaluate("fatima.haddad", "Certificates", "FindByDocument", SHA)
    assert {"kind": "certificate", "id": "CERT-FIND"} in by_cid
    assert by_cid == by_sha
    listed = await world.evaluate(
        "fatima.haddad", "Certificates", "ListCertificates", "issuer", "CertifierMSP", "1"
    )
    assert listed["count"] == 1
    assert listed["bookmark"]
    rest = await world.evaluate(
        "fatima.haddad",
        "Certificates",
        "ListCertificates",
        "issuer",
        "CertifierMSP",
        "200",
        listed["bookmark"],
    )
    ids = [r["id"] for r in listed["records"] + rest["records"]]
    assert len(ids) == len(set(ids))
    assert "CERT-FIND" in ids


async def shipment(world: World, id: str) -> dict[str, Any]:
    """A shipment of lot 7 with an invoice, covered by a certificate issued for it."""
    await world.submit("david.okafor", "Certificates", "IssueCertificate", certificate(f"C-{id}"))
    body = records.shipment(id, item(f"C-{id}"))
    body["documents"] = [DOC | {"cid": CID_2, "name": "invoice.pdf"}]
    created: dict[str, Any] = await world.submit(
        "tomas.herrera", "Shipments", "CreateShipment", body
    )
    return created


async def test_custody_chain_to_delivery(accredited: World) -> None:
    world = accredited
    created = await shipment(world, "SHP-1")
    assert (created["owner_msp"], created["custodian_msp"], created["status"]) == (
        "ProducerMSP",
        "ProducerMSP",
        "CREATED",
    )
    await refused(
        world.submit("sam.carter", "Shipments", "ProposeTransfer", "SHP-1", "CarrierMSP"),
        403,
        "access denied: only ProducerMSP may propose a transfer of SHP-1; "
        "the caller is from CarrierMSP",
    )
    await world.submit("tomas.herrera", "Shipments", "ProposeTransfer", "SHP-1", "CarrierMSP")
    await refused(
        world.submit("jonas.berg", "Shipments", "AcceptTransfer", "SHP-1"),
        403,
        "access denied: only CarrierMSP may accept SHP-1; the caller is from RetailerMSP",
    )
    await refused(
        world.submit("anna.kowalski", "Shipments", "AcceptTransfer", "SHP-1"),
        403,
        "access denied: accept SHP-1 needs the role producer or carrier or receiver; "
        "the caller has 'admin'",
    )
    accepted = await world.submit("sam.carter", "Shipments", "AcceptTransfer", "SHP-1")
    assert (accepted["custodian_msp"], accepted["status"]) == ("CarrierMSP", "IN_TRANSIT")
    checkpoint = await world.submit(
        "sam.carter",
        "Shipments",
        "RecordCheckpoint",
        "SHP-1",
        {
            "event_time": "2026-03-01T10:00:00+02:00",
            "event_time_zone_offset": "+02:00",
            "biz_step": "departing",
            "disposition": "in_transit",
            "read_point": "urn:epc:id:sgln:0614141.07346.1234",
            "sensor_readings": [{"type": "gs1:Temperature", "value": "4.5", "uom": "CEL"}],
        },
    )
    assert checkpoint["seq"] == 0
    assert len(checkpoint["event_hash"]) == 64
    await refused(
        world.submit("jonas.berg", "Shipments", "ConfirmDelivery", "SHP-1"),
        403,
        "access denied: only CarrierMSP may confirm delivery of SHP-1; "
        "the caller is from RetailerMSP",
    )
    await world.submit("sam.carter", "Shipments", "ProposeTransfer", "SHP-1", "RetailerMSP")
    await world.submit("jonas.berg", "Shipments", "AcceptTransfer", "SHP-1")
    delivered = await world.submit("jonas.berg", "Shipments", "ConfirmDelivery", "SHP-1")
    assert delivered["status"] == "DELIVERED"
    history = await world.evaluate("fatima.haddad", "Shipments", "GetShipmentHistory", "SHP-1")
    assert [c["msp_id"] for c in history["shipment"]["custody"]] == [
        "ProducerMSP",
        "CarrierMSP",
        "RetailerMSP",
    ]
    assert [c["shipment"]["status"] for c in history["changes"]][-1] == "DELIVERED"
    assert [c["seq"] for c in history["checkpoints"]] == [0]
    by_doc = await world.evaluate("fatima.haddad", "Certificates", "FindByDocument", CID_2)
    assert {"kind": "shipment", "id": "SHP-1"} in by_doc
    listed = await world.evaluate(
        "fatima.haddad", "Shipments", "ListShipments", "status", "DELIVERED"
    )
    assert [r["id"] for r in listed["records"]] == ["SHP-1"]


async def test_reject_and_cancel_restore_status(accredited: World) -> None:
    world = accredited
    await shipment(world, "SHP-2")
    await world.submit("tomas.herrera", "Shipments", "ProposeTransfer", "SHP-2", "CarrierMSP")
    rejected = await world.submit("sam.carter", "Shipments", "RejectTransfer", "SHP-2", "no room")
    assert (rejected["status"], rejected["pending_transfer"]) == ("CREATED", None)
    await world.submit("tomas.herrera", "Shipments", "ProposeTransfer", "SHP-2", "CarrierMSP")
    cancelled = await world.submit("tomas.herrera", "Shipments", "CancelTransfer", "SHP-2")
    assert cancelled["status"] == "CREATED"
    assert cancelled["transfer_count"] == 2


async def test_shipment_needs_covering_active_certificate(accredited: World) -> None:
    world = accredited
    await world.submit(
        "david.okafor",
        "Certificates",
        "IssueCertificate",
        certificate("C-OTHER-LOT", subject={"kind": "lot", "id": "LOT-9", "name": "x"}),
    )
    item = {
        "sku": "TOM",
        "description": "Tomatoes",
        "quantity": "1",
        "unit": "KGM",
        "lot": "LOT-7",
        "certificate_ids": ["C-OTHER-LOT"],
    }
    body = {
        "id": "SHP-BAD",
        "items": [item],
        "origin": "Farm",
        "destination": {"msp_id": "RetailerMSP", "location": "Store"},
    }
    await refused(
        world.submit("tomas.herrera", "Shipments", "CreateShipment", body),
        400,
        "invalid input: certificate C-OTHER-LOT does not cover item TOM",
    )
    await refused(
        world.submit(
            "tomas.herrera",
            "Shipments",
            "CreateShipment",
            body | {"items": [item | {"certificate_ids": ["NOPE"]}]},
        ),
        404,
        "not found: certificate NOPE",
    )


async def test_concurrent_accepts_exactly_one_valid(accredited: World) -> None:
    world = accredited
    await shipment(world, "SHP-RACE")
    await world.submit("tomas.herrera", "Shipments", "ProposeTransfer", "SHP-RACE", "CarrierMSP")
    contract = world.contract("sam.carter", "Shipments")
    results = await asyncio.gather(
        *(contract.submit_transaction("AcceptTransfer", "SHP-RACE") for _ in range(100)),
        return_exceptions=True,
    )
    ok = [r for r in results if isinstance(r, bytes)]
    failed = [r for r in results if isinstance(r, BaseException)]
    assert len(ok) == 1, failed[:3]
    assert all(isinstance(f, (CommitError, EndorseError)) for f in failed), failed[:3]
    assert any(isinstance(f, CommitError) and f.code_name == "MVCC_READ_CONFLICT" for f in failed)


async def test_one_event_per_transaction_carrying_the_record(accredited: World) -> None:
    world = accredited
    created = await shipment(world, "SHP-EVENTS")
    await world.submit("tomas.herrera", "Shipments", "ProposeTransfer", "SHP-EVENTS", "CarrierMSP")
    await world.submit("sam.carter", "Shipments", "RejectTransfer", "SHP-EVENTS", "full truck")
    network = world.gateways["fatima.haddad"].get_network(world.devnet.channel)
    seen: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    events = await network.chaincode_events("provena", start_block=0)
    try:
        async with asyncio.timeout(10):
            async for event in events:
                body = json.loads(event.payload)
                seen.setdefault(event.transaction_id, []).append((event.event_name, body))
                if (
                    event.event_name == "TransferRejected"
                    and body["shipment"]["id"] == "SHP-EVENTS"
                ):
                    break
    finally:
        await events.aclose()
    assert all(len(events) == 1 for events in seen.values())  # one event per transaction
    in_order = [events[0] for events in seen.values()]
    assert [name for name, _ in in_order[:2]] == ["RegistryBootstrapped", "CertifierAccredited"]
    mine = [
        (name, body)
        for name, body in in_order
        if body.get("shipment", {}).get("id") == "SHP-EVENTS"
    ]
    assert [n for n, _ in mine] == ["ShipmentCreated", "TransferProposed", "TransferRejected"]
    assert mine[0][1]["shipment"] == created
    rejected = mine[-1][1]["transfer"]
    assert (rejected["status"], rejected["reason"], rejected["to_msp"]) == (
        "REJECTED",
        "full truck",
        "CarrierMSP",
    )
