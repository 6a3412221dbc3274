"""One handler for the listener: each event name to the projection that owns it."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from provena import certification, tracking
from provena.events import Announcement
from provena.fabric import ChaincodeEvent

__all__ = ["EVENTS", "apply"]

_log = logging.getLogger(__name__)

EVENTS = certification.EVENTS | tracking.EVENTS
"""Every chaincode event name the projections apply."""


async def apply(session: AsyncSession, event: ChaincodeEvent) -> Announcement | None:
    """Apply `event` to the projection tables; what to announce, or None if unknown."""
    if event.event_name in certification.EVENTS:
        return await certification.apply(session, event)
    if event.event_name in tracking.EVENTS:
        return await tracking.apply(session, event)
    _log.warning(
        "skipping chaincode event %s of tx %s: no projection applies it",
        event.event_name,
        event.transaction_id,
    )
    return None
