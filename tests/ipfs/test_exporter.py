"""Reading back: whole files, byte ranges, verification, CAR round trips, GC."""

from __future__ import annotations

import asyncio
import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from provena.ipfs import (
    UNIXFS_V0_2015,
    BlockNotFoundError,
    CarError,
    CorruptBlockError,
    FilesystemBlockstore,
    MemoryBlockstore,
    PathError,
    Profile,
    add_bytes,
    add_files,
    add_stream,
    cat,
    collect_garbage,
    export_car,
    import_car,
    parse_cid,
    resolve,
    stat,
    verify_dag,
)
from provena.ipfs.cid import block_key
from tests.ipfs.oracles import seeded_bytes, seeded_stream, write_seeded

SMALL = Profile("small", 1, False, 1000, 4)  # dag-pb leaves and deep trees from small inputs


async def read_all(pieces: AsyncIterator[bytes]) -> bytes:
    return b"".join([piece async for piece in pieces])


@pytest.mark.parametrize("profile", [SMALL, UNIXFS_V0_2015], ids=lambda p: p.name)
async def test_cat_whole_and_ranges(profile: Profile, fs_store: FilesystemBlockstore) -> None:
    data = seeded_bytes(23_456, "ranges")
    result = await add_bytes(data, profile=profile, blockstore=fs_store)
    assert await read_all(cat(fs_store, result.cid)) == data
    for offset, length in [(0, 1), (999, 2), (1000, 1000), (5, 20_000), (23_455, 10), (23_456, 5)]:
        got = await read_all(cat(fs_store, result.cid, offset=offset, length=length))
        assert got == data[offset : offset + length], (offset, length)
    entry = await stat(fs_store, result.cid)
    assert (entry.kind, entry.size) == ("file", len(data))


def corrupt_a_leaf(root: Path) -> Path:
    victim = next(p for p in root.glob("blocks/*/*.data") if p.stat().st_size > 1000)
    victim.write_bytes(b"x" + victim.read_bytes()[1:])
    return victim


def temp_files(root: Path) -> list[Path]:
    return list(root.glob("blocks/*/.tmp-*"))


async def test_corrupt_block_is_named_and_no_bytes_leave(
    fs_store: FilesystemBlockstore, tmp_path: Path
) -> None:
    data = seeded_bytes(5000, "corrupt")
    result = await add_bytes(data, profile=SMALL, blockstore=fs_store)
    victim = corrupt_a_leaf(tmp_path / "ipfs")
    with pytest.raises(CorruptBlockError) as caught:
        await read_all(cat(fs_store, result.cid))
    assert block_key(parse_cid(caught.value.cid)) == victim.name.removesuffix(".data")
    with pytest.raises(CorruptBlockError):
        await verify_dag(fs_store, result.cid)


async def test_missing_block_is_named(mem_store: MemoryBlockstore) -> None:
    result = await add_bytes(b"a" * 3000, profile=SMALL, blockstore=mem_store)
    other = MemoryBlockstore()
    await other.put(result.cid, await mem_store.get(result.cid))
    with pytest.raises(BlockNotFoundError) as caught:
        await read_all(cat(other, result.cid))
    assert caught.value.cid != str(result.cid)
    assert caught.value.cid in str(caught.value)


async def test_directory_paths(fs_store: FilesystemBlockstore, tmp_path: Path) -> None:
    paths = [write_seeded(tmp_path / n, 2000, n) for n in ("a.txt", "b.txt")]
    results = await add_files(paths, profile=SMALL, blockstore=fs_store, wrap=True)
    root = results[-1].cid
    assert await resolve(fs_store, root, "b.txt") == results[1].cid
    assert (await stat(fs_store, root)).kind == "directory"
    for bad in ("missing.txt", "a.txt/deeper", "../a.txt"):
        with pytest.raises(PathError):
            await resolve(fs_store, root, bad)
    with pytest.raises(PathError):
        await read_all(cat(fs_store, root))


async def test_names_with_path_traversal_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PathError):
        await add_files([tmp_path / ".."], wrap=True)


async def test_car_round_trip_and_truncation(fs_store: FilesystemBlockstore) -> None:
    data = seeded_bytes(9000, "car")
    result = await add_bytes(data, profile=SMALL, blockstore=fs_store)
    car = await read_all(export_car(fs_store, result.cid))
    target = MemoryBlockstore()

    async def pieces(blob: bytes, size: int = 777) -> AsyncIterator[bytes]:
        for i in range(0, len(blob), size):
            yield blob[i : i + size]

    assert await import_car(target, pieces(car)) == [result.cid]
    assert await read_all(cat(target, result.cid)) == data
    for cut in (1, 10, len(car) // 2, len(car) - 1):
        with pytest.raises(CarError, match=r"truncated|not a CAR"):
            await import_car(MemoryBlockstore(), pieces(car[:cut]))
    tampered = bytearray(car)
    tampered[-1] ^= 1
    with pytest.raises(CorruptBlockError):
        await import_car(MemoryBlockstore(), pieces(bytes(tampered)))
    with pytest.raises(CarError):
        await import_car(MemoryBlockstore(), pieces(b"\x05hello"))


async def test_gc_keeps_pinned_dags_only(fs_store: FilesystemBlockstore) -> None:
    kept = await add_bytes(seeded_bytes(4000, "kept"), profile=SMALL, blockstore=fs_store)
    dropped = await add_bytes(seeded_bytes(4000, "dropped"), profile=SMALL, blockstore=fs_store)
    await fs_store.pin(kept.cid)
    assert await fs_store.pins() == [kept.cid]
    result = await collect_garbage(fs_store)
    assert result.kept == await verify_dag(fs_store, kept.cid)
    assert not await fs_store.has(dropped.cid)
    assert await read_all(cat(fs_store, kept.cid)) == seeded_bytes(4000, "kept")
    await fs_store.unpin(kept.cid)
    await collect_garbage(fs_store)
    assert [k async for k in fs_store.block_keys()] == []


async def test_concurrent_adds_of_the_same_content(
    fs_store: FilesystemBlockstore, tmp_path: Path
) -> None:
    data = seeded_bytes(50_000, "same")
    results = await asyncio.gather(
        *(add_bytes(data, profile=SMALL, blockstore=fs_store) for _ in range(8))
    )
    assert len({r.cid for r in results}) == 1
    assert await read_all(cat(fs_store, results[0].cid)) == data
    assert temp_files(tmp_path / "ipfs") == []


async def test_import_and_export_memory_stay_constant(fs_store: FilesystemBlockstore) -> None:
    size = 64 * 1024 * 1024
    profile = Profile("mem", 1, True, 256 * 1024, 174)
    tracemalloc.start()
    try:
        result = await add_stream(
            seeded_stream(size, "big", 256 * 1024), profile=profile, blockstore=fs_store
        )
        _, import_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        total = 0
        async for piece in cat(fs_store, result.cid):
            total += len(piece)
        _, export_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == size
    assert import_peak < 8 * 1024 * 1024, import_peak
    assert export_peak < 8 * 1024 * 1024, export_peak
