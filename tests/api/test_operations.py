"""Liveness, readiness, metrics, request ids, problem details and client config."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx

from provena.api.app import create_app
from provena.api.observability import JsonFormatter, request_id
from provena.settings import Settings
from tests.api.conftest import RunningApi
from tests.support.server import free_port, serve


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_reports_each_dependency(api: RunningApi, client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    checks = {c["name"]: c for c in body["checks"]}
    assert set(checks) == {"database", "identity", "data_dir", "object_store", "blockstore"}
    assert all(c["status"] == "ok" for c in checks.values())
    assert checks["database"]["detail"] == api.settings.sqlalchemy_url.split(":")[0]
    assert "1 signing key" in checks["identity"]["detail"]
    assert all(c["latency_ms"] >= 0 for c in checks.values())


def test_readyz_fails_when_database_is_down(tmp_path: Path) -> None:
    dead_url = f"postgresql://postgres@127.0.0.1:{free_port()}/provena"
    settings = Settings(data_dir=tmp_path, port=free_port(), database_url=dead_url)
    with serve(create_app(settings), settings.port) as url:
        response = httpx.get(f"{url}/readyz", timeout=30)
    assert response.status_code == 503
    body = response.json()
    checks = {c["name"]: c for c in body["checks"]}
    assert body["status"] == "fail"
    assert checks["database"]["status"] == "fail"
    assert "connection" in checks["database"]["detail"].lower()
    assert checks["data_dir"]["status"] == "ok"


async def test_config_for_browser_clients(api: RunningApi, client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/config")
    assert response.status_code == 200
    body = response.json()
    assert body["profile"] == "development"
    assert body["oidc"] == {
        "authority": f"{api.url}/dev-oidc",
        "client_id": "provena-web",
        "scope": "openid profile email groups",
    }


async def test_request_id_echoed_or_created(client: httpx.AsyncClient) -> None:
    given = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = await client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    assert len(made.headers["x-request-id"]) == 32
    other = await client.get("/healthz")
    assert other.headers["x-request-id"] != made.headers["x-request-id"]


async def test_metrics_count_requests_by_route(client: httpx.AsyncClient) -> None:
    for _ in range(3):
        await client.get("/healthz")
    await client.get("/api/v1/no/such/thing/12345")
    text = (await client.get("/metrics")).text
    healthz = [
        line
        for line in text.splitlines()
        if line.startswith("provena_http_requests_total{")
        and 'route="/healthz"' in line
        and 'status="200"' in line
    ]
    assert healthz
    assert float(healthz[0].rsplit(" ", 1)[1]) >= 3
    assert "12345" not in text  # unmatched paths never become label values
    assert 'route="unmatched"' in text or 'route="static"' in text  # web app mounted or not
    assert "provena_http_request_duration_seconds_bucket" in text


async def test_unknown_api_path_is_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "Not Found",
        "instance": "/api/v1/nothing-here",
    }


async def test_openapi_docs_served(client: httpx.AsyncClient) -> None:
    assert (await client.get("/docs")).status_code == 200
    schema = (await client.get("/openapi.json")).json()
    assert "/api/v1/me" in schema["paths"]
    assert "/readyz" in schema["paths"]


def test_json_log_lines_carry_request_id() -> None:
    record = logging.LogRecord("provena.test", logging.INFO, __file__, 1, "hello %s", ("x",), None)
    record.status = 200
    token = request_id.set("req-42")
    try:
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["message"] == "hello x"
    assert line["request_id"] == "req-42"
    assert line["status"] == 200
    assert line["level"] == "INFO"


async def test_paths_under_ipfs_that_no_gateway_route_matches_are_sandboxed_too(
    client: httpx.AsyncClient,
) -> None:
    for path in ("/ipfs", "/ipfs/", "/ipfs/%0Aname"):
        answer = await client.get(path)  # the web app's fallback page, or a 404
        assert answer.headers["content-security-policy"] == "sandbox; default-src 'none'"
        assert answer.headers["x-content-type-options"] == "nosniff"
    elsewhere = await client.get("/api/v1/nothing-here")  # the app's own policy, not the sandbox
    assert not elsewhere.headers["content-security-policy"].startswith("sandbox")
