"""provena.functions: Provena's OCI Functions, thin fdk handlers over the services.

One image serves three functions; `PROVENA_FUNCTION` chooses (`handlers.handler`):

    inbox-import   OCI Events createobject on the inbox bucket ──► DocumentService.upload
    expiry-sweep   a schedule ──► digest of expired / expiring certificates ──► ONS topic
    event-relay    a schedule ──► chosen feed events after its cursor ──► ONS topic

The modules hold the work (`inbox`, `expiry`, `relay`, `notifications`, `cloudevent`);
`handlers` only builds the services from the settings and turns results and errors into
JSON answers. See docs/oci-functions.md.
"""

from provena.functions.errors import (
    BadEvent,
    FunctionError,
    InboxRefused,
    NotificationError,
    RelayBusy,
)
from provena.functions.handlers import event_relay, expiry_sweep, handler, inbox_import

__all__ = [
    "BadEvent",
    "FunctionError",
    "InboxRefused",
    "NotificationError",
    "RelayBusy",
    "event_relay",
    "expiry_sweep",
    "handler",
    "inbox_import",
]
