"""The peer's connection to one chaincode server: dial, handshake, route, reconnect.

    peer (this)                           chaincode server
    Connect() ──────────────────────────►
              ◄────────────────────────── REGISTER(package id)      checked
    REGISTERED, READY ──────────────────►
    TRANSACTION(txid) ──────────────────►
              ◄────────────────────────── GET_STATE …              → the tx's session
    RESPONSE / ERROR ───────────────────►
              ◄────────────────────────── COMPLETED / ERROR        → the tx's waiter

Messages to the chaincode go through one queue that feeds the gRPC request stream: one
writer, whatever the number of transactions in flight. When the stream ends, every
transaction still running fails, and the connection dials again with exponential backoff.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import grpc
from fabric_protos.peer import chaincode_pb2, chaincode_shim_pb2_grpc
from fabric_protos.peer import chaincode_shim_pb2 as shim
from google.protobuf.message import DecodeError

from provena.devnet.chaincode.definition import ChaincodeDefinition
from provena.devnet.chaincode.errors import (
    ChaincodeDisconnected,
    ChaincodeTimeout,
    ChaincodeUnavailable,
    LauncherError,
)
from provena.devnet.chaincode.session import TransactionSession

__all__ = ["ChaincodeConnection", "ChaincodeStatus", "ConnectionOptions"]

_CLOSE_SECONDS = 2.0
log = logging.getLogger("provena.devnet.chaincode")
_Type = shim.ChaincodeMessage
_STATE_CALLS = frozenset(
    {
        _Type.GET_STATE,
        _Type.PUT_STATE,
        _Type.DEL_STATE,
        _Type.INVOKE_CHAINCODE,
        _Type.GET_STATE_BY_RANGE,
        _Type.GET_QUERY_RESULT,
        _Type.QUERY_STATE_NEXT,
        _Type.QUERY_STATE_CLOSE,
        _Type.GET_HISTORY_FOR_KEY,
        _Type.GET_STATE_METADATA,
        _Type.PUT_STATE_METADATA,
        _Type.GET_PRIVATE_DATA_HASH,
        _Type.PURGE_PRIVATE_DATA,
        _Type.WRITE_BATCH_STATE,
        _Type.GET_STATE_MULTIPLE,
    }
)
MAX_MESSAGE_BYTES = 100 * 1024 * 1024


class _Handshake(Exception):
    """The chaincode did not register as expected."""


@dataclass(frozen=True, slots=True)
class ConnectionOptions:
    """Timing of connections: registration wait, reconnect backoff, optional keepalive."""

    registration_timeout: float = 10.0
    backoff_initial: float = 0.05
    backoff_max: float = 5.0
    keepalive: float | None = None


@dataclass(frozen=True, slots=True)
class ChaincodeStatus:
    """How a deployed chaincode is doing, for `devnet chaincode list` and health checks."""

    name: str
    package_id: str
    address: str
    ready: bool
    registrations: int
    last_error: str | None


def _name(kind: int) -> str:
    return str(_Type.Type.Name(kind)) if kind in _Type.Type.values() else str(kind)


class ChaincodeConnection:
    """A chaincode server as seen by the peer; `run` transactions once it is ready."""

    def __init__(self, definition: ChaincodeDefinition, options: ConnectionOptions) -> None:
        self.definition = definition
        self._options = options
        self._ready = asyncio.Event()
        self._outbox: asyncio.Queue[Any] = asyncio.Queue()
        self._sessions: dict[tuple[str, str], TransactionSession] = {}
        self._calls: set[asyncio.Task[None]] = set()
        self._registrations = 0
        self._last_error: str | None = None
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    def start(self) -> None:
        self._task = asyncio.create_task(self._connect_forever())

    async def close(self) -> None:
        self._closed = True  # even if a cancellation is lost in a wait_for, no redial
        tasks = [*self._calls, *([self._task] if self._task else [])]
        for task in tasks:
            task.cancel()
        self._task = None
        if not tasks:
            return
        # A gRPC channel still dialing an unreachable address can take long to close; a
        # redeploy or shutdown must not wait on it.
        _, pending = await asyncio.wait(tasks, timeout=_CLOSE_SECONDS)
        if pending:
            log.warning(
                "chaincode %s: %d task(s) still closing after %.0f s; leaving them behind",
                self.definition.name,
                len(pending),
                _CLOSE_SECONDS,
            )

    def status(self) -> ChaincodeStatus:
        d = self.definition
        return ChaincodeStatus(
            d.name,
            d.package_id,
            d.address,
            self._ready.is_set(),
            self._registrations,
            self._last_error,
        )

    async def wait_ready(self, seconds: float) -> None:
        if self._ready.is_set():
            return
        try:
            await asyncio.wait_for(self._ready.wait(), seconds)
        except TimeoutError:
            reason = f": {self._last_error}" if self._last_error else ""
            raise ChaincodeUnavailable(
                f"chaincode {self.definition.name} at {self.definition.address} "
                f"is not connected{reason}"
            ) from None

    async def run(self, session: TransactionSession, message: Any, seconds: float) -> Any:
        """Send TRANSACTION or INIT and wait for the chaincode's COMPLETED or ERROR."""
        key = (session.channel, session.tx_id)
        if not self._ready.is_set():
            raise ChaincodeUnavailable(f"chaincode {self.definition.name} is not connected")
        if key in self._sessions:
            raise LauncherError(
                f"transaction {session.tx_id} is already running on chaincode "
                f"{self.definition.name}"
            )
        self._sessions[key] = session
        self._outbox.put_nowait(message)
        try:
            return await asyncio.wait_for(asyncio.shield(session.done), seconds)
        except TimeoutError:
            raise ChaincodeTimeout(
                f"timeout expired while executing transaction {session.tx_id} "
                f"on chaincode {self.definition.name} ({seconds:g} s)"
            ) from None
        finally:
            del self._sessions[key]
            session.close()

    # -- the stream ----------------------------------------------------------------------

    def _channel(self) -> Any:
        d = self.definition
        options = [
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
        ]
        if d.tls_ca is None:
            return grpc.aio.insecure_channel(d.address, options=options)
        credentials = grpc.ssl_channel_credentials(
            root_certificates=d.tls_ca.read_bytes(),
            private_key=d.client_key.read_bytes() if d.client_key else None,
            certificate_chain=d.client_cert.read_bytes() if d.client_cert else None,
        )
        return grpc.aio.secure_channel(d.address, credentials, options=options)

    async def _connect_forever(self) -> None:
        delay = self._options.backoff_initial
        while not self._closed:
            registered = self._registrations
            try:
                await self._connect_once()
                self._last_error = "the chaincode closed the stream"
            except grpc.aio.AioRpcError as exc:
                self._last_error = f"{exc.code().name}: {exc.details()}"
            except (_Handshake, OSError, DecodeError) as exc:
                self._last_error = str(exc)
            finally:
                self._ready.clear()
                self._fail_running(self._last_error)
            if self._registrations > registered:
                delay = self._options.backoff_initial
            log.info(
                "chaincode %s disconnected (%s); retrying in %.2fs",
                self.definition.name,
                self._last_error,
                delay,
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._options.backoff_max)

    async def _connect_once(self) -> None:
        outbox: asyncio.Queue[Any] = asyncio.Queue()
        self._outbox = outbox

        async def requests() -> AsyncIterator[Any]:
            while (message := await outbox.get()) is not None:
                yield message

        async with self._channel() as channel:
            call = chaincode_shim_pb2_grpc.ChaincodeStub(channel).Connect(requests())
            keepalive = None
            try:
                await self._register(call)
                if self._options.keepalive:
                    keepalive = asyncio.create_task(self._keepalive(self._options.keepalive))
                while (message := await call.read()) is not grpc.aio.EOF:
                    self._dispatch(message)
            finally:
                if keepalive is not None:
                    keepalive.cancel()
                outbox.put_nowait(None)
                call.cancel()

    async def _register(self, call: Any) -> None:
        try:
            first = await asyncio.wait_for(call.read(), self._options.registration_timeout)
        except TimeoutError:
            raise _Handshake("the chaincode did not send REGISTER in time") from None
        if first is grpc.aio.EOF:
            raise _Handshake("the chaincode closed the stream before REGISTER")
        if first.type != _Type.REGISTER:
            raise _Handshake(f"expected REGISTER, the chaincode sent {_name(first.type)}")
        chaincode_id = chaincode_pb2.ChaincodeID()
        chaincode_id.ParseFromString(first.payload)
        expected = self.definition.package_id
        if chaincode_id.name != expected:
            text = f"chaincode registered as {chaincode_id.name!r}, expected {expected!r}"
            self._outbox.put_nowait(_Type(type=_Type.ERROR, payload=text.encode()))
            raise _Handshake(text)
        self._outbox.put_nowait(_Type(type=_Type.REGISTERED))
        self._outbox.put_nowait(_Type(type=_Type.READY))
        self._registrations += 1
        self._last_error = None
        self._ready.set()
        log.info("chaincode %s registered as %s", self.definition.name, expected)

    async def _keepalive(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            self._outbox.put_nowait(_Type(type=_Type.KEEPALIVE))

    def _dispatch(self, message: Any) -> None:
        kind = message.type
        session = self._sessions.get((message.channel_id, message.txid))
        if kind == _Type.KEEPALIVE:
            return
        if kind in (_Type.COMPLETED, _Type.ERROR):
            if session is None or session.done.done():
                log.debug("dropped a late %s for transaction %s", _name(kind), message.txid[:8])
            else:
                session.done.set_result(message)
        elif kind in _STATE_CALLS:
            task = asyncio.create_task(self._serve(session, message, self._outbox))
            self._calls.add(task)
            task.add_done_callback(self._calls.discard)
        else:
            raise _Handshake(f"the chaincode sent {_name(kind)} while ready")

    async def _serve(
        self, session: TransactionSession | None, message: Any, outbox: asyncio.Queue[Any]
    ) -> None:
        """Answer one state call on the stream it came from (never on a later one)."""
        if session is None:
            text = (
                f"{_name(message.type)} failed: transaction ID: {message.txid}: no ledger context"
            )
            reply = _Type(
                type=_Type.ERROR,
                payload=text.encode(),
                txid=message.txid,
                channel_id=message.channel_id,
            )
        else:
            reply = await session.serve(message)
        outbox.put_nowait(reply)

    def _fail_running(self, reason: str | None) -> None:
        for session in self._sessions.values():
            if not session.done.done():
                session.done.set_exception(
                    ChaincodeDisconnected(
                        f"chaincode stream terminated while executing transaction "
                        f"{session.tx_id}: {reason}"
                    )
                )
