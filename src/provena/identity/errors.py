"""Errors of `provena.identity`.

IdentityError
├── TokenError          the bearer token is missing, malformed, forged or expired (401)
├── IssuerError         the OIDC issuer's discovery document or JWKS could not be used (503)
└── PermissionDenied    a valid principal lacks the role an action needs (403)
"""

from __future__ import annotations

__all__ = ["IdentityError", "IssuerError", "PermissionDenied", "TokenError"]


class IdentityError(Exception):
    """Base of every identity error."""


class TokenError(IdentityError):
    """The bearer token cannot be accepted; the message says why."""


class IssuerError(IdentityError):
    """The configured issuer could not be reached or returned something unusable."""


class PermissionDenied(IdentityError):
    """The caller is authenticated but not allowed to do this."""
