"""The trustless gateway through the API's own problem-details handlers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from provena.api.problems import install_problem_handlers
from provena.ipfs import (
    MemoryBlockstore,
    Profile,
    add_bytes,
    add_files,
    gateway_router,
    import_car,
    parse_cid,
)
from tests.ipfs.oracles import seeded_bytes

SMALL = Profile("small", 1, True, 1000, 4)
PDF = b"%PDF-1.7\n" + seeded_bytes(20_000, "pdf")


@pytest.fixture
async def client(mem_store: MemoryBlockstore) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(gateway_router(mem_store))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as http:
        yield http


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
    cached = await client.get(f"/ipfs/{cid}", headers={"If-None-Match": f'"{cid}"'})
    assert cached.status_code == 304
    head = await client.head(f"/ipfs/{cid}")
    assert head.status_code == 200
    assert head.headers["content-length"] == str(len(PDF))
    assert head.content == b""


async def test_raw_block_and_car(client: httpx.AsyncClient, mem_store: MemoryBlockstore) -> None:
    cid = (await add_bytes(PDF, profile=SMALL, blockstore=mem_store)).cid
    raw = await client.get(f"/ipfs/{cid}", headers={"Accept": "application/vnd.ipld.raw"})
    assert raw.headers["content-type"] == "application/vnd.ipld.raw"
    assert raw.content == await mem_store.get(cid)
    by_query = await client.get(f"/ipfs/{cid}?format=raw")
    assert by_query.content == raw.content
    car = await client.get(f"/ipfs/{cid}?format=car")
    assert car.headers["content-type"].startswith("application/vnd.ipld.car")

    async def once() -> AsyncIterator[bytes]:
        yield car.content

    copy = MemoryBlockstore()
    assert await import_car(copy, once()) == [cid]
    block_car = await client.get(
        f"/ipfs/{cid}?dag-scope=block", headers={"Accept": "application/vnd.ipld.car"}
    )
    assert len(block_car.content) < len(car.content)


async def test_paths_in_directories(
    client: httpx.AsyncClient, mem_store: MemoryBlockstore, tmp_path: Path
) -> None:
    folder = tmp_path
    (folder / "notes.txt").write_text("plain words\n")
    results = await add_files(
        [folder / "notes.txt"], profile=SMALL, blockstore=mem_store, wrap=True
    )
    root = results[-1].cid
    response = await client.get(f"/ipfs/{root}/notes.txt")
    assert response.text == "plain words\n"
    assert response.headers["content-type"].startswith("text/plain")
    assert (await client.get(f"/ipfs/{root}")).status_code == 501
    missing = await client.get(f"/ipfs/{root}/nope.txt")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


async def test_bad_and_unknown_cids(client: httpx.AsyncClient) -> None:
    invalid = await client.get("/ipfs/not-a-cid")
    assert invalid.status_code == 400
    assert invalid.headers["content-type"] == "application/problem+json"
    assert invalid.json()["status"] == 400
    unknown = parse_cid("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")
    for url in (f"/ipfs/{unknown}", f"/ipfs/{unknown}?format=raw", f"/ipfs/{unknown}?format=car"):
        response = await client.get(url)
        assert response.status_code == 404, url
        assert str(unknown) in response.json()["detail"]


async def test_corrupt_block_is_not_served(
    client: httpx.AsyncClient, mem_store: MemoryBlockstore
) -> None:
    cid = (await add_bytes(b"precious", profile=SMALL, blockstore=mem_store)).cid
    await mem_store.put(cid, b"tampered")
    response = await client.get(f"/ipfs/{cid}")
    assert response.status_code == 502
    assert b"tampered" not in response.content
