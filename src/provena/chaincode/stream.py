"""One Connect stream, chaincode side: register, then run every transaction the peer sends.

The peer dials the chaincode's server; the chaincode speaks first::

    chaincode                         peer
    REGISTER(ChaincodeID) ─────────►
                          ◄───────── REGISTERED
                          ◄───────── READY
                          ◄───────── TRANSACTION / INIT (txid, proposal, ChaincodeInput)
    GET_STATE, PUT_STATE … ────────►
                          ◄───────── RESPONSE / ERROR     (matched by channel and txid)
    COMPLETED(Response, event) ────►

Transactions run concurrently, each in its own task with its own stub. Every outgoing
message goes through one queue that a single consumer drains into gRPC: concurrent
transactions never write to the stream at the same time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from enum import Enum
from typing import Any

from fabric_protos.peer import chaincode_pb2
from fabric_protos.peer import chaincode_shim_pb2 as shim
from google.protobuf.message import DecodeError

from provena.chaincode.chaincode import Chaincode
from provena.chaincode.errors import PeerError, ProtocolError, TransactionError
from provena.chaincode.proposal import parse_proposal
from provena.chaincode.response import Response
from provena.chaincode.stub import ChaincodeStub

__all__ = ["PeerStream"]

log = logging.getLogger("provena.chaincode")
_Type = shim.ChaincodeMessage
_TxKey = tuple[str, str]


class _State(Enum):
    CREATED = "created"
    ESTABLISHED = "established"
    READY = "ready"


def _name(kind: int) -> str:
    return str(_Type.Type.Name(kind)) if kind in _Type.Type.values() else str(kind)


def _short(txid: str) -> str:
    return txid[:8]


class PeerStream:
    """The chaincode's side of one stream; `outgoing()` is the stream's only writer."""

    def __init__(self, chaincode: Chaincode, chaincode_id: str) -> None:
        self._chaincode = chaincode
        self._chaincode_id = chaincode_id
        self._state = _State.CREATED
        self._outbox: asyncio.Queue[Any] = asyncio.Queue()
        self._pending: dict[_TxKey, asyncio.Future[Any]] = {}
        self._running: dict[_TxKey, asyncio.Task[None]] = {}
        self._reader: asyncio.Task[None] | None = None

    def start(self, incoming: AsyncIterator[Any]) -> None:
        """Send REGISTER and start reading the peer's messages."""
        register = chaincode_pb2.ChaincodeID(name=self._chaincode_id).SerializeToString()
        self._send(_Type(type=_Type.REGISTER, payload=register))
        self._reader = asyncio.create_task(self._read(incoming))

    async def outgoing(self) -> AsyncIterator[Any]:
        """Messages for the peer, in order, until the stream ends."""
        while (message := await self._outbox.get()) is not None:
            yield message

    async def close(self) -> None:
        """Stop reading and cancel transactions still running (the peer has gone)."""
        tasks = [*self._running.values(), *([self._reader] if self._reader else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _send(self, message: Any) -> None:
        self._outbox.put_nowait(message)

    def _error(self, text: str, txid: str = "", channel_id: str = "") -> None:
        payload = text.encode("utf-8")
        self._send(_Type(type=_Type.ERROR, payload=payload, txid=txid, channel_id=channel_id))

    async def _read(self, incoming: AsyncIterator[Any]) -> None:
        try:
            async for message in incoming:
                self._dispatch(message)
        except ProtocolError as exc:
            log.warning("chaincode stream closed: %s", exc)
        finally:
            self._outbox.put_nowait(None)

    def _dispatch(self, message: Any) -> None:
        kind = message.type
        if kind == _Type.KEEPALIVE:
            self._send(message)
        elif self._state is _State.CREATED:
            self._expect(message, _Type.REGISTERED, _State.ESTABLISHED)
            log.info("registered with the peer as %s", self._chaincode_id)
        elif self._state is _State.ESTABLISHED:
            self._expect(message, _Type.READY, _State.READY)
            log.info("ready for transactions")
        elif kind in (_Type.RESPONSE, _Type.ERROR):
            self._resolve(message)
        elif kind in (_Type.TRANSACTION, _Type.INIT):
            self._begin(message)
        else:
            self._error(
                f"chaincode cannot handle message {_name(kind)} while ready",
                message.txid,
                message.channel_id,
            )

    def _expect(self, message: Any, kind: int, then: _State) -> None:
        if message.type != kind:
            text = (
                f"chaincode cannot handle message {_name(message.type)} "
                f"while {self._state.value}: expected {_name(kind)}"
            )
            self._error(text, message.txid, message.channel_id)
            raise ProtocolError(text)
        self._state = then

    def _resolve(self, message: Any) -> None:
        future = self._pending.pop((message.channel_id, message.txid), None)
        if future is None or future.done():
            log.debug("dropped a reply for transaction %s: nothing waits", _short(message.txid))
            return
        future.set_result(message)

    def _begin(self, message: Any) -> None:
        key: _TxKey = (message.channel_id, message.txid)
        if key in self._running:
            text = f"transaction {message.txid} is already running"
            self._error(text, message.txid, message.channel_id)
            return
        task = asyncio.create_task(self._transact(message))
        self._running[key] = task
        task.add_done_callback(lambda _: self._running.pop(key, None))

    def _call(self, channel_id: str, txid: str) -> Any:
        async def call(kind: int, payload: bytes) -> bytes:
            key = (channel_id, txid)
            future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            self._pending[key] = future
            self._send(_Type(type=kind, payload=payload, txid=txid, channel_id=channel_id))
            try:
                reply = await future
            finally:
                self._pending.pop(key, None)
            if reply.type == _Type.RESPONSE:
                return bytes(reply.payload)
            if reply.type == _Type.ERROR:
                raise PeerError(reply.payload.decode("utf-8", "replace"))
            raise ProtocolError(f"expected RESPONSE or ERROR, got {_name(reply.type)}")

        return call

    def _stub(self, message: Any) -> ChaincodeStub:
        chaincode_input = chaincode_pb2.ChaincodeInput()
        try:
            chaincode_input.ParseFromString(message.payload)
        except DecodeError as exc:
            raise ProtocolError("malformed ChaincodeInput in the transaction message") from exc
        if not message.HasField("proposal"):
            raise ProtocolError("the transaction message carries no signed proposal")
        return ChaincodeStub(
            channel_id=message.channel_id,
            tx_id=message.txid,
            input=chaincode_input,
            proposal=parse_proposal(message.proposal),
            call=self._call(message.channel_id, message.txid),
        )

    async def _transact(self, message: Any) -> None:
        txid, channel_id = message.txid, message.channel_id
        try:
            stub = self._stub(message)
        except ProtocolError as exc:
            self._error(str(exc), txid, channel_id)
            return
        run = self._chaincode.init if message.type == _Type.INIT else self._chaincode.invoke
        try:
            response = await run(stub)
        except TransactionError as exc:
            response = Response.error(exc.message, status=exc.status, payload=exc.payload)
        except Exception as exc:  # a failing transaction must fail alone, never the stream
            log.warning("transaction %s failed: %s", _short(txid), type(exc).__name__)
            log.debug("transaction %s failed", _short(txid), exc_info=True)
            response = Response.error(str(exc) or type(exc).__name__)
        log.debug("transaction %s completed with status %d", _short(txid), response.status)
        completed = _Type(
            type=_Type.COMPLETED,
            payload=response.to_proto().SerializeToString(),
            txid=txid,
            channel_id=channel_id,
        )
        if stub.event is not None:
            completed.chaincode_event.CopyFrom(stub.event)
        self._send(completed)
