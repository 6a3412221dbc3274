"""A real Provena API on a loopback port, on SQLite or PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
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
