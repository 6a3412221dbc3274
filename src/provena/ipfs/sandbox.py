"""Keeping gateway content inert in the origin it is served from.

By default the gateway shares its origin with the web app, which keeps its tokens there, so
nothing it serves may run as a page of that origin, whatever bytes someone added:

    every response         Content-Security-Policy: sandbox; default-src 'none'
                           X-Content-Type-Options: nosniff
    passive media types    inline: PNG, JPEG, GIF, WebP, AVIF, plain text, JSON, audio, video
    anything else          Content-Disposition: attachment (HTML, XHTML, SVG, XML, XSLT,
                           JavaScript, PDF, archives, unknown types)

Inline types are an allowlist: a type that is missing from it is downloaded, never rendered.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "SANDBOX_HEADERS",
    "SandboxedPrefix",
    "attachment",
    "disposition_headers",
    "renders_inline",
]

SANDBOX_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "X-Content-Type-Options": "nosniff",
}

_INLINE = frozenset(
    {
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/avif",
        "text/plain",
        "application/json",
    }
)
_INLINE_FAMILIES = ("audio/", "video/")
#: RFC 5987 attr-char beyond letters and digits: what may stay unescaped in `filename*`.
_ATTR_CHARS = "!#$&+-.^_`|~"


def renders_inline(media_type: str) -> bool:
    """Whether a browser may show `media_type` in place without running anything."""
    essence = media_type.split(";", 1)[0].strip().lower()
    return essence in _INLINE or essence.startswith(_INLINE_FAMILIES)


def attachment(filename: str) -> str:
    """`Content-Disposition: attachment` naming `filename`, safely for any characters in it.

    The quoted `filename` is a printable-ASCII fallback (quotes, backslashes and anything
    else become `_`); `filename*` carries the exact name, UTF-8 percent-encoded (RFC 6266).
    """
    fallback = "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in filename)
    exact = quote(filename, safe=_ATTR_CHARS)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{exact}"


def disposition_headers(media_type: str, filename: str) -> dict[str, str]:
    """Nothing for passive types; an attachment disposition for anything a browser might run."""
    return {} if renders_inline(media_type) else {"Content-Disposition": attachment(filename)}


class SandboxedPrefix:
    """ASGI middleware: every response under `prefix` carries `SANDBOX_HEADERS`, including
    the app's own answers to paths no gateway route matches (a 404 for `/ipfs/`)."""

    def __init__(self, app: ASGIApp, prefix: str = "/ipfs") -> None:
        self._app = app
        self._prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path != self._prefix and not path.startswith(self._prefix + "/"):
            await self._app(scope, receive, send)
            return

        async def sandboxed(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SANDBOX_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self._app(scope, receive, sandboxed)
