"""Servers the hostile-input tests run: the API trusting an external issuer, and canaries.

A `Canary` is a loopback server that answers anything and records every request it gets,
so a test can prove the API did not go somewhere it should not (a host a discovery
document, a token header or a request body named).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.api.conftest import RunningApi, start_api
from tests.support.issuer import FakeIssuer
from tests.support.server import serve


@dataclass
class Canary:
    """Answers every request with `body` (and `status`), recording its method and path."""

    url: str = ""
    body: Any = field(default_factory=dict)
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)

    def app(self) -> Starlette:
        async def anything(request: Request) -> Response:
            self.hits.append(f"{request.method} {request.url.path}")
            return JSONResponse(self.body, status_code=self.status, headers=self.headers)

        methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
        return Starlette(routes=[Route("/{path:path}", anything, methods=methods)])


@contextmanager
def running_canary(body: Any = None, status: int = 200) -> Iterator[Canary]:
    canary = Canary(body={} if body is None else body, status=status)
    with serve(canary.app()) as url:
        canary.url = url
        yield canary


@contextmanager
def api_trusting(issuer: FakeIssuer, directory: Path, **overrides: Any) -> Iterator[RunningApi]:
    """A real API on loopback, on SQLite, whose only issuer is `issuer` (no development one)."""
    database = f"sqlite:///{directory / 'db.sqlite'}"
    options: dict[str, Any] = {"dev_issuer": False, "oidc_issuer": issuer.url} | overrides
    with start_api(directory, database, **options) as api:
        yield api


def me(api: RunningApi, token: str) -> httpx.Response:
    return httpx.get(f"{api.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """The problem details body of `response`, after checking its status and media type."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body
