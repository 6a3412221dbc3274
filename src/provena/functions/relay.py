"""The event relay: chosen ledger events from the feed to an ONS topic, once each.

The projection listener writes one feed row per committed chaincode event, in ledger
order and exactly once (`provena.events`); a rebuild of the projections never rewrites
them. So the relay reads the feed, not the ledger, and needs no ledger identity. Each
scheduled run takes the relay's lock (one run at a time), reads the ledger rows after its
cursor, publishes a message for each row of `kinds`, and moves the cursor past it in its
own commit, so a run that fails resumes at the first event it did not publish.

    feed_events ──after cursor──► chosen kinds ──► ONS publish ──► cursor := (block, tx)

The cursor is a `ledger_checkpoints` row (listener `ons-relay`): the block and transaction
of the last ledger event it passed, like every listener's. Its first run starts from the
newest event then in the feed (history is not replayed to subscribers); a later run that
finds the feed empty of ledger events starts at block 0. A publish that succeeds just
before the process dies is published again by the next run: each message carries the
event's transaction id, for a subscriber to recognise it.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from provena.db import Database, FeedEvent, LedgerCheckpoint, utcnow
from provena.events import listener_lock
from provena.functions.errors import RelayBusy
from provena.functions.notifications import MAX_BODY, Notifier

__all__ = ["ALERT_DISPOSITIONS", "CURSOR", "Relayed", "message_for", "relay"]

CURSOR = "ons-relay"
"""The relay's row in `ledger_checkpoints`, and the name of its lock."""

ALERT_DISPOSITIONS = frozenset(
    {
        "damaged",
        "destroyed",
        "disposed",
        "expired",
        "mismatch_class",
        "mismatch_instance",
        "mismatch_quantity",
        "needs_replacement",
        "non_conformant",
        "recalled",
        "stolen",
        "unknown",
    }
)
"""CBV dispositions that make a recorded checkpoint worth telling about."""


@dataclass(frozen=True, slots=True)
class Relayed:
    published: list[int]
    """The feed ids of the events published, in order."""
    passed: int
    """Ledger events read in all (published or not)."""
    started: bool = False
    """True if this run only set the cursor for the first time."""


async def relay(
    database: Database, notifier: Notifier, *, kinds: Collection[str], limit: int = 200
) -> Relayed:
    """Publish the chosen events after the cursor (at most `limit` read per run)."""
    lock = listener_lock(database, CURSOR)
    if not await lock.try_acquire():
        raise RelayBusy("another run of the event relay is under way")
    try:
        async with database.writing() as session:
            cursor = await session.get(LedgerCheckpoint, CURSOR)
            if cursor is None:
                await _start(session)
                await session.commit()
                return Relayed([], 0, started=True)
            position = (cursor.block_number, cursor.tx_id)
            rows = await _after(session, position, limit)
        published = []
        for row in rows:
            if _chosen(row, kinds):
                title, body = message_for(row)
                await notifier.publish(title, body)
                published.append(row.id)
            elif row is not rows[-1]:
                continue  # passed over; the cursor moves past it with the next publish
            async with database.writing() as session:
                await _move(session, position, row)
                await session.commit()
            position = (row.block_number or 0, row.tx_id)
        return Relayed(published, len(rows))
    finally:
        await lock.release()


def message_for(row: FeedEvent) -> tuple[str, str]:
    """The title and JSON body of the ONS message for one feed row."""
    payload: Mapping[str, Any] = row.payload
    summary: dict[str, Any] = {
        "kind": row.kind,
        "tx_id": row.tx_id,
        "block_number": row.block_number,
        "feed_id": row.id,
        "audience": row.audience,
    }
    subject = ""
    if (certificate := payload.get("certificate")) is not None:
        subject = certificate["id"]
        summary["certificate"] = {
            k: certificate.get(k) for k in ("id", "scheme", "status", "status_reason", "issuer_msp")
        } | {"subject": certificate.get("subject")}
    if (shipment := payload.get("shipment")) is not None:
        subject = shipment["id"]
        summary["shipment"] = {
            k: shipment.get(k) for k in ("id", "status", "owner_msp", "custodian_msp")
        }
    if (transfer := payload.get("transfer")) is not None:
        summary["transfer"] = transfer
    if (checkpoint := payload.get("checkpoint")) is not None:
        event = checkpoint.get("event", {})
        summary["checkpoint"] = {"seq": checkpoint.get("seq")} | {
            k: event.get(k) for k in ("event_time", "biz_step", "disposition", "read_point")
        }
    body = json.dumps(summary, sort_keys=True, default=str)
    if len(body.encode()) > MAX_BODY:  # an oversized free-text field: say less, still say it
        body = json.dumps({k: summary[k] for k in ("kind", "tx_id", "block_number", "feed_id")})
    return f"Provena: {row.kind} {subject}".strip(), body


def _chosen(row: FeedEvent, kinds: Collection[str]) -> bool:
    if row.kind not in kinds:
        return False
    if row.kind == "checkpoint.recorded":
        event = (row.payload.get("checkpoint") or {}).get("event") or {}
        return event.get("disposition") in ALERT_DISPOSITIONS
    return True


def _ledger_rows() -> ColumnElement[bool]:
    """Feed rows of committed chaincode events (not our own transactions' status rows)."""
    return and_(FeedEvent.tx_id.is_not(None), FeedEvent.kind.not_like("transaction.%"))


async def _start(session: AsyncSession) -> None:
    newest = (
        await session.execute(
            select(FeedEvent.block_number, FeedEvent.tx_id)
            .where(_ledger_rows())
            .order_by(FeedEvent.id.desc())
            .limit(1)
        )
    ).first()
    block, tx_id = (newest[0] or 0, newest[1]) if newest is not None else (0, None)
    session.add(LedgerCheckpoint(listener=CURSOR, block_number=block, tx_id=tx_id))


async def _after(
    session: AsyncSession, position: tuple[int, str | None], limit: int
) -> list[FeedEvent]:
    block, tx_id = position
    after = None
    if tx_id is not None:
        at = select(func.max(FeedEvent.id)).where(_ledger_rows(), FeedEvent.tx_id == tx_id)
        after = await session.scalar(at)
    if after is None:  # past all of `block`; if its transaction's row is gone, before it
        done = FeedEvent.block_number <= block if tx_id is None else FeedEvent.block_number < block
        whole = select(func.max(FeedEvent.id)).where(_ledger_rows(), done)
        after = (await session.scalar(whole)) or 0
    query = (
        select(FeedEvent)
        .where(_ledger_rows(), FeedEvent.id > after)
        .order_by(FeedEvent.id)
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


async def _move(session: AsyncSession, position: tuple[int, str | None], row: FeedEvent) -> None:
    """Move the cursor from `position` to `row`, or fail if another run moved it."""
    block, tx_id = position
    table = LedgerCheckpoint.__table__
    same_tx = table.c.tx_id.is_(None) if tx_id is None else table.c.tx_id == tx_id
    result = await session.execute(
        update(LedgerCheckpoint)
        .where(table.c.listener == CURSOR, table.c.block_number == block, same_tx)
        .values(block_number=row.block_number or 0, tx_id=row.tx_id, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise RelayBusy("the relay's cursor moved under this run: another run relayed events")
