"""EPCIS capture jobs: a document's events onto the ledger, in order, in batches.

`CaptureService.start` validates every event and computes its hash, records the job,
and leaves the ledger work to a task: batches of up to `batch_size` events, each one
`Epcis:CaptureEvents` transaction signed by the capturing person and waited for until
it commits. The job's row says how far it got (`committed`), which events were stored
and which were already on the ledger, and what went wrong.

Error behaviour, as the EPCIS 2.0 capture interface defines it:

- `rollback` (the default): an invalid event means nothing is captured; the job fails
  before any transaction. (Once batches are on their way, a ledger failure stops the job
  and the batches committed before it stay: the ledger never forgets.)
- `proceed`: invalid events are reported and skipped; the valid ones are captured.

A job left running by a stopped process is marked failed when the service starts again.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import TypeAdapter
from sqlalchemy import select, update

from provena.contracts.epcis import MAX_EVENTS, EpcisEventInput
from provena.db import Database, EpcisCapture, EpcisEvent, LedgerTxStatus, utcnow
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
        commit_timeout: float = 120.0,
    ) -> None:
        self._database = database
        self._transactions = transactions
        self._projected = projected  # until the projection has applied a transaction
        self._batch_size = min(batch_size, MAX_EVENTS)
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
        """Record the job and start it; a `rollback` job with invalid events fails at once,
        as does any job whose document itself is invalid."""
        ready, errors = prepare(data, events)
        failed = (bool(errors) and behaviour == "rollback") or not ready
        job = EpcisCapture(
            id=uuid.uuid4(),
            msp_id=msp_id,
            created_by_id=actor.user_id,
            error_behaviour=behaviour,
            state="failed" if failed else "running",
            event_count=len(events),
            committed=0,
            stored=[],
            duplicates=[],
            errors=[e.as_json() for e in errors],
            created_at=utcnow(),
            finished_at=utcnow() if failed else None,
        )
        async with self._database.session() as session:
            session.add(job)
            await session.commit()
        if not failed:
            task = asyncio.create_task(self._run(actor, job.id, ready))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return job

    async def wait(self, id: uuid.UUID) -> None:
        """Until no task of this process runs the job `id` (for tests and benchmarks)."""
        for task in list(self._tasks):
            if task.get_name() == str(id):
                await task

    async def _run(self, actor: Actor, id: uuid.UUID, events: list[EpcisEventInput]) -> None:
        asyncio.current_task().set_name(str(id))  # type: ignore[union-attr]
        stored: list[str] = []
        duplicates: list[str] = []
        error: str | None = None
        for start in range(0, len(events), self._batch_size):
            batch = events[start : start + self._batch_size]
            try:
                result = await self._capture(actor, id, batch)
            except (TransactionFailure, TimeoutError) as exc:
                error = f"events {start} to {start + len(batch) - 1}: {exc or 'no commit in time'}"
                break
            except Exception as exc:  # the job must end with a state, whatever happened
                _log.exception("capture %s failed", id)
                error = f"events {start} to {start + len(batch) - 1}: {exc}"
                break
            stored_now, duplicated = result
            stored += stored_now
            duplicates += duplicated
            await self._update(
                id, committed=start + len(batch), stored=stored, duplicates=duplicates
            )
        await self._finish(id, error)

    async def _capture(
        self, actor: Actor, id: uuid.UUID, batch: list[EpcisEventInput]
    ) -> tuple[list[str], list[str]]:
        write = Write(
            "Epcis", "CaptureEvents", (str(id), _EVENTS.dump_json(batch).decode()), str(id)
        )
        row = await self._transactions.submit(actor, write)
        async with asyncio.timeout(self._commit_timeout):
            row = await self._transactions.wait_settled(row.tx_id)
            if row.status != LedgerTxStatus.COMMITTED:
                code = row.validation_code
                raise TransactionFailure(f"transaction {row.tx_id} was invalid: {code}")
            await self._projected(row.tx_id)
        stored_here = await self._stored(row.tx_id, {event.hash for event in batch})
        stored: list[str] = []
        duplicates: list[str] = []
        for event in batch:  # a hash is stored once; any other sight of it is a duplicate
            if event.hash in stored_here and event.hash not in stored:
                stored.append(event.hash)
            else:
                duplicates.append(event.hash)
        return stored, duplicates

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

    async def _finish(self, id: uuid.UUID, error: str | None) -> None:
        async with self._database.session() as session:
            job = await session.get(EpcisCapture, id)
            assert job is not None
            job.state = "failed" if error else "succeeded"
            job.finished_at = utcnow()
            if error:
                job.errors = [*job.errors, {"index": None, "line": None, "message": error}]
            await session.commit()

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
