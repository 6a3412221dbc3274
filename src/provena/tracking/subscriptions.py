"""EPCIS query subscriptions: each matching event POSTed to the subscriber's URL, in order.

A subscription is a standing SimpleEventQuery, the organization it reads as, a
destination URL and a signature token. `SubscriptionDelivery.run` sends each
subscription its next events in ledger order (up to `batch` at a time) as an
EPCISQueryDocument, with `GS1-Signature: <hex HMAC-SHA256 of the body, keyed by the
signature token>`. The subscription's position moves past the events only when the
receiver answers 2xx; any other answer, or none, is retried after a back-off that doubles
up to `max_backoff`, so delivery is at least once and in order, and a receiver that was
down catches up from where it stopped. The position is the last block delivered and the
events of that block already delivered, so an event the projection applies later within
the same block is still sent.

Deliveries run in the process whose event listener is active, so one process sends them.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import and_, or_, select

from provena.db import Database, EpcisEvent, EpcisSubscription, utcnow
from provena.documents import Viewer
from provena.tracking import epcis_queries
from provena.tracking.epcis import CONTEXT

__all__ = ["SIGNATURE_HEADER", "SubscriptionDelivery", "sign"]

_log = logging.getLogger(__name__)
SIGNATURE_HEADER = "GS1-Signature"


def sign(secret: str, body: bytes) -> str:
    """The signature a receiver checks: hex HMAC-SHA256 of the body under the token."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def document(subscription: EpcisSubscription, events: list[EpcisEvent]) -> bytes:
    """What a subscriber receives: an EPCISQueryDocument of the events."""
    body = {
        "@context": CONTEXT,
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": epcis_queries.iso_time(datetime.now(UTC)),
        "epcisBody": {
            "queryResults": {
                "subscriptionID": str(subscription.id),
                "queryName": "SimpleEventQuery",
                "resultsBody": {"eventList": [epcis_queries.exported(e) for e in events]},
            }
        },
    }
    return json.dumps(body, separators=(",", ":")).encode()


class SubscriptionDelivery:
    """Sends every due subscription its next events, over and over, until cancelled."""

    def __init__(
        self,
        database: Database,
        http: httpx.AsyncClient,
        *,
        active: Callable[[], bool] = lambda: True,
        poll_seconds: float = 0.5,
        batch: int = 100,
        max_backoff: float = 300.0,
        timeout: float = 10.0,
    ) -> None:
        self._database = database
        self._http = http
        self._active = active
        self._poll = poll_seconds
        self._batch = batch
        self._max_backoff = max_backoff
        self._timeout = timeout

    async def run(self) -> None:
        while True:
            if self._active():
                try:
                    await self.deliver_due()
                except Exception:  # a bad round must not end deliveries for good
                    _log.exception("webhook deliveries failed; trying again")
            await asyncio.sleep(self._poll)

    async def deliver_due(self) -> int:
        """One round: each due subscription's next batch; how many batches were accepted."""
        async with self._database.session() as session:
            due = list(
                await session.scalars(
                    select(EpcisSubscription.id).where(
                        EpcisSubscription.next_attempt_at <= utcnow()
                    )
                )
            )
        accepted = await asyncio.gather(*(self._deliver(id) for id in due))
        return sum(accepted)

    async def _deliver(self, id: uuid.UUID) -> bool:
        async with self._database.session() as session:
            subscription = await session.get(EpcisSubscription, id)
            if subscription is None:
                return False  # deleted meanwhile
            events = await self._next(session, subscription)
            if not events:
                return False
            body = document(subscription, events)
            error = await self._post(subscription, body)
            if error is None:
                _advance(subscription, events)
            else:
                subscription.failures += 1
                delay = min(self._max_backoff, self._poll * 2**subscription.failures)
                subscription.next_attempt_at = utcnow() + timedelta(seconds=delay)
                subscription.last_error = error
            await session.commit()
            return error is None

    async def _next(self, session: Any, subscription: EpcisSubscription) -> list[EpcisEvent]:
        query = epcis_queries.EventQuery.from_json(subscription.query["query"])
        viewer = Viewer(None, subscription.msp_id, sees_all=subscription.sees_all)
        block = subscription.block_number
        after = or_(
            EpcisEvent.block_number > block,
            and_(EpcisEvent.block_number == block, EpcisEvent.hash.not_in(subscription.delivered)),
        )
        statement = (
            select(EpcisEvent)
            .where(epcis_queries.visible(viewer), after, *epcis_queries.conditions(query))
            .order_by(EpcisEvent.block_number, EpcisEvent.tx_id, EpcisEvent.event_index)
            .limit(self._batch)
        )
        return list(await session.scalars(statement))

    async def _post(self, subscription: EpcisSubscription, body: bytes) -> str | None:
        """None if the receiver took the body (2xx), else what went wrong."""
        headers = {
            "Content-Type": "application/ld+json",
            SIGNATURE_HEADER: sign(subscription.secret, body),
            "GS1-EPCIS-Version": "2.0.0",
            "GS1-CBV-Version": "2.0.0",
        }
        try:
            answer = await self._http.post(
                subscription.destination, content=body, headers=headers, timeout=self._timeout
            )
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"
        if not answer.is_success:
            return f"the receiver answered {answer.status_code}"
        return None


def _advance(subscription: EpcisSubscription, events: list[EpcisEvent]) -> None:
    last = events[-1].block_number
    earlier = subscription.delivered if last == subscription.block_number else []
    subscription.delivered = [*earlier, *(e.hash for e in events if e.block_number == last)]
    subscription.block_number = last
    subscription.failures = 0
    subscription.last_error = None
    subscription.last_delivered_at = utcnow()
    subscription.delivered_count += len(events)
    subscription.next_attempt_at = utcnow()
