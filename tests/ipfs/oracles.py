"""Reference implementations the tests compare CIDs with, and the seeded bytes they hash.

- Kubo (Go, the reference for `unixfs-v0-2015`): `kubo_cids`, through `kubo_oracle.py`.
- The JS UnixFS importer that Helia uses (`unixfs-v1-2025`, and every flag combination,
  since the embedded Kubo only adds with its defaults): `js_cids`, through `node/oracle.mjs`.

Test bytes are an AES-128-CTR keystream keyed by the seed: fast to make in both Python and
Node, so large inputs are streamed on both sides and never cross a pipe.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from tests.support.node import run_oracle

__all__ = ["js_cids", "kubo_cids", "seeded_bytes", "seeded_pieces", "seeded_stream", "write_seeded"]

HERE = Path(__file__).parent
NODE_DIR = HERE / "node"
_PIECE = 1024 * 1024


def seeded_pieces(size: int, seed: str, piece: int = _PIECE) -> Iterator[bytes]:
    """`size` deterministic bytes for `seed`, in pieces of at most `piece` bytes."""
    key = hashlib.sha256(seed.encode()).digest()[:16]
    encryptor = Cipher(algorithms.AES(key), modes.CTR(bytes(16))).encryptor()
    zeros = bytes(piece)
    for offset in range(0, size, piece):
        n = min(piece, size - offset)
        yield encryptor.update(zeros[:n])


async def seeded_stream(size: int, seed: str, piece: int = _PIECE) -> AsyncIterator[bytes]:
    for chunk in seeded_pieces(size, seed, piece):
        yield chunk


def seeded_bytes(size: int, seed: str) -> bytes:
    return b"".join(seeded_pieces(size, seed))


def write_seeded(path: Path, size: int, seed: str) -> Path:
    with path.open("wb") as out:
        for chunk in seeded_pieces(size, seed):
            out.write(chunk)
    return path


def js_cids(jobs: Sequence[dict[str, Any]]) -> list[str]:
    """Root CIDs from the JS importer, one per job (see `node/oracle.mjs`)."""
    return run_oracle(NODE_DIR, jobs).split()


def kubo_cids(repo: Path, files: Sequence[Path]) -> list[str]:
    """What Kubo's `ipfs add --only-hash` prints for each file, with Kubo's defaults."""
    done = subprocess.run(
        [sys.executable, str(HERE / "kubo_oracle.py"), str(repo), *map(str, files)],
        cwd=repo.parent,  # Kubo writes its log file into the working directory
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return done.stdout.split()
