"""provena.events: ledger events into the database, and the database's feed to browsers.

Three parts, none of which knows what a certificate or a shipment is:

- `EventListener` reads a chaincode's events through `provena.fabric` and, for each batch
  of the events ready, in one database transaction, calls a handler (the domain's
  projection) per event, writes the feed rows the handler announces, and moves a
  `DatabaseCheckpointer` past the last event.
  It survives restarts of itself and of the ledger, and only one instance per database
  is active at a time (`listener_lock`: an advisory lock on PostgreSQL, a file lock on
  SQLite); the others stand by::

      listener = EventListener(database, lambda: connect(...), channel="provena",
                               chaincode="provena", handler=projections.apply)
      await listener.run()

- `publish(session, kind, payload, audience, ...)` adds a row to the feed (`feed_events`)
  in the caller's transaction: projections do it through the listener, the write path
  for its transactions' status changes.

- `FeedHub` (one per API process) wakes Server-Sent Events subscribers when feed rows
  commit, through PostgreSQL LISTEN/NOTIFY or in process on SQLite; subscribers read the
  rows from the table, so a client resuming with `Last-Event-ID` misses and repeats
  nothing, whichever process it reaches. `encode_event` frames a row for the wire.
"""

from provena.events.checkpointer import DatabaseCheckpointer
from provena.events.errors import CheckpointConflictError, EventsError, ListenerBusyError
from provena.events.feed import CHANNEL, Announcement, publish
from provena.events.hub import FeedHub, Subscription
from provena.events.listener import EventHandler, EventListener, ListenerOptions, apply_events
from provena.events.lock import ListenerLock, LockLostError, listener_lock
from provena.events.sse import HEARTBEAT, encode_event
from provena.events.upsert import UpsertBatch, batched_upserts, upsert

__all__ = [
    "CHANNEL",
    "HEARTBEAT",
    "Announcement",
    "CheckpointConflictError",
    "DatabaseCheckpointer",
    "EventHandler",
    "EventListener",
    "EventsError",
    "FeedHub",
    "ListenerBusyError",
    "ListenerLock",
    "ListenerOptions",
    "LockLostError",
    "Subscription",
    "UpsertBatch",
    "apply_events",
    "batched_upserts",
    "encode_event",
    "listener_lock",
    "publish",
    "upsert",
]
