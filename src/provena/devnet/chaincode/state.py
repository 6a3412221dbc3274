"""What the launcher needs from a transaction simulator: the seam to the ledger.

`provena.devnet.ledger.TxSimulator` satisfies it. Keys are chaincode keys (composite keys
start with U+0000); `ns` is the chaincode's name. Range reads go through `scan` so that a
chaincode that stops early has read, and the simulator records, only what it saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

__all__ = ["RangeCursor", "StateAccess"]


class RangeCursor(Protocol):
    """An open range scan, handed out in batches."""

    @property
    def exhausted(self) -> bool:
        """True once the range (or the page) has no more results."""
        ...

    @property
    def bookmark(self) -> str:
        """After a full page: the key the next page starts at ("" when none is left)."""
        ...

    async def next(self, limit: int) -> list[tuple[str, bytes]]:
        """Up to `limit` (> 0) more results in key order; empty once exhausted."""
        ...


class StateAccess(Protocol):
    """World-state reads (recorded for MVCC) and writes of one simulated transaction."""

    async def get_state(self, ns: str, key: str) -> bytes | None:
        """The committed value of `key`, None when absent."""
        ...

    def scan(self, ns: str, start: str, end: str, *, page_size: int = 0) -> RangeCursor:
        """Open [start, end) ("" end: unbounded); with `page_size`, stop after one page."""
        ...

    async def history(self, ns: str, key: str) -> Sequence[Any]:
        """Committed changes of `key` as `ledger.queryresult.KeyModification`, newest first."""
        ...

    def put_state(self, ns: str, key: str, value: bytes) -> None: ...

    def del_state(self, ns: str, key: str) -> None: ...
