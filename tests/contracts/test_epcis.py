"""The Epcis contract on the devnet: events under their hash, duplicates, transformations, and
the EPCIS events each shipment fact is recorded with."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from provena.contracts.epcis import TransformationInput
from provena.contracts.model import ShipmentInput
from provena.tracking import epcis
from tests.contracts import records
from tests.contracts.conftest import World, refused
from tests.contracts.records import certificate, item

AT = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
APPLES = "https://id.gs1.org/01/09506000134352/10/APPLES-1"
JUICE = "https://id.gs1.org/01/09506000134376/10/JUICE-1"


def observation(n: int) -> dict[str, Any]:
    """An ObjectEvent OBSERVE of crate `n`, with its hash."""
    (event,) = epcis.hashed(
        [
            {
                "type": "ObjectEvent",
                "eventTime": f"2026-05-01T10:{n % 60:02d}:00.000Z",
                "eventTimeZoneOffset": "+02:00",
                "epcList": [f"https://id.gs1.org/01/09506000134352/21/{n}"],
                "action": "OBSERVE",
                "bizStep": "inspecting",
            }
        ]
    )
    return event.model_dump()


async def test_capture_stores_each_event_once_and_reports_duplicates(accredited: World) -> None:
    world = accredited
    first, second = observation(1), observation(2)
    answer = await world.submit(
        "tomas.herrera", "Epcis", "CaptureEvents", "CAP-1", [first, second, first]
    )
    assert answer == {"stored": [first["hash"], second["hash"]], "duplicates": [first["hash"]]}
    again = await world.submit("sam.carter", "Epcis", "CaptureEvents", "CAP-2", [second])
    assert again == {"stored": [], "duplicates": [second["hash"]]}
    stored = await world.evaluate("fatima.haddad", "Epcis", "GetEpcisEvent", first["hash"])
    assert stored["event"] == first["event"]
    assert (stored["captured_by_msp"], stored["subject"]) == (
        "ProducerMSP",
        {"kind": "capture", "id": "CAP-1"},
    )


async def test_capture_is_refused_to_auditors_and_for_bad_hashes(accredited: World) -> None:
    world = accredited
    await refused(
        world.submit("fatima.haddad", "Epcis", "CaptureEvents", "CAP-3", [observation(3)]),
        403,
        "access denied: capture EPCIS events needs the role producer or carrier or receiver "
        "or certifier or admin; the caller has 'auditor'",
    )
    forged = observation(4) | {"hash": "ni:///sha-256;abc?ver=CBV2.0"}
    await refused(
        world.submit("tomas.herrera", "Epcis", "CaptureEvents", "CAP-4", [forged]),
        500,
        "argument events: 0.hash: String should match pattern "
        "'^ni:///sha-256;[0-9a-f]{64}\\?ver=CBV2\\.0$'",
    )
    unknown = "ni:///sha-256;" + "0" * 64 + "?ver=CBV2.0"
    await refused(
        world.evaluate("fatima.haddad", "Epcis", "GetEpcisEvent", unknown),
        404,
        f"not found: EPCIS event {'0' * 64}",
    )


def transformation(**overrides: Any) -> TransformationInput:
    return TransformationInput.model_validate(
        {
            "id": "TR-1",
            "inputs": [{"epc_class": APPLES, "quantity": "1000", "uom": "KGM"}],
            "outputs": [{"epc_class": JUICE, "quantity": "640.5", "uom": "LTR"}],
            "location": "https://id.gs1.org/414/9506000134369",
        }
        | overrides
    )


async def test_transformation_records_its_event_and_checks_the_quantities(
    accredited: World,
) -> None:
    world = accredited
    record = transformation()
    event = epcis.transformation(record, AT)
    wrong = epcis.transformation(
        transformation(outputs=[{"epc_class": JUICE, "quantity": "700", "uom": "LTR"}]), AT
    )
    await refused(
        world.submit(
            "tomas.herrera",
            "Epcis",
            "RecordTransformation",
            record.model_dump(mode="json"),
            wrong.model_dump(),
        ),
        400,
        "invalid input: the event's outputQuantityList differs from the transformation's",
    )
    await refused(
        world.submit(
            "sam.carter",
            "Epcis",
            "RecordTransformation",
            record.model_dump(mode="json"),
            event.model_dump(),
        ),
        403,
        "access denied: record transformations needs the role producer; the caller has 'carrier'",
    )
    recorded = await world.submit(
        "tomas.herrera",
        "Epcis",
        "RecordTransformation",
        record.model_dump(mode="json"),
        event.model_dump(),
    )
    assert (recorded["event_hash"], recorded["recorded_by_msp"]) == (event.hash, "ProducerMSP")
    stored = await world.evaluate("fatima.haddad", "Epcis", "GetEpcisEvent", event.hash)
    assert stored["event"]["outputQuantityList"] == [
        {"epcClass": JUICE, "quantity": 640.5, "uom": "LTR"}
    ]
    assert stored["subject"] == {"kind": "transformation", "id": "TR-1"}


async def test_shipment_facts_carry_their_events_of_the_right_shape(accredited: World) -> None:
    world = accredited
    await world.submit("david.okafor", "Certificates", "IssueCertificate", certificate("C-EPCIS"))
    body = records.shipment("SHP-EPCIS", item("C-EPCIS"))
    shipment = ShipmentInput.model_validate(body)
    events = [e.model_dump() for e in epcis.created(shipment, "ProducerMSP", AT)]
    parent = epcis.shipment_parent("SHP-EPCIS")
    observed = [
        e.model_dump() for e in epcis.accepted("SHP-EPCIS", parent, "ProducerMSP", "CarrierMSP", AT)
    ]
    await refused(
        world.submit("tomas.herrera", "Shipments", "CreateShipment", body, observed),
        400,
        "invalid input: event 0 is a ObjectEvent OBSERVE: ObjectEvent ADD, AggregationEvent ADD",
    )
    await world.submit("tomas.herrera", "Shipments", "CreateShipment", body, events)
    stored = await world.evaluate("fatima.haddad", "Epcis", "GetEpcisEvent", events[1]["hash"])
    assert stored["event"]["type"] == "AggregationEvent"
    assert stored["event"]["parentID"] == parent
    assert stored["subject"] == {"kind": "shipment", "id": "SHP-EPCIS"}
    await world.submit("tomas.herrera", "Shipments", "ProposeTransfer", "SHP-EPCIS", "CarrierMSP")
    await world.submit("sam.carter", "Shipments", "AcceptTransfer", "SHP-EPCIS", observed)
    accepted = await world.evaluate("fatima.haddad", "Epcis", "GetEpcisEvent", observed[0]["hash"])
    assert accepted["captured_by_msp"] == "CarrierMSP"


async def test_a_recall_needs_a_recalled_observation_of_its_lots(accredited: World) -> None:
    world = accredited
    recall = {
        "id": "RCL-1",
        "lots": [APPLES],
        "reason": "patulin",
        "affected": [{"id": APPLES, "depth": 0}],
        "shipments": [],
        "organizations": ["ProducerMSP"],
        "certificates": [],
    }
    event = epcis.recalled("RCL-1", [APPLES], [], AT).model_dump()
    other = epcis.recalled("RCL-1", [JUICE], [], AT).model_dump()
    await refused(
        world.submit("tomas.herrera", "Epcis", "RecordRecall", recall, other),
        400,
        "invalid input: the event's quantityList names other lots than the recall's",
    )
    observed = observation(9)
    await refused(
        world.submit("tomas.herrera", "Epcis", "RecordRecall", recall, observed),
        400,
        "invalid input: a recall is recorded with an ObjectEvent OBSERVE, disposition recalled",
    )
    await refused(
        world.submit("sam.carter", "Epcis", "RecordRecall", recall, event),
        403,
        "access denied: recall lots needs the role producer or certifier or admin; "
        "the caller has 'carrier'",
    )
    recorded = await world.submit("tomas.herrera", "Epcis", "RecordRecall", recall, event)
    assert (recorded["event_hash"], recorded["recorded_by_msp"]) == (event["hash"], "ProducerMSP")
    stored = await world.evaluate("fatima.haddad", "Epcis", "GetRecall", "RCL-1")
    assert stored["reason"] == "patulin"
    await refused(
        world.submit("tomas.herrera", "Epcis", "RecordRecall", recall, event),
        400,
        "invalid input: recall RCL-1 already exists",
    )
