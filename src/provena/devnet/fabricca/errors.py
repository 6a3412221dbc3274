"""What the devnet's Fabric CA answers when it refuses, as fabric-ca-server answers it.

fabric-ca keeps two messages per error: the local one it logs, and the remote one the client
sees. Authentication failures all reach the client as code 20 "Authentication failure" and
authorization failures as code 71 "Authorization failure", so a caller learns nothing about which
check refused it; other errors carry their own code and message (codes of lib/caerrors).
"""

from __future__ import annotations

__all__ = ["CaHttpError", "authentication_failure", "authorization_failure"]

AUTHENTICATION_FAILURE = 20
AUTHORIZATION_FAILURE = 71


class CaHttpError(Exception):
    """An answer with an HTTP status, fabric-ca's error code and the message the client sees."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        *,
        remote: tuple[int, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.remote_code, self.remote_message = remote or (code, message)


def authentication_failure(code: int, message: str) -> CaHttpError:
    """401, logged with its own code and message, answered as "Authentication failure"."""
    remote = (AUTHENTICATION_FAILURE, "Authentication failure")
    return CaHttpError(401, code, message, remote=remote)


def authorization_failure(code: int, message: str) -> CaHttpError:
    """403, logged with its own code and message, answered as "Authorization failure"."""
    return CaHttpError(403, code, message, remote=(AUTHORIZATION_FAILURE, "Authorization failure"))
