"""The OCI Events message of an Object Storage `createobject`, as a function receives it.

OCI Events sends a CloudEvents 0.1 envelope::

    {"eventType": "com.oraclecloud.objectstorage.createobject", "cloudEventsVersion": "0.1",
     "eventID": "...", "eventTime": "...", "source": "ObjectStorage",
     "data": {"resourceName": "<object name>",
              "additionalDetails": {"namespace": "...", "bucketName": "...", ...}, ...}}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from provena.functions.errors import BadEvent

__all__ = ["CREATE_OBJECT", "ObjectCreated", "object_created"]

CREATE_OBJECT = "com.oraclecloud.objectstorage.createobject"


@dataclass(frozen=True, slots=True)
class ObjectCreated:
    event_id: str
    namespace: str
    bucket: str
    name: str


def object_created(body: bytes) -> ObjectCreated:
    """The object an event body announces; `BadEvent` for anything but a createobject."""
    try:
        event = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadEvent(f"the event is not JSON: {exc}") from exc
    if not isinstance(event, dict):
        raise BadEvent("the event is not a JSON object")
    kind = event.get("eventType")
    if kind != CREATE_OBJECT:
        raise BadEvent(f"expected a {CREATE_OBJECT} event, got {kind!r}")
    data = _object(event, "data")
    details = _object(data, "additionalDetails")
    return ObjectCreated(
        event_id=str(event.get("eventID", "")),
        namespace=_text(details, "namespace"),
        bucket=_text(details, "bucketName"),
        name=_text(data, "resourceName"),
    )


def _object(parent: dict[str, Any], key: str) -> dict[str, Any]:
    value = parent.get(key)
    if not isinstance(value, dict):
        raise BadEvent(f"the event has no {key!r} object")
    return value


def _text(parent: dict[str, Any], key: str) -> str:
    value = parent.get(key)
    if not isinstance(value, str) or not value:
        raise BadEvent(f"the event has no {key!r}")
    return value
