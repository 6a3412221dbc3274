"""The errors of `provena.events`.

EventsError
├── CheckpointConflictError   another listener moved the checkpoint first
└── ListenerBusyError         another process holds the listener lock
"""

from __future__ import annotations

__all__ = ["CheckpointConflictError", "EventsError", "ListenerBusyError"]


class EventsError(Exception):
    """Base of every error raised by `provena.events`."""


class CheckpointConflictError(EventsError):
    """The stored checkpoint is not where this listener left it: someone else applied events.

    The transaction that raised it is rolled back, so nothing is applied twice.
    """


class ListenerBusyError(EventsError):
    """Another listener holds the lock for this database and listener name."""
