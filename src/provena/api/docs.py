"""The API's interactive documentation, served with its own assets.

FastAPI's default `/docs` and `/redoc` pages load Swagger UI and ReDoc from a CDN, so on a
machine without internet they are blank. The same assets ship in the `fastapi-offline`
package; these pages load them from `/docs/assets`, on the API's own origin. The pages'
own inline scripts are allowed by their hashes, not by `'unsafe-inline'`.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

from provena.api.headers import allow_inline_scripts

__all__ = ["ASSETS_PATH", "install_docs"]

ASSETS_PATH = "/docs/assets"
_OAUTH2_REDIRECT = "/docs/oauth2-redirect"


def install_docs(app: FastAPI) -> None:
    """Serve `/docs` (Swagger UI), its OAuth2 redirect and `/redoc` from local assets; `app`
    is created with `docs_url=None, redoc_url=None` so FastAPI's CDN pages are not there."""
    assets = Path(str(files("fastapi_offline") / "static"))
    app.mount(ASSETS_PATH, StaticFiles(directory=assets), name="docs-assets")
    schema = app.openapi_url or "/openapi.json"
    title = app.title

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> Response:
        page = get_swagger_ui_html(
            openapi_url=schema,
            title=f"{title} - Swagger UI",
            oauth2_redirect_url=_OAUTH2_REDIRECT,
            swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_PATH}/favicon.png",
        )
        return allow_inline_scripts(page)

    @app.get(_OAUTH2_REDIRECT, include_in_schema=False)
    async def swagger_ui_redirect() -> Response:
        return allow_inline_scripts(get_swagger_ui_oauth2_redirect_html())

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=schema,
            title=f"{title} - ReDoc",
            redoc_js_url=f"{ASSETS_PATH}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS_PATH}/favicon.png",
            with_google_fonts=False,
        )
