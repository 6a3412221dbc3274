"""The EPCIS 2.0 REST binding on the real devnet: capture jobs, queries, headers and access,
and the events every shipment fact is recorded with."""

# ruff: noqa: F811 (the fixtures imported from tests.api.devnetapi are parameters here)

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import quote

import httpx

from provena.epcis import epc_to_digital_link, event_hash
from tests.api.conftest import RunningApi
from tests.api.devnetapi import (  # noqa: F401 (fixtures)
    WAIT,
    api,
    api_settings,
    auth,
    backend,
    certificate,
    http,
    ledger,
    new_id,
    registry,
)

CONTEXT = ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"]
SSCC = "095012340000000015"
JSON_LD = {"Content-Type": "application/ld+json"}


def observation(serial: str, minute: int = 0) -> dict[str, Any]:
    return {
        "type": "ObjectEvent",
        "eventTime": f"2026-05-01T10:{minute:02d}:00.000+02:00",
        "eventTimeZoneOffset": "+02:00",
        "epcList": [f"urn:epc:id:sgtin:0614141.107346.{serial}"],
        "action": "OBSERVE",
        "bizStep": "inspecting",
        "readPoint": {"id": "urn:epc:id:sgln:0614141.07346.1234"},
    }


def document(*events: dict[str, Any]) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-05-01T12:00:00Z",
        "epcisBody": {"eventList": list(events)},
    }


async def finished(http: httpx.AsyncClient, api: RunningApi, location: str, user: str) -> Any:
    """The capture job at `location` once it has stopped running."""
    async with asyncio.timeout(60):
        while True:
            job = (await http.get(location, headers=auth(api, user))).json()
            if not job["running"]:
                return job
            await asyncio.sleep(0.1)


async def test_a_capture_stores_each_event_once_and_xml_and_json_ld_are_one_event(
    http: httpx.AsyncClient, api: RunningApi
) -> None:
    serial = new_id("S")
    first, second = observation(serial, 1), observation(serial, 2)
    answer = await http.post(
        "/epcis/capture",
        content=json.dumps(document(first, second, first)),
        headers=auth(api, "tomas.herrera") | JSON_LD,
    )
    assert answer.status_code == 202, answer.text
    assert answer.headers["gs1-epcis-version"] == "2.0.0"
    assert answer.headers["gs1-cbv-version"] == "2.0.0"
    location = answer.headers["location"]
    assert location == f"/epcis/capture/{answer.json()['captureID']}"
    job = await finished(http, api, location, "tomas.herrera")
    first_hash = event_hash({"@context": CONTEXT, **first})
    assert (job["success"], job["eventCount"], job["committed"], job["stored"]) == (True, 3, 3, 2)
    assert job["duplicates"] == [first_hash]

    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0"
    creationDate="2026-05-01T12:00:00Z">
  <EPCISBody><EventList><ObjectEvent>
    <eventTime>2026-05-01T08:01:00Z</eventTime>
    <eventTimeZoneOffset>+02:00</eventTimeZoneOffset>
    <epcList><epc>{epc_to_digital_link(first["epcList"][0])}</epc></epcList>
    <action>OBSERVE</action>
    <bizStep>urn:epcglobal:cbv:bizstep:inspecting</bizStep>
    <readPoint><id>urn:epc:id:sgln:0614141.07346.1234</id></readPoint>
  </ObjectEvent></EventList></EPCISBody>
</epcis:EPCISDocument>"""
    again = await http.post(
        "/epcis/capture",
        content=xml,
        headers=auth(api, "sam.carter") | {"Content-Type": "application/xml"},
    )
    assert again.status_code == 202, again.text
    job = await finished(http, api, again.headers["location"], "sam.carter")
    assert (job["success"], job["stored"], job["duplicates"]) == (True, 0, [first_hash])

    read = await http.get(
        f"/epcis/events/{quote(first_hash, safe='')}", headers=auth(api, "tomas.herrera")
    )
    assert read.status_code == 200, read.text
    assert read.headers["content-type"].startswith("application/ld+json")
    body = read.json()
    assert body["eventID"] == first_hash
    assert event_hash(body) == first_hash  # eventID and recordTime take no part in the hash
    assert read.headers["provena-tx-id"]


async def test_rollback_captures_nothing_when_one_event_is_invalid_and_proceed_skips_it(
    http: httpx.AsyncClient, api: RunningApi
) -> None:
    serial = new_id("S")
    good, bad = observation(serial), observation(serial, 3) | {"action": "JUMP"}
    text = json.dumps(document(good, bad), indent=2)
    refused = await http.post(
        "/epcis/capture", content=text, headers=auth(api, "tomas.herrera") | JSON_LD
    )
    assert refused.status_code == 202, refused.text
    job = await finished(http, api, refused.headers["location"], "tomas.herrera")
    assert (job["running"], job["success"], job["committed"]) == (False, False, 0)
    (error,) = job["errors"]
    assert error["instance"] == "#/epcisBody/eventList/1"
    assert "action" in error["detail"]
    lines = text.splitlines()
    assert error["line"] == next(n for n, line in enumerate(lines, 1) if '"JUMP"' in line)

    proceeded = await http.post(
        "/epcis/capture",
        content=text,
        headers=auth(api, "tomas.herrera", **{"GS1-Capture-Error-Behaviour": "proceed"}) | JSON_LD,
    )
    assert proceeded.status_code == 202, proceeded.text
    job = await finished(http, api, proceeded.headers["location"], "tomas.herrera")
    assert (job["success"], job["stored"], len(job["errors"])) == (True, 1, 1)


async def test_capture_refuses_what_it_cannot_take(
    http: httpx.AsyncClient, api: RunningApi
) -> None:
    one = json.dumps(document(observation(new_id("S"))))
    auditor = await http.post(
        "/epcis/capture", content=one, headers=auth(api, "fatima.haddad") | JSON_LD
    )
    assert auditor.status_code == 403, auditor.text
    text = await http.post(
        "/epcis/capture",
        content=one,
        headers=auth(api, "tomas.herrera") | {"Content-Type": "text/plain"},
    )
    assert text.status_code == 415
    garbage = await http.post(
        "/epcis/capture", content=b"{not json", headers=auth(api, "tomas.herrera") | JSON_LD
    )
    assert garbage.status_code == 400
    assert "line 1" in garbage.json()["detail"]
    two = await http.post(
        "/epcis/events",
        content=json.dumps(document(observation("1"), observation("2"))),
        headers=auth(api, "tomas.herrera") | JSON_LD,
    )
    assert two.status_code == 400
    assert "one event, not 2" in two.json()["detail"]
    version = await http.post(
        "/epcis/capture",
        content=one,
        headers=auth(api, "tomas.herrera", **{"GS1-EPCIS-Version": "1.2"}) | JSON_LD,
    )
    assert version.status_code == 406
    anonymous = await http.post("/epcis/capture", content=one, headers=JSON_LD)
    assert anonymous.status_code == 401


async def test_shipment_facts_are_epcis_events_queried_by_the_standard_parameters(
    http: httpx.AsyncClient, api: RunningApi, registry: None
) -> None:
    cert_id, shipment_id, lot = new_id(), new_id("SHP"), new_id("LOT")
    subject = {"kind": "lot", "id": lot, "name": "Apples", "msp_id": "ProducerMSP"}
    issued = await http.post(
        "/api/v1/certificates",
        json=certificate(cert_id, subject=subject),
        headers=auth(api, "david.okafor", **WAIT),
    )
    assert issued.status_code == 200, issued.text
    item = {
        "sku": "APL-1",
        "gtin": "09506000134352",
        "description": "Apples",
        "quantity": "250.5",
        "unit": "KGM",
        "lot": lot,
        "certificate_ids": [cert_id],
    }
    bad_sscc = await http.post(
        "/api/v1/shipments",
        json={
            "id": shipment_id,
            "items": [item],
            "origin": "Orchard 4",
            "destination": {"msp_id": "RetailerMSP", "location": "Store 9"},
            "sscc": "095012340000000016",
        },
        headers=auth(api, "tomas.herrera"),
    )
    assert bad_sscc.status_code == 422, bad_sscc.text
    steps: list[tuple[str, str, Any]] = [
        (
            "tomas.herrera",
            "",
            {
                "id": shipment_id,
                "items": [item],
                "origin": "Orchard 4",
                "destination": {"msp_id": "RetailerMSP", "location": "Store 9"},
                "sscc": SSCC,
            },
        ),
        ("tomas.herrera", f"/{shipment_id}/transfer", {"to_msp": "CarrierMSP"}),
        ("sam.carter", f"/{shipment_id}/transfer/accept", None),
        (
            "sam.carter",
            f"/{shipment_id}/checkpoints",
            {
                "event_time": "2026-05-02T06:00:00+02:00",
                "event_time_zone_offset": "+02:00",
                "biz_step": "transporting",
                "disposition": "in_transit",
                "read_point": "truck-7",
                "sensor_readings": [{"type": "gs1:Temperature", "value": "3.5", "uom": "CEL"}],
            },
        ),
        ("sam.carter", f"/{shipment_id}/transfer", {"to_msp": "RetailerMSP"}),
        ("jonas.berg", f"/{shipment_id}/transfer/accept", None),
        ("jonas.berg", f"/{shipment_id}/delivery", None),
    ]
    for user, path, body in steps:
        done = await http.post(
            f"/api/v1/shipments{path}", json=body, headers=auth(api, user, **WAIT)
        )
        assert done.status_code == 200, done.text
    parent = "https://id.gs1.org/00/" + SSCC
    query = await http.get(
        "/epcis/events",
        params={"MATCH_anyEPC": parent},
        headers=auth(api, "jonas.berg"),
    )
    assert query.status_code == 200, query.text
    assert query.headers["content-type"].startswith("application/ld+json")
    results = query.json()
    assert results["type"] == "EPCISQueryDocument"
    events = results["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert [(e["type"], e["bizStep"]) for e in events] == [
        ("AggregationEvent", "packing"),
        ("ObjectEvent", "accepting"),
        ("ObjectEvent", "transporting"),
        ("ObjectEvent", "accepting"),
        ("ObjectEvent", "receiving"),
    ]
    for event in events:
        assert event_hash({"@context": CONTEXT, **event}) == event["eventID"]
    sensor = events[2]["sensorElementList"][0]["sensorReport"][0]
    assert sensor == {"type": "gs1:Temperature", "value": 3.5, "uom": "CEL"}
    lot_class = f"https://id.gs1.org/01/09506000134352/10/{lot}"
    by_class = await http.get(
        "/epcis/events",
        params={"MATCH_epcClass": lot_class, "eventType": "ObjectEvent"},
        headers=auth(api, "tomas.herrera"),
    )
    (commissioning,) = by_class.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert commissioning["bizStep"] == "commissioning"
    assert commissioning["certificationInfo"] == f"urn:provena:certificate:{cert_id}"
    assert commissioning["quantityList"] == [
        {"epcClass": lot_class, "quantity": 250.5, "uom": "KGM"}
    ]
    desadv = await http.get(
        "/epcis/events",
        params={
            "EQ_bizTransaction_desadv": f"urn:provena:shipment:{shipment_id}",
            "EQ_bizStep": "urn:epcglobal:cbv:bizstep:receiving",
        },
        headers=auth(api, "fatima.haddad"),
    )
    (received,) = desadv.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert received["disposition"] == "in_progress"

    # Paging: one event a page, following the Link header to the end.
    seen, url = [], "/epcis/events?MATCH_anyEPC=" + quote(parent, safe="") + "&perPage=2"
    while url:
        page = await http.get(url, headers=auth(api, "jonas.berg"))
        seen += page.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        link = page.headers.get("link")
        url = link[1 : link.index(">")] if link else ""
    assert [e["eventID"] for e in seen] == [e["eventID"] for e in events]


async def test_queries_answer_only_what_the_reader_may_see_and_refuse_unknown_parameters(
    http: httpx.AsyncClient, api: RunningApi
) -> None:
    event = observation(new_id("S"))
    answer = await http.post(
        "/epcis/events",
        content=json.dumps({"@context": CONTEXT, **event}),
        headers=auth(api, "tomas.herrera") | JSON_LD,
    )
    job = await finished(http, api, answer.headers["location"], "tomas.herrera")
    assert job["success"], job
    hashed = quote(event_hash({"@context": CONTEXT, **event}), safe="")
    assert (
        await http.get(f"/epcis/events/{hashed}", headers=auth(api, "jonas.berg"))
    ).status_code == 404
    assert (
        await http.get(f"/epcis/events/{hashed}", headers=auth(api, "fatima.haddad"))
    ).status_code == 200
    other_job = await http.get(answer.headers["location"], headers=auth(api, "jonas.berg"))
    assert other_job.status_code == 404
    for params in (
        {"MATCH_everything": "x"},
        {"GE_eventTime": "yesterday"},
        {"eventType": "PartyEvent"},
        {"nextPageToken": "not-a-token"},
    ):
        bad = await http.get("/epcis/events", params=params, headers=auth(api, "fatima.haddad"))
        assert bad.status_code == 400, params
        assert "QueryParameterException" in bad.json()["detail"]
    urn = await http.get(
        f"/epcis/events/{hashed}",
        headers=auth(api, "fatima.haddad", **{"GS1-EPC-Format": "Always_EPC_URN"}),
    )
    assert urn.status_code == 406
    canonical = await http.get(
        f"/epcis/events/{hashed}",
        headers=auth(api, "fatima.haddad", **{"GS1-EPC-Format": "Always_GS1_Digital_Link"}),
    )
    serial = event["epcList"][0].rsplit(".", 1)[1]
    assert canonical.json()["epcList"] == [f"https://id.gs1.org/01/10614141073464/21/{serial}"]
    assert canonical.headers["gs1-epc-format"] == "Always_GS1_Digital_Link"
