"""`/docs` and `/redoc` load nothing from another origin: their assets are the API's own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from tests.api.conftest import RunningApi, start_api

_REFERENCE = re.compile(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""")
_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApi]:
    directory = tmp_path_factory.mktemp("docs")
    with start_api(directory, f"sqlite+aiosqlite:///{directory}/provena.db") as api:
        yield api


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_page_loads_only_same_origin_assets(api: RunningApi, page: str) -> None:
    response = httpx.get(f"{api.url}{page}")
    assert response.status_code == 200
    references = _REFERENCE.findall(response.text)
    assets = [r for r in references if Path(urlsplit(r).path).suffix in _TYPES]
    assert len(assets) >= 2, references
    for reference in references:
        url = urljoin(f"{api.url}{page}", reference)
        assert url.startswith(f"{api.url}/"), f"{page} loads {reference} from elsewhere"
    for reference in assets:
        asset = httpx.get(urljoin(f"{api.url}{page}", reference))
        assert asset.status_code == 200, reference
        content_type = asset.headers["content-type"].split(";")[0]
        assert content_type == _TYPES[Path(urlsplit(reference).path).suffix], reference
        assert len(asset.content) > 1000
    assert "/openapi.json" in references


def test_swagger_oauth2_redirect_is_local(api: RunningApi) -> None:
    response = httpx.get(f"{api.url}/docs/oauth2-redirect")
    assert response.status_code == 200
    assert "oauth2" in response.text


def test_the_schema_declares_errors_as_the_problem_documents_the_api_sends(
    api: RunningApi,
) -> None:
    schema = httpx.get(f"{api.url}/openapi.json").json()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    declared = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation.get("responses", {}).items():
                if not status.startswith(("4", "5")):
                    continue
                content = response.get("content", {})
                as_json = content.get("application/json", {}).get("schema", {})
                assert as_json.get("$ref") != "#/components/schemas/Problem", (method, path)
                problem = content.get("application/problem+json", {}).get("schema")
                if problem is not None:  # (the trustless gateway declares no schema of its own)
                    assert problem == {"$ref": "#/components/schemas/Problem"}, (method, path)
                    declared += 1
    assert declared > 0
    signed_out = httpx.post(f"{api.url}/api/v1/certificates", json={})
    for refused, status in ((signed_out, 401), (httpx.get(f"{api.url}/ipfs/0"), 400)):
        assert refused.status_code == status, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
