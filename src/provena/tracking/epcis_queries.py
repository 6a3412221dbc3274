"""EPCIS 2.0 event queries over the projection: the standard's parameters, paged in ledger order.

An organization reads the events that concern it (it captured them, or it is a party to
the shipment or the source or destination they name); auditors read all.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, or_, select, true, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from provena.db import EpcisBizTransaction, EpcisEvent, EpcisEventIdentifier, EpcisEventParty
from provena.documents import Viewer
from provena.tracking.epcis import iso_time
from provena.tracking.epcis_rows import canonical_identifier, vocabulary

__all__ = [
    "EVENT_TYPES",
    "MATCH_ROLES",
    "EventQuery",
    "InvalidQuery",
    "Position",
    "conditions",
    "decode_token",
    "encode_token",
    "exported",
    "find_event",
    "iso_time",
    "position",
    "query_events",
    "visible",
]

EVENT_TYPES = frozenset(
    {
        "ObjectEvent",
        "AggregationEvent",
        "TransactionEvent",
        "TransformationEvent",
        "AssociationEvent",
    }
)
#: The identifier roles each MATCH_ parameter looks in.
MATCH_ROLES = {
    "MATCH_epc": ("epc", "child"),
    "MATCH_parentID": ("parent",),
    "MATCH_inputEPC": ("input",),
    "MATCH_outputEPC": ("output",),
    "MATCH_anyEPC": ("epc", "child", "input", "output", "parent"),
    "MATCH_epcClass": ("epcClass", "childCls"),
    "MATCH_inputEPCClass": ("inputCls",),
    "MATCH_outputEPCClass": ("outputCls",),
    "MATCH_anyEPCClass": ("epcClass", "childCls", "inputCls", "outputCls"),
}

Position = tuple[int, str, int]
"""Where an event sits in ledger order: block, transaction id, place in the transaction."""


class InvalidQuery(ValueError):
    """A query parameter the standard does not define, or a value it cannot take."""


@dataclass(frozen=True, slots=True)
class EventQuery:
    """A SimpleEventQuery: every given condition must hold; each list is any-of."""

    event_types: Sequence[str] = ()
    ge_event_time: datetime | None = None
    lt_event_time: datetime | None = None
    ge_record_time: datetime | None = None
    lt_record_time: datetime | None = None
    biz_steps: Sequence[str] = ()
    dispositions: Sequence[str] = ()
    biz_locations: Sequence[str] = ()
    read_points: Sequence[str] = ()
    matches: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """MATCH_* parameter name to the identifiers it takes."""
    biz_transactions: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """Business transaction type (as given after `EQ_bizTransaction_`) to values."""

    def __post_init__(self) -> None:
        unknown = set(self.event_types) - EVENT_TYPES
        if unknown:
            raise InvalidQuery(f"eventType {', '.join(sorted(unknown))} is not an event type")
        wrong = set(self.matches) - set(MATCH_ROLES)
        if wrong:
            raise InvalidQuery(f"unknown parameter {', '.join(sorted(wrong))}")

    def as_json(self) -> dict[str, object]:
        """The query as stored with a subscription."""
        return {
            "event_types": list(self.event_types),
            "ge_event_time": _iso(self.ge_event_time),
            "lt_event_time": _iso(self.lt_event_time),
            "ge_record_time": _iso(self.ge_record_time),
            "lt_record_time": _iso(self.lt_record_time),
            "biz_steps": list(self.biz_steps),
            "dispositions": list(self.dispositions),
            "biz_locations": list(self.biz_locations),
            "read_points": list(self.read_points),
            "matches": {k: list(v) for k, v in self.matches.items()},
            "biz_transactions": {k: list(v) for k, v in self.biz_transactions.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> EventQuery:
        times = {
            name: datetime.fromisoformat(value) if isinstance(value, str) else None
            for name in ("ge_event_time", "lt_event_time", "ge_record_time", "lt_record_time")
            for value in [data.get(name)]
        }
        rest = {k: v for k, v in data.items() if k not in times}
        return cls(**times, **rest)  # type: ignore[arg-type]


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def visible(viewer: Viewer) -> ColumnElement[bool]:
    """The events `viewer` may read."""
    if viewer.sees_all:
        return true()
    if viewer.msp_id is None:
        return EpcisEvent.hash.is_(None)
    return exists().where(
        EpcisEventParty.event_hash == EpcisEvent.hash, EpcisEventParty.msp_id == viewer.msp_id
    )


def _named(roles: Sequence[str], values: Sequence[str]) -> ColumnElement[bool]:
    return exists().where(
        EpcisEventIdentifier.event_hash == EpcisEvent.hash,
        EpcisEventIdentifier.role.in_(roles),
        EpcisEventIdentifier.identifier.in_([canonical_identifier(v) for v in values]),
    )


def conditions(query: EventQuery) -> list[ColumnElement[bool]]:
    """The WHERE clauses of `query`."""
    where: list[ColumnElement[bool]] = []
    if query.event_types:
        where.append(EpcisEvent.type.in_(query.event_types))
    for column, bound, lower in (
        (EpcisEvent.event_time, query.ge_event_time, True),
        (EpcisEvent.event_time, query.lt_event_time, False),
        (EpcisEvent.record_time, query.ge_record_time, True),
        (EpcisEvent.record_time, query.lt_record_time, False),
    ):
        if bound is not None:
            where.append(column >= bound if lower else column < bound)
    if query.biz_steps:
        where.append(EpcisEvent.biz_step.in_([vocabulary(v, "BizStep") for v in query.biz_steps]))
    if query.dispositions:
        where.append(
            EpcisEvent.disposition.in_([vocabulary(v, "Disp") for v in query.dispositions])
        )
    if query.biz_locations:
        where.append(
            EpcisEvent.biz_location.in_([canonical_identifier(v) for v in query.biz_locations])
        )
    if query.read_points:
        where.append(
            EpcisEvent.read_point.in_([canonical_identifier(v) for v in query.read_points])
        )
    for name, values in query.matches.items():
        where.append(_named(MATCH_ROLES[name], values))
    for kind, values in query.biz_transactions.items():
        where.append(
            exists().where(
                EpcisBizTransaction.event_hash == EpcisEvent.hash,
                EpcisBizTransaction.type == vocabulary(kind, "BTT"),
                EpcisBizTransaction.value.in_(values),
            )
        )
    return where


def _ordered(statement: Select[EpcisEvent], after: Position | None) -> Select[EpcisEvent]:
    order = (EpcisEvent.block_number, EpcisEvent.tx_id, EpcisEvent.event_index)
    if after is not None:
        statement = statement.where(tuple_(*order) > tuple_(*after))
    return statement.order_by(*order)


async def query_events(
    session: AsyncSession,
    viewer: Viewer,
    query: EventQuery,
    *,
    after: Position | None,
    limit: int,
) -> list[EpcisEvent]:
    """Up to `limit` matching events `viewer` may read, in ledger order after `after`."""
    statement = select(EpcisEvent).where(visible(viewer), *conditions(query))
    return list((await session.scalars(_ordered(statement, after).limit(limit))).all())


async def find_event(session: AsyncSession, viewer: Viewer, id: str) -> EpcisEvent | None:
    """The event with this hash or `eventID`, if `viewer` may read it."""
    statement = select(EpcisEvent).where(
        visible(viewer), or_(EpcisEvent.hash == id, EpcisEvent.event_id == id)
    )
    return (await session.scalars(statement.limit(1))).first()


def position(event: EpcisEvent) -> Position:
    return (event.block_number, event.tx_id, event.event_index)


def encode_token(at: Position) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(at)).encode()).decode().rstrip("=")


def decode_token(token: str) -> Position:
    """The position a nextPageToken names (InvalidQuery if it names none)."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        block, tx_id, index = raw
        if isinstance(block, int) and isinstance(tx_id, str) and isinstance(index, int):
            return (block, tx_id, index)
    except (ValueError, TypeError):
        pass
    raise InvalidQuery("nextPageToken is not one this server gave")


def exported(row: EpcisEvent) -> dict[str, Any]:
    """The stored event as it leaves: with its `eventID` (its hash, unless it has its own),
    without its `@context` (the document's applies), with the ledger's record time."""
    event = {k: v for k, v in row.event.items() if k != "@context"}
    return {"eventID": row.hash, **event, "recordTime": iso_time(row.record_time)}
