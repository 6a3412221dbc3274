"""Hostile uploads over real HTTP: sizes that lie or never end, clients that trickle, names
that try to escape, types that lie, active content, and one person uploading without end."""

from __future__ import annotations

import os
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import RunningApi, auth, post_document, stored_files
from tests.hostile.uploads_support import document_count, hostile_api, raw_request

LIMIT = 48 * 2**20
#: What an upload may hold in memory at once, whatever its size: a few 1 MiB pieces.
MEMORY_BOUND = 16 * 2**20
IDLE = 1.0
TOTAL = 3.0


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApi]:
    directory = tmp_path_factory.mktemp("hostile-uploads")
    with hostile_api(
        directory,
        storage_max_object_size=LIMIT,
        upload_idle_timeout_seconds=IDLE,
        upload_timeout_seconds=TOTAL,
    ) as api:
        yield api


def upload_head(api: RunningApi, *headers: str, name: str = "x.bin") -> str:
    lines = [
        f"POST /api/v1/documents?name={name} HTTP/1.1",
        f"Authorization: Bearer {api.token('tomas.herrera')}",
        *headers,
    ]
    return "\r\n".join(lines)


def chunked(total: int, piece: int = 64 * 1024) -> Iterator[bytes]:
    """A chunked body of `total` bytes, one 64 KiB chunk at a time (one buffer reused)."""
    data = b"u" * piece
    frame = f"{piece:x}\r\n".encode() + data + b"\r\n"
    for _ in range(total // piece):
        yield frame
    yield b"0\r\n\r\n"


def test_a_huge_declared_size_gets_413_before_the_body(api: RunningApi) -> None:
    before = stored_files(api.settings.data_dir)
    answer = raw_request(
        api, upload_head(api, f"Content-Length: {100 * 2**30}", "Content-Type: text/plain")
    )
    assert answer.status == 413
    assert answer.sent == 0  # not one byte of the body was needed
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["connection"] == "close"
    assert f"{LIMIT}-byte maximum" in answer.json()["detail"]
    assert stored_files(api.settings.data_dir) == before


def test_a_huge_undeclared_body_gets_413_in_bounded_memory(api: RunningApi) -> None:
    """A chunked body that never stops: refused once it passes the limit, and the server
    holds a few pieces of it at a time, never the body (traced allocations, both ends)."""
    before = stored_files(api.settings.data_dir)
    tracemalloc.start()
    try:
        answer = raw_request(api, upload_head(api, "Transfer-Encoding: chunked"), chunked(1 << 30))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert answer.status == 413, answer
    assert LIMIT < answer.sent < 4 * LIMIT  # refused soon after the limit, not at 1 GiB
    assert peak < MEMORY_BOUND, f"peak {peak} bytes while receiving {answer.sent}"
    print(f"undeclared upload: refused after {answer.sent} bytes sent, peak {peak} bytes traced")
    assert stored_files(api.settings.data_dir) == before


def test_a_body_under_the_limit_is_spooled_not_held(api: RunningApi) -> None:
    """The same bound for a body that is accepted: it goes to the spool file as it comes."""
    tracemalloc.start()
    try:
        answer = raw_request(
            api, upload_head(api, "Transfer-Encoding: chunked", name="big.bin"), chunked(LIMIT)
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert answer.status == 201, answer
    assert answer.json()["size"] == LIMIT
    assert peak < MEMORY_BOUND, f"peak {peak} bytes for a {LIMIT}-byte upload"
    print(f"accepted upload of {LIMIT} bytes: peak {peak} bytes traced")


def test_a_stalled_body_is_cut_off(api: RunningApi) -> None:
    before = stored_files(api.settings.data_dir)
    answer = raw_request(
        api, upload_head(api, "Content-Length: 1000"), [b"s" * 10], timeout=IDLE * 10
    )
    assert answer.status == 408
    assert IDLE <= answer.seconds < IDLE * 4
    assert answer.headers["connection"] == "close"
    assert answer.json()["detail"] == f"the upload sent nothing for {IDLE:g} seconds"
    assert stored_files(api.settings.data_dir) == before


def test_a_trickling_body_is_cut_off_and_others_are_served_meanwhile(api: RunningApi) -> None:
    """A byte every half second never trips the idle limit, so the total one ends it."""
    before = stored_files(api.settings.data_dir)
    served: list[int] = []

    def others() -> None:
        while len(served) < 5:
            served.append(httpx.get(f"{api.url}/api/v1/documents", headers=auth(api)).status_code)
            time.sleep(0.2)

    neighbour = threading.Thread(target=others)
    neighbour.start()
    answer = raw_request(
        api,
        upload_head(api, "Content-Length: 100000"),
        (b"t" for _ in range(100)),
        pause=IDLE / 2,
        timeout=TOTAL * 5,
    )
    neighbour.join()
    assert answer.status == 408
    assert TOTAL <= answer.seconds < TOTAL + 2
    assert answer.sent < 20
    assert answer.json()["detail"] == f"the upload did not arrive within {TOTAL:g} seconds"
    assert served == [200] * 5
    assert stored_files(api.settings.data_dir) == before


FORM_NAMES = {
    "../../etc/passwd": "passwd",
    "/etc/shadow": "shadow",
    "..\\..\\windows\\win.ini": "win.ini",
    "C:\\Users\\me\\report.pdf": "report.pdf",
    "dir/./../sub/notes.txt": "notes.txt",
}


def raw_form(filename: str, body: bytes) -> bytes:
    """A form whose file part carries `filename` as raw UTF-8, as no careful client sends it."""
    return (
        b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="'
        + filename.encode()
        + b'"\r\nContent-Type: text/plain\r\n\r\n'
        + body
        + b"\r\n--XyZ--\r\n"
    )


def all_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


async def test_file_names_cannot_escape_and_are_sanitized(
    api: RunningApi, tmp_path_factory: pytest.TempPathFactory
) -> None:
    base = tmp_path_factory.getbasetemp()
    everything_before = all_files(base)
    data = api.settings.data_dir
    async with httpx.AsyncClient(base_url=api.url, timeout=30) as client:
        for sent, kept in FORM_NAMES.items():
            body = os.urandom(100)
            response = await client.post(
                "/api/v1/documents",
                files={"file": (sent, body, "text/plain")},
                headers=auth(api),
            )
            assert response.status_code == 201, (sent, response.text)
            assert response.json()["name"] == kept
            link = await client.get(
                f"/api/v1/documents/{response.json()['cid']}/url", headers=auth(api)
            )
            download = await client.get(link.json()["url"])
            assert download.content == body
            assert f'filename="{kept}"' in download.headers["content-disposition"]
        for path in ("../escape.txt", "/etc/passwd", "a/b.txt", "a\\b.txt"):
            # A raw body's name is not a path to strip.
            response = await post_document(client, api, os.urandom(100), name=path)
            assert response.status_code == 400, (path, response.text)
        refused = [
            "..",
            ".",
            "nul\x00byte.txt",
            "line\nbreak.txt",
            "c1\x85control.txt",
            "evil\u202efdp.exe",  # shows as "evilexe.pdf"
            "zero\u200bwidth.txt",
            "bom\ufeff.txt",
            "para\u2029graph.txt",
            "private\ue000use.txt",
        ]
        for name in refused:
            response = await post_document(client, api, os.urandom(100), name=name)
            assert response.status_code == 400, (name, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            form = await client.post(
                "/api/v1/documents",
                content=raw_form(name, os.urandom(100)),
                headers=auth(api) | {"Content-Type": "multipart/form-data; boundary=XyZ"},
            )
            assert form.status_code == 400, (name, form.text)
        too_long = "a" * 252 + ".pdf"
        raw = await post_document(client, api, b"long", name=too_long)
        assert raw.status_code == 422
        form = await client.post(
            "/api/v1/documents",
            files={"file": (too_long, b"long", "text/plain")},
            headers=auth(api),
        )
        assert form.status_code == 400
        fine = await post_document(client, api, os.urandom(100), name="Ünïcødé 報告 — ok.pdf")
        assert fine.status_code == 201, fine.text
    # Nothing was written anywhere but the store's own places, under the names it chose.
    new = all_files(base) - everything_before
    for written in new:
        relative = written.relative_to(data)
        assert relative.parts[0] in ("spool", "objects", "ipfs"), written
        assert written.name not in {"passwd", "shadow", "win.ini", "escape.txt", "report.pdf"}
    assert not any(p.is_file() for p in (data / "spool").glob("*"))


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + os.urandom(200)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.domain)</script></svg>"
)
XHTML = (
    b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">'
    b"<body><script>alert(1)</script></body></html>"
)
ACTIVE_TYPES = ("text/html", "image/svg+xml", "application/xhtml+xml", "text/xml")


def assert_inert(response: httpx.Response) -> None:
    """Served so that no browser runs it in the app's origin."""
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff", headers
    assert headers["content-security-policy"].startswith("sandbox"), headers
    media_type = headers.get("content-type", "").split(";", 1)[0].strip()
    if media_type in ACTIVE_TYPES or not media_type.startswith(("image/", "text/plain")):
        assert headers["content-disposition"].startswith("attachment"), headers


async def download_everywhere(
    api: RunningApi, client: httpx.AsyncClient, cid: str
) -> list[httpx.Response]:
    """Every way the bytes of `cid` can come back: the document's download URL, and the
    gateway as a file, a raw block and a CAR."""
    link = await client.get(f"/api/v1/documents/{cid}/url", headers=auth(api))
    assert link.status_code == 200, link.text
    responses = [await client.get(link.json()["url"])]
    for suffix in ("", "?format=raw", "?format=car"):
        responses.append(await client.get(f"/ipfs/{cid}{suffix}"))
    responses.append(await client.head(f"/ipfs/{cid}"))
    return responses


@pytest.mark.parametrize(
    ("body", "declared"),
    [
        (HTML, "text/html"),
        (SVG, "image/svg+xml"),
        (XHTML, "application/xhtml+xml"),
        (HTML, "image/png"),  # HTML posing as an image
        (SVG, "image/png"),
        (PNG, "application/pdf"),  # an image posing as a PDF
        (HTML, "text/plain"),
    ],
)
async def test_no_download_path_serves_active_content(
    api: RunningApi, body: bytes, declared: str
) -> None:
    content = body + os.urandom(8).hex().encode()  # each case a document of its own
    async with httpx.AsyncClient(base_url=api.url, timeout=30) as client:
        response = await post_document(client, api, content, name="page.html", media_type=declared)
        assert response.status_code == 201, response.text
        cid = response.json()["cid"]
        served = await download_everywhere(api, client, cid)
    for answer in served:
        assert answer.status_code == 200, answer.text
        assert_inert(answer)
    url_download, file, _raw, _car, _head = served
    assert url_download.content == content
    assert url_download.headers["content-disposition"].startswith("attachment")
    # The gateway goes by the bytes, not by what the uploader said.
    sniffed = file.headers["content-type"].split(";", 1)[0]
    if body is PNG:
        assert sniffed == "image/png"
    else:
        assert sniffed != declared or declared == "text/plain"
        assert sniffed not in ACTIVE_TYPES


async def test_download_errors_are_inert_too(api: RunningApi) -> None:
    async with httpx.AsyncClient(base_url=api.url, timeout=30) as client:
        forged = await client.get(
            "/storage/sha256/" + "0" * 64, params={"expires": 1, "signature": "x"}
        )
    assert forged.status_code == 403
    assert forged.headers["x-content-type-options"] == "nosniff"
    assert forged.headers["content-security-policy"].startswith("sandbox")


@pytest.fixture(scope="module")
def rationed_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApi]:
    directory = tmp_path_factory.mktemp("rationed")
    with hostile_api(directory, upload_rate_per_minute=1, upload_burst=3) as api:
        yield api


async def test_one_person_cannot_upload_without_end(rationed_api: RunningApi) -> None:
    api = rationed_api
    async with httpx.AsyncClient(base_url=api.url, timeout=30) as client:

        async def upload(username: str) -> httpx.Response:
            return await post_document(
                client, api, os.urandom(32), name="small.txt", username=username
            )

        allowed = [await upload("tomas.herrera") for _ in range(3)]
        assert [r.status_code for r in allowed] == [201] * 3
        refused = await upload("tomas.herrera")
        assert refused.status_code == 429
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["detail"] == "too many uploads: try again later"
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        other = await upload("david.okafor")  # the limit is each person's own
        assert other.status_code == 201, other.text
    assert await document_count(api) == 4
