"""Cold-chain metrics through the API, from checkpoints recorded on the real devnet."""

# ruff: noqa: F811 (the fixtures imported from tests.api.devnetapi are parameters here)

from __future__ import annotations

import asyncio

import httpx

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
)

#: (minutes after 06:00, °C, disposition, read point): 20 min too warm in transit, then
#: 30 min too cold at the depot (not in transit), then back in range.
READINGS = [
    (0, "4", "in_transit", "truck-7"),
    (30, "9.5", "in_transit", "truck-7"),
    (50, "1", "in_progress", "depot-2"),
    (80, "5", "in_progress", "depot-2"),
]


async def test_minutes_out_of_range_in_transit_and_dwell_per_location(
    http: httpx.AsyncClient, api: RunningApi
) -> None:
    shipment_id = new_id("SHP")
    created = await http.post(
        "/api/v1/shipments",
        json={
            "id": shipment_id,
            "items": [{"sku": "FISH", "description": "Cod", "quantity": "40", "unit": "KGM"}],
            "origin": "Harbour",
            "destination": {"msp_id": "RetailerMSP", "location": "Store 9"},
        },
        headers=auth(api, "tomas.herrera", **WAIT),
    )
    assert created.status_code == 200, created.text
    for minutes, value, disposition, place in READINGS:
        recorded = await http.post(
            f"/api/v1/shipments/{shipment_id}/checkpoints",
            json={
                "event_time": f"2026-05-02T{6 + minutes // 60:02d}:{minutes % 60:02d}:00+00:00",
                "event_time_zone_offset": "+00:00",
                "biz_step": "transporting" if disposition == "in_transit" else "storing",
                "disposition": disposition,
                "read_point": place,
                "sensor_readings": [{"type": "gs1:Temperature", "value": value, "uom": "CEL"}],
            },
            headers=auth(api, "tomas.herrera", **WAIT),
        )
        assert recorded.status_code == 200, recorded.text
    async with asyncio.timeout(20):
        while True:
            answer = await http.get(
                f"/api/v1/shipments/{shipment_id}/cold-chain", headers=auth(api, "tomas.herrera")
            )
            assert answer.status_code == 200, answer.text
            metrics = answer.json()
            if metrics["series"] and metrics["series"][0]["readings"] == len(READINGS):
                break
            await asyncio.sleep(0.1)
    (temperature,) = metrics["series"]
    assert (temperature["type"], temperature["uom"]) == ("gs1:Temperature", "CEL")
    assert (temperature["low"], temperature["high"]) == ("2", "8")
    assert (temperature["minimum"], temperature["maximum"]) == ("1", "9.5")
    assert temperature["minutes_above"] == 20
    assert temperature["minutes_below"] == 30
    assert temperature["minutes_out_of_range_in_transit"] == 20
    assert [(d["location"], d["minutes"]) for d in metrics["dwell"]] == [
        ("truck-7", 50),
        ("depot-2", None),
    ]
    wider = await http.get(
        f"/api/v1/shipments/{shipment_id}/cold-chain",
        params={"limit": "gs1:Temperature:0:10"},
        headers=auth(api, "tomas.herrera"),
    )
    series = wider.json()["series"][0]
    assert (series["minutes_above"], series["minutes_below"]) == (0, 0)
    for bad in ("gs1:Temperature", "gs1:Temperature:9:3", "gs1:Temperature:cold:8"):
        refused = await http.get(
            f"/api/v1/shipments/{shipment_id}/cold-chain",
            params={"limit": bad},
            headers=auth(api, "tomas.herrera"),
        )
        assert refused.status_code == 422, bad
    hidden = await http.get(
        f"/api/v1/shipments/{shipment_id}/cold-chain", headers=auth(api, "sam.carter")
    )
    assert hidden.status_code == 404  # the carrier never held it
