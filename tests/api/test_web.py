"""The API serves the built web app, with client-side routes falling back to index.html."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import RunningApi, start_api


@pytest.fixture(scope="module")
def web_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApi]:
    directory = tmp_path_factory.mktemp("web")
    dist = directory / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>Provena</title><div id=root>")
    (dist / "assets" / "app-1234.js").write_text("console.log('provena')")
    with start_api(directory, f"sqlite:///{directory / 'db.sqlite'}", web_dir=dist) as api:
        yield api


@pytest.mark.parametrize("path", ["/", "/profile", "/system", "/auth/callback"])
def test_pages_get_index(web_api: RunningApi, path: str) -> None:
    response = httpx.get(web_api.url + path)
    assert response.status_code == 200
    assert "<title>Provena</title>" in response.text


def test_assets_cached_immutably(web_api: RunningApi) -> None:
    response = httpx.get(web_api.url + "/assets/app-1234.js")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert httpx.get(web_api.url + "/assets/missing.js").status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/unknown", "/dev-oidc/unknown", "/favicon-none.png"])
def test_server_paths_are_not_the_app(web_api: RunningApi, path: str) -> None:
    response = httpx.get(web_api.url + path)
    assert response.status_code == 404


def test_api_still_served(web_api: RunningApi) -> None:
    assert httpx.get(web_api.url + "/healthz").json() == {"status": "ok"}
    assert Path(web_api.settings.web_root or "").name == "dist"
