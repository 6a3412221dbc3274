"""`KuboClient`: the parts of the Kubo RPC API (`/api/v0/...`) Provena uses, on httpx.

Every RPC is a POST with `arg` query parameters; uploads are multipart bodies streamed
from async iterators, downloads stream back. Kubo reports failures as JSON
`{"Message", "Code", "Type": "error"}` with status 500 (or 4xx), which become `RemoteError`.
`KuboBlockstore` adapts the client to `Blockstore`, so reads from Kubo go through the same
verifying exporter as local ones.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterable, AsyncIterator
from typing import Any

import httpx

from provena.ipfs.cid import CID, block_key, parse_cid
from provena.ipfs.errors import BlockNotFoundError, RemoteError
from provena.ipfs.profile import Profile

__all__ = ["KuboBlockstore", "KuboClient"]


class KuboClient:
    """An async client of one Kubo node's RPC API."""

    def __init__(
        self,
        base_url: str,
        *,
        auth: httpx.Auth | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 60.0,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/api/v0",
            auth=auth,
            transport=transport,
            timeout=timeout,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _call(self, path: str, params: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        try:
            response = await self._http.post(path, params=params, **kwargs)
        except httpx.HTTPError as exc:
            raise RemoteError(f"Kubo {path} failed: {exc}") from exc
        _check(path, response.status_code, response.content)
        return response

    async def _stream(self, path: str, params: dict[str, Any]) -> AsyncIterator[bytes]:
        try:
            async with self._http.stream("POST", path, params=params) as response:
                if response.status_code != 200:
                    _check(path, response.status_code, await response.aread())
                async for piece in response.aiter_bytes():
                    yield piece
        except httpx.HTTPError as exc:
            raise RemoteError(f"Kubo {path} failed: {exc}") from exc

    async def version(self) -> str:
        return str((await self._call("/version")).json()["Version"])

    async def add(
        self,
        source: AsyncIterable[bytes],
        *,
        profile: Profile,
        only_hash: bool = False,
        pin: bool = True,
        name: str = "file",
    ) -> CID:
        """`ipfs add` with the profile's flags; the root CID Kubo reports."""
        params = {
            "cid-version": profile.cid_version,
            "raw-leaves": _flag(profile.raw_leaves),
            "chunker": f"size-{profile.chunk_size}",
            "only-hash": _flag(only_hash),
            "pin": _flag(pin),
            "progress": "false",
        }
        body, content_type = _multipart(source, name)
        response = await self._call("/add", params, content=body, headers=content_type)
        lines = [json.loads(line) for line in response.text.splitlines() if line.strip()]
        return parse_cid(lines[-1]["Hash"])

    def cat(self, cid: CID, *, offset: int = 0, length: int | None = None) -> AsyncIterator[bytes]:
        """The file's bytes as Kubo sends them (unverified: prefer `KuboBlockstore` reads)."""
        params: dict[str, Any] = {"arg": str(cid), "offset": offset}
        if length is not None:
            params["length"] = length
        return self._stream("/cat", params)

    async def block_get(self, cid: CID) -> bytes:
        response = await self._call("/block/get", {"arg": str(cid)})
        return bytes(response.content)

    async def block_put(self, data: bytes, *, codec: str = "raw") -> CID:
        body, content_type = _multipart(_once(data), "block")
        params = {"cid-codec": codec, "mhtype": "sha2-256", "pin": "false"}
        response = await self._call("/block/put", params, content=body, headers=content_type)
        return parse_cid(response.json()["Key"])

    async def pin_add(self, cid: CID) -> None:
        await self._call("/pin/add", {"arg": str(cid), "recursive": "true"})

    async def pin_rm(self, cid: CID) -> None:
        await self._call("/pin/rm", {"arg": str(cid)})

    async def pin_ls(self) -> list[CID]:
        """Recursively pinned roots."""
        response = await self._call("/pin/ls", {"type": "recursive"})
        return [parse_cid(key) for key in response.json().get("Keys", {})]

    def dag_export(self, cid: CID) -> AsyncIterator[bytes]:
        return self._stream("/dag/export", {"arg": str(cid)})

    async def dag_import(self, car: AsyncIterable[bytes], *, pin_roots: bool = True) -> list[CID]:
        body, content_type = _multipart(car, "car")
        params = {"pin-roots": _flag(pin_roots)}
        response = await self._call("/dag/import", params, content=body, headers=content_type)
        roots = []
        for line in response.text.splitlines():
            root = json.loads(line).get("Root") if line.strip() else None
            if root is not None:
                if root.get("PinErrorMsg"):
                    raise RemoteError(
                        f"Kubo could not pin {root['Cid']['/']}: {root['PinErrorMsg']}"
                    )
                roots.append(parse_cid(root["Cid"]["/"]))
        return roots


class KuboBlockstore:
    """A `Blockstore` view of a Kubo node (block get/put, recursive pins)."""

    def __init__(self, client: KuboClient) -> None:
        self._client = client

    async def has(self, cid: CID) -> bool:
        try:
            await self.get(cid)
        except BlockNotFoundError:
            return False
        return True

    async def get(self, cid: CID) -> bytes:
        try:
            return await self._client.block_get(cid)
        except RemoteError as exc:
            if "not found" in str(exc).lower():
                raise BlockNotFoundError(str(cid)) from exc
            raise

    async def put(self, cid: CID, data: bytes) -> None:
        stored = await self._client.block_put(data, codec=cid.codec.name)
        if block_key(stored) != block_key(cid):
            raise RemoteError(f"Kubo stored {stored} for block {cid}")

    async def discard(self, key: str) -> None:
        raise RemoteError("a Kubo node collects its own garbage: run `ipfs repo gc` there")

    def block_keys(self) -> AsyncIterator[str]:
        raise RemoteError("listing every block of a Kubo node is not supported")

    async def pin(self, cid: CID) -> None:
        await self._client.pin_add(cid)

    async def unpin(self, cid: CID) -> None:
        await self._client.pin_rm(cid)

    async def pins(self) -> list[CID]:
        return await self._client.pin_ls()


def _check(path: str, status: int, body: bytes) -> None:
    if status == 200:
        return
    try:
        message = json.loads(body)["Message"]
    except (ValueError, KeyError, TypeError):
        message = body[:200].decode(errors="replace")
    raise RemoteError(f"Kubo {path} answered {status}: {message}")


def _flag(value: bool) -> str:
    return "true" if value else "false"


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


def _multipart(
    source: AsyncIterable[bytes], name: str
) -> tuple[AsyncIterator[bytes], dict[str, str]]:
    """A streamed multipart/form-data body with one file part."""
    boundary = secrets.token_hex(16)

    async def body() -> AsyncIterator[bytes]:
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        async for piece in source:
            yield piece
        yield f"\r\n--{boundary}--\r\n".encode()

    return body(), {"Content-Type": f"multipart/form-data; boundary={boundary}"}
