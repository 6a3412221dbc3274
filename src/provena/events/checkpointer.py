"""`DatabaseCheckpointer`: where a listener has got to, moved in the transaction that applies.

The row in `ledger_checkpoints` is advanced with a compare-and-set: the update only
matches if the row still holds the position this listener last read or wrote. If two
listeners ever ran at once (a lost lock, a split brain), the second to commit finds no
match, raises `CheckpointConflictError`, and its transaction (projection and feed rows
included) rolls back: each event is applied exactly once, lock or no lock.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from provena.db import LedgerCheckpoint, utcnow
from provena.events.errors import CheckpointConflictError
from provena.fabric import ChaincodeEvent

__all__ = ["DatabaseCheckpointer"]


class DatabaseCheckpointer:
    """A `provena.fabric.Checkpoint` kept in the database row of one listener.

    `block_number` and `transaction_id` are what a chaincode events request resumes
    after; they change only through `load` and `advance`.
    """

    def __init__(self, listener: str) -> None:
        self._listener = listener
        self._block_number: int | None = None
        self._transaction_id: str | None = None

    @property
    def listener(self) -> str:
        return self._listener

    @property
    def block_number(self) -> int | None:
        return self._block_number

    @property
    def transaction_id(self) -> str | None:
        return self._transaction_id

    async def load(self, session: AsyncSession) -> None:
        """Read the stored position (none if the listener has applied nothing yet)."""
        row = await session.get(LedgerCheckpoint, self._listener, populate_existing=True)
        self._block_number = None if row is None else row.block_number
        self._transaction_id = None if row is None else row.tx_id

    async def advance(self, session: AsyncSession, event: ChaincodeEvent) -> None:
        """Record `event` as applied, in `session`'s transaction (the caller commits).

        Raises `CheckpointConflictError` if the stored row moved since `load` or the last
        `advance`.
        """
        values = {
            "block_number": event.block_number,
            "tx_index": None,
            "tx_id": event.transaction_id,
            "updated_at": utcnow(),
        }
        if self._block_number is None:
            try:
                async with session.begin_nested():
                    await session.execute(
                        insert(LedgerCheckpoint).values(listener=self._listener, **values)
                    )
            except IntegrityError as exc:
                raise self._conflict() from exc
        else:
            table = LedgerCheckpoint.__table__
            same_tx = (
                table.c.tx_id.is_(None)
                if self._transaction_id is None
                else table.c.tx_id == self._transaction_id
            )
            result = await session.execute(
                update(LedgerCheckpoint)
                .where(
                    table.c.listener == self._listener,
                    table.c.block_number == self._block_number,
                    same_tx,
                )
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise self._conflict()
        self._block_number = event.block_number
        self._transaction_id = event.transaction_id

    async def reset(self, session: AsyncSession) -> None:
        """Forget the position, in `session`'s transaction: the next event read starts it."""
        await session.execute(
            delete(LedgerCheckpoint).where(LedgerCheckpoint.listener == self._listener)
        )
        self._block_number = None
        self._transaction_id = None

    def _conflict(self) -> CheckpointConflictError:
        return CheckpointConflictError(
            f"checkpoint of listener {self._listener!r} moved since block "
            f"{self._block_number} tx {self._transaction_id}: another listener applied events"
        )
