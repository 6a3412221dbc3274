"""Who is calling: OIDC bearer tokens, roles and organizations.

The API accepts JWTs from one configured OIDC issuer (OCI IAM Identity Domains in
production, the embedded development issuer by default)::

    jwks = JwksCache(client=httpx.AsyncClient(), discovery_url=url + "/.well-known/...", issuer=iss)
    validator = TokenValidator(jwks=jwks, issuer=iss, audience="provena", groups=GroupMapping(...))
    principal = await validator.validate(token)   # or raises TokenError
    principal.require(Role.CERTIFIER)              # or raises PermissionDenied

Groups in the token (the `groups` claim by default) map to roles and to one
organization (a Fabric MSP id) by configuration.
"""

from provena.identity.errors import IdentityError, IssuerError, PermissionDenied, TokenError
from provena.identity.jwks import ALGORITHMS, JwksCache
from provena.identity.principal import GroupMapping, Principal
from provena.identity.tokens import TokenValidator

__all__ = [
    "ALGORITHMS",
    "GroupMapping",
    "IdentityError",
    "IssuerError",
    "JwksCache",
    "PermissionDenied",
    "Principal",
    "TokenError",
    "TokenValidator",
]
