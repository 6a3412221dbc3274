"""The trustless gateway over HTTP, through the API's own problem-details handlers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from multiformats import CID as MultiformatsCID

from provena.ipfs import (
    CID,
    FilesystemBlockstore,
    MemoryBlockstore,
    add_bytes,
    import_car,
    parse_cid,
)
from tests.ipfs.samples import PDF, SMALL, add_folder

SANDBOX = {
    "content-security-policy": "sandbox; default-src 'none'",
    "x-content-type-options": "nosniff",
}
UNKNOWN = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
CAR = "application/vnd.ipld.car"


def assert_sandboxed(response: httpx.Response) -> None:
    for name, value in SANDBOX.items():
        assert response.headers.get(name) == value, (response.status_code, name)


async def test_file_with_ranges_and_caching(
    client: httpx.AsyncClient, mem_store: MemoryBlockstore
) -> None:
    cid = (await add_bytes(PDF, profile=SMALL, blockstore=mem_store)).cid
    response = await client.get(f"/ipfs/{cid}")
    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["etag"] == f'"{cid}"'
    assert "immutable" in response.headers["cache-control"]
    partial = await client.get(f"/ipfs/{cid}", headers={"Range": "bytes=995-2004"})
    assert partial.status_code == 206
    assert partial.content == PDF[995:2005]
    assert partial.headers["content-range"] == f"bytes 995-2004/{len(PDF)}"
    suffix = await client.get(f"/ipfs/{cid}", headers={"Range": "bytes=-10"})
    assert suffix.content == PDF[-10:]
    bad = await client.get(f"/ipfs/{cid}", headers={"Range": f"bytes={len(PDF)}-"})
    assert bad.status_code == 416
    assert_sandboxed(bad)
    cached = await client.get(f"/ipfs/{cid}", headers={"If-None-Match": f'"{cid}"'})
    assert cached.status_code == 304
    assert_sandboxed(cached)
    head = await client.head(f"/ipfs/{cid}")
    assert head.status_code == 200
    assert head.headers["content-length"] == str(len(PDF))
    assert head.headers["content-type"] == "application/pdf"
    assert head.content == b""
    assert_sandboxed(head)


async def test_raw_block_and_car(client: httpx.AsyncClient, mem_store: MemoryBlockstore) -> None:
    cid = (await add_bytes(PDF, profile=SMALL, blockstore=mem_store)).cid
    raw = await client.get(f"/ipfs/{cid}", headers={"Accept": "application/vnd.ipld.raw"})
    assert raw.headers["content-type"] == "application/vnd.ipld.raw"
    assert raw.content == await mem_store.get(cid)
    assert raw.headers["content-disposition"].startswith(f'attachment; filename="{cid}.bin"')
    assert_sandboxed(raw)
    by_query = await client.get(f"/ipfs/{cid}?format=raw")
    assert by_query.content == raw.content
    car = await client.get(f"/ipfs/{cid}?format=car")
    assert car.headers["content-type"].startswith(CAR)
    assert car.headers["transfer-encoding"] == "chunked"
    assert_sandboxed(car)

    async def once() -> AsyncIterator[bytes]:
        yield car.content

    copy = MemoryBlockstore()
    assert await import_car(copy, once()) == [cid]
    block_car = await client.get(f"/ipfs/{cid}?dag-scope=block", headers={"Accept": CAR})
    assert len(block_car.content) < len(car.content)


async def test_head_of_a_car_has_the_headers_of_get_and_no_body(
    client: httpx.AsyncClient, mem_store: MemoryBlockstore
) -> None:
    cid = (await add_bytes(PDF, profile=SMALL, blockstore=mem_store)).cid
    for url, headers in ((f"/ipfs/{cid}", {"Accept": CAR}), (f"/ipfs/{cid}?format=car", {})):
        get = await client.get(url, headers=headers)
        head = await client.head(url, headers=headers)
        assert head.status_code == get.status_code == 200
        assert head.content == b""
        for name in ("content-type", "etag", "content-disposition", "x-ipfs-roots", "vary"):
            assert head.headers[name] == get.headers[name], name
        assert head.headers["content-disposition"].startswith(f'attachment; filename="{cid}.car"')
        # GET streams the CAR in chunks, so HEAD must not claim a length (least of all 0).
        assert "content-length" not in head.headers
        assert_sandboxed(head)
    one_block = f"/ipfs/{cid}?format=car&dag-scope=block"
    get = await client.get(one_block)
    head = await client.head(one_block)
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content)) == get.headers["content-length"]
    for url in (f"/ipfs/{UNKNOWN}?format=car", f"/ipfs/{UNKNOWN}?format=car&dag-scope=block"):
        missing = await client.head(url)
        assert missing.status_code == 404, url
        assert_sandboxed(missing)


async def test_paths_in_directories(
    client: httpx.AsyncClient, mem_store: MemoryBlockstore, tmp_path: Path
) -> None:
    root = await add_folder(mem_store, tmp_path, {"notes.txt": b"plain words\n"})
    response = await client.get(f"/ipfs/{root}/notes.txt")
    assert response.text == "plain words\n"
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["x-ipfs-path"] == f"/ipfs/{root}/notes.txt"
    directory = await client.get(f"/ipfs/{root}")
    assert directory.status_code == 501
    assert_sandboxed(directory)
    missing = await client.get(f"/ipfs/{root}/nope.txt")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert_sandboxed(missing)
    through_a_file = await client.get(f"/ipfs/{root}/notes.txt/deeper")
    assert through_a_file.status_code == 404


async def test_bad_and_unknown_cids(client: httpx.AsyncClient) -> None:
    invalid = await client.get("/ipfs/not-a-cid")
    assert invalid.status_code == 400
    assert invalid.headers["content-type"] == "application/problem+json"
    assert invalid.json()["status"] == 400
    assert_sandboxed(invalid)
    unknown = parse_cid(UNKNOWN)
    for url in (f"/ipfs/{unknown}", f"/ipfs/{unknown}?format=raw", f"/ipfs/{unknown}?format=car"):
        response = await client.get(url)
        assert response.status_code == 404, url
        assert str(unknown) in response.json()["detail"]
        assert_sandboxed(response)


@pytest.mark.parametrize("cid", ["0", "b", "z", "m"])
async def test_a_multibase_prefix_alone_is_a_bad_request(
    client: httpx.AsyncClient, cid: str
) -> None:
    for method in ("GET", "HEAD"):
        response = await client.request(method, f"/ipfs/{cid}")
        assert response.status_code == 400, method
        assert_sandboxed(response)
    assert "not a valid CID" in (await client.get(f"/ipfs/{cid}")).json()["detail"]


async def test_a_codec_the_gateway_cannot_read_is_a_bad_request(
    client: httpx.AsyncClient,
) -> None:
    cbor = MultiformatsCID("base32", 1, "dag-cbor", ("sha2-256", bytes(32)))
    response = await client.get(f"/ipfs/{cbor}")
    assert response.status_code == 400
    assert "dag-pb" in response.json()["detail"]
    assert_sandboxed(response)


@pytest.mark.parametrize("query", ["format=tar", "dag-scope=everything"])
async def test_unknown_parameters_are_bad_requests_and_sandboxed(
    client: httpx.AsyncClient, query: str
) -> None:
    response = await client.get(f"/ipfs/{UNKNOWN}?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()["detail"]
    assert_sandboxed(response)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
async def test_other_methods_are_refused_and_sandboxed(
    client: httpx.AsyncClient, method: str
) -> None:
    for url in (f"/ipfs/{UNKNOWN}", f"/ipfs/{UNKNOWN}/a/b.html"):
        response = await client.request(method, url)
        assert response.status_code == 405, url
        assert response.headers["allow"] == "GET, HEAD"
        assert_sandboxed(response)


async def test_corrupt_block_is_not_served(
    client: httpx.AsyncClient, mem_store: MemoryBlockstore
) -> None:
    cid = (await add_bytes(b"precious", profile=SMALL, blockstore=mem_store)).cid
    await mem_store.put(cid, b"tampered")
    response = await client.get(f"/ipfs/{cid}")
    assert response.status_code == 502
    assert b"tampered" not in response.content
    assert_sandboxed(response)


async def test_a_failing_disk_is_a_sandboxed_server_error(
    fs_client: httpx.AsyncClient,
    fs_store: FilesystemBlockstore,
    block_file: Callable[[CID], Path],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    name = "forged\rERROR line.txt"  # a legal entry name that would rewrite a log line
    root = await add_folder(fs_store, tmp_path / "disk", {name: b"unreadable"})
    path = block_file((await add_bytes(b"unreadable", profile=SMALL)).cid)
    path.unlink()
    path.mkdir()  # reading it now fails with IsADirectoryError, as a broken disk might
    response = await fs_client.get(f"/ipfs/{root}/{quote(name)}")
    assert response.status_code == 500
    assert response.json()["detail"] == "an unexpected error occurred"
    assert_sandboxed(response)
    messages = [r.getMessage() for r in caplog.records if r.name == "provena.ipfs.gateway"]
    assert messages == [f"GET /ipfs/{root}/forged%0DERROR%20line.txt failed"]
