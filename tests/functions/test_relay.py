"""The event relay: the chosen ledger events of the feed, each posted once, in order."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from provena.contracts.model import CertificateStatus
from provena.db import FeedEvent, LedgerCheckpoint
from provena.events import listener_lock
from provena.functions import event_relay, handler
from provena.functions.relay import CURSOR, message_for
from tests.functions.conftest import Cloud, invoke
from tests.functions.ledger import NOW, Ledger

TX = "0" * 64


def shipment(**fields: Any) -> dict[str, Any]:
    return {
        "id": "SHP-1",
        "items": [
            {"sku": "TOM-RED-5KG", "description": "Tomatoes", "quantity": "120", "unit": "KGM"}
        ],
        "origin": "Green Valley packing house",
        "destination": {"msp_id": "RetailerMSP", "location": "Store 4"},
        "owner_msp": "ProducerMSP",
        "custodian_msp": "ProducerMSP",
        "status": "CREATED",
        "custody": [{"msp_id": "ProducerMSP", "since": NOW, "tx_id": TX}],
        "created_at": NOW,
        "created_by": "producer",
        "updated_at": NOW,
        "tx_id": TX,
    } | fields


def checkpoint(seq: int, disposition: str) -> dict[str, Any]:
    return {
        "shipment_id": "SHP-1",
        "seq": seq,
        "event": {
            "event_time": NOW,
            "event_time_zone_offset": "+00:00",
            "biz_step": "transporting",
            "disposition": disposition,
            "read_point": "urn:epc:id:sgln:0614141.00777.0",
        },
        "event_hash": "a" * 64,
        "recorded_by_msp": "CarrierMSP",
        "recorded_by": "carrier",
        "recorded_at": NOW,
        "tx_id": TX,
    }


def transfer(seq: int) -> dict[str, Any]:
    return {
        "seq": seq,
        "from_msp": "ProducerMSP",
        "to_msp": "CarrierMSP",
        "status": "PROPOSED",
        "proposed_at": NOW,
    }


async def events(ledger: Ledger) -> list[str]:
    """A day of events; the transaction ids of those the relay posts by default."""
    certificate = await ledger.issue("CERT-1", valid_until=NOW + timedelta(days=300))
    revoked = await ledger.change(certificate, CertificateStatus.REVOKED, "fraud found")
    await ledger.shipment("ShipmentCreated", shipment())
    proposed = await ledger.shipment(
        "TransferProposed", shipment(status="TRANSFER_PROPOSED"), transfer=transfer(1)
    )
    await ledger.shipment("CheckpointRecorded", shipment(), checkpoint=checkpoint(1, "in_transit"))
    damaged = await ledger.shipment(
        "CheckpointRecorded", shipment(), checkpoint=checkpoint(2, "damaged")
    )
    return [revoked, proposed, damaged]


async def test_the_first_run_starts_from_now_and_later_runs_post_each_chosen_event_once(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = Ledger(cloud.database)
    await ledger.issue("CERT-0", valid_until=NOW + timedelta(days=300))
    monkeypatch.setenv("PROVENA_FUNCTION", "event-relay")
    answer, status = await invoke(handler)
    assert status == 200, answer
    assert answer["result"] == {"published": [], "passed": 0, "started": True}
    expected = await events(ledger)
    answer, status = await invoke(handler)
    assert status == 200, answer
    assert answer["result"]["passed"] == 6
    posted = [json.loads(m.body) for m in cloud.notifications.messages]
    assert [m["tx_id"] for m in posted] == expected
    assert [m["kind"] for m in posted] == [
        "certificate.revoked",
        "transfer.proposed",
        "checkpoint.recorded",
    ]
    assert posted[0]["certificate"]["status_reason"] == "fraud found"
    assert posted[1]["transfer"]["to_msp"] == "CarrierMSP"
    assert posted[2]["checkpoint"]["disposition"] == "damaged"
    assert [m.title for m in cloud.notifications.messages] == [
        "Provena: certificate.revoked CERT-1",
        "Provena: transfer.proposed SHP-1",
        "Provena: checkpoint.recorded SHP-1",
    ]
    answer, _ = await invoke(handler)
    assert answer["result"]["published"] == []
    assert len(cloud.notifications.messages) == 3


async def test_a_relay_started_on_an_empty_feed_posts_everything_after(cloud: Cloud) -> None:
    answer, _ = await invoke(event_relay)
    assert answer["result"]["started"] is True
    async with cloud.database.session() as session:
        cursor = await session.get(LedgerCheckpoint, CURSOR)
    assert cursor is not None
    assert (cursor.block_number, cursor.tx_id) == (0, None)
    expected = await events(Ledger(cloud.database))
    answer, _ = await invoke(event_relay)
    assert [json.loads(m.body)["tx_id"] for m in cloud.notifications.messages] == expected


async def test_a_refused_publish_resumes_at_the_first_event_not_posted(cloud: Cloud) -> None:
    await invoke(event_relay)
    expected = await events(Ledger(cloud.database))
    cloud.notifications.refuse_after = 1
    answer, status = await invoke(event_relay)
    assert status == 502
    assert (answer["title"], answer["status"]) == ("NotificationError", 502)
    assert "400 InvalidParameter" in answer["detail"]
    cloud.notifications.refuse_after = None
    answer, status = await invoke(event_relay)
    assert status == 200, answer
    assert [json.loads(m.body)["tx_id"] for m in cloud.notifications.messages] == expected


async def test_the_kinds_posted_are_configured(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    await invoke(event_relay)
    await events(Ledger(cloud.database))
    monkeypatch.setenv("PROVENA_RELAY_KINDS", '["certificate.issued", "shipment.created"]')
    answer, _ = await invoke(event_relay)
    assert answer["result"]["passed"] == 6
    kinds = [json.loads(m.body)["kind"] for m in cloud.notifications.messages]
    assert kinds == ["certificate.issued", "shipment.created"]


async def test_a_second_run_at_once_is_refused(cloud: Cloud) -> None:
    await invoke(event_relay)
    lock = listener_lock(cloud.database, CURSOR)
    assert await lock.try_acquire()
    try:
        answer, status = await invoke(event_relay)
    finally:
        await lock.release()
    assert status == 502
    assert (answer["title"], answer["status"]) == ("RelayBusy", 409)


def test_an_oversized_event_is_posted_in_brief() -> None:
    row = FeedEvent(
        id=7,
        kind="certificate.revoked",
        tx_id=TX,
        block_number=3,
        audience=["CertifierMSP"],
        payload={"certificate": {"id": "CERT-1", "status_reason": "x" * 70_000}},
    )
    title, body = message_for(row)
    assert title == "Provena: certificate.revoked CERT-1"
    assert json.loads(body) == {
        "kind": "certificate.revoked",
        "tx_id": TX,
        "block_number": 3,
        "feed_id": 7,
    }
