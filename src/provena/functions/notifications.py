"""Publishing to an OCI Notifications (ONS) topic, through the `oci` SDK.

`OnsNotifier` signs in the way the settings say (a function: its resource principal) and
publishes one message per call with `NotificationDataPlaneClient.publish_message`. ONS takes
a title of at most 255 characters and a body of at most 64 KiB; `split_body` cuts longer
text at line ends into parts that fit. The SDK is synchronous: calls run in a worker thread.
"""

from __future__ import annotations

import asyncio
import functools
from typing import TYPE_CHECKING, Protocol

import oci  # type: ignore[import-untyped]
from oci.ons import NotificationDataPlaneClient  # type: ignore[import-untyped]
from oci.ons.models import MessageDetails  # type: ignore[import-untyped]

from provena.functions.errors import NotificationError
from provena.storage.oci import oci_service_client

if TYPE_CHECKING:
    from provena.settings import Settings

__all__ = ["MAX_BODY", "MAX_TITLE", "Notifier", "OnsNotifier", "open_notifier", "split_body"]

MAX_TITLE = 255
MAX_BODY = 64 * 1024


class Notifier(Protocol):
    async def publish(self, title: str, body: str) -> str:
        """Publish one message; the service's message id."""
        ...

    async def aclose(self) -> None: ...


class OnsNotifier:
    """A `Notifier` on one ONS topic."""

    def __init__(self, client: NotificationDataPlaneClient, topic_id: str) -> None:
        self._client = client
        self._topic_id = topic_id

    async def publish(self, title: str, body: str) -> str:
        if len(body.encode()) > MAX_BODY:
            raise NotificationError(f"a message body has at most {MAX_BODY} bytes")
        details = MessageDetails(title=title[:MAX_TITLE], body=body)
        call = functools.partial(
            self._client.publish_message, self._topic_id, details, message_type="RAW_TEXT"
        )
        try:
            answer = await asyncio.to_thread(call)
        except oci.exceptions.ServiceError as exc:
            raise NotificationError(
                f"OCI Notifications refused the message: {exc.status} {exc.code}: {exc.message}"
            ) from exc
        except oci.exceptions.RequestException as exc:
            raise NotificationError(f"OCI Notifications could not be reached: {exc}") from exc
        return str(answer.data.message_id)

    async def aclose(self) -> None:
        await asyncio.to_thread(self._client.base_client.session.close)


def open_notifier(settings: Settings) -> OnsNotifier:
    """The notifier on `PROVENA_ONS_TOPIC_ID`, signed in the `PROVENA_OCI_AUTH` way."""
    if not settings.ons_topic_id:
        raise NotificationError("the functions need PROVENA_ONS_TOPIC_ID (a Notifications topic)")
    client = oci_service_client(
        NotificationDataPlaneClient,
        settings.oci_auth,
        config_file=settings.oci_config_file,
        profile=settings.oci_config_profile,
        region=settings.oci_region,
        endpoint=settings.ons_endpoint,
    )
    return OnsNotifier(client, settings.ons_topic_id)


def split_body(lines: list[str], *, limit: int = MAX_BODY) -> list[str]:
    """`lines` joined into as few bodies of at most `limit` bytes as they fit in; a line
    longer than `limit` is cut."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        encoded = line.encode()[: limit - 1].decode(errors="ignore")
        needed = len(encoded.encode()) + 1
        if current and size + needed > limit:
            parts.append("\n".join(current))
            current, size = [], 0
        current.append(encoded)
        size += needed
    if current:
        parts.append("\n".join(current))
    return parts
