"""Certificates in time and in use: their standing at an instant, and the shipments claiming them.

The contract's only clock is the transaction's timestamp, which the client sets to now, so
tests control validity by issuing certificates whose windows lie wholly in the past or in
the future.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.contracts.conftest import World, refused
from tests.contracts.records import certificate, item, shipment

PAST = {"valid_from": "2020-01-01T00:00:00Z", "valid_until": "2021-01-01T00:00:00Z"}
FUTURE = {"valid_from": "2090-01-01T00:00:00Z", "valid_until": "2100-01-01T00:00:00Z"}
#: Well after every certificate here was issued.
LATER = "2050-06-01T00:00:00Z"


async def issue(world: World, id: str, **overrides: Any) -> dict[str, Any]:
    issued: dict[str, Any] = await world.submit(
        "david.okafor", "Certificates", "IssueCertificate", certificate(id, **overrides)
    )
    return issued


async def verify(world: World, id: str, at: str) -> tuple[str, bool]:
    answer = await world.evaluate("lars.nilsson", "Certificates", "VerifyCertificate", id, at)
    assert (answer["certificate_id"], answer["certificate"]["id"]) == (id, id)
    assert datetime.fromisoformat(answer["at"]) == datetime.fromisoformat(at)
    return answer["status"], answer["valid"]


async def test_verify_outside_the_validity_window(accredited: World) -> None:
    await issue(accredited, "C-PAST", **PAST)
    await issue(accredited, "C-FUTURE", **FUTURE)
    assert await verify(accredited, "C-PAST", LATER) == ("EXPIRED", False)
    assert await verify(accredited, "C-FUTURE", LATER) == ("NOT_YET_VALID", False)
    assert await verify(accredited, "C-FUTURE", "2025-01-01T00:00:00Z") == ("NOT_ISSUED", False)


@pytest.fixture(scope="module")
async def window(accredited: World) -> World:
    """A certificate valid from 2090 until 2100, issued now."""
    await issue(accredited, "C-WINDOW", **FUTURE)
    return accredited


@pytest.mark.parametrize(
    ("at", "standing"),
    [
        ("2089-12-31T23:59:59.999999Z", ("NOT_YET_VALID", False)),
        ("2090-01-01T00:00:00Z", ("ACTIVE", True)),
        ("2090-01-01T01:00:00+01:00", ("ACTIVE", True)),
        ("2099-12-31T23:59:59.999999Z", ("ACTIVE", True)),
        ("2100-01-01T00:00:00Z", ("EXPIRED", False)),
    ],
)
async def test_validity_window_is_from_inclusive_until_exclusive(
    window: World, at: str, standing: tuple[str, bool]
) -> None:
    assert await verify(window, "C-WINDOW", at) == standing


async def create(world: World, id: str, *items: dict[str, Any]) -> dict[str, Any]:
    created: dict[str, Any] = await world.submit(
        "tomas.herrera", "Shipments", "CreateShipment", shipment(id, *items)
    )
    return created


async def refused_shipment(
    world: World, id: str, items: list[dict[str, Any]], status: int, message: str
) -> None:
    """CreateShipment is refused with this answer, and no shipment `id` exists after it."""
    await refused(
        world.submit("tomas.herrera", "Shipments", "CreateShipment", shipment(id, *items)),
        status,
        message,
    )
    await refused(
        world.evaluate("tomas.herrera", "Shipments", "GetShipment", id),
        404,
        f"not found: shipment {id}",
    )


async def test_shipment_refuses_certificates_not_in_force(accredited: World) -> None:
    world = accredited
    await issue(world, "C-SUSPENDED")
    await world.submit("mei.tanaka", "Certificates", "SuspendCertificate", "C-SUSPENDED", "audit")
    await issue(world, "C-REVOKED")
    await world.submit("mei.tanaka", "Certificates", "RevokeCertificate", "C-REVOKED", "fraud")
    await issue(world, "C-EXPIRED", **PAST)
    await issue(world, "C-NOT-YET", **FUTURE)
    await issue(world, "C-GOOD")
    refusals = {
        "C-SUSPENDED": "conflict: certificate C-SUSPENDED is SUSPENDED",
        "C-REVOKED": "conflict: certificate C-REVOKED is REVOKED",
        "C-EXPIRED": "conflict: certificate C-EXPIRED expired at 2021-01-01T00:00:00Z",
        "C-NOT-YET": "conflict: certificate C-NOT-YET is not valid before 2090-01-01T00:00:00Z",
    }
    for cert_id, message in refusals.items():
        await refused_shipment(world, f"S-{cert_id}", [item(cert_id)], 409, message)
        # Every line is checked, not only the first, and every certificate of a line.
        lines = [item("C-GOOD"), item("C-GOOD", cert_id, sku="TOM-2")]
        await refused_shipment(world, f"S2-{cert_id}", lines, 409, message)
    created = await create(world, "S-GOOD", item("C-GOOD"))
    assert created["items"][0]["certificate_ids"] == ["C-GOOD"]


GTIN = "09506000134352"
PRODUCER_FACILITY = {"kind": "facility", "id": "FAC-GV-1", "name": "Packing house"}

# subject of the certificate, the shipment line it must cover, whether it does
SUBJECTS: dict[str, tuple[dict[str, Any], dict[str, Any], bool]] = {
    "lot": ({"kind": "lot", "id": "LOT-7", "name": "Lot 7"}, item(), True),
    "other lot": ({"kind": "lot", "id": "LOT-9", "name": "Lot 9"}, item(), False),
    "lot, line without lot": (
        {"kind": "lot", "id": "LOT-7", "name": "Lot 7"},
        item(lot=None),
        False,
    ),
    "product by SKU": ({"kind": "product", "id": "TOM-RED-5KG", "name": "Tomatoes"}, item(), True),
    "product by GTIN": (
        {"kind": "product", "id": GTIN, "name": "Tomatoes"},
        item(sku="OTHER-SKU", gtin=GTIN),
        True,
    ),
    "other product": ({"kind": "product", "id": "CUCUMBER", "name": "x"}, item(gtin=GTIN), False),
    "organization by MSP": (
        {"kind": "organization", "id": "GV-COOP", "name": "Coop", "msp_id": "ProducerMSP"},
        item(lot=None),
        True,
    ),
    "organization by id": (
        {"kind": "organization", "id": "ProducerMSP", "name": "Coop"},
        item(lot=None),
        True,
    ),
    "other organization": (
        {"kind": "organization", "id": "CARRIER", "name": "x", "msp_id": "CarrierMSP"},
        item(),
        False,
    ),
    "facility by MSP": (PRODUCER_FACILITY | {"msp_id": "ProducerMSP"}, item(), True),
    "facility of nobody": (PRODUCER_FACILITY, item(), False),
    "other facility": (PRODUCER_FACILITY | {"msp_id": "RetailerMSP"}, item(), False),
}


@pytest.mark.parametrize("case", SUBJECTS)
async def test_certificate_covers_a_line_by_its_subject(accredited: World, case: str) -> None:
    subject, line, covers = SUBJECTS[case]
    name = case.replace(", ", "-").replace(" ", "-")
    cert_id, shipment_id = f"C-{name}", f"S-{name}"
    await issue(accredited, cert_id, subject=subject)
    line = line | {"certificate_ids": [cert_id]}
    if covers:
        created = await create(accredited, shipment_id, line)
        assert created["items"] == [{"gtin": None} | line]
    else:
        message = f"invalid input: certificate {cert_id} does not cover item {line['sku']}"
        await refused_shipment(accredited, shipment_id, [line], 400, message)
