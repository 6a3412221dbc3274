"""RFC 9457 problem details for every error the API returns.

Each error class maps to one status: a bad token to 401 (with a `WWW-Authenticate`
challenge), a missing role to 403, an unreachable issuer, object store or IPFS node to
503, a stalled upload to 408, validation errors to 422 with the offending fields, anything
unexpected to 500 without internals.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from provena.db import UnknownOrganizationError
from provena.documents import DocumentNotFound, DocumentTooLarge, InvalidDocument, UploadTimedOut
from provena.identity import IssuerError, PermissionDenied, TokenError
from provena.identity.errors import CaUnreachable, FabricCaError
from provena.identity.wallet import WalletError
from provena.ipfs import CidMismatchError, RemoteError
from provena.storage import BackendError
from provena.transactions import TransactionFailure
from provena.verification import VerificationError

__all__ = ["PROBLEM_JSON", "Problem", "install_problem_handlers", "problem_response"]

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)


class Problem(BaseModel):
    """An RFC 9457 problem details object."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None


def problem_response(
    request: Request,
    status: int,
    detail: str | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A `application/problem+json` response for `status`."""
    problem = Problem(
        title=HTTPStatus(status).phrase, status=status, detail=detail, instance=request.url.path
    )
    body = problem.model_dump(exclude_none=True) | extra
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def _error_list(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Validation errors as the problem's `errors` member."""
    return [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in errors
    ]


_PROBLEM_REF = "#/components/schemas/Problem"
_FASTAPI_422_REF = "#/components/schemas/HTTPValidationError"


def _declare_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare error responses as they are sent: `application/problem+json` bodies.

    FastAPI documents `{"model": Problem}` as `application/json`, and documents the 422 it
    adds to every route with parameters by its own `HTTPValidationError`, which these
    handlers never send (they send a problem with `errors`). An operation that reads a body
    also answers 400 when the body cannot be parsed at all (malformed JSON or form)."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if "requestBody" in operation:
                operation["responses"].setdefault(
                    "400",
                    {
                        "description": "The body cannot be parsed",
                        "content": {PROBLEM_JSON: {"schema": {"$ref": _PROBLEM_REF}}},
                    },
                )
            for response in operation.get("responses", {}).values():
                content = response.get("content", {})
                ref = content.get("application/json", {}).get("schema", {}).get("$ref")
                if ref in (_PROBLEM_REF, _FASTAPI_422_REF):
                    del content["application/json"]
                    content[PROBLEM_JSON] = {"schema": {"$ref": _PROBLEM_REF}}
    components = schema.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    return schema


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error response of `app` a problem details document, and its OpenAPI
    schema say so."""
    build_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _declare_problems(build_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem_response(request, exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _error_list(exc.errors())
        return problem_response(request, 422, "the request is invalid", errors=errors)

    @app.exception_handler(TokenError)
    async def bad_token(request: Request, exc: TokenError) -> JSONResponse:
        challenge = 'Bearer error="invalid_token"'
        return problem_response(request, 401, str(exc), headers={"WWW-Authenticate": challenge})

    @app.exception_handler(PermissionDenied)
    async def forbidden(request: Request, exc: PermissionDenied) -> JSONResponse:
        return problem_response(request, 403, str(exc))

    @app.exception_handler(UnknownOrganizationError)
    async def unregistered_org(request: Request, exc: UnknownOrganizationError) -> JSONResponse:
        detail = f"organization {exc.msp_id!r} is not registered with Provena"
        return problem_response(request, 403, detail)

    @app.exception_handler(DocumentTooLarge)
    async def too_large(request: Request, exc: DocumentTooLarge) -> JSONResponse:
        # The rest of the body is never read, so the connection cannot carry another request.
        return problem_response(request, 413, str(exc), headers={"Connection": "close"})

    @app.exception_handler(InvalidDocument)
    async def invalid_document(request: Request, exc: InvalidDocument) -> JSONResponse:
        return problem_response(request, 400, str(exc))

    @app.exception_handler(UploadTimedOut)
    async def upload_too_slow(request: Request, exc: UploadTimedOut) -> JSONResponse:
        log.info("upload cut off: %s", exc)
        return problem_response(request, 408, str(exc), headers={"Connection": "close"})

    @app.exception_handler(BackendError)
    async def object_store_down(request: Request, exc: BackendError) -> JSONResponse:
        log.error("object store failed: %s", exc)
        return problem_response(request, 503, "the object store is unavailable: try again later")

    @app.exception_handler(RemoteError)
    async def ipfs_node_down(request: Request, exc: RemoteError) -> JSONResponse:
        log.error("IPFS node failed: %s", exc)
        if isinstance(exc, CidMismatchError):
            return problem_response(request, 502, "the IPFS node computed another CID")
        return problem_response(request, 503, "the IPFS node is unavailable: try again later")

    @app.exception_handler(DocumentNotFound)
    async def no_document(request: Request, exc: DocumentNotFound) -> JSONResponse:
        return problem_response(request, 404, str(exc))

    @app.exception_handler(ClientDisconnect)
    async def client_gone(request: Request, exc: ClientDisconnect) -> JSONResponse:
        log.info("client disconnected before the request body was complete")
        return problem_response(request, 400, "the request body was interrupted")

    @app.exception_handler(IssuerError)
    async def issuer_down(request: Request, exc: IssuerError) -> JSONResponse:
        log.error("identity issuer unavailable: %s", exc)
        return problem_response(request, 503, "the identity provider is unavailable")

    @app.exception_handler(TransactionFailure)
    async def transaction_failed(request: Request, exc: TransactionFailure) -> JSONResponse:
        if exc.status >= 500:
            log.error("ledger write failed: %s", exc)
        return problem_response(request, exc.status, str(exc))

    @app.exception_handler(VerificationError)
    async def unverifiable(request: Request, exc: VerificationError) -> JSONResponse:
        if exc.status >= 500:
            log.error("ledger read failed: %s", exc)
        return problem_response(request, exc.status, str(exc))

    @app.exception_handler(WalletError)
    async def no_ledger_identity(request: Request, exc: WalletError) -> JSONResponse:
        return problem_response(request, 403, str(exc))

    @app.exception_handler(FabricCaError)
    async def ca_failed(request: Request, exc: FabricCaError) -> JSONResponse:
        log.error("Fabric CA request failed: %s", exc)
        detail = "the organization's certificate authority could not enroll you"
        return problem_response(request, 503 if isinstance(exc, CaUnreachable) else 502, detail)

    @app.exception_handler(ValidationError)
    async def invalid_input(request: Request, exc: ValidationError) -> JSONResponse:
        # A request that parsed but breaks the contracts' own rules (provena.contracts.model).
        errors = _error_list(exc.errors())
        return problem_response(
            request, 422, "the request breaks the ledger's rules", errors=errors
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return problem_response(request, 500, "an unexpected error occurred")
