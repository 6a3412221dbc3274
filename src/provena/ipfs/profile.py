"""Import profiles: the IPIP-499 "UnixFS CID profiles", with Kubo's flags as overrides.

A profile fixes every choice that changes a CID: CID version, leaf type, chunk size and
the widest node of the balanced DAG. Two are named:

    profile          CID  leaves   chunk     links   who uses it
    unixfs-v1-2025   v1   raw      1 MiB     1024    Provena's default, Helia, IPFS Desktop
    unixfs-v0-2015   v0   dag-pb   256 KiB   174     Kubo's classic default

174 links is what fits a 8 KiB node: 8192 / 47 bytes per link (34-byte CIDv0 + framing).
Kubo's `ipfs add` flags change one field each, starting from Kubo's own defaults when no
profile is named; `--cid-version 1` also switches leaves to raw unless `--raw-leaves`
says otherwise, exactly as Kubo does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from provena.ipfs.errors import ProfileError

__all__ = [
    "DEFAULT_PROFILE",
    "PROFILES",
    "UNIXFS_V0_2015",
    "UNIXFS_V1_2025",
    "Profile",
    "parse_chunker",
    "resolve_profile",
]

#: Kubo refuses larger chunks: blocks over 2 MiB do not travel over Bitswap.
MAX_CHUNK_SIZE = 1024 * 1024 * 2 - 256


@dataclass(frozen=True, slots=True)
class Profile:
    """Everything that decides the CID of imported bytes."""

    name: str
    cid_version: int
    raw_leaves: bool
    chunk_size: int
    max_links: int

    def __post_init__(self) -> None:
        if self.cid_version not in (0, 1):
            raise ProfileError(f"CID version must be 0 or 1, not {self.cid_version}")
        if not 1 <= self.chunk_size <= MAX_CHUNK_SIZE:
            raise ProfileError(f"chunk size must be 1..{MAX_CHUNK_SIZE} bytes")
        if self.max_links < 2:
            raise ProfileError("a DAG node needs room for at least 2 links")


UNIXFS_V1_2025 = Profile("unixfs-v1-2025", 1, True, 1024 * 1024, 1024)
UNIXFS_V0_2015 = Profile("unixfs-v0-2015", 0, False, 256 * 1024, 174)
PROFILES = {p.name: p for p in (UNIXFS_V1_2025, UNIXFS_V0_2015)}
DEFAULT_PROFILE = UNIXFS_V1_2025

_SIZE_CHUNKER = re.compile(r"size-(\d+)")


def parse_chunker(spec: str) -> int:
    """The chunk size of a Kubo chunker spec; only fixed-size `size-N` builds these DAGs."""
    match = _SIZE_CHUNKER.fullmatch(spec)
    if match is None:
        raise ProfileError(f"unsupported chunker {spec!r}: use size-N")
    return int(match.group(1))


def resolve_profile(
    name: str | None = None,
    *,
    cid_version: int | None = None,
    raw_leaves: bool | None = None,
    chunker: str | None = None,
) -> Profile:
    """The profile named `name`, overridden flag by flag like `ipfs add`.

    With no name and no flag this is `DEFAULT_PROFILE`; with flags but no name the base
    is Kubo's classic default, so `ipfs add` command lines carry over unchanged.
    """
    overridden = cid_version is not None or raw_leaves is not None or chunker is not None
    if name is None:
        base = UNIXFS_V0_2015 if overridden else DEFAULT_PROFILE
    elif name in PROFILES:
        base = PROFILES[name]
    else:
        raise ProfileError(f"unknown profile {name!r}; known: {', '.join(sorted(PROFILES))}")
    if not overridden:
        return base
    fields: dict[str, object] = {}
    if cid_version is not None:
        fields["cid_version"] = cid_version
        if raw_leaves is None and cid_version == 1:
            fields["raw_leaves"] = True
    if raw_leaves is not None:
        fields["raw_leaves"] = raw_leaves
    if chunker is not None:
        fields["chunk_size"] = parse_chunker(chunker)
    custom = replace(base, name="custom", **fields)  # type: ignore[arg-type]
    return base if _same_settings(custom, base) else custom


def _same_settings(a: Profile, b: Profile) -> bool:
    return (a.cid_version, a.raw_leaves, a.chunk_size, a.max_links) == (
        b.cid_version,
        b.raw_leaves,
        b.chunk_size,
        b.max_links,
    )
