"""Who may do what: every state-changing function against every role and a foreign org.

Each call is evaluated (simulated and endorsed, never committed), so the whole matrix
runs against one prepared world. A call is "allowed" when the chaincode does not answer
"access denied"; it may still fail later for a reason of state, which is not the
question here.
"""

from __future__ import annotations

from typing import Any

import pytest

from provena.demo import PEOPLE
from provena.fabric import EndorseError, GatewayError
from tests.contracts.conftest import World

CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"
SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
DOC = {"cid": CID, "sha256": SHA, "size": 10, "media_type": "text/plain", "name": "n.txt"}
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


@pytest.mark.parametrize(
    ("function", "contract", "args"),
    [
        ("GetAccreditation", "Registry", ("CertifierMSP",)),
        ("GetCertificate", "Certificates", ("C-ACTIVE",)),
        ("VerifyCertificate", "Certificates", ("C-ACTIVE", "2026-06-01T00:00:00Z")),
        ("FindByDocument", "Certificates", (SHA,)),
        ("ListCertificates", "Certificates", ("issuer", "CertifierMSP")),
        ("GetCertificateHistory", "Certificates", ("C-SUSP",)),
        ("GetShipment", "Shipments", ("S-NEW",)),
        ("GetShipmentHistory", "Shipments", ("S-ARRIVED",)),
        ("ListShipments", "Shipments", ("owner", "ProducerMSP")),
    ],
)
async def test_reads_open_to_every_member(
    prepared: World, function: str, contract: str, args: tuple[Any, ...]
) -> None:
    for username in PEOPLE_NAMES:
        assert await prepared.evaluate(username, contract, function, *args) is not None
