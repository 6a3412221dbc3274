"""Server-Sent Events framing (the WHATWG HTML "server-sent events" wire format)."""

from __future__ import annotations

import json

from provena.db import FeedEvent

__all__ = ["HEARTBEAT", "encode_event"]

HEARTBEAT = b": heartbeat\n\n"
"""A comment line: keeps proxies from closing an idle stream; browsers ignore it."""


def encode_event(row: FeedEvent) -> bytes:
    """`id:` the feed id (what `Last-Event-ID` resumes after), `event:` the kind,
    `data:` the row as one line of JSON."""
    data = {
        "id": row.id,
        "kind": row.kind,
        "tx_id": row.tx_id,
        "block_number": row.block_number,
        "created_at": row.created_at.isoformat(),
        "payload": row.payload,
    }
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return f"id: {row.id}\nevent: {row.kind}\ndata: {text}\n\n".encode()
