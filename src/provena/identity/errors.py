"""Errors of `provena.identity`.

IdentityError
├── TokenError          the bearer token is missing, malformed, forged or expired (401)
├── IssuerError         the OIDC issuer's discovery document or JWKS could not be used (503)
├── PermissionDenied    a valid principal lacks the role an action needs (403)
└── FabricCaError       a Fabric CA refused a request (code, message, HTTP status)
    ├── CaAuthenticationRefused   401
    ├── CaPermissionDenied        403
    ├── CaAlreadyRegistered       409
    ├── CaNotFound                404
    ├── CaUnreachable             no answer
    └── CaMalformedAnswer         not Fabric CA's envelope
"""

from __future__ import annotations

__all__ = [
    "CaAlreadyRegistered",
    "CaAuthenticationRefused",
    "CaMalformedAnswer",
    "CaNotFound",
    "CaPermissionDenied",
    "CaUnreachable",
    "FabricCaError",
    "IdentityError",
    "IssuerError",
    "PermissionDenied",
    "TokenError",
]


class IdentityError(Exception):
    """Base of every identity error."""


class TokenError(IdentityError):
    """The bearer token cannot be accepted; the message says why."""


class IssuerError(IdentityError):
    """The configured issuer could not be reached or returned something unusable."""


class PermissionDenied(IdentityError):
    """The caller is authenticated but not allowed to do this."""


class FabricCaError(IdentityError):
    """A Fabric CA refused a request: its error `code` (fabric-ca's lib/caerrors) and message,
    and the HTTP status it answered with (0 when no answer came)."""

    def __init__(self, code: int, message: str, *, status: int = 0) -> None:
        super().__init__(f"Fabric CA error {code}: {message}" if code else message)
        self.code = code
        self.message = message
        self.status = status


class CaAuthenticationRefused(FabricCaError):
    """401: a wrong enrollment secret, a bad or untrusted token, a revoked identity or one that
    has used up its enrollments (fabric-ca does not tell which)."""


class CaPermissionDenied(FabricCaError):
    """403: authenticated, but not allowed (not a registrar for that type, not a revoker)."""


class CaAlreadyRegistered(FabricCaError):
    """409: the enrollment id is registered already."""


class CaNotFound(FabricCaError):
    """404: no such CA name, identity or certificate."""


class CaUnreachable(FabricCaError):
    """The CA could not be reached (connection, TLS or timeout)."""


class CaMalformedAnswer(FabricCaError):
    """The CA answered something that is not Fabric CA's envelope or result."""
