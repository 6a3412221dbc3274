"""Who may do what: every state-changing function against every role and a foreign org.

Each call is evaluated (simulated and endorsed, never committed), so the whole matrix
runs against one prepared world. A call is "allowed" when the chaincode does not answer
"access denied"; it may still fail later for a reason of state, which is not the
question here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from provena.demo import PEOPLE
from provena.fabric import EndorseError, GatewayError
from tests.contracts.conftest import World

CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"
SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
DOC = {"cid": CID, "sha256": SHA, "size": 10, "media_type": "text/plain", "name": "n.txt"}
SHA_2 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
#: Attached to the suspended certificate, so FindByDocument has something to find.
DOC_2 = DOC | {"cid": "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG", "sha256": SHA_2}
EVENT = {
    "event_time": "2026-03-01T10:00:00+02:00",
    "event_time_zone_offset": "+02:00",
    "biz_step": "storing",
    "disposition": "in_progress",
    "read_point": "urn:epc:id:sgln:0614141.07346.1234",
}
FOREIGN = {
    "rita.certifier": ("RetailerMSP", "certifier"),
    "carl.carrier": ("ProducerMSP", "carrier"),
}
PEOPLE_NAMES = [p.username for p in PEOPLE] + list(FOREIGN)


def cert(id: str) -> dict[str, Any]:
    return {
        "id": id,
        "scheme": "EU-ORGANIC",
        "subject": {"kind": "lot", "id": "LOT-1", "name": "Lot 1"},
        "scope": "Tomatoes",
        "valid_from": "2026-01-01T00:00:00Z",
        "valid_until": "2036-01-01T00:00:00Z",
    }


def shipment(id: str) -> dict[str, Any]:
    item = {"sku": "S", "description": "d", "quantity": "1", "unit": "KGM", "lot": "LOT-1"}
    return {
        "id": id,
        "items": [item],
        "origin": "Farm",
        "destination": {"msp_id": "RetailerMSP", "location": "Store"},
    }


@pytest.fixture(scope="module")
async def prepared(world: World) -> World:
    for username, (msp_id, role) in FOREIGN.items():
        await world.enroll(username, msp_id, role)
    await world.submit("ines.moreau", "Registry", "Bootstrap", ["CertifierMSP"])
    await world.submit(
        "ines.moreau", "Registry", "AccreditCertifier", "CertifierMSP", ["EU-ORGANIC"]
    )
    await world.submit("david.okafor", "Certificates", "IssueCertificate", cert("C-ACTIVE"))
    await world.submit("david.okafor", "Certificates", "IssueCertificate", cert("C-SUSP"))
    await world.submit("david.okafor", "Certificates", "SuspendCertificate", "C-SUSP", "check")
    await world.submit("david.okafor", "Certificates", "AttachCertificateDocument", "C-SUSP", DOC_2)
    for id in ("S-NEW", "S-PROPOSED", "S-ARRIVED"):
        await world.submit("tomas.herrera", "Shipments", "CreateShipment", shipment(id))
    await world.submit("tomas.herrera", "Shipments", "ProposeTransfer", "S-PROPOSED", "CarrierMSP")
    await world.submit("tomas.herrera", "Shipments", "ProposeTransfer", "S-ARRIVED", "RetailerMSP")
    await world.submit("jonas.berg", "Shipments", "AcceptTransfer", "S-ARRIVED")
    return world


ADMINS = {"ines.moreau", "rosa.alvarez", "anna.kowalski", "priya.shah"}
CERTIFIERS = {"david.okafor", "mei.tanaka"}
# Custody roles (producer, carrier, receiver) act for their organization when it holds
# the shipment: carl, a carrier employed by ProducerMSP, may move ProducerMSP's goods.
PRODUCER_CUSTODY = {"tomas.herrera", "carl.carrier"}
RETAILER_CUSTODY = {"jonas.berg"}

# function, contract, args, who may call it
MATRIX: list[tuple[str, str, tuple[Any, ...], set[str]]] = [
    ("Bootstrap", "Registry", (["CertifierMSP"],), ADMINS),
    ("AccreditCertifier", "Registry", ("RetailerMSP", ["X"]), {"ines.moreau"}),
    ("WithdrawAccreditation", "Registry", ("CertifierMSP", "EU-ORGANIC"), {"ines.moreau"}),
    ("IssueCertificate", "Certificates", (cert("C-NEW"),), CERTIFIERS),
    ("SuspendCertificate", "Certificates", ("C-ACTIVE", "r"), CERTIFIERS),
    ("ReinstateCertificate", "Certificates", ("C-SUSP", "r"), CERTIFIERS),
    ("RevokeCertificate", "Certificates", ("C-ACTIVE", "r"), CERTIFIERS),
    ("AttachCertificateDocument", "Certificates", ("C-ACTIVE", DOC), CERTIFIERS),
    ("CreateShipment", "Shipments", (shipment("S-X"),), {"tomas.herrera"}),
    ("ProposeTransfer", "Shipments", ("S-NEW", "CarrierMSP"), PRODUCER_CUSTODY),
    ("CancelTransfer", "Shipments", ("S-PROPOSED",), PRODUCER_CUSTODY),
    ("RecordCheckpoint", "Shipments", ("S-NEW", EVENT), PRODUCER_CUSTODY),
    ("AcceptTransfer", "Shipments", ("S-PROPOSED",), {"sam.carter"}),
    ("RejectTransfer", "Shipments", ("S-PROPOSED", "no"), {"sam.carter"}),
    ("ConfirmDelivery", "Shipments", ("S-ARRIVED",), RETAILER_CUSTODY),
]


@pytest.mark.parametrize(
    ("function", "contract", "args", "allowed"), MATRIX, ids=[m[0] for m in MATRIX]
)
async def test_function_against_every_role(
    prepared: World, function: str, contract: str, args: tuple[Any, ...], allowed: set[str]
) -> None:
    outcomes: dict[str, str] = {}
    for username in PEOPLE_NAMES:
        try:
            await prepared.evaluate(username, contract, function, *args)
            outcomes[username] = "ok"
        except (EndorseError, GatewayError) as exc:
            text = str(exc) + " ".join(d.message for d in exc.details)
            outcomes[username] = "denied" if "access denied" in text else "refused"
    denied = {u for u, o in outcomes.items() if o == "denied"}
    assert denied == set(PEOPLE_NAMES) - allowed, outcomes


def ids_of(page: dict[str, Any]) -> set[str]:
    assert page["count"] == len(page["records"])
    return {record["id"] for record in page["records"]}


def check_accreditation(found: dict[str, Any]) -> None:
    assert (found["msp_id"], found["schemes"]) == ("CertifierMSP", ["EU-ORGANIC"])


def check_certificate(found: dict[str, Any]) -> None:
    expected = cert("C-ACTIVE")
    expected["subject"] |= {"msp_id": None}
    assert {k: found[k] for k in expected} == expected
    assert (found["status"], found["issuer_msp"]) == ("ACTIVE", "CertifierMSP")


def check_verification(found: dict[str, Any]) -> None:
    assert (found["certificate_id"], found["status"], found["valid"]) == (
        "C-ACTIVE",
        "ACTIVE",
        True,
    )
    assert found["certificate"]["id"] == "C-ACTIVE"


def check_anchors(found: list[dict[str, Any]]) -> None:
    assert found == [{"kind": "certificate", "id": "C-SUSP"}]


def check_certificate_list(found: dict[str, Any]) -> None:
    assert ids_of(found) == {"C-ACTIVE", "C-SUSP"}


def check_shipment_list(found: dict[str, Any]) -> None:
    assert ids_of(found) == {"S-NEW", "S-PROPOSED", "S-ARRIVED"}


def check_history(found: list[dict[str, Any]]) -> None:
    changes = [(h["certificate"]["status"], len(h["certificate"]["documents"])) for h in found]
    assert changes == [("ACTIVE", 0), ("SUSPENDED", 0), ("SUSPENDED", 1)]
    assert found[-1]["certificate"]["documents"] == [DOC_2]


def check_shipment(found: dict[str, Any]) -> None:
    sent = shipment("S-NEW")
    stored_item = sent["items"][0] | {"gtin": None, "certificate_ids": []}
    assert {k: found[k] for k in sent} == sent | {"items": [stored_item]}
    assert (found["owner_msp"], found["custodian_msp"], found["status"]) == (
        "ProducerMSP",
        "ProducerMSP",
        "CREATED",
    )


def check_shipment_history(found: dict[str, Any]) -> None:
    assert found["shipment"]["id"] == "S-ARRIVED"
    assert [c["shipment"]["status"] for c in found["changes"]] == [
        "CREATED",
        "TRANSFER_PROPOSED",
        "IN_TRANSIT",
    ]
    assert [c["msp_id"] for c in found["shipment"]["custody"]] == ["ProducerMSP", "RetailerMSP"]
    assert found["checkpoints"] == []


READS: list[tuple[str, str, tuple[Any, ...], Callable[[Any], None]]] = [
    ("GetAccreditation", "Registry", ("CertifierMSP",), check_accreditation),
    ("GetCertificate", "Certificates", ("C-ACTIVE",), check_certificate),
    (
        "VerifyCertificate",
        "Certificates",
        ("C-ACTIVE", "2035-06-01T00:00:00Z"),
        check_verification,
    ),
    ("FindByDocument", "Certificates", (SHA_2,), check_anchors),
    ("ListCertificates", "Certificates", ("issuer", "CertifierMSP"), check_certificate_list),
    ("GetCertificateHistory", "Certificates", ("C-SUSP",), check_history),
    ("GetShipment", "Shipments", ("S-NEW",), check_shipment),
    ("GetShipmentHistory", "Shipments", ("S-ARRIVED",), check_shipment_history),
    ("ListShipments", "Shipments", ("owner", "ProducerMSP"), check_shipment_list),
]


@pytest.mark.parametrize(
    ("function", "contract", "args", "check"), READS, ids=[r[0] for r in READS]
)
async def test_reads_open_to_every_member(
    prepared: World,
    function: str,
    contract: str,
    args: tuple[Any, ...],
    check: Callable[[Any], None],
) -> None:
    """Every member, of any organization and role, reads the same record."""
    answers = [await prepared.evaluate(u, contract, function, *args) for u in PEOPLE_NAMES]
    assert all(answer == answers[0] for answer in answers)
    check(answers[0])
