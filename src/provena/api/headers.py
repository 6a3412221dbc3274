"""Security headers on every response: what a browser may load, frame and send on.

    Content-Security-Policy     scripts from this origin only (no inline script, no eval);
                                styles may be inline (Mantine writes its CSS variables in
                                <style> elements); frames, forms and fetches go to this
                                origin and the OIDC issuer's; nothing may frame the app
    X-Content-Type-Options      nosniff
    X-Frame-Options             DENY (what `frame-ancestors 'none'` says, for old browsers)
    Referrer-Policy             no-referrer
    Strict-Transport-Security   in the production profile only (development is plain HTTP)

A response that sets its own Content-Security-Policy keeps it: the IPFS gateway's sandbox,
and the API docs pages, whose inline scripts are allowed by their hashes
(`allow_inline_scripts`).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from provena.settings import Settings

__all__ = ["SecurityHeaders", "allow_inline_scripts", "content_security_policy", "security_headers"]

HSTS = "max-age=31536000; includeSubDomains"
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(
    *, script_src: Iterable[str] = ("'self'",), issuer: str | None, form_targets: Iterable[str]
) -> str:
    """The policy for this app's pages: `issuer` is the OIDC authority's URL (None: this
    origin's own), `form_targets` URLs a sign-in form may end up redirecting to."""
    others = [] if issuer is None else [_origin(issuer)]
    forms = sorted({_origin(u) for u in form_targets} | set(others))
    directives = {
        "default-src": ["'self'"],
        "script-src": list(script_src),
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", *others],
        "worker-src": ["'self'", "blob:"],
        "frame-src": ["'self'", *others],
        "form-action": ["'self'", *forms],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def _policy(settings: Settings, script_src: Iterable[str] = ("'self'",)) -> str:
    own = _origin(settings.base_url)
    issuer = settings.issuer_url if _origin(settings.issuer_url) != own else None
    return content_security_policy(
        script_src=script_src, issuer=issuer, form_targets=settings.oidc_redirect_uris
    )


def security_headers(settings: Settings) -> dict[str, str]:
    """The headers every response carries, for `settings`."""
    headers = {
        "Content-Security-Policy": _policy(settings),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
    }
    if settings.profile == "production":
        headers["Strict-Transport-Security"] = HSTS
    return headers


def allow_inline_scripts(response: Response) -> Response:
    """Give an HTML page with inline scripts of its own a policy allowing just those, by
    their SHA-256 hashes (FastAPI's Swagger UI page starts itself with one). The page is
    one of this origin's own, which needs nothing of the issuer's."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(response.body)
    ]
    response.headers["Content-Security-Policy"] = content_security_policy(
        script_src=["'self'", *hashes], issuer=None, form_targets=()
    )
    return response


class SecurityHeaders:
    """ASGI middleware: adds `headers` to every HTTP response that does not set them."""

    def __init__(self, app: ASGIApp, headers: Mapping[str, str]) -> None:
        self._app = app
        self._headers = dict(headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self._headers.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self._app(scope, receive, secured)
