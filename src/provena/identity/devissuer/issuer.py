"""The development issuer's logic: demo people, authorization codes with PKCE, tokens.

It is an OpenID Provider just complete enough for a browser app to sign in with
the authorization code flow and PKCE (S256 only), and for the API to validate its
tokens exactly as it validates a production issuer's. Codes and refresh tokens live
in memory; the signing key lives in the data dir.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from provena.demo import PEOPLE, DemoPerson, Role
from provena.identity.devissuer.keys import SigningKey

__all__ = ["AuthorizationRequest", "DevIssuer", "OAuthError"]

CODE_LIFETIME_SECONDS = 60
ACCESS_TOKEN_LIFETIME_SECONDS = 3600


class OAuthError(Exception):
    """An OAuth 2.0 error response: `error` is the RFC 6749 code."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    """What the client asked for at the authorization endpoint."""

    client_id: str
    redirect_uri: str
    scope: str
    state: str | None
    nonce: str | None
    code_challenge: str


@dataclass(frozen=True, slots=True)
class _Grant:
    person: DemoPerson
    request: AuthorizationRequest
    expires_at: float


class DevIssuer:
    """Signs demo people in and issues their tokens."""

    def __init__(
        self,
        *,
        issuer: str,
        key: SigningKey,
        client_id: str,
        audience: str,
        role_groups: Mapping[str, Role],
        org_groups: Mapping[str, str],
        redirect_uris: Sequence[str] = (),
        people: Sequence[DemoPerson] = PEOPLE,
    ) -> None:
        self.issuer = issuer
        self.key = key
        self.client_id = client_id
        self.audience = audience
        self.people = {p.username: p for p in people}
        self._role_groups = role_groups
        self._org_groups = org_groups
        self._redirect_uris = set(redirect_uris)
        self._codes: dict[str, _Grant] = {}
        self._refresh_tokens: dict[str, _Grant] = {}

    def discovery(self) -> dict[str, Any]:
        """The OpenID Provider metadata document."""
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/logout",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["ES256"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "profile", "email", "groups", "offline_access"],
            "token_endpoint_auth_methods_supported": ["none"],
            "claims_supported": ["sub", "name", "email", "groups"],
        }

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.public_jwk]}

    def check_redirect_uri(self, client_id: str, redirect_uri: str) -> None:
        """Accept the registered client and redirect URIs on the issuer's own origin."""
        if client_id != self.client_id:
            raise OAuthError("unauthorized_client", f"unknown client_id {client_id!r}")
        if not self.redirect_allowed(redirect_uri):
            raise OAuthError("invalid_request", f"redirect_uri {redirect_uri!r} is not registered")

    def redirect_allowed(self, uri: str) -> bool:
        ours = urlsplit(self.issuer)
        theirs = urlsplit(uri)
        same_origin = (theirs.scheme, theirs.netloc) == (ours.scheme, ours.netloc)
        return same_origin or uri in self._redirect_uris

    def authorize(self, request: AuthorizationRequest, username: str) -> str:
        """Sign `username` in for `request` and return a one-time authorization code."""
        person = self._person(username)
        code = secrets.token_urlsafe(32)
        self._expire()
        self._codes[code] = _Grant(person, request, time.time() + CODE_LIFETIME_SECONDS)
        return code

    def exchange_code(
        self, *, code: str, client_id: str, redirect_uri: str, code_verifier: str
    ) -> dict[str, Any]:
        """The token response for an authorization code (used once, PKCE checked)."""
        self._expire()
        grant = self._codes.pop(code, None)
        if grant is None:
            raise OAuthError("invalid_grant", "authorization code is unknown, used or expired")
        if grant.request.client_id != client_id or grant.request.redirect_uri != redirect_uri:
            raise OAuthError("invalid_grant", "client_id or redirect_uri does not match the code")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest())
        if not hmac.compare_digest(challenge.rstrip(b"=").decode(), grant.request.code_challenge):
            raise OAuthError("invalid_grant", "code_verifier does not match the code_challenge")
        return self._token_response(grant)

    def refresh(self, *, refresh_token: str, client_id: str) -> dict[str, Any]:
        """A new token response for a refresh token (which is rotated)."""
        grant = self._refresh_tokens.pop(refresh_token, None)
        if grant is None or grant.request.client_id != client_id:
            raise OAuthError("invalid_grant", "refresh token is unknown or was already used")
        return self._token_response(grant)

    def access_token(self, username: str, *, lifetime: int = ACCESS_TOKEN_LIFETIME_SECONDS) -> str:
        """An access token for a demo person, as the token endpoint would issue it."""
        return self.key.sign(self._claims(self._person(username), self.audience, lifetime))

    def groups_for(self, person: DemoPerson) -> list[str]:
        """The groups claim of a person: their role groups and their organization's group."""
        roles = [g for g, role in self._role_groups.items() if role in person.roles]
        orgs = [g for g, msp in self._org_groups.items() if msp == person.msp_id]
        return sorted(roles + orgs)

    def _token_response(self, grant: _Grant) -> dict[str, Any]:
        lifetime = ACCESS_TOKEN_LIFETIME_SECONDS
        id_claims = self._claims(grant.person, grant.request.client_id, lifetime)
        if grant.request.nonce:
            id_claims["nonce"] = grant.request.nonce
        refresh_token = secrets.token_urlsafe(32)
        self._refresh_tokens[refresh_token] = grant
        return {
            "access_token": self.key.sign(self._claims(grant.person, self.audience, lifetime)),
            "id_token": self.key.sign(id_claims),
            "refresh_token": refresh_token,
            "token_type": "Bearer",
            "expires_in": lifetime,
            "scope": grant.request.scope,
        }

    def _claims(self, person: DemoPerson, audience: str, lifetime: int) -> dict[str, Any]:
        now = int(time.time())
        return {
            "iss": self.issuer,
            "sub": person.username,
            "aud": audience,
            "azp": self.client_id,
            "client_id": self.client_id,
            "iat": now,
            "nbf": now,
            "exp": now + lifetime,
            "jti": uuid.uuid4().hex,
            "name": person.display_name,
            "email": person.email,
            "groups": self.groups_for(person),
        }

    def _person(self, username: str) -> DemoPerson:
        try:
            return self.people[username]
        except KeyError:
            raise OAuthError("access_denied", f"no demo user named {username!r}") from None

    def _expire(self) -> None:
        now = time.time()
        for code in [c for c, g in self._codes.items() if g.expires_at < now]:
            del self._codes[code]
