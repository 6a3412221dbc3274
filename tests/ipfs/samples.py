"""Content the gateway tests add: a small profile with many blocks per file, and folders."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path

from provena.ipfs import CID, Blockstore, Profile, add_files
from tests.ipfs.oracles import seeded_bytes

__all__ = ["PDF", "SMALL", "add_folder"]

#: 1000-byte raw leaves, four links per node: `PDF` (20,009 bytes) is a tree of 21 leaves.
SMALL = Profile("small", 1, True, 1000, 4)
PDF = b"%PDF-1.7\n" + seeded_bytes(20_000, "pdf")


async def add_folder(blockstore: Blockstore, folder: Path, files: Mapping[str, bytes]) -> CID:
    """Add `files` (name to bytes) as one directory; its CID."""
    paths = await asyncio.to_thread(_write, folder, files)
    results = await add_files(paths, profile=SMALL, blockstore=blockstore, wrap=True)
    return results[-1].cid


def _write(folder: Path, files: Mapping[str, bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return [folder / name for name in files]
