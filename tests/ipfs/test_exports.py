"""Every module of `provena.ipfs` declares `__all__`, and the package re-exports real names."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import provena.ipfs
import provena.storage
from provena.ipfs import MemoryBlockstore, ObjectStoreBlockstore, Profile, add_bytes, cat
from provena.storage import LocalObjectStore


@pytest.mark.parametrize("package", [provena.ipfs, provena.storage], ids=lambda p: p.__name__)
def test_every_module_declares_all(package: object) -> None:
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):  # type: ignore[attr-defined]
        module = importlib.import_module(info.name)
        assert hasattr(module, "__all__"), info.name
        for name in module.__all__:
            assert hasattr(module, name), f"{info.name}.{name}"
    for name in package.__all__:  # type: ignore[attr-defined]
        assert hasattr(package, name), name


async def test_blockstore_on_an_object_store(tmp_path: Path) -> None:
    objects = LocalObjectStore(tmp_path)
    store = ObjectStoreBlockstore(objects)
    data = bytes(range(256)) * 40
    result = await add_bytes(data, profile=Profile("small", 1, True, 1000, 4), blockstore=store)
    assert b"".join([p async for p in cat(store, result.cid)]) == data
    await store.pin(result.cid)
    assert await store.pins() == [result.cid]
    keys = [k async for k in store.block_keys()]
    assert len(keys) == 11 + 3 + 1  # 11 leaves, 3 inner nodes, the root
    await store.unpin(result.cid)
    assert await store.pins() == []
    assert not await MemoryBlockstore().has(result.cid)
