"""Two real API processes on one PostgreSQL database: a feed row committed anywhere reaches
the SSE clients of both, through LISTEN/NOTIFY (the hub's fallback poll is 30 s away)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import AsyncExitStack, ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from provena.db import Database, FeedEvent, bootstrap
from provena.events import publish
from provena.identity.devissuer import DevIssuer, load_or_create_key
from provena.settings import Settings
from tests.events.sse import Reader
from tests.support.databases import database_url
from tests.support.server import free_port


@contextmanager
def api_process(directory: Path, db_url: str) -> Iterator[tuple[str, DevIssuer]]:
    """`uvicorn provena.api.app:create_app` in its own process; its URL and token issuer."""
    port = free_port()
    env = os.environ | {
        "PROVENA_DATA_DIR": str(directory),
        "PROVENA_DATABASE_URL": db_url,
        "PROVENA_PORT": str(port),
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", "provena.api.app:create_app"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(command, env=env)
    settings = Settings(data_dir=directory, port=port, database_url=db_url)
    issuer = DevIssuer(
        issuer=settings.issuer_url,
        key=load_or_create_key(directory / "dev-issuer" / "signing-key.pem"),
        client_id=settings.oidc_client_id,
        audience=settings.oidc_audience,
        role_groups=settings.oidc_role_groups,
        org_groups=settings.oidc_org_groups,
        redirect_uris=[],
    )
    try:
        yield settings.base_url, issuer
    finally:
        process.terminate()
        process.wait(timeout=30)


async def until_up(url: str) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            try:
                if (await client.get(url + "/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    pytest.fail(f"the API at {url} did not start")


@pytest.mark.postgres
async def test_a_row_reaches_sse_clients_of_both_processes(tmp_path: Path) -> None:
    load_or_create_key(tmp_path / "dev-issuer" / "signing-key.pem")  # one key for both
    with database_url("postgresql", tmp_path) as url, ExitStack() as processes:
        await bootstrap(url)
        apis = [processes.enter_context(api_process(tmp_path, url)) for _ in range(2)]
        for base, _ in apis:
            await until_up(base)
        async with AsyncExitStack() as streams:
            client = await streams.enter_async_context(httpx.AsyncClient(timeout=10))
            readers = []
            for base, issuer in apis:
                headers = {"Authorization": f"Bearer {issuer.access_token('tomas.herrera')}"}
                response = await streams.enter_async_context(
                    client.stream("GET", base + "/api/v1/events", headers=headers)
                )
                assert response.status_code == 200
                readers.append(Reader(response))
            await asyncio.sleep(0.5)  # both subscriptions are open and waiting
            async with Database.from_url(url) as database, database.session() as session:
                await publish(session, "test.fanout", {"n": 1}, ["ProducerMSP"])
                await session.commit()
                row_id = await session.scalar(select(func.max(FeedEvent.id)))
            for reader in readers:
                frames = await reader.take(1, seconds=3)  # NOTIFY, not the 30 s poll
                assert [(f.id, f.event) for f in frames] == [(row_id, "test.fanout")]
