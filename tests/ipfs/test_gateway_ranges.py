"""`Range` on gateway files, as RFC 9110 section 14 reads: one range served, the rest ignored."""

from __future__ import annotations

import httpx
import pytest

from provena.ipfs import MemoryBlockstore, add_bytes
from tests.ipfs.samples import PDF, SMALL

SIZE = len(PDF)


@pytest.fixture
async def url(mem_store: MemoryBlockstore) -> str:
    return f"/ipfs/{(await add_bytes(PDF, profile=SMALL, blockstore=mem_store)).cid}"


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=995-2004", 995, 2005),
        ("bytes=10-", 10, SIZE),
        ("bytes=0-0", 0, 1),
        ("bytes=-10", SIZE - 10, SIZE),
        ("bytes=-999999", 0, SIZE),  # a suffix longer than the file selects all of it
        ("bytes=19000-999999", 19000, SIZE),  # a last position past the end is clamped
        (f"bytes={SIZE - 1}-", SIZE - 1, SIZE),
        ("Bytes=5-9", 5, 10),  # the unit is case-insensitive
        ("bytes=5-9,", 5, 10),  # empty list elements do not count
    ],
)
async def test_one_satisfiable_range_is_partial_content(
    client: httpx.AsyncClient, url: str, header: str, start: int, end: int
) -> None:
    response = await client.get(url, headers={"Range": header})
    assert response.status_code == 206
    assert response.content == PDF[start:end]
    assert response.headers["content-range"] == f"bytes {start}-{end - 1}/{SIZE}"
    assert response.headers["content-length"] == str(end - start)
    head = await client.head(url, headers={"Range": header})
    assert head.status_code == 206
    assert head.headers["content-range"] == response.headers["content-range"]
    assert head.headers["content-length"] == str(end - start)


@pytest.mark.parametrize(
    "header",
    [
        "bytes=abc",
        "bytes=",
        "bytes=-",
        "bytes=1-2-3",
        "bytes=--5",
        "bytes=+5-9",
        "bytes=\u0661-\u0662",  # non-ASCII bytes, whatever they spell
        "bytes 0-9",
        "items=0-9",
        "bytes=20-10",  # inverted: an invalid range-spec (section 14.1.1)
        "bytes=0-1,5-6",  # several ranges: no multipart/byteranges here
        "bytes=0-1,abc",
    ],
)
async def test_malformed_inverted_or_multiple_ranges_are_ignored(
    client: httpx.AsyncClient, url: str, header: str
) -> None:
    response = await client.get(url, headers={b"Range": header.encode()})
    assert response.status_code == 200
    assert response.content == PDF
    assert "content-range" not in response.headers
    assert response.headers["content-length"] == str(SIZE)


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", f"bytes={SIZE + 5}-{SIZE + 10}", "bytes=-0"])
async def test_unsatisfiable_ranges_are_416_with_the_size(
    client: httpx.AsyncClient, url: str, header: str
) -> None:
    for method in ("GET", "HEAD"):
        response = await client.request(method, url, headers={"Range": header})
        assert response.status_code == 416, method
        assert response.headers["content-range"] == f"bytes */{SIZE}"
        assert response.headers["content-security-policy"] == "sandbox; default-src 'none'"


async def test_any_range_of_an_empty_file_is_unsatisfiable(
    client: httpx.AsyncClient, mem_store: MemoryBlockstore
) -> None:
    empty = (await add_bytes(b"", profile=SMALL, blockstore=mem_store)).cid
    for header in ("bytes=0-", "bytes=-5"):
        response = await client.get(f"/ipfs/{empty}", headers={"Range": header})
        assert response.status_code == 416
        assert response.headers["content-range"] == "bytes */0"
    whole = await client.get(f"/ipfs/{empty}")
    assert whole.status_code == 200
    assert whole.content == b""


async def test_if_range_serves_the_range_only_for_this_content(
    client: httpx.AsyncClient, url: str
) -> None:
    etag = (await client.head(url)).headers["etag"]
    same = await client.get(url, headers={"Range": "bytes=0-9", "If-Range": etag})
    assert same.status_code == 206
    assert same.content == PDF[:10]
    for other in ('"bafkreiother"', "Wed, 21 Oct 2015 07:28:00 GMT"):
        changed = await client.get(url, headers={"Range": "bytes=0-9", "If-Range": other})
        assert changed.status_code == 200
        assert changed.content == PDF
