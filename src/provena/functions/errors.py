"""Errors of `provena.functions`, each with the HTTP status its JSON answer carries.

FunctionError
├── BadEvent            the invocation's body is not the event this function takes (400)
├── InboxRefused        the inbox object cannot be imported: missing (404), too large (413),
│                       or not named `<MSP id>/<file name>` of a known organization (422)
├── NotificationError   OCI Notifications refused or failed a publish (502)
└── RelayBusy           another relay holds the relay's lock (409)
"""

from __future__ import annotations

__all__ = ["BadEvent", "FunctionError", "InboxRefused", "NotificationError", "RelayBusy"]


class FunctionError(Exception):
    """Base of every error a function answers with instead of its result."""

    status = 500


class BadEvent(FunctionError, ValueError):
    status = 400


class InboxRefused(FunctionError):
    """The object stays in the inbox; `status` says why it was not imported."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


class NotificationError(FunctionError):
    status = 502


class RelayBusy(FunctionError):
    status = 409
