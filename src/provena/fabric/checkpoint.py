"""Checkpoints: where a restarted event listener resumes, so it misses and repeats nothing.

A checkpoint is a block number and, optionally, the last transaction processed within it.
Events resume from that block, skipping events up to and including that transaction;
after a whole block, the checkpoint moves on to the next block with no transaction.

    checkpointer = await FileCheckpointer.open("events.json")
    async with await network.chaincode_events("cc", checkpoint=checkpointer) as events:
        async for event in events:
            handle(event)
            await checkpointer.checkpoint_chaincode_event(event)
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Protocol

from provena.fabric.chaincodeevent import ChaincodeEvent
from provena.fabric.errors import FabricError

__all__ = ["Checkpoint", "Checkpointer", "FileCheckpointer", "InMemoryCheckpointer"]


class Checkpoint(Protocol):
    """Where to resume: read by the event request builders."""

    @property
    def block_number(self) -> int | None: ...

    @property
    def transaction_id(self) -> str | None: ...


class Checkpointer(Checkpoint, Protocol):
    """A checkpoint that the listener moves forward as it processes events."""

    async def checkpoint_block(self, block_number: int) -> None:
        """Block `block_number` is fully processed: resume at the next one."""
        ...

    async def checkpoint_transaction(self, block_number: int, transaction_id: str) -> None:
        """Everything up to this transaction of this block is processed."""
        ...

    async def checkpoint_chaincode_event(self, event: ChaincodeEvent) -> None:
        """This event is processed (its transaction's later events count as processed too)."""
        ...


class InMemoryCheckpointer:
    """A checkpointer for one process's lifetime."""

    def __init__(self) -> None:
        self._block_number: int | None = None
        self._transaction_id: str | None = None

    @property
    def block_number(self) -> int | None:
        return self._block_number

    @property
    def transaction_id(self) -> str | None:
        return self._transaction_id

    async def checkpoint_block(self, block_number: int) -> None:
        self._set(block_number + 1, None)

    async def checkpoint_transaction(self, block_number: int, transaction_id: str) -> None:
        self._set(block_number, transaction_id)

    async def checkpoint_chaincode_event(self, event: ChaincodeEvent) -> None:
        await self.checkpoint_transaction(event.block_number, event.transaction_id)

    def _set(self, block_number: int, transaction_id: str | None) -> None:
        self._block_number = block_number
        self._transaction_id = transaction_id


class FileCheckpointer(InMemoryCheckpointer):
    """A checkpointer kept in a JSON file, replaced atomically and synced on every move.

    A crash leaves either the old or the new checkpoint, never a torn file.
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._path = path

    @classmethod
    async def open(cls, path: str | Path) -> FileCheckpointer:
        """Load the checkpoint in `path`, or start with none if the file does not exist."""
        checkpointer = cls(Path(path))
        await asyncio.to_thread(checkpointer._load)
        return checkpointer

    @property
    def path(self) -> Path:
        return self._path

    async def checkpoint_block(self, block_number: int) -> None:
        await super().checkpoint_block(block_number)
        await asyncio.to_thread(self._save)

    async def checkpoint_transaction(self, block_number: int, transaction_id: str) -> None:
        await super().checkpoint_transaction(block_number, transaction_id)
        await asyncio.to_thread(self._save)

    def _load(self) -> None:
        try:
            text = self._path.read_text()
        except FileNotFoundError:
            return
        try:
            state = json.loads(text)
            block_number = state["block_number"]
            transaction_id = state.get("transaction_id")
            if not isinstance(block_number, int) or not (
                transaction_id is None or isinstance(transaction_id, str)
            ):
                raise TypeError("block_number must be an integer, transaction_id a string")
        except (ValueError, KeyError, TypeError) as exc:
            raise FabricError(f"malformed checkpoint file {self._path}: {exc}") from exc
        self._set(block_number, transaction_id)

    def _save(self) -> None:
        state = {"block_number": self.block_number, "transaction_id": self.transaction_id}
        temporary = self._path.with_name(self._path.name + ".tmp")
        with temporary.open("w") as file:
            json.dump(state, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, self._path)
