"""The inbox import: an Object Storage event in, a document out, the inbox emptied; and
every refusal answered, with the object left where it was."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import anyio
import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from provena.db import Document, DocumentReference
from provena.functions import handler, inbox_import
from provena.functions.cloudevent import CREATE_OBJECT
from tests.functions.conftest import INBOX, Cloud, invoke
from tests.storage.oci_server import OciUser

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40


def event(
    name: str, *, kind: str = CREATE_OBJECT, bucket: str = INBOX, namespace: str = "provenans"
) -> bytes:
    """The body OCI Events sends a function for an object created in `bucket`."""
    return json.dumps(
        {
            "eventType": kind,
            "cloudEventsVersion": "0.1",
            "eventTypeVersion": "2.0",
            "source": "ObjectStorage",
            "eventID": "d1d5a1a0-0000-4000-8000-000000000001",
            "eventTime": "2026-03-01T10:00:00Z",
            "contentType": "application/json",
            "data": {
                "compartmentId": "ocid1.compartment.oc1..aaaaprovena",
                "resourceName": name,
                "resourceId": f"/n/{namespace}/b/{bucket}/o/{name}",
                "additionalDetails": {"namespace": namespace, "bucketName": bucket},
            },
        }
    ).encode()


def drop(cloud: Cloud, name: str, data: bytes, content_type: str = "application/pdf") -> None:
    cloud.storage.objects[name] = (data, content_type, datetime.now(UTC))


async def test_an_inbox_file_becomes_a_document_and_leaves_the_inbox(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROVENA_FUNCTION", "inbox-import")
    drop(cloud, "ProducerMSP/lab/report.pdf", PDF)
    answer, status = await invoke(handler, event("ProducerMSP/lab/report.pdf"))
    assert status == 200, answer
    imported = answer["result"]["document"]
    sha256 = hashlib.sha256(PDF).hexdigest()
    assert imported["sha256"] == sha256
    assert (imported["name"], imported["msp_id"], imported["created"]) == (
        "report.pdf",
        "ProducerMSP",
        True,
    )
    assert "ProducerMSP/lab/report.pdf" not in cloud.storage.objects
    async with cloud.database.session() as session:
        document = await session.scalar(
            select(Document).options(selectinload(Document.locations)).filter_by(sha256=sha256)
        )
        assert document is not None
        assert document.cid == imported["cid"]
        assert (document.media_type, document.size) == ("application/pdf", len(PDF))
        assert {(loc.store, loc.key) for loc in document.locations} == {
            ("ipfs", document.cid),
            ("local", f"sha256/{sha256}"),
        }
        references = (await session.scalars(select(DocumentReference))).all()
    assert [(r.msp_id, r.name) for r in references] == [("ProducerMSP", "report.pdf")]
    stored = cloud.data_dir / "objects" / "sha256" / sha256
    assert await anyio.Path(stored).read_bytes() == PDF


async def test_the_same_bytes_from_another_organization_add_its_reference(cloud: Cloud) -> None:
    drop(cloud, "ProducerMSP/report.pdf", PDF)
    first, _ = await invoke(inbox_import, event("ProducerMSP/report.pdf"))
    drop(cloud, "CarrierMSP/copy.pdf", PDF)
    second, status = await invoke(inbox_import, event("CarrierMSP/copy.pdf"))
    assert status == 200, second
    assert second["result"]["document"]["created"] is False
    assert second["result"]["document"]["cid"] == first["result"]["document"]["cid"]
    async with cloud.database.session() as session:
        references = (await session.scalars(select(DocumentReference))).all()
    assert sorted((r.msp_id, r.name) for r in references) == [
        ("CarrierMSP", "copy.pdf"),
        ("ProducerMSP", "report.pdf"),
    ]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"not json", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (event("ProducerMSP/a.pdf", kind="com.oraclecloud.objectstorage.deleteobject"), "got"),
        (json.dumps({"eventType": CREATE_OBJECT}).encode(), "no 'data'"),
        (event("ProducerMSP/a.pdf", bucket="provena-documents"), "imports from"),
    ],
)
async def test_a_bad_event_is_refused_and_the_inbox_is_untouched(
    cloud: Cloud, body: bytes, detail: str
) -> None:
    drop(cloud, "ProducerMSP/a.pdf", PDF)
    answer, status = await invoke(inbox_import, body)
    assert status == 502
    assert (answer["title"], answer["status"]) == ("BadEvent", 400)
    assert detail in answer["detail"]
    assert "ProducerMSP/a.pdf" in cloud.storage.objects
    assert await _documents(cloud) == 0


@pytest.mark.parametrize(
    ("name", "data", "status", "detail"),
    [
        ("ProducerMSP/big.bin", b"x" * (64 * 1024 + 1), 413, "the most imported is 65536"),
        ("NobodyMSP/a.pdf", PDF, 422, "not a known organization"),
        ("loose.pdf", PDF, 422, "<MSP id>/<file name>"),
        ("ProducerMSP/empty.txt", b"", 422, "empty"),
    ],
)
async def test_an_object_that_cannot_be_imported_stays_in_the_inbox(
    cloud: Cloud, name: str, data: bytes, status: int, detail: str
) -> None:
    drop(cloud, name, data)
    answer, fn_status = await invoke(inbox_import, event(name))
    assert fn_status == 502
    assert (answer["title"], answer["status"]) == ("InboxRefused", status)
    assert detail in answer["detail"]
    assert cloud.storage.objects[name][0] == data
    assert await _documents(cloud) == 0


async def test_a_missing_object_is_answered_not_found(cloud: Cloud) -> None:
    answer, status = await invoke(inbox_import, event("ProducerMSP/gone.pdf"))
    assert status == 502
    assert (answer["status"], answer["detail"]) == (
        404,
        "'ProducerMSP/gone.pdf' is not in the inbox",
    )


async def test_a_refused_signature_is_a_storage_failure(
    cloud: Cloud, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forger = OciUser.create(tmp_path / "forger")  # the same keyId, another key
    monkeypatch.setenv("PROVENA_OCI_CONFIG_FILE", str(forger.config))
    drop(cloud, "ProducerMSP/a.pdf", PDF)
    answer, status = await invoke(inbox_import, event("ProducerMSP/a.pdf"))
    assert status == 502
    assert (answer["title"], answer["status"]) == ("BackendError", 502)
    assert "401" in answer["detail"]
    assert cloud.storage.rejected == ["signature does not verify"]
    assert "ProducerMSP/a.pdf" in cloud.storage.objects


async def test_an_unconfigured_inbox_is_a_configuration_problem(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PROVENA_INBOX_BUCKET")
    answer, status = await invoke(inbox_import, event("ProducerMSP/a.pdf"))
    assert status == 502
    assert answer["status"] == 500
    assert "PROVENA_INBOX_BUCKET" in answer["detail"]


async def test_invalid_settings_are_a_configuration_problem(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROVENA_STORAGE_BACKEND", "floppy")
    answer, status = await invoke(inbox_import, event("ProducerMSP/a.pdf"))
    assert status == 502
    assert (answer["title"], answer["status"]) == ("Invalid configuration", 500)
    assert "storage_backend" in answer["detail"]


@pytest.mark.parametrize("name", [None, "sweep-everything"])
async def test_the_dispatcher_refuses_an_unknown_function(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch, name: str | None
) -> None:
    if name is None:
        monkeypatch.delenv("PROVENA_FUNCTION", raising=False)
    else:
        monkeypatch.setenv("PROVENA_FUNCTION", name)
    answer, status = await invoke(handler, b"")
    assert status == 502
    assert (answer["title"], answer["status"]) == ("Unknown function", 500)
    assert "inbox-import" in answer["detail"]


async def _documents(cloud: Cloud) -> int:
    async with cloud.database.session() as session:
        return len((await session.scalars(select(Document.id))).all())
