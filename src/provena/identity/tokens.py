"""Validating bearer tokens (JWTs) from the one configured OIDC issuer.

Only RS256 and ES256 are accepted, and the key is chosen by the token's `kid` from
the issuer's JWKS, never from the token itself: `alg: none`, HMAC tokens signed with
a public key and embedded keys are all refused. A header naming where to fetch a key
(`jku`, `x5u`) is refused rather than followed, so no token can make the server send a
request anywhere, and so is any `crit` header: no JWS extension is understood here.
A token longer than `MAX_TOKEN_LENGTH` is refused before it is parsed.
`iss`, `aud`, `exp`, `nbf` and `iat` are checked with a small leeway for clock skew.

A token seen before is not verified again while its key is still the one the key set
publishes for its `kid` and it has not expired: a client sends the same token with every
request until it renews it, and the signature check is most of what validation costs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import jwt

from provena.identity.errors import TokenError
from provena.identity.jwks import ALGORITHMS, JwksCache
from provena.identity.principal import GroupMapping, Principal

__all__ = ["MAX_TOKEN_LENGTH", "TokenValidator"]

#: The longest token accepted, in characters: far above what issuers send (a few KiB with
#: many groups), below what would make parsing it a cost worth attacking.
MAX_TOKEN_LENGTH = 8192

_REMEMBERED = 4096  # verified tokens kept; the oldest is forgotten first
#: Header parameters a token is refused for: key URLs are never followed, no extension is known.
_REFUSED_HEADERS = {
    "jku": "names a key set URL (jku), which is never followed",
    "x5u": "names a certificate URL (x5u), which is never followed",
    "crit": "lists critical extensions (crit), which are not supported",
}


@dataclass(frozen=True, slots=True)
class _Verified:
    key: jwt.PyJWK
    expires_at: float
    principal: Principal


class TokenValidator:
    """Turns a bearer token into a `Principal`, or raises `TokenError`."""

    def __init__(
        self,
        *,
        jwks: JwksCache,
        issuer: str,
        audience: str,
        groups: GroupMapping,
        groups_claim: str = "groups",
        leeway_seconds: float = 30.0,
    ) -> None:
        self._jwks = jwks
        self._issuer = issuer
        self._audience = audience
        self._groups = groups
        self._groups_claim = groups_claim
        self._leeway = leeway_seconds
        self._verified: dict[str, _Verified] = {}

    async def validate(self, token: str) -> Principal:
        """Check the token's signature and claims and build the principal it names."""
        if len(token) > MAX_TOKEN_LENGTH:
            raise TokenError(f"token is longer than {MAX_TOKEN_LENGTH} characters")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise TokenError(f"malformed token: {exc}") from exc
        for name, why in _REFUSED_HEADERS.items():
            if name in header:
                raise TokenError(f"token header {why}")
        alg = header.get("alg")
        if alg not in ALGORITHMS:
            raise TokenError(f"signature algorithm {alg!r} is not accepted (RS256 or ES256 only)")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise TokenError("token header has no key id (kid)")
        key = await self._jwks.key(kid)
        seen = self._verified.get(token)
        if seen is not None and seen.key is key and time.time() <= seen.expires_at + self._leeway:
            return seen.principal
        if key.key_type != ALGORITHMS[alg]:
            raise TokenError(f"key {kid!r} is {key.key_type}, which cannot verify {alg}")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[alg],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as exc:
            raise TokenError(self._explain(exc)) from exc
        principal = self._principal(claims)
        self._remember(token, _Verified(key, float(claims["exp"]), principal))
        return principal

    def _remember(self, token: str, verified: _Verified) -> None:
        if len(self._verified) >= _REMEMBERED:
            del self._verified[next(iter(self._verified))]
        self._verified[token] = verified

    def _explain(self, exc: jwt.PyJWTError) -> str:
        match exc:
            case jwt.ExpiredSignatureError():
                return "token has expired"
            case jwt.ImmatureSignatureError():
                return "token is not yet valid"
            case jwt.InvalidAudienceError():
                return f"token audience is not {self._audience!r}"
            case jwt.InvalidIssuerError():
                return f"token issuer is not {self._issuer!r}"
            case jwt.MissingRequiredClaimError():
                return f"token lacks the {exc.claim!r} claim"
            case jwt.InvalidSignatureError():
                return "token signature is invalid"
            case _:
                return f"invalid token: {exc}"

    def _principal(self, claims: dict[str, Any]) -> Principal:
        groups = claims.get(self._groups_claim, [])
        if isinstance(groups, str):
            groups = groups.split()
        if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
            raise TokenError(f"claim {self._groups_claim!r} must be a list of group names")
        name = claims.get("name") or claims.get("user_displayname")
        email = claims.get("email") or claims.get("user_email")
        return Principal(
            subject=str(claims["sub"]),
            email=email if isinstance(email, str) else None,
            display_name=name if isinstance(name, str) else None,
            roles=self._groups.roles_for(groups),
            msp_id=self._groups.organization_for(groups),
            claims=claims,
        )
