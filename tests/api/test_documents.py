"""Uploading documents: stored by CID and SHA-256, served back verified, limits enforced."""

from __future__ import annotations

import asyncio
import hashlib
import os
import socket
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import func, select

from provena.db import Database, Document, DocumentLocation
from provena.ipfs import EmbeddedContentStore, FilesystemBlockstore, add_bytes
from provena.storage import LocalObjectStore
from tests.api.conftest import RunningApi, auth, post_document, start_api, stored_files


async def test_upload_gives_anchorable_record(api: RunningApi, client: httpx.AsyncClient) -> None:
    body = os.urandom(300_000)
    response = await post_document(
        client, api, body, name="lab report.pdf", media_type="application/pdf"
    )
    assert response.status_code == 201, response.text
    record = response.json()
    expected = await add_bytes(body)
    assert record["cid"] == str(expected.cid)
    assert record["sha256"] == hashlib.sha256(body).hexdigest()
    assert (record["size"], record["media_type"], record["name"]) == (
        len(body),
        "application/pdf",
        "lab report.pdf",
    )
    assert record["cid_profile"] == "unixfs-v1-2025"
    assert record["stores"] == ["ipfs", "local"]
    served = await client.get(f"/ipfs/{record['cid']}")
    assert served.content == body
    again = await post_document(client, api, body, name="copy.pdf", media_type="application/pdf")
    assert again.status_code == 200
    assert again.json() == record | {"name": "copy.pdf"}
    found = await client.get(f"/api/v1/documents/{record['cid']}", headers=auth(api))
    assert found.json() == record  # the organization's first name for it
    listed = await client.get("/api/v1/documents", headers=auth(api))
    assert record["cid"] in [d["cid"] for d in listed.json()["data"]]
    past_the_end = {"offset": 2**31 - 1}  # the largest the schema allows; one more is a 422
    assert (await client.get("/api/v1/documents", params=past_the_end, headers=auth(api))).json()[
        "data"
    ] == []
    beyond = await client.get("/api/v1/documents", params={"offset": 2**31}, headers=auth(api))
    assert beyond.status_code == 422
    link = await client.get(f"/api/v1/documents/{record['cid']}/url", headers=auth(api))
    url = link.json()["url"]
    assert url.startswith(f"{api.url}/storage/sha256/")
    download = await client.get(url)
    assert download.content == body
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"lab report.pdf\"; filename*=UTF-8''lab%20report.pdf"
    )
    forged = await client.get(url.replace("signature=", "signature=0"))
    assert forged.status_code == 403


async def test_each_organization_sees_its_own_documents_by_its_own_names(
    api: RunningApi, client: httpx.AsyncClient
) -> None:
    body = os.urandom(50_000)

    async def upload(username: str, name: str) -> httpx.Response:
        return await post_document(
            client, api, body, name=name, media_type="application/pdf", username=username
        )

    def listed(username: str) -> dict[str, str | None]:
        return {d["cid"]: d["name"] for d in rows[username]}

    first = await upload("tomas.herrera", "harvest.pdf")  # ProducerMSP
    cid = first.json()["cid"]
    paths = [f"/api/v1/documents/{cid}", f"/api/v1/documents/{cid}/url"]
    for path in paths:  # CarrierMSP has not uploaded it: as if it did not exist
        hidden = await client.get(path, headers=auth(api, "sam.carter"))
        assert hidden.status_code == 404
        assert hidden.json()["detail"] == f"no document with CID {cid}"
    rows = {
        u: (await client.get("/api/v1/documents", headers=auth(api, u))).json()["data"]
        for u in ("tomas.herrera", "sam.carter", "fatima.haddad")
    }
    assert listed("tomas.herrera")[cid] == "harvest.pdf"
    assert cid not in listed("sam.carter")
    assert cid in listed("fatima.haddad")  # an auditor sees every organization's
    audited = await client.get(paths[0], headers=auth(api, "fatima.haddad"))
    assert audited.json()["name"] == "harvest.pdf"

    second = await upload("sam.carter", "waybill 12.pdf")
    assert second.status_code == 200
    assert (second.json()["cid"], second.json()["name"]) == (cid, "waybill 12.pdf")
    mine = await client.get(paths[0], headers=auth(api, "sam.carter"))
    assert mine.json()["name"] == "waybill 12.pdf"
    theirs = await client.get(paths[0], headers=auth(api, "tomas.herrera"))
    assert theirs.json()["name"] == "harvest.pdf"
    link = await client.get(paths[1], headers=auth(api, "sam.carter"))
    download = await client.get(link.json()["url"])
    assert download.content == body
    assert "filename*=UTF-8''waybill%2012.pdf" in download.headers["content-disposition"]


async def test_documents_need_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/documents", params={"name": "a"}, content=b"x")
    assert response.status_code == 401
    assert (await client.get("/api/v1/documents")).status_code == 401


async def test_unknown_document_is_404(api: RunningApi, client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/documents/bafkqaaa", headers=auth(api))
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("name", "media_type"),
    [("../etc/passwd", "text/plain"), ("a\\b", "text/plain"), ("ok.txt", "Not A Type")],
)
async def test_bad_names_and_types_rejected(
    api: RunningApi, client: httpx.AsyncClient, name: str, media_type: str
) -> None:
    response = await post_document(client, api, b"hello", name=name, media_type=media_type)
    assert response.status_code == 400
    assert response.json()["status"] == 400


async def test_form_upload_stores_only_the_file(api: RunningApi, client: httpx.AsyncClient) -> None:
    body = b"%PDF-1.7\n" + os.urandom(200_000)
    response = await client.post(
        "/api/v1/documents",
        data={"note": "before the file"},
        files={"file": ("C:\\scans\\invoice 7.pdf", body, "application/pdf")},
        headers=auth(api),
    )
    assert response.status_code == 201, response.text
    record = response.json()
    assert record["cid"] == str((await add_bytes(body)).cid)
    assert record["sha256"] == hashlib.sha256(body).hexdigest()
    assert (record["size"], record["media_type"], record["name"]) == (
        len(body),
        "application/pdf",
        "invoice 7.pdf",
    )
    assert (await client.get(f"/ipfs/{record['cid']}")).content == body


async def test_form_upload_takes_an_rfc_2231_filename(
    api: RunningApi, client: httpx.AsyncClient
) -> None:
    form = (
        b"--XyZ\r\n"
        b"Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt\r\n"
        b"Content-Type: text/plain\r\n\r\n"
        b"bonjour " + os.urandom(8).hex().encode() + b"\r\n--XyZ--\r\n"
    )
    response = await client.post(
        "/api/v1/documents",
        content=form,
        headers=auth(api) | {"Content-Type": "multipart/form-data; boundary=XyZ"},
    )
    assert response.status_code == 201, response.text
    assert (response.json()["name"], response.json()["media_type"]) == ("résumé.txt", "text/plain")
    assert response.json()["size"] == 24


@pytest.mark.parametrize(
    ("form", "detail"),
    [
        (b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--XyZ--\r\n', "no file"),
        (b'--XyZ\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\nab', "ends"),
        (b"garbage that is no form at all", "malformed"),
    ],
)
async def test_bad_forms_are_refused(
    api: RunningApi, client: httpx.AsyncClient, form: bytes, detail: str
) -> None:
    before = stored_files(api.settings.data_dir)
    response = await client.post(
        "/api/v1/documents",
        content=form,
        headers=auth(api) | {"Content-Type": "multipart/form-data; boundary=XyZ"},
    )
    assert response.status_code == 400
    assert detail in response.json()["detail"]
    assert stored_files(api.settings.data_dir) == before


async def test_raw_upload_needs_a_name(api: RunningApi, client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/documents", content=b"unnamed", headers=auth(api))
    assert response.status_code == 400
    assert "name the document" in response.json()["detail"]


async def test_schema_declares_both_upload_bodies(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    body = schema["paths"]["/api/v1/documents"]["post"]["requestBody"]
    assert body["required"] is True
    assert set(body["content"]) == {"application/octet-stream", "multipart/form-data"}
    form = body["content"]["multipart/form-data"]["schema"]
    assert form["properties"]["file"] == {"type": "string", "format": "binary"}


async def test_empty_upload_is_refused_and_leaves_nothing(
    api: RunningApi, client: httpx.AsyncClient
) -> None:
    before = stored_files(api.settings.data_dir)
    response = await client.post(
        "/api/v1/documents", params={"name": "empty.pdf"}, content=b"", headers=auth(api)
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert "the document is empty" in response.json()["detail"]
    assert stored_files(api.settings.data_dir) == before


async def test_concurrent_uploads_of_one_body_make_one_document(
    api: RunningApi, tmp_path: Path
) -> None:
    body = os.urandom(3 * 2**20 + 1)
    uploads = 8
    everyone_sending = asyncio.Barrier(uploads)

    async def stream() -> AsyncIterator[bytes]:
        yield body[: 2**20]
        await everyone_sending.wait()  # no upload completes before all have begun
        yield body[2**20 :]

    before = stored_files(api.settings.data_dir)
    async with httpx.AsyncClient(base_url=api.url, timeout=60) as client:
        responses = await asyncio.gather(
            *(
                post_document(
                    client, api, stream(), name=f"copy {n}.pdf", media_type="application/pdf"
                )
                for n in range(uploads)
            )
        )
    assert sorted(r.status_code for r in responses) == [200] * (uploads - 1) + [201]
    assert len({r.json()["cid"] for r in responses}) == 1
    sha256 = hashlib.sha256(body).hexdigest()
    database = Database.from_url(api.settings.sqlalchemy_url)
    try:
        async with database.session() as session:
            rows = await session.scalar(select(func.count()).where(Document.sha256 == sha256))
            locations = await session.scalar(
                select(func.count())
                .select_from(DocumentLocation)
                .join(Document)
                .where(Document.sha256 == sha256)
            )
    finally:
        await database.dispose()
    assert (rows, locations) == (1, 2)
    reference = tmp_path / "one-upload"  # what a single upload of the body stores

    async def once() -> AsyncIterator[bytes]:
        yield body

    await EmbeddedContentStore(FilesystemBlockstore(reference / "ipfs")).add(once())
    objects = LocalObjectStore(reference / "objects")
    await objects.put(f"sha256/{sha256}", body, content_type="application/pdf")
    assert stored_files(api.settings.data_dir) - before == stored_files(reference)


LIMIT = 64 * 1024


@pytest.fixture(scope="module")
def small_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApi]:
    directory = tmp_path_factory.mktemp("small")
    url = f"sqlite:///{directory / 'db.sqlite'}"
    with start_api(directory, url, storage_max_object_size=LIMIT) as api:
        yield api


def test_oversized_uploads_get_413_and_leave_nothing(small_api: RunningApi) -> None:
    before = stored_files(small_api.settings.data_dir)
    declared = httpx.post(
        f"{small_api.url}/api/v1/documents",
        params={"name": "big.bin"},
        content=b"x" * (LIMIT + 1),
        headers=auth(small_api),
    )
    assert declared.status_code == 413
    assert "65536-byte maximum" in declared.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is found while streaming
        for _ in range(20):
            yield b"y" * 8192

    streamed = httpx.post(
        f"{small_api.url}/api/v1/documents",
        params={"name": "big.bin"},
        content=chunks(),
        headers=auth(small_api),
    )
    assert streamed.status_code == 413
    form = httpx.post(
        f"{small_api.url}/api/v1/documents",
        files={"file": ("big.bin", b"z" * (LIMIT + 1), "application/octet-stream")},
        headers=auth(small_api),
    )
    assert form.status_code == 413
    assert stored_files(small_api.settings.data_dir) == before


def test_interrupted_upload_leaves_nothing(small_api: RunningApi) -> None:
    before = stored_files(small_api.settings.data_dir)
    target = urlsplit(small_api.url)
    request = (
        f"POST /api/v1/documents?name=cut.bin HTTP/1.1\r\nHost: {target.netloc}\r\n"
        f"Authorization: Bearer {small_api.token('tomas.herrera')}\r\n"
        f"Content-Type: application/octet-stream\r\nContent-Length: 50000\r\n\r\n"
    ).encode()
    with socket.create_connection((target.hostname, target.port)) as connection:
        connection.sendall(request + b"z" * 20000)
        time.sleep(0.2)  # let the server start reading the body before the client vanishes
    time.sleep(0.5)
    assert stored_files(small_api.settings.data_dir) == before
    listed = httpx.get(f"{small_api.url}/api/v1/documents", headers=auth(small_api))
    assert listed.json()["count"] == 0


async def test_a_form_without_a_boundary_is_refused(
    api: RunningApi, client: httpx.AsyncClient
) -> None:
    response = await client.post(
        "/api/v1/documents",
        content=b"--XyZ--\r\n",
        headers=auth(api) | {"Content-Type": "multipart/form-data"},
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "the multipart/form-data body declares no boundary"


async def test_a_text_field_over_64_kib_is_refused(
    api: RunningApi, client: httpx.AsyncClient
) -> None:
    response = await client.post(
        "/api/v1/documents",
        data={"note": "n" * (64 * 1024 + 1)},
        files={"file": ("a.txt", b"content", "text/plain")},
        headers=auth(api),
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "a text field of the form is longer than 64 KiB"


async def test_a_file_part_with_an_empty_filename_needs_a_name(
    api: RunningApi, client: httpx.AsyncClient
) -> None:
    body = os.urandom(64)
    form = (
        b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename=""\r\n'
        b"Content-Type: text/plain\r\n\r\n" + body + b"\r\n--XyZ--\r\n"
    )
    headers = auth(api) | {"Content-Type": "multipart/form-data; boundary=XyZ"}
    unnamed = await client.post("/api/v1/documents", content=form, headers=headers)
    assert unnamed.status_code == 400
    assert unnamed.json()["detail"] == "name the document: ?name=, or a form file part's filename"
    named = await client.post(
        "/api/v1/documents", params={"name": "notes.txt"}, content=form, headers=headers
    )
    assert named.status_code == 201, named.text
    assert (named.json()["name"], named.json()["size"]) == ("notes.txt", len(body))


def test_a_form_past_its_overhead_gets_413(small_api: RunningApi) -> None:
    """Text fields are bounded too: the whole form may exceed the limit only by its overhead."""
    fields = {f"note{n}": "n" * (60 * 1024) for n in range(6)}  # 360 KiB > 64 KiB + 256 KiB
    response = httpx.post(
        f"{small_api.url}/api/v1/documents",
        data=fields,
        files={"file": ("a.txt", b"content", "text/plain")},
        headers=auth(small_api),
    )
    assert response.status_code == 413
    assert response.json()["detail"] == "the document is larger than the 65536-byte maximum"
