"""Trace through the API on the real devnet: lots packed into shipments and transformed into
other lots, walked upstream and downstream, each edge with its event and ledger proof."""

# ruff: noqa: F811 (the fixtures imported from tests.api.devnetapi are parameters here)

from __future__ import annotations

import asyncio
import csv
import io
from typing import Any
from urllib.parse import quote

import httpx
import pytest

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
from tests.events.sse import Reader

GTIN_APPLES, GTIN_JUICE = "09506000134352", "09506000134376"


def lot_uri(gtin: str, lot: str) -> str:
    return f"https://id.gs1.org/01/{gtin}/10/{lot}"


async def write(http: httpx.AsyncClient, api: RunningApi, user: str, path: str, body: Any) -> None:
    done = await http.post(path, json=body, headers=auth(api, user, **WAIT))
    assert done.status_code == 200, done.text


def shipment(id: str, gtin: str, lot: str, certificate_id: str | None) -> dict[str, Any]:
    return {
        "id": id,
        "items": [
            {
                "sku": f"SKU-{gtin[-4:]}",
                "gtin": gtin,
                "description": "Goods",
                "quantity": "100",
                "unit": "KGM",
                "lot": lot,
                "certificate_ids": [certificate_id] if certificate_id else [],
            }
        ],
        "origin": "Orchard 4",
        "destination": {"msp_id": "RetailerMSP", "location": "Store 9"},
    }


@pytest.fixture(scope="module")
async def chain(api: RunningApi, registry: None) -> dict[str, str]:
    """Apples certified and shipped to the carrier; pressed into juice; juice shipped."""
    async with httpx.AsyncClient(base_url=api.url, timeout=60) as http:
        apples, juice = new_id("APL"), new_id("JCE")
        cert_id = new_id()
        subject = {"kind": "lot", "id": apples, "name": "Apples", "msp_id": "ProducerMSP"}
        await write(
            http, api, "david.okafor", "/api/v1/certificates", certificate(cert_id, subject=subject)
        )
        first, second = new_id("SHP"), new_id("SHP")
        await write(
            http,
            api,
            "tomas.herrera",
            "/api/v1/shipments",
            shipment(first, GTIN_APPLES, apples, cert_id),
        )
        await write(
            http,
            api,
            "tomas.herrera",
            f"/api/v1/shipments/{first}/transfer",
            {"to_msp": "CarrierMSP"},
        )
        await write(http, api, "sam.carter", f"/api/v1/shipments/{first}/transfer/accept", None)
        await write(
            http,
            api,
            "tomas.herrera",
            "/api/v1/transformations",
            {
                "id": new_id("TR"),
                "inputs": [
                    {"epc_class": lot_uri(GTIN_APPLES, apples), "quantity": "1000", "uom": "KGM"}
                ],
                "outputs": [
                    {"epc_class": lot_uri(GTIN_JUICE, juice), "quantity": "640", "uom": "LTR"}
                ],
                "location": "https://id.gs1.org/414/9506000134369",
            },
        )
        await write(
            http,
            api,
            "tomas.herrera",
            "/api/v1/shipments",
            shipment(second, GTIN_JUICE, juice, None),
        )
        return {
            "apples": lot_uri(GTIN_APPLES, apples),
            "juice": lot_uri(GTIN_JUICE, juice),
            "first": first,
            "second": second,
            "certificate": cert_id,
        }


async def traced(
    http: httpx.AsyncClient, api: RunningApi, user: str, id: str, direction: str = "both"
) -> Any:
    answer = await http.get(
        "/api/v1/trace", params={"id": id, "direction": direction}, headers=auth(api, user)
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_downstream_of_a_lot_reaches_what_it_was_made_into_and_who_holds_it(
    http: httpx.AsyncClient, api: RunningApi, chain: dict[str, str]
) -> None:
    graph = await traced(http, api, "fatima.haddad", chain["apples"], "downstream")
    nodes = {node["id"]: node for node in graph["nodes"]}
    first_unit = f"urn:provena:shipment:{chain['first']}"
    second_unit = f"urn:provena:shipment:{chain['second']}"
    assert nodes[chain["apples"]]["depth"] == 0
    assert (nodes[first_unit]["depth"], nodes[first_unit]["holder_msp_id"]) == (1, "CarrierMSP")
    assert nodes[chain["juice"]]["depth"] == 1
    assert nodes[chain["juice"]]["kind"] == "lot"
    assert (nodes[second_unit]["depth"], nodes[second_unit]["shipment_id"]) == (2, chain["second"])
    relations = {(e["source"], e["target"]): e["relation"] for e in graph["edges"]}
    assert relations[(chain["apples"], chain["juice"])] == "transformed_into"
    assert relations[(chain["juice"], second_unit)] == "packed_into"
    assert not graph["truncated"]


async def test_upstream_from_a_shipment_or_its_certificate_and_every_edge_has_a_proof(
    http: httpx.AsyncClient, api: RunningApi, chain: dict[str, str]
) -> None:
    graph = await traced(http, api, "fatima.haddad", chain["second"], "upstream")
    depths = {node["id"]: node["depth"] for node in graph["nodes"]}
    assert depths[chain["juice"]] == -1
    assert depths[chain["apples"]] == -2
    by_certificate = await traced(http, api, "fatima.haddad", chain["certificate"])
    assert by_certificate["roots"] == [chain["apples"]]
    for edge in graph["edges"]:
        proof = await http.get(
            f"/api/v1/trace/proof/{quote(edge['event_id'], safe='')}",
            headers=auth(api, "fatima.haddad"),
        )
        assert proof.status_code == 200, proof.text
        body = proof.json()
        assert body["hash_verified"]
        assert (body["proof"]["tx_id"], body["proof"]["block_number"]) == (
            edge["tx_id"],
            edge["block_number"],
        )
        assert body["proof"]["validation_code"] == "VALID"


async def test_a_trace_shows_only_the_events_the_reader_may_see(
    http: httpx.AsyncClient, api: RunningApi, chain: dict[str, str]
) -> None:
    graph = await traced(http, api, "jonas.berg", chain["juice"], "upstream")
    assert [node["id"] for node in graph["nodes"]] == [chain["juice"]]  # the press is private
    nothing = await http.get(
        "/api/v1/trace",
        params={"id": "https://id.gs1.org/01/09506000134352/10/NONE"},
        headers=auth(api, "jonas.berg"),
    )
    assert nothing.status_code == 200
    assert len(nothing.json()["nodes"]) == 1
    anonymous = await http.get("/api/v1/trace", params={"id": chain["juice"]})
    assert anonymous.status_code == 401
    proof = await http.get(
        f"/api/v1/trace/proof/{quote('ni:///sha-256;' + '0' * 64 + '?ver=CBV2.0', safe='')}",
        headers=auth(api, "fatima.haddad"),
    )
    assert proof.status_code == 404


async def test_a_recall_reaches_what_was_made_from_the_lot_and_tells_its_holders_live(
    http: httpx.AsyncClient, api: RunningApi, chain: dict[str, str]
) -> None:
    auditor = await http.get(
        "/api/v1/recalls/preview",
        params={"lot": chain["apples"]},
        headers=auth(api, "fatima.haddad"),
    )
    assert auditor.status_code == 403  # auditors read recalls, they do not make them
    answer = await http.get(
        "/api/v1/recalls/preview",
        params={"lot": chain["apples"]},
        headers=auth(api, "tomas.herrera"),
    )
    assert answer.status_code == 200, answer.text
    found = answer.json()
    reached = {a["id"]: a for a in found["affected"]}
    second_unit = f"urn:provena:shipment:{chain['second']}"
    assert {chain["apples"], chain["juice"], second_unit} <= set(reached)
    assert reached[second_unit]["shipment_id"] == chain["second"]
    assert {s["id"] for s in found["shipments"]} == {chain["first"], chain["second"]}
    assert found["organizations"] == ["CarrierMSP", "CertifierMSP", "ProducerMSP", "RetailerMSP"]
    assert found["certificates"] == [chain["certificate"]]

    recall_id = new_id("RCL")
    async with http.stream("GET", "/api/v1/events", headers=auth(api, "jonas.berg")) as stream:
        reader = Reader(stream)
        recorded = await http.post(
            "/api/v1/recalls",
            json={"id": recall_id, "lots": [chain["apples"]], "reason": "patulin above limit"},
            headers=auth(api, "tomas.herrera", **WAIT),
        )
        assert recorded.status_code == 200, recorded.text
        async with asyncio.timeout(30):
            while True:
                (frame,) = await reader.take(1, seconds=30)
                if frame.event == "recall.recorded":
                    assert frame.data is not None
                    assert frame.data["payload"]["id"] == recall_id
                    break
    again = await http.post(
        "/api/v1/recalls",
        json={"id": recall_id, "lots": [chain["apples"]], "reason": "twice"},
        headers=auth(api, "tomas.herrera"),
    )
    assert again.status_code == 409
    read = await http.get(f"/api/v1/recalls/{recall_id}", headers=auth(api, "jonas.berg"))
    assert read.status_code == 200, read.text
    recall = read.json()
    assert recall["reason"] == "patulin above limit"
    assert {s["id"] for s in recall["shipments"]} == {chain["first"], chain["second"]}
    shipment = await http.get(
        f"/api/v1/shipments/{chain['second']}", headers=auth(api, "jonas.berg")
    )
    assert recall_id in shipment.json()["recalls"]  # the ledger's mark, on the shipment's page
    listed = await http.get("/api/v1/recalls", headers=auth(api, "jonas.berg"))
    assert recall_id in [r["id"] for r in listed.json()["data"]]
    exported = await http.get(
        f"/api/v1/recalls/{recall_id}/export.csv", headers=auth(api, "jonas.berg")
    )
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert {row["identifier"] for row in rows} == set(reached)
    assert {row["holder_msp_id"] for row in rows if row["shipment_id"] == chain["first"]} == {
        "CarrierMSP"
    }
    document = (
        await http.get(
            f"/api/v1/recalls/{recall_id}/export.jsonld", headers=auth(api, "jonas.berg")
        )
    ).json()
    events = document["epcisBody"]["eventList"]
    assert events[-1]["disposition"] == "recalled"
    assert events[-1]["eventID"] == recall["event_id"]
    assert {"TransformationEvent", "AggregationEvent"} <= {e["type"] for e in events}
    certifier = await http.get(f"/api/v1/recalls/{recall_id}", headers=auth(api, "mei.tanaka"))
    assert certifier.status_code == 200  # the body that certified the lot is told
    private_id = new_id("RCL")
    alone = await http.post(
        "/api/v1/recalls",
        json={"id": private_id, "lots": [lot_uri(GTIN_APPLES, new_id())], "reason": "unsold"},
        headers=auth(api, "tomas.herrera", **WAIT),
    )
    assert alone.status_code == 200, alone.text
    hidden = await http.get(f"/api/v1/recalls/{private_id}", headers=auth(api, "jonas.berg"))
    assert hidden.status_code == 404  # it reached nothing the retailer holds
