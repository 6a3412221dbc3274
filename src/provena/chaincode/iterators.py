"""Async iterators over range and history queries, fed batch by batch by the peer.

The peer answers a query with a first batch and an iterator id; while `has_more` is set the
iterator asks for the next batch (QUERY_STATE_NEXT), and closing it early tells the peer to
drop its cursor (QUERY_STATE_CLOSE)::

    GET_STATE_BY_RANGE ──► QueryResponse(results, has_more, id)
    QUERY_STATE_NEXT(id) ──► QueryResponse(...)        while has_more
    QUERY_STATE_CLOSE(id) ──► QueryResponse()          only when stopped early
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

from fabric_protos.ledger.queryresult import kv_query_result_pb2
from fabric_protos.peer import chaincode_shim_pb2 as shim
from google.protobuf.message import DecodeError

from provena.chaincode.errors import ProtocolError

__all__ = ["KV", "KeyModification", "QueryIterator", "QueryResponseMetadata"]

T = TypeVar("T")
PeerCall = Callable[[int, bytes], Awaitable[bytes]]


@dataclass(frozen=True, slots=True)
class KV:
    """One entry of a range query."""

    key: str
    value: bytes
    namespace: str = ""


@dataclass(frozen=True, slots=True)
class KeyModification:
    """One change of a key: the transaction, its time, and the value it wrote (or deletion)."""

    tx_id: str
    value: bytes
    timestamp: datetime
    is_delete: bool


@dataclass(frozen=True, slots=True)
class QueryResponseMetadata:
    """Where a page ended: how many records it holds and the bookmark of the next page."""

    fetched_records_count: int
    bookmark: str


def decode(message: Any, data: bytes, what: str) -> Any:
    try:
        message.ParseFromString(data)
    except DecodeError as exc:
        raise ProtocolError(f"the peer sent a malformed {what}") from exc
    return message


def decode_kv(data: bytes) -> KV:
    kv = decode(kv_query_result_pb2.KV(), data, "range query result")
    return KV(key=kv.key, value=kv.value, namespace=kv.namespace)


def decode_key_modification(data: bytes) -> KeyModification:
    record = decode(kv_query_result_pb2.KeyModification(), data, "history record")
    stamp = record.timestamp
    moment = datetime.fromtimestamp(stamp.seconds, UTC).replace(microsecond=stamp.nanos // 1000)
    return KeyModification(
        tx_id=record.tx_id, value=record.value, timestamp=moment, is_delete=record.is_delete
    )


class QueryIterator(Generic[T]):
    """Results of one query; use with ``async for`` (and ``async with`` to close early)."""

    def __init__(
        self,
        call: PeerCall,
        decode_result: Callable[[bytes], T],
        *,
        open_request: tuple[int, bytes] | None = None,
        first: Any = None,
    ) -> None:
        self._call = call
        self._decode = decode_result
        self._open_request = open_request
        self._buffer: deque[bytes] = deque()
        self._id = ""
        self._has_more = False
        self._closed = False
        if first is not None:
            self._take(first)

    def _take(self, response: Any) -> None:
        self._buffer.extend(item.resultBytes for item in response.results)
        self._id = response.id
        self._has_more = response.has_more

    async def _fetch(self, kind: int, payload: bytes) -> None:
        data = await self._call(kind, payload)
        self._take(decode(shim.QueryResponse(), data, "query response"))

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> T:
        if self._open_request is not None:
            kind, payload = self._open_request
            self._open_request = None
            await self._fetch(kind, payload)
        while not self._buffer:
            if self._closed or not self._has_more:
                self._closed = True
                raise StopAsyncIteration
            next_request = shim.QueryStateNext(id=self._id).SerializeToString()
            await self._fetch(shim.ChaincodeMessage.QUERY_STATE_NEXT, next_request)
        return self._decode(self._buffer.popleft())

    async def aclose(self) -> None:
        """Stop early; the peer drops its cursor."""
        if self._closed:
            return
        self._closed = True
        self._buffer.clear()
        if self._has_more:
            self._has_more = False
            request = shim.QueryStateClose(id=self._id).SerializeToString()
            await self._call(shim.ChaincodeMessage.QUERY_STATE_CLOSE, request)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
