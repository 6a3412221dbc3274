"""The devnet's Fabric CA server: every organization's CA behind one HTTP(S) listener.

As with a fabric-ca-server hosting several CAs, one listener serves them all and each request
picks its CA by name — the `ca` query parameter, else the body's `caname`, else the first
organization's CA. Answers use fabric-ca's envelope::

    {"result": …, "errors": [{"code": N, "message": "…"}], "messages": [], "success": bool}

Each CA's registrar (`admin`, with fabric-ca's bootstrap attributes) is created on first start;
its enrollment secret is written, readable only by the owner, to `<registrars>/<MSP id>.json`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import secrets
import socket
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from cryptography.x509.oid import NameOID
from starlette.applications import Starlette
from starlette.requests import Request as HttpRequest
from starlette.responses import Response
from starlette.routing import Route

from provena.devnet.ca import CertificateAuthority, write_private
from provena.devnet.errors import ConfigError
from provena.devnet.fabricca.authority import OrgAuthority, Request
from provena.devnet.fabricca.errors import CaHttpError
from provena.devnet.fabricca.store import CaStore
from provena.devnet.pki import Pki

__all__ = ["REGISTRAR_ID", "CaEndpoint", "FabricCaServer", "ca_endpoints"]

REGISTRAR_ID = "admin"
_log = logging.getLogger(__name__)
_VALIDITY = dt.timedelta(days=365)  # fabric-ca's default signing profile: 8760h
_STARTUP = 30.0


@dataclass(frozen=True, slots=True)
class CaEndpoint:
    """Where an organization's CA is reached, as connection profiles list it."""

    msp_id: str
    url: str
    ca_name: str
    tls_ca: Path | None
    registrar: Path
    """JSON {"enrollment_id", "secret"} of the CA's registrar (0600)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "ca_name": self.ca_name,
            "tls_ca": str(self.tls_ca.resolve()) if self.tls_ca else None,
            "registrar": str(self.registrar.resolve()),
        }


def ca_endpoints(pki: Pki, url: str, registrars: Path, *, tls: bool) -> list[CaEndpoint]:
    """Every application organization's CA, served at `url`."""
    return [
        CaEndpoint(
            msp_id,
            url,
            _ca_name(pki.signing_ca(msp_id)),
            pki.tls_ca_file if tls else None,
            registrars / f"{msp_id}.json",
        )
        for msp_id in pki.msp_ids
    ]


class _Uvicorn(uvicorn.Server):
    """uvicorn without its own signal handlers: the devnet's process owns SIGINT and SIGTERM."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


_Handler = Callable[[OrgAuthority, Request], dict[str, Any]]
_ENDPOINTS: dict[str, tuple[tuple[str, ...], int, _Handler]] = {
    "cainfo": (("GET", "POST", "HEAD"), 200, lambda ca, _: ca.info()),
    "register": (("POST",), 201, OrgAuthority.register),
    "enroll": (("POST",), 201, OrgAuthority.enroll),
    "reenroll": (("POST",), 201, OrgAuthority.reenroll),
    "revoke": (("POST",), 200, OrgAuthority.revoke),
}


def _envelope(status: int, result: Any, error: CaHttpError | None) -> Response:
    errors = [{"code": error.remote_code, "message": error.remote_message}] if error else []
    document = {"result": result, "errors": errors, "messages": [], "success": error is None}
    return Response(json.dumps(document), status_code=status, media_type="application/json")


class FabricCaServer:
    """A running CA server. Build it with `start`, stop it with `aclose`."""

    def __init__(self, authorities: dict[str, OrgAuthority], url: str) -> None:
        self._authorities = authorities
        self._default = next(iter(authorities.values()))
        self._server: _Uvicorn | None = None
        self._task: asyncio.Task[None] | None = None
        self.url = url

    @classmethod
    async def start(
        cls,
        pki: Pki,
        store: CaStore,
        *,
        registrars: Path,
        host: str = "127.0.0.1",
        port: int = 7054,
        tls: bool = True,
        validity: dt.timedelta = _VALIDITY,
    ) -> FabricCaServer:
        """Serve each of `pki`'s organizations' CA on host:port (0: a free port), over TLS with
        the gateway peer's certificate when `tls`."""
        authorities = {}
        for msp_id in pki.msp_ids:
            ca = pki.signing_ca(msp_id)
            authority = OrgAuthority(_ca_name(ca), ca, store, validity)
            authority.bootstrap(REGISTRAR_ID, _registrar_secret(registrars / f"{msp_id}.json"))
            authorities[authority.ca_name] = authority
        sock = _bind(host, port)
        bound_host, bound_port = sock.getsockname()[:2]
        shown = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(bound_host, bound_host)  # noqa: S104
        shown = f"[{shown}]" if ":" in shown else shown
        server = cls(authorities, f"{'https' if tls else 'http'}://{shown}:{bound_port}")
        config = uvicorn.Config(
            server._app(),
            log_config=None,
            access_log=False,
            lifespan="off",
            ws="none",
            http="h11",
            ssl_keyfile=str(pki.tls_dir / "server.key") if tls else None,
            ssl_certfile=str(pki.tls_dir / "server.crt") if tls else None,
        )
        await server._serve(_Uvicorn(config), sock)
        return server

    def _app(self) -> Starlette:
        routes = [
            Route(f"/api/v1/{name}", self._endpoint(name), methods=_ALL_METHODS)
            for name in _ENDPOINTS
        ]
        return Starlette(routes=routes)

    def _endpoint(self, name: str) -> Callable[[HttpRequest], Awaitable[Response]]:
        methods, success, handler = _ENDPOINTS[name]

        async def endpoint(http: HttpRequest) -> Response:
            try:
                if http.method not in methods:
                    raise CaHttpError(405, 1, f"Method {http.method} is not allowed")
                request = await _request(http)
                authority = self._authority(http.query_params.get("ca") or request.json)
                return _envelope(success, handler(authority, request), None)
            except CaHttpError as exc:
                _log.info(
                    "%s %s %d %d %s", http.method, http.url.path, exc.status, exc.code, exc.message
                )
                return _envelope(exc.status, "", exc)

        return endpoint

    def _authority(self, selector: str | Mapping[str, Any]) -> OrgAuthority:
        if not isinstance(selector, str):
            selector = next((str(v) for k, v in selector.items() if k.lower() == "caname"), "")
        if not selector:
            return self._default
        try:
            return self._authorities[selector]
        except KeyError:
            raise CaHttpError(404, 19, f"CA '{selector}' does not exist") from None

    async def _serve(self, server: _Uvicorn, sock: socket.socket) -> None:
        self._server = server
        self._task = asyncio.create_task(server.serve(sockets=[sock]))
        async with asyncio.timeout(_STARTUP):
            while not server.started:
                if self._task.done():
                    self._task.result()
                    raise ConfigError(f"the Fabric CA server at {self.url} stopped at start")
                await asyncio.sleep(0.01)

    async def aclose(self) -> None:
        """Stop serving (requests in flight finish)."""
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
            self._task = None


_ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]


def _ca_name(ca: CertificateAuthority) -> str:
    """A CA's name is its certificate's common name (`ca.<domain>`)."""
    names = ca.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value)


async def _request(http: HttpRequest) -> Request:
    body = await http.body()
    parsed: Any = {}
    if body:
        try:
            parsed = json.loads(body)
        except ValueError as exc:
            raise CaHttpError(400, 5, f"Invalid request body: {exc}") from exc
        if not isinstance(parsed, dict):
            raise CaHttpError(400, 5, "Invalid request body: not a JSON object")
    uri = http.scope.get("raw_path", http.url.path.encode()).decode("latin-1")
    if http.scope.get("query_string"):
        uri += "?" + http.scope["query_string"].decode("latin-1")
    return Request(http.method, uri, http.headers.get("authorization"), body, parsed)


def _registrar_secret(path: Path) -> str:
    """The registrar's secret from its file, or a new one written there (0600)."""
    if path.exists():
        try:
            return str(json.loads(path.read_text())["secret"])
        except (OSError, ValueError, KeyError) as exc:
            raise ConfigError(f"cannot read the registrar file {path}: {exc}") from exc
    secret = secrets.token_urlsafe(18)
    document = {"enrollment_id": REGISTRAR_ID, "secret": secret}
    write_private(path, (json.dumps(document, indent=2) + "\n").encode())
    return secret


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"the Fabric CA server cannot listen on {host}:{port}: {exc}") from exc
    sock.listen(128)
    sock.setblocking(False)
    return sock
