"""EPCIS subscriptions: a real webhook receiver that fails, goes away and comes back, and
gets every matching event at least once, in ledger order, signed."""

# ruff: noqa: F811 (the fixtures imported from tests.api.devnetapi are parameters here)

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from provena.epcis import event_hash
from tests.api.conftest import RunningApi
from tests.api.devnetapi import (  # noqa: F401 (fixtures)
    api,
    auth,
    backend,
    http,
    ledger,
    new_id,
)
from tests.support.server import free_port, serve

CONTEXT = ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"]
TOKEN = "a-webhook-secret-of-some-length"
JSON_LD = {"Content-Type": "application/ld+json"}


@pytest.fixture(scope="module")
def api_settings() -> dict[str, Any]:
    return {"webhook_max_backoff_seconds": 1}


@dataclass
class Receiver:
    """A webhook that answers 503 to its first `failures` requests, then 200."""

    failures: int = 2
    bodies: list[bytes] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle(self, request: Request) -> Response:
        body = await request.body()
        signature = request.headers.get("gs1-signature", "")
        expected = hmac.new(TOKEN.encode(), body, hashlib.sha256).hexdigest()
        with self.lock:
            status = 503 if len(self.answers) < self.failures else 200
            if not hmac.compare_digest(signature, expected):
                status = 401
            self.bodies.append(body)
            self.answers.append(status)
        return Response(status_code=status)

    def accepted(self) -> list[str]:
        """Event ids of the deliveries answered 200, in the order received."""
        with self.lock:
            pairs = list(zip(self.bodies, self.answers, strict=True))
        ids = []
        for body, status in pairs:
            if status == 200:
                results = json.loads(body)["epcisBody"]["queryResults"]
                ids += [event["eventID"] for event in results["resultsBody"]["eventList"]]
        return ids


def first_event(body: bytes) -> str:
    results = json.loads(body)["epcisBody"]["queryResults"]
    event_id: str = results["resultsBody"]["eventList"][0]["eventID"]
    return event_id


def observation(serial: str, minute: int) -> dict[str, Any]:
    return {
        "type": "ObjectEvent",
        "eventTime": f"2026-06-01T10:{minute:02d}:00.000Z",
        "eventTimeZoneOffset": "+00:00",
        "epcList": [f"https://id.gs1.org/01/09506000134352/21/{serial}"],
        "action": "OBSERVE",
        "bizStep": "inspecting",
    }


async def capture(http: httpx.AsyncClient, api: RunningApi, events: list[dict[str, Any]]) -> None:
    document = {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-06-01T12:00:00Z",
        "epcisBody": {"eventList": events},
    }
    answer = await http.post(
        "/epcis/capture", content=json.dumps(document), headers=auth(api, "tomas.herrera") | JSON_LD
    )
    assert answer.status_code == 202, answer.text
    async with asyncio.timeout(60):
        while True:
            job = (
                await http.get(answer.headers["location"], headers=auth(api, "tomas.herrera"))
            ).json()
            if not job["running"]:
                assert job["success"], job
                return
            await asyncio.sleep(0.1)


async def until(check: Any, seconds: float = 30) -> None:
    async with asyncio.timeout(seconds):
        while True:
            if check():
                return
            await asyncio.sleep(0.1)


async def test_every_matching_event_arrives_signed_in_order_and_a_receiver_catches_up(
    http: httpx.AsyncClient, api: RunningApi
) -> None:
    batch = new_id("B")
    serials = [f"{batch}-{n}" for n in range(8)]
    receiver = Receiver()
    port = free_port()
    with serve(Starlette(routes=[Route("/hook", receiver.handle, methods=["POST"])]), port) as url:
        created = await http.post(
            "/epcis/queries/SimpleEventQuery/subscriptions",
            json={
                "dest": f"{url}/hook",
                "signatureToken": TOKEN,
                "query": {
                    "MATCH_epc": "|".join(
                        f"https://id.gs1.org/01/09506000134352/21/{s}" for s in serials
                    ),
                    "EQ_bizStep": "inspecting",
                },
            },
            headers=auth(api, "tomas.herrera"),
        )
        assert created.status_code == 201, created.text
        location = created.headers["location"]
        first = [observation(s, n) for n, s in enumerate(serials[:5])]
        await capture(http, api, first)
        hashes = [event_hash({"@context": CONTEXT, **e}) for e in first]
        await until(lambda: len(receiver.accepted()) >= 5)
        assert receiver.answers[:3] == [503, 503, 200]
        # the refused deliveries did not move the position: each retry starts where it was
        assert [first_event(body) for body in receiver.bodies[:3]] == [hashes[0]] * 3
        assert receiver.accepted() == hashes  # once each, in ledger order

    # The receiver is gone: deliveries fail and are retried, nothing is skipped.
    later = [observation(s, 10 + n) for n, s in enumerate(serials[5:])]
    await capture(http, api, later)
    await asyncio.sleep(2)
    state = (await http.get(location, headers=auth(api, "tomas.herrera"))).json()
    assert state["failures"] >= 1, state
    assert state["lastError"]
    assert state["delivered"] == 5
    receiver.failures = 0
    with serve(Starlette(routes=[Route("/hook", receiver.handle, methods=["POST"])]), port):
        await until(lambda: len(receiver.accepted()) >= 8)
    assert receiver.accepted() == hashes + [event_hash({"@context": CONTEXT, **e}) for e in later]
    state = (await http.get(location, headers=auth(api, "tomas.herrera"))).json()
    assert (state["delivered"], state["failures"], state["lastError"]) == (8, 0, None)

    assert (await http.get(location, headers=auth(api, "jonas.berg"))).status_code == 404
    listed = await http.get(
        "/epcis/queries/SimpleEventQuery/subscriptions", headers=auth(api, "tomas.herrera")
    )
    assert state["subscriptionID"] in [s["subscriptionID"] for s in listed.json()]
    deleted = await http.delete(location, headers=auth(api, "tomas.herrera"))
    assert deleted.status_code == 204
    assert (await http.get(location, headers=auth(api, "tomas.herrera"))).status_code == 404


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"dest": "ftp://example.com/hook", "signatureToken": TOKEN}, 422),
        ({"dest": "https://example.com/hook", "signatureToken": "short"}, 422),
        (
            {"dest": "https://example.com/hook", "signatureToken": TOKEN, "query": {"EQ_x": "1"}},
            400,
        ),
    ],
)
async def test_a_subscription_needs_a_web_url_a_real_token_and_a_known_query(
    http: httpx.AsyncClient, api: RunningApi, body: dict[str, Any], status: int
) -> None:
    answer = await http.post(
        "/epcis/queries/SimpleEventQuery/subscriptions",
        json=body,
        headers=auth(api, "tomas.herrera"),
    )
    assert answer.status_code == status, answer.text
