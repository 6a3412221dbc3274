"""Serving the built web app, with a fallback to `index.html` for client-side routes."""

from __future__ import annotations

from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

__all__ = ["SinglePageApp"]

#: Paths the app never answers with the web app, so API clients get real 404s.
_SERVER_PREFIXES = ("api/", "dev-oidc/", "ipfs/", "metrics", "healthz", "readyz", "docs")


class SinglePageApp(StaticFiles):
    """Static files from `directory`; unknown page paths get `index.html`."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory=directory, html=True)

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            response = await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404 or path.startswith(_SERVER_PREFIXES) or "." in path:
                raise
            return await super().get_response("index.html", scope)
        if path.startswith("assets/"):
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response
