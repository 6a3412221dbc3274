"""The embedded development OIDC issuer.

On by default so `provena up` can sign people in with no identity provider, and
refused by the production profile. It signs the demo people of `provena.demo` in
through a plain login page, using the authorization code flow with PKCE, and signs
their tokens with an ES256 key kept in the data dir. The API validates its tokens
through the same discovery and JWKS path as any production issuer's.
"""

from provena.identity.devissuer.issuer import AuthorizationRequest, DevIssuer, OAuthError
from provena.identity.devissuer.keys import SigningKey, load_or_create_key
from provena.identity.devissuer.routes import dev_issuer_router

__all__ = [
    "AuthorizationRequest",
    "DevIssuer",
    "OAuthError",
    "SigningKey",
    "dev_issuer_router",
    "load_or_create_key",
]
