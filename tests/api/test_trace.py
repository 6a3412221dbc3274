"""Trace through the API on the real devnet: lots packed into shipments and transformed into
other lots, walked upstream and downstream, each edge with its event and ledger proof."""

# ruff: noqa: F811 (the fixtures imported from tests.api.devnetapi are parameters here)

from __future__ import annotations

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
