"""Nothing the gateway serves can run in the origin it shares with the web app."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from provena.ipfs import MemoryBlockstore, add_bytes
from tests.ipfs.samples import PDF, SMALL, add_folder

CSP = "sandbox; default-src 'none'"
SCRIPT = b"<script>fetch('/api/me').then(r => r.text()).then(alert)</script>"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)

#: File names whose guessed types a browser would execute, with content that would run.
ACTIVE = {
    "page.html": b"<!doctype html><html>" + SCRIPT + b"</html>",
    "page.xhtml": b'<html xmlns="http://www.w3.org/1999/xhtml">' + SCRIPT + b"</html>",
    "image.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "data.xml": b'<?xml-stylesheet type="text/xsl" href="style.xsl"?><data/>',
    "style.xsl": b'<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>',
    "script.js": b"alert(document.cookie)",
    "module.mjs": b"export const token = localStorage.getItem('token')",
    "report.pdf": PDF,
    "archive.bin": b"\x00\x01 unknown bytes",
}
#: File names whose types a browser only displays.
PASSIVE = {
    "photo.png": PNG,
    "notes.txt": b"plain words\n",
    "facts.json": b'{"organic": true}',
    "clip.mp4": b"\x00\x00\x00\x18ftypmp42" + bytes(16),
}


def assert_sandboxed(response: httpx.Response) -> None:
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.fixture
async def folder(mem_store: MemoryBlockstore, tmp_path: Path) -> str:
    return str(await add_folder(mem_store, tmp_path / "site", ACTIVE | PASSIVE))


@pytest.mark.parametrize("name", sorted(ACTIVE))
async def test_active_content_by_name_is_an_attachment(
    client: httpx.AsyncClient, folder: str, name: str
) -> None:
    get = await client.get(f"/ipfs/{folder}/{name}")
    head = await client.head(f"/ipfs/{folder}/{name}")
    for response in (get, head):
        assert response.status_code == 200
        assert response.headers["content-disposition"] == (
            f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
        )
        assert_sandboxed(response)
    assert get.content == ACTIVE[name]


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("image.svg", "image/svg+xml"),
        ("page.xhtml", "application/xhtml+xml"),
        ("page.html", "text/html"),
        ("report.pdf", "application/pdf"),
    ],
)
async def test_active_content_keeps_its_true_type(
    client: httpx.AsyncClient, folder: str, name: str, media_type: str
) -> None:
    response = await client.get(f"/ipfs/{folder}/{name}")
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.headers["content-disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("photo.png", "image/png"),
        ("notes.txt", "text/plain"),
        ("facts.json", "application/json"),
        ("clip.mp4", "video/mp4"),
    ],
)
async def test_passive_content_by_name_is_inline_but_sandboxed(
    client: httpx.AsyncClient, folder: str, name: str, media_type: str
) -> None:
    response = await client.get(f"/ipfs/{folder}/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "content-disposition" not in response.headers
    assert_sandboxed(response)
    assert response.content == PASSIVE[name]


async def test_bare_cids_are_sniffed_and_never_rendered_as_markup(
    client: httpx.AsyncClient, mem_store: MemoryBlockstore
) -> None:
    pdf = (await add_bytes(PDF, profile=SMALL, blockstore=mem_store)).cid
    response = await client.get(f"/ipfs/{pdf}")
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith(f'attachment; filename="{pdf}.pdf"')
    assert_sandboxed(response)
    png = (await add_bytes(PNG, profile=SMALL, blockstore=mem_store)).cid
    image = await client.get(f"/ipfs/{png}")
    assert image.headers["content-type"] == "image/png"
    assert "content-disposition" not in image.headers
    assert_sandboxed(image)
    for name in ("page.html", "page.xhtml", "image.svg", "data.xml", "script.js"):
        cid = (await add_bytes(ACTIVE[name], profile=SMALL, blockstore=mem_store)).cid
        markup = await client.get(f"/ipfs/{cid}")
        assert markup.headers["content-type"] == "text/plain; charset=utf-8", name
        assert_sandboxed(markup)
    unknown = (await add_bytes(ACTIVE["archive.bin"], profile=SMALL, blockstore=mem_store)).cid
    binary = await client.get(f"/ipfs/{unknown}")
    assert binary.headers["content-type"] == "application/octet-stream"
    assert binary.headers["content-disposition"].startswith(f'attachment; filename="{unknown}.bin"')


async def test_download_names_are_quoted_and_utf8_encoded(
    client: httpx.AsyncClient, mem_store: MemoryBlockstore, tmp_path: Path
) -> None:
    name = 'prix 5€ "final"; v2.svg'
    root = await add_folder(mem_store, tmp_path / "names", {name: ACTIVE["image.svg"]})
    response = await client.get(f"/ipfs/{root}/{name}")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        'attachment; filename="prix 5_ _final_; v2.svg"; '
        "filename*=UTF-8''prix%205%E2%82%AC%20%22final%22%3B%20v2.svg"
    )
    assert response.headers["x-ipfs-path"] == (
        f"/ipfs/{root}/prix%205%E2%82%AC%20%22final%22%3B%20v2.svg"
    )
