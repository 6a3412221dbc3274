"""Fixtures for the IPFS tests: blockstores on disk and in memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from provena.ipfs import FilesystemBlockstore, MemoryBlockstore


@pytest.fixture
def fs_store(tmp_path: Path) -> FilesystemBlockstore:
    return FilesystemBlockstore(tmp_path / "ipfs")


@pytest.fixture
def mem_store() -> MemoryBlockstore:
    return MemoryBlockstore()
