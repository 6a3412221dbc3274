"""HTTP endpoints of the development issuer, mounted under `/dev-oidc`."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

import jwt
from fastapi import APIRouter, Form, Header, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from provena.identity.devissuer.issuer import AuthorizationRequest, DevIssuer, OAuthError
from provena.identity.devissuer.page import error_page, login_page

__all__ = ["dev_issuer_router"]

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _oauth_error(exc: OAuthError, status: int = 400) -> JSONResponse:
    body = {"error": exc.error, "error_description": exc.description}
    return JSONResponse(body, status_code=status, headers=_NO_STORE)


def dev_issuer_router(issuer: DevIssuer, prefix: str) -> APIRouter:
    """The discovery, JWKS, authorize, token, userinfo and logout endpoints under `prefix`."""
    router = APIRouter(prefix=prefix, tags=["dev-issuer"], include_in_schema=False)

    @router.get("/.well-known/openid-configuration")
    async def discovery() -> dict[str, Any]:
        return issuer.discovery()

    @router.get("/jwks")
    async def jwks() -> dict[str, Any]:
        return issuer.jwks()

    @router.get("/authorize")
    async def authorize_page(request: Request) -> Response:
        params = dict(request.query_params)
        try:
            auth = _authorization_request(issuer, params)
        except OAuthError as exc:
            return HTMLResponse(error_page(exc.description), status_code=400)
        hidden = {k: v for k, v in params.items() if k != "username"}
        if params.get("prompt") == "none":
            return _redirect(auth, error="login_required")
        return HTMLResponse(login_page(issuer.people.values(), hidden), headers=_NO_STORE)

    @router.post("/authorize")
    async def authorize(request: Request) -> Response:
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        try:
            auth = _authorization_request(issuer, form)
        except OAuthError as exc:
            return HTMLResponse(error_page(exc.description), status_code=400)
        try:
            code = issuer.authorize(auth, form.get("username", ""))
        except OAuthError as exc:
            return _redirect(auth, error=exc.error, error_description=exc.description)
        return _redirect(auth, code=code)

    @router.post("/token")
    async def token(
        grant_type: Annotated[str, Form()],
        client_id: Annotated[str, Form()],
        code: Annotated[str | None, Form()] = None,
        redirect_uri: Annotated[str | None, Form()] = None,
        code_verifier: Annotated[str | None, Form()] = None,
        refresh_token: Annotated[str | None, Form()] = None,
    ) -> Response:
        try:
            if grant_type == "authorization_code":
                if not (code and redirect_uri and code_verifier):
                    raise OAuthError(
                        "invalid_request", "code, redirect_uri and code_verifier are required"
                    )
                body = issuer.exchange_code(
                    code=code,
                    client_id=client_id,
                    redirect_uri=redirect_uri,
                    code_verifier=code_verifier,
                )
            elif grant_type == "refresh_token":
                if not refresh_token:
                    raise OAuthError("invalid_request", "refresh_token is required")
                body = issuer.refresh(refresh_token=refresh_token, client_id=client_id)
            else:
                raise OAuthError("unsupported_grant_type", f"grant_type {grant_type!r}")
        except OAuthError as exc:
            return _oauth_error(exc)
        return JSONResponse(body, headers=_NO_STORE)

    @router.get("/userinfo")
    async def userinfo(authorization: Annotated[str | None, Header()] = None) -> Response:
        scheme, _, token = (authorization or "").partition(" ")
        try:
            claims = jwt.decode(
                token,
                issuer.key.private_key.public_key(),
                algorithms=["ES256"],
                audience=issuer.audience,
                issuer=issuer.issuer,
            )
        except jwt.PyJWTError as exc:
            if scheme.lower() == "bearer":
                return _oauth_error(OAuthError("invalid_token", str(exc)), 401)
            return _oauth_error(OAuthError("invalid_token", "a bearer token is required"), 401)
        keep = ("sub", "name", "email", "groups")
        return JSONResponse({k: claims[k] for k in keep if k in claims}, headers=_NO_STORE)

    @router.get("/logout")
    async def logout(
        post_logout_redirect_uri: Annotated[str | None, Query()] = None,
        state: Annotated[str | None, Query()] = None,
    ) -> Response:
        if post_logout_redirect_uri and issuer.redirect_allowed(post_logout_redirect_uri):
            query = f"?{urlencode({'state': state})}" if state else ""
            return RedirectResponse(post_logout_redirect_uri + query, status_code=303)
        return HTMLResponse(error_page("You are signed out."))

    return router


def _authorization_request(issuer: DevIssuer, params: dict[str, str]) -> AuthorizationRequest:
    client_id = params.get("client_id", "")
    redirect_uri = params.get("redirect_uri", "")
    issuer.check_redirect_uri(client_id, redirect_uri)
    if params.get("response_type") != "code":
        raise OAuthError("unsupported_response_type", "only response_type=code is supported")
    if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
        raise OAuthError("invalid_request", "PKCE with code_challenge_method=S256 is required")
    if "openid" not in params.get("scope", "").split():
        raise OAuthError("invalid_scope", "the openid scope is required")
    return AuthorizationRequest(
        client_id=client_id,
        redirect_uri=redirect_uri,
        scope=params["scope"],
        state=params.get("state"),
        nonce=params.get("nonce"),
        code_challenge=params["code_challenge"],
    )


def _redirect(auth: AuthorizationRequest, **params: str) -> RedirectResponse:
    if auth.state is not None:
        params["state"] = auth.state
    separator = "&" if "?" in auth.redirect_uri else "?"
    return RedirectResponse(f"{auth.redirect_uri}{separator}{urlencode(params)}", status_code=303)
