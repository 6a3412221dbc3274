"""UnixFS import throughput and memory, next to plain SHA-256 over the same bytes.

Streams `--size` bytes (default 1 GiB) as 1 MiB memoryview slices of a 64 MiB random pool
(distinct chunks, no generation cost) through: hashlib.sha256; the importer with only-hash
for each profile; the importer storing into a filesystem blockstore. Prints one JSON line
per run: {"bench", "mode", "profile", "bytes", "seconds", "mb_s", "vs_sha256",
"rss_growth_mib", "cid"}. The goal is only-hash at >= 0.8x of SHA-256 and < 100 MiB growth.

    uv run python -m bench.ipfs_import [--size 1073741824]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import resource
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

from provena.ipfs import (
    UNIXFS_V0_2015,
    UNIXFS_V1_2025,
    FilesystemBlockstore,
    Profile,
    add_stream,
)

_PIECE = 1024 * 1024
_POOL = os.urandom(64 * 1024 * 1024)


def pieces(size: int) -> list[memoryview]:
    view = memoryview(_POOL)
    span = len(_POOL) - _PIECE
    out = []
    for i, offset in enumerate(range(0, size, _PIECE)):
        start = (i * 1_000_003) % span
        out.append(view[start : start + min(_PIECE, size - offset)])
    return out


async def stream(size: int) -> AsyncIterator[bytes]:
    for piece in pieces(size):
        yield piece  # type: ignore[misc]  # memoryviews: the importer slices, never copies


def rss_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_now_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def emit(
    mode: str, profile: str, size: int, seconds: float, base: float | None, **extra: object
) -> float:
    mb_s = size / seconds / 1e6
    line = {"bench": "ipfs_import", "mode": mode, "profile": profile, "bytes": size,
            "seconds": round(seconds, 3), "mb_s": round(mb_s, 1),
            "vs_sha256": None if base is None else round(mb_s / base, 3)} | extra  # fmt: skip
    print(json.dumps(line), flush=True)
    return mb_s


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=2**30)
    size = parser.parse_args().size

    started = time.perf_counter()
    digest = hashlib.sha256()
    for piece in pieces(size):
        digest.update(piece)
    base = emit("sha256", "-", size, time.perf_counter() - started, None)

    profiles: list[Profile] = [UNIXFS_V1_2025, UNIXFS_V0_2015]
    for profile in profiles:
        before = rss_now_mib()
        started = time.perf_counter()
        result = await add_stream(stream(size), profile=profile)
        seconds = time.perf_counter() - started
        emit("only-hash", profile.name, size, seconds, base,
             rss_growth_mib=round(rss_peak_mib() - before, 1), cid=str(result.cid))  # fmt: skip

    with tempfile.TemporaryDirectory() as folder:
        store = FilesystemBlockstore(Path(folder))
        before = rss_now_mib()
        started = time.perf_counter()
        result = await add_stream(stream(size), profile=UNIXFS_V1_2025, blockstore=store)
        seconds = time.perf_counter() - started
        emit("stored", UNIXFS_V1_2025.name, size, seconds, base,
             rss_growth_mib=round(rss_peak_mib() - before, 1), cid=str(result.cid))  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
