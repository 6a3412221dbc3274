"""A loopback OCI Notifications endpoint: PublishMessage, with OCI request signatures checked.

`POST /20181201/topics/{topicId}/messages` is answered as the service answers it, for the
topics in `topics`, once the request carries a valid OCI signature by `key_id` (the same
check as the Object Storage fake's); every published message is kept in `messages`.
An unknown topic is answered 404, as the service does; once `refuse_after` messages are
kept, the next are answered 400, as a service refusing them would.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer

from cryptography.hazmat.primitives.asymmetric import rsa

from tests.storage.oci_server import _Handler, _NotAuthenticated, _serve, _signed_headers

__all__ = ["FakeNotifications", "Published"]

_PUBLISH = re.compile(r"/20181201/topics/([^/]+)/messages")


@dataclass(frozen=True)
class Published:
    topic_id: str
    title: str
    body: str
    message_type: str | None
    message_id: str


@dataclass
class FakeNotifications:
    key_id: str
    public_key: rsa.RSAPublicKey
    topics: set[str] = field(default_factory=set)
    messages: list[Published] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    refuse_after: int | None = None

    def serve(self) -> tuple[ThreadingHTTPServer, str]:
        state = self

        class Handler(_NotificationsHandler):
            notifications = state

        return _serve(Handler)


class _NotificationsHandler(_Handler):
    notifications: FakeNotifications

    def _handle(self, method: str) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        state = self.notifications
        try:
            _signed_headers(method, self.path, self.headers, body, state.key_id, state.public_key)
        except _NotAuthenticated as exc:
            state.rejected.append(str(exc))
            return self._json(401, {"code": "NotAuthenticated", "message": str(exc)})
        match = _PUBLISH.fullmatch(self.path)
        if method != "POST" or match is None:
            return self._not_allowed()
        topic = match[1]
        if topic not in state.topics:
            return self._json(404, {"code": "NotAuthorizedOrNotFound", "message": topic})
        if state.refuse_after is not None and len(state.messages) >= state.refuse_after:
            return self._json(400, {"code": "InvalidParameter", "message": "refused"})
        details = json.loads(body)
        message_id = f"ocid1.onsmessage.oc1..{secrets.token_hex(8)}"
        state.messages.append(
            Published(
                topic,
                details.get("title", ""),
                details["body"],
                self.headers.get("messageType"),
                message_id,
            )
        )
        self._json(200, {"messageId": message_id, "timeStamp": datetime.now(UTC).isoformat()})
