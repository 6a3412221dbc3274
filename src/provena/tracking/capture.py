"""EPCIS capture jobs: a document's events onto the ledger, in batches.

`CaptureService.start` records the job and leaves the work to a task: every event
validated and hashed (in a thread, off the event loop), then batches of up to
`batch_size` events, each one `Epcis:CaptureEvents` transaction signed by the capturing
person, `in_flight` of them on their way at a time, each waited for until it commits
and reaches the projection. The job's row says how far it got (`committed`), which
events were stored and which were on the ledger already, and what went wrong.

Error behaviour, as the EPCIS 2.0 capture interface defines it:

- `rollback` (the default): an invalid event means nothing is captured; the job fails
  before any transaction, as does any job whose document itself is invalid. (Once
  batches are on their way, a ledger failure stops the job and the batches committed
  before it stay: the ledger never forgets.)
- `proceed`: invalid events are reported and skipped; the valid ones are captured.

A job left running by a stopped process is marked failed when the service starts again.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import TypeAdapter
from sqlalchemy import select, update

from provena.contracts.epcis import MAX_EVENTS, EpcisEventInput
from provena.db import (
    Database,
    EpcisCapture,
    EpcisEvent,
    LedgerTransaction,
    LedgerTxStatus,
    utcnow,
)
from provena.epcis import DocumentEvent, event_hash
from provena.epcis.validation import ValidationIssue, validate_document
from provena.transactions import Actor, TransactionFailure, TransactionService, Write

__all__ = ["CaptureError", "CaptureService", "ErrorBehaviour", "prepare"]

_log = logging.getLogger(__name__)
ErrorBehaviour = Literal["rollback", "proceed"]
_EVENTS = TypeAdapter(list[EpcisEventInput])


@dataclass(frozen=True, slots=True)
class CaptureError:
    """One event that cannot be captured: where it is and why."""

    index: int | None
    line: int | None
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"index": self.index, "line": self.line, "message": self.message}


_EVENT_PATH = re.compile(
    r"^(?:epcisBody\.(?:queryResults\.resultsBody\.)?eventList)?\[(\d+)\]|^epcisBody\.event\b"
)


def _event_index(path: str, count: int) -> int | None:
    """The event an issue's path is in, or None for the document itself."""
    matched = _EVENT_PATH.match(path)
    if matched:
        return int(matched.group(1) or 0)
    if count == 1 and not path.startswith("epcisBody"):
        return 0  # a document that is one event
    return None


def prepare(
    data: bytes, events: Sequence[DocumentEvent]
) -> tuple[list[EpcisEventInput], list[CaptureError]]:
    """Each valid event of the document `data` with its hash, and an error for each
    invalid one (index None: the document itself), with the line of each problem."""
    by_event: dict[int | None, list[ValidationIssue]] = {}
    for issue in validate_document(data):
        by_event.setdefault(_event_index(issue.path, len(events)), []).append(issue)
    errors = [
        CaptureError(index, issues[0].line, "; ".join(f"{i.path}: {i.message}" for i in issues))
        for index, issues in sorted(
            by_event.items(), key=lambda item: -1 if item[0] is None else item[0]
        )
    ]
    ready: list[EpcisEventInput] = []
    if None in by_event:
        return ready, errors
    for index, document_event in enumerate(events):
        if index in by_event:
            continue
        try:
            ready.append(
                EpcisEventInput(hash=event_hash(document_event.fields), event=document_event.fields)
            )
        except ValueError as exc:
            errors.append(CaptureError(index, document_event.line, str(exc)))
    return ready, errors


def _batches(events: list[EpcisEventInput], size: int) -> Iterator[list[EpcisEventInput]]:
    for start in range(0, len(events), size):
        yield events[start : start + size]


class CaptureService:
    """Starts capture jobs and runs each to its end in a task of its own.

    `projected(tx_id)` returns once the projection has applied the transaction, which
    then tells the events it stored from those it found on the ledger already.
    """

    def __init__(
        self,
        database: Database,
        transactions: TransactionService,
        projected: Callable[[str], Awaitable[None]],
        *,
        batch_size: int = 500,
        in_flight: int = 3,
        commit_timeout: float = 120.0,
    ) -> None:
        self._database = database
        self._transactions = transactions
        self._projected = projected  # until the projection has applied a transaction
        self._batch_size = min(batch_size, MAX_EVENTS)
        self._in_flight = in_flight
        self._commit_timeout = commit_timeout
        self._tasks: set[asyncio.Task[None]] = set()

    async def recover(self) -> int:
        """Mark the jobs a stopped process left running as failed; how many there were."""
        async with self._database.session() as session:
            result = await session.execute(
                update(EpcisCapture)
                .where(EpcisCapture.state == "running")
                .values(
                    state="failed",
                    finished_at=utcnow(),
                    errors=[{"index": None, "line": None, "message": "interrupted by a restart"}],
                )
            )
            await session.commit()
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def start(
        self,
        actor: Actor,
        msp_id: str,
        data: bytes,
        events: Sequence[DocumentEvent],
        behaviour: ErrorBehaviour,
    ) -> EpcisCapture:
        """Record the job and run it: validation first (off the event loop), then the ledger."""
        job = EpcisCapture(
            id=uuid.uuid4(),
            msp_id=msp_id,
            created_by_id=actor.user_id,
            error_behaviour=behaviour,
            state="running",
            event_count=len(events),
            committed=0,
            stored=[],
            duplicates=[],
            errors=[],
            created_at=utcnow(),
        )
        async with self._database.session() as session:
            session.add(job)
            await session.commit()
        task = asyncio.create_task(self._run(actor, job.id, data, events, behaviour))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job

    async def _run(
        self,
        actor: Actor,
        id: uuid.UUID,
        data: bytes,
        events: Sequence[DocumentEvent],
        behaviour: ErrorBehaviour,
    ) -> None:
        try:
            ready, errors = await asyncio.to_thread(prepare, data, events)
            found = [e.as_json() for e in errors]
            refused = (errors and behaviour == "rollback") or any(e.index is None for e in errors)
            if refused or not ready:
                await self._finish(id, found, failed=True)
                return
            await self._update(id, errors=found)
            error = await self._submit(actor, id, ready)
            await self._finish(id, found, failed=error is not None, error=error)
        except Exception as exc:  # the job must end with a state, whatever happened
            _log.exception("capture %s failed", id)
            await self._finish(id, [], failed=True, error=f"the capture stopped: {exc}")

    async def _submit(
        self, actor: Actor, id: uuid.UUID, events: list[EpcisEventInput]
    ) -> str | None:
        """Every event onto the ledger, `in_flight` batches at a time; the error that stopped
        it, if any. An event repeated in the document is sent once, the others reported as
        duplicates, so batches in flight never write the same key."""
        unique: dict[str, EpcisEventInput] = {}
        duplicates: list[str] = []
        for event in events:
            if event.hash in unique:
                duplicates.append(event.hash)
            else:
                unique[event.hash] = event
        batches = list(_batches(list(unique.values()), self._batch_size))
        stored: list[str] = []
        committed = len(duplicates)
        pending: deque[tuple[int, asyncio.Task[tuple[list[str], list[str]]]]] = deque()
        error: str | None = None

        async def settle_oldest() -> None:
            nonlocal committed, error
            size, task = pending.popleft()
            try:
                stored_now, duplicated = await task
            except (TransactionFailure, TimeoutError) as exc:
                error = error or f"a batch of {size} events: {exc or 'no commit in time'}"
                return
            stored.extend(stored_now)
            duplicates.extend(duplicated)
            committed += size
            await self._update(id, committed=committed, stored=stored, duplicates=duplicates)

        for batch in batches:
            if error is not None:
                break
            try:
                row = await self._send(actor, id, batch)
            except TransactionFailure as exc:
                error = f"a batch of {len(batch)} events: {exc}"
                break
            pending.append((len(batch), asyncio.create_task(self._settle(row, batch))))
            if len(pending) >= self._in_flight:
                await settle_oldest()
        while pending:
            await settle_oldest()
        await self._update(id, committed=committed, stored=stored, duplicates=duplicates)
        return error

    async def _send(
        self, actor: Actor, id: uuid.UUID, batch: list[EpcisEventInput]
    ) -> LedgerTransaction:
        write = Write(
            "Epcis", "CaptureEvents", (str(id), _EVENTS.dump_json(batch).decode()), str(id)
        )
        return await self._transactions.submit(actor, write)

    async def _settle(
        self, row: LedgerTransaction, batch: list[EpcisEventInput]
    ) -> tuple[list[str], list[str]]:
        """Once the batch is committed and projected: the hashes it stored, and the others."""
        async with asyncio.timeout(self._commit_timeout):
            row = await self._transactions.wait_settled(row.tx_id)
            if row.status != LedgerTxStatus.COMMITTED:
                code = row.validation_code
                raise TransactionFailure(f"transaction {row.tx_id} was invalid: {code}")
            await self._projected(row.tx_id)
        stored_here = await self._stored(row.tx_id, {event.hash for event in batch})
        stored = [event.hash for event in batch if event.hash in stored_here]
        return stored, [event.hash for event in batch if event.hash not in stored_here]

    async def _stored(self, tx_id: str, hashes: set[str]) -> set[str]:
        """Which of `hashes` transaction `tx_id` stored (the others were there already)."""
        async with self._database.session() as session:
            return set(
                await session.scalars(
                    select(EpcisEvent.hash).where(
                        EpcisEvent.hash.in_(hashes), EpcisEvent.tx_id == tx_id
                    )
                )
            )

    async def _update(self, id: uuid.UUID, **values: Any) -> None:
        async with self._database.session() as session:
            await session.execute(
                update(EpcisCapture).where(EpcisCapture.id == id).values(**values)
            )
            await session.commit()

    async def _finish(
        self, id: uuid.UUID, errors: list[dict[str, Any]], *, failed: bool, error: str | None = None
    ) -> None:
        async with self._database.session() as session:
            job = await session.get(EpcisCapture, id)
            assert job is not None
            job.state = "failed" if failed else "succeeded"
            job.finished_at = utcnow()
            stopped = [{"index": None, "line": None, "message": error}] if error else []
            job.errors = [*errors, *stopped]
            await session.commit()

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
