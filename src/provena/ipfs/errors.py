"""Errors of `provena.ipfs`.

IpfsError
├── InvalidCidError        text or bytes that are not a CID this package can use (400)
├── ProfileError           an import profile or flag combination that cannot be built
├── BlockError             a block cannot be used; carries the block's `cid`
│   ├── BlockNotFoundError     the block is not in the blockstore (404)
│   └── CorruptBlockError      the block's bytes do not hash to its CID, or do not decode
├── PathError              a path inside a DAG that does not resolve, or a name that is unsafe
├── CarError               a CAR stream that is malformed or truncated
└── RemoteError            Kubo or a pinning service failed or disagreed
    └── CidMismatchError       the remote computed another CID for the same bytes
"""

from __future__ import annotations

__all__ = [
    "BlockError",
    "BlockNotFoundError",
    "CarError",
    "CidMismatchError",
    "CorruptBlockError",
    "InvalidCidError",
    "IpfsError",
    "PathError",
    "ProfileError",
    "RemoteError",
]


class IpfsError(Exception):
    """Base of every error of `provena.ipfs`."""


class InvalidCidError(IpfsError, ValueError):
    """The value is not a valid CID (or uses a codec or hash this package does not support)."""


class ProfileError(IpfsError, ValueError):
    """The import settings are unknown or contradictory."""


class BlockError(IpfsError):
    """A block cannot be used; `cid` names it."""

    def __init__(self, cid: str, message: str) -> None:
        super().__init__(f"block {cid}: {message}")
        self.cid = cid


class BlockNotFoundError(BlockError, LookupError):
    """The block is not in the blockstore."""

    def __init__(self, cid: str) -> None:
        super().__init__(cid, "not found")


class CorruptBlockError(BlockError):
    """The block's bytes do not match its CID or cannot be decoded."""


class PathError(IpfsError, LookupError):
    """A path does not resolve inside a DAG, or a name would escape its directory."""


class CarError(IpfsError, ValueError):
    """A CAR stream is malformed or ends early."""


class RemoteError(IpfsError):
    """A Kubo node or a pinning service answered with an error or could not be reached."""


class CidMismatchError(RemoteError):
    """The remote node computed another CID than the local importer for the same bytes."""

    def __init__(self, local: str, remote: str) -> None:
        super().__init__(f"remote CID {remote} differs from the locally computed {local}")
        self.local = local
        self.remote = remote
