"""The running devnet's admin endpoint: a Unix socket in its data directory.

Commands such as `provena devnet chaincode deploy` reach the running network through it, so
the network itself records the definition and connects to the chaincode at once. The socket is
created owner-only (its directory's owner is the devnet's operator); the protocol is one JSON
object per line each way::

    → {"op": "deploy", "name": "basic", "address": "127.0.0.1:9999", "version": null,
       "tls_ca": null, "client_cert": null, "client_key": null}
    ← {"ok": true, "result": {...definition..., "changed": true}}
    ← {"ok": false, "error": "no such file: /x/ca.pem"}
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from provena.devnet.errors import AdminError, DevnetError

__all__ = ["AdminHandler", "AdminServer", "NotRunning", "call"]

_log = logging.getLogger(__name__)
_MAX_LINE = 1 << 20
_SUN_PATH_MAX = 107

AdminHandler = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]
"""Handles one request; a DevnetError becomes an error answer, anything else is a bug."""


class NotRunning(AdminError):
    """No devnet is listening on the data directory's admin socket."""


def _check_path(path: Path) -> None:
    if len(os.fsencode(path)) > _SUN_PATH_MAX:
        raise AdminError(
            f"the admin socket path {path} is longer than Unix sockets allow "
            f"({_SUN_PATH_MAX} bytes); use a shorter --data-dir"
        )


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


class AdminServer:
    """Serves `handler` on a Unix socket until closed."""

    def __init__(self, server: asyncio.Server, path: Path) -> None:
        self._server = server
        self._path = path

    @classmethod
    async def start(cls, path: Path, handler: AdminHandler) -> AdminServer:
        _check_path(path)
        _remove(path)  # a stale socket of a killed devnet

        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                line = await reader.readline()
                try:
                    request = json.loads(line)
                    if not isinstance(request, dict):
                        raise TypeError("a request is a JSON object")
                    answer = {"ok": True, "result": await handler(request)}
                except (ValueError, TypeError, DevnetError) as exc:
                    answer = {"ok": False, "error": str(exc)}
                writer.write(json.dumps(answer).encode() + b"\n")
                await writer.drain()
            except (ConnectionError, asyncio.LimitOverrunError) as exc:
                _log.warning("admin connection failed: %s", exc)
            finally:
                writer.close()

        old_umask = os.umask(0o177)
        try:
            server = await asyncio.start_unix_server(serve, path=path, limit=_MAX_LINE)
        finally:
            os.umask(old_umask)
        return cls(server, path)

    async def aclose(self) -> None:
        self._server.close()
        await self._server.wait_closed()
        _remove(self._path)


def call(path: Path, request: dict[str, Any], *, timeout: float = 60.0) -> dict[str, Any]:
    """Send one request to the devnet at `path` (blocking, for the command line).

    Raises NotRunning when nothing listens there, AdminError when the devnet refuses."""
    _check_path(path)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(os.fspath(path))
        except (FileNotFoundError, ConnectionRefusedError) as exc:
            raise NotRunning(f"no devnet is running with data directory {path.parent}") from exc
        sock.sendall(json.dumps(request).encode() + b"\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    try:
        answer = json.loads(data)
    except ValueError as exc:
        raise AdminError(f"the devnet gave an unreadable answer: {data[:200]!r}") from exc
    if not answer.get("ok"):
        raise AdminError(str(answer.get("error", "the devnet refused the request")))
    result = answer.get("result")
    if not isinstance(result, dict):
        raise AdminError("the devnet's answer has no result")
    return result
