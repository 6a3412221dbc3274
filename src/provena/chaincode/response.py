"""What a transaction answers: Fabric's `peer.Response` as a small value."""

from __future__ import annotations

from dataclasses import dataclass

from fabric_protos.peer import proposal_response_pb2

__all__ = ["OK", "Response"]

OK = 200


@dataclass(frozen=True, slots=True)
class Response:
    """Status (200 success, 400-599 failure), message and payload of one invocation."""

    status: int = OK
    message: str = ""
    payload: bytes = b""

    @property
    def ok(self) -> bool:
        return self.status < 400

    @classmethod
    def success(cls, payload: bytes = b"") -> Response:
        return cls(OK, "", payload)

    @classmethod
    def error(cls, message: str, *, status: int = 500, payload: bytes = b"") -> Response:
        return cls(status, message, payload)

    def to_proto(self) -> proposal_response_pb2.Response:
        return proposal_response_pb2.Response(
            status=self.status, message=self.message, payload=self.payload
        )

    @classmethod
    def from_proto(cls, message: proposal_response_pb2.Response) -> Response:
        return cls(message.status, message.message, message.payload)
