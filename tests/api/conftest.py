"""A real Provena API on a loopback port, on SQLite or PostgreSQL, and how tests upload to it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from provena.api.app import create_app
from provena.db import bootstrap
from provena.identity.devissuer import DevIssuer
from provena.settings import Settings
from tests.support.databases import database_url
from tests.support.server import free_port, serve


@dataclass
class RunningApi:
    url: str
    app: FastAPI
    settings: Settings

    @property
    def issuer(self) -> DevIssuer:
        issuer = self.app.state.provena.dev_issuer
        assert isinstance(issuer, DevIssuer)
        return issuer

    def token(self, username: str = "david.okafor") -> str:
        return self.issuer.access_token(username)


def auth(api: RunningApi, username: str = "tomas.herrera") -> dict[str, str]:
    return {"Authorization": f"Bearer {api.token(username)}"}


async def post_document(
    client: httpx.AsyncClient,
    api: RunningApi,
    content: bytes | AsyncIterable[bytes],
    *,
    name: str,
    media_type: str | None = None,
    username: str = "tomas.herrera",
) -> httpx.Response:
    """Upload `content` as a raw body named `name`, as `username` (no Content-Type unless
    `media_type` is given)."""
    headers = auth(api, username)
    if media_type is not None:
        headers["Content-Type"] = media_type
    return await client.post(
        "/api/v1/documents", params={"name": name}, content=content, headers=headers
    )


def stored_files(data: Path) -> set[Path]:
    """Every file an upload may write under `data`: spool, objects and blocks."""
    places = [data / "spool", data / "objects", data / "ipfs"]
    return {
        p.relative_to(data)
        for place in places
        if place.exists()
        for p in place.rglob("*")
        if p.is_file()
    }


@contextmanager
def start_api(directory: Path, db_url: str, **overrides: Any) -> Iterator[RunningApi]:
    """The API on `db_url`, migrated and seeded, serving on a free loopback port."""
    asyncio.run(bootstrap(db_url))
    port = free_port()
    options: dict[str, Any] = {"web_dir": None} | overrides
    settings = Settings(data_dir=directory, port=port, database_url=db_url, **options)
    app = create_app(settings)
    with serve(app, port) as url:
        yield RunningApi(url=url, app=app, settings=settings)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningApi]:
    """The API on each database backend, shared by a module's tests."""
    directory = tmp_path_factory.mktemp(f"api-{request.param}")
    with database_url(request.param, directory) as url, start_api(directory, url) as api:
        yield api


@pytest.fixture
async def client(api: RunningApi) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=api.url, timeout=10) as client:
        yield client
