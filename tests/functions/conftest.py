"""The functions as Fn runs them (fdk's own fixtures), on real databases and loopback OCI.

Object Storage is the signature-checking fake of tests/storage (the inbox bucket), the
documents go to a local object store and the embedded content store, and Notifications is
the loopback ONS of tests/support; the functions sign their requests with a test user's
API key, as they would with their resource principal in OCI.
"""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from provena.db import Database, bootstrap
from provena.functions.fdkimport import import_fdk
from tests.storage.oci_server import FakeObjectStorage, OciUser
from tests.support.databases import database_url
from tests.support.ons import FakeNotifications

fixtures = import_fdk("fixtures")
TOPIC = "ocid1.onstopic.oc1.eu-frankfurt-1.aaaaprovena"
INBOX = "provena-inbox"


@dataclass
class Cloud:
    """The loopback OCI services the functions are configured for."""

    storage: FakeObjectStorage
    notifications: FakeNotifications
    database: Database
    data_dir: Path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def cloud(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Cloud]:
    user = OciUser.create(tmp_path / "oci")
    storage = FakeObjectStorage(user.key_id, user.public_key, bucket=INBOX)
    notifications = FakeNotifications(user.key_id, user.public_key, topics={TOPIC})
    storage_server, storage_url = storage.serve()
    ons_server, ons_url = notifications.serve()
    data_dir = tmp_path / "data"
    try:
        with database_url(request.param, tmp_path) as url:
            await bootstrap(url)
            environment = {
                "PROVENA_DATABASE_URL": url,
                "PROVENA_DATA_DIR": str(data_dir),
                "PROVENA_STORAGE_BACKEND": "local",
                "PROVENA_STORAGE_MAX_OBJECT_SIZE": str(64 * 1024),
                "PROVENA_OCI_AUTH": "api_key",
                "PROVENA_OCI_CONFIG_FILE": str(user.config),
                "PROVENA_OCI_ENDPOINT": storage_url,
                "PROVENA_OCI_NAMESPACE": storage.namespace,
                "PROVENA_INBOX_BUCKET": INBOX,
                "PROVENA_ONS_TOPIC_ID": TOPIC,
                "PROVENA_ONS_ENDPOINT": ons_url,
            }
            for name, value in environment.items():
                monkeypatch.setenv(name, value)
            async with Database.from_url(url) as database:
                yield Cloud(storage, notifications, database, data_dir)
    finally:
        for server in (storage_server, ons_server):
            server.shutdown()
            server.server_close()


async def invoke(handler: Any, body: bytes = b"") -> tuple[dict[str, Any], int]:
    """Call `handler` as the Fn platform does (fdk's fixtures: headers, context, response);
    the JSON answer and the status."""
    call = await fixtures.setup_fn_call(handler, content=io.BytesIO(body))
    content, status, headers = await call
    assert headers["content-type"] == "application/json"
    answer: dict[str, Any] = json.loads(content)
    return answer, status
