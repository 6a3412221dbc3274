"""GET /api/v1/events through a real API: resume without loss or repeats, audience, auth,
heartbeats and cleanup, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from provena.api.routes import events as events_route
from provena.db import Database, FeedEvent
from provena.events import publish
from tests.api.conftest import RunningApi, api, client
from tests.events.sse import Reader

__all__ = ["api", "client"]


@pytest.fixture
async def feed(api: RunningApi) -> AsyncIterator[Database]:
    async with Database.from_url(api.settings.sqlalchemy_url) as database:
        yield database


async def announce(database: Database, kind: str, *audience: str) -> int:
    async with database.session() as session:
        await publish(session, kind, {"n": kind}, audience)
        await session.commit()
        newest = await session.scalar(select(func.max(FeedEvent.id)).where(FeedEvent.kind == kind))
    assert newest is not None
    return newest


def auth(api: RunningApi, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api.token(username)}"}


async def test_resumes_after_last_event_id_with_no_loss_and_no_repeat(
    api: RunningApi, client: httpx.AsyncClient, feed: Database
) -> None:
    ids = [await announce(feed, f"test.resume{i}", "CertifierMSP") for i in range(3)]
    headers = auth(api, "david.okafor") | {"Last-Event-ID": str(ids[0])}
    async with client.stream("GET", "/api/v1/events", headers=headers) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        reader = Reader(response)
        got = await reader.take(2)
        ids.append(await announce(feed, "test.resume3", "CertifierMSP"))
        got += await reader.take(1)
    assert [f.id for f in got] == ids[1:]
    assert [f.event for f in got] == ["test.resume1", "test.resume2", "test.resume3"]
    assert got[0].data is not None
    assert got[0].data["payload"] == {"n": "test.resume1"}
    params = {"last_event_id": str(ids[2]), "access_token": api.token("david.okafor")}
    async with client.stream("GET", "/api/v1/events", params=params) as response:
        ids.append(await announce(feed, "test.resume4", "CertifierMSP"))
        assert [f.id for f in await Reader(response).take(2)] == ids[3:]


async def test_each_principal_sees_their_organizations_rows_and_auditors_all(
    api: RunningApi, client: httpx.AsyncClient, feed: Database
) -> None:
    start = await announce(feed, "test.start")
    producer = await announce(feed, "test.producer", "ProducerMSP")
    certifier = await announce(feed, "test.certifier", "CertifierMSP", "RetailerMSP")
    seen: dict[str, list[int | None]] = {}
    for username, count in (("tomas.herrera", 1), ("david.okafor", 1), ("lars.nilsson", 2)):
        headers = auth(api, username) | {"Last-Event-ID": str(start)}
        async with client.stream("GET", "/api/v1/events", headers=headers) as response:
            seen[username] = [f.id for f in await Reader(response).take(count)]
    assert seen == {
        "tomas.herrera": [producer],
        "david.okafor": [certifier],
        "lars.nilsson": [producer, certifier],
    }


async def test_a_token_is_required_in_the_header_or_the_query(
    api: RunningApi, client: httpx.AsyncClient
) -> None:
    refused = await client.get("/api/v1/events")
    assert refused.status_code == 401
    bad = await client.get("/api/v1/events", params={"access_token": "not-a-token"})
    assert bad.status_code == 401
    params = {"access_token": api.token("david.okafor")}
    async with client.stream("GET", "/api/v1/events", params=params) as response:
        assert response.status_code == 200


async def test_heartbeats_while_idle_and_cleanup_on_disconnect(
    api: RunningApi, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(events_route, "HEARTBEAT_SECONDS", 0.2)
    hub: Any = api.app.state.feed_hub
    async with client.stream("GET", "/api/v1/events", headers=auth(api, "lars.nilsson")) as r:
        first = await asyncio.wait_for(Reader(r).frame(), 5)
        assert first.comment == "heartbeat"
        assert hub.subscribers == 1
    for _ in range(100):
        if hub.subscribers == 0:
            break
        await asyncio.sleep(0.05)
    assert hub.subscribers == 0
