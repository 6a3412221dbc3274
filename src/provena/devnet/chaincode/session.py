"""One transaction on the peer side: the chaincode's state calls served from a simulator.

Range and history queries return the first batch with an iterator id; the rest stays here
until QUERY_STATE_NEXT asks for it. A paginated range query (page size or bookmark in its
QueryMetadata) returns the whole page at once, with the bookmark of the next page: the
key after the page's last one, or "" when the range is exhausted, as Fabric's LevelDB
state database does.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, ClassVar

from fabric_protos.ledger.queryresult import kv_query_result_pb2
from fabric_protos.peer import chaincode_pb2
from fabric_protos.peer import chaincode_shim_pb2 as shim
from google.protobuf.message import DecodeError

from provena.devnet.chaincode.errors import LauncherError
from provena.devnet.chaincode.state import RangeCursor, StateAccess

__all__ = ["MAX_RESULT_LIMIT", "TOTAL_QUERY_LIMIT", "TransactionSession"]

_Type = shim.ChaincodeMessage
#: Results per batch between peer and chaincode (Fabric's maxResultLimit).
MAX_RESULT_LIMIT = 100
#: Most results one query may return (Fabric's ledger.state.totalQueryLimit).
TOTAL_QUERY_LIMIT = 100_000

Invoke = Callable[[str, Any], Awaitable[Any]]
"""Runs another chaincode in this transaction: (name, ChaincodeInput) -> its last message."""


class _Refused(Exception):
    """A state call that gets an ERROR reply with this text."""


def _parse(message: Any, data: bytes) -> Any:
    try:
        message.ParseFromString(data)
    except DecodeError as exc:
        raise _Refused(f"unmarshal failed: {exc}") from exc
    return message


def _no_collection(request: Any) -> None:
    if request.collection:
        raise _Refused("private data collections are not supported by the devnet")


class _Records:
    """History records as a cursor (the store hands them over at once)."""

    def __init__(self, records: Sequence[Any]) -> None:
        self._records = list(records)
        self.exhausted = not self._records

    async def next(self, limit: int) -> list[Any]:
        batch, self._records = self._records[:limit], self._records[limit:]
        self.exhausted = not self._records
        return batch


class _Cursor:
    """An open query of a transaction: its source, how results encode, how many may follow."""

    def __init__(
        self, source: RangeCursor | _Records, encode: Callable[[Any], Any], allowance: int
    ) -> None:
        self._source = source
        self._encode = encode
        self._allowance = allowance

    @property
    def done(self) -> bool:
        return self._source.exhausted or self._allowance <= 0

    async def take(self, limit: int) -> list[Any]:
        """The next batch, as QueryResultBytes."""
        if self.done:
            return []
        rows = await self._source.next(min(limit, self._allowance))
        self._allowance -= len(rows)
        return [self._encode(row) for row in rows]


def _record(record: Any) -> Any:
    return shim.QueryResultBytes(resultBytes=record.SerializeToString())


class TransactionSession:
    """State calls of one transaction in one chaincode namespace, served one at a time."""

    def __init__(
        self,
        *,
        channel: str,
        tx_id: str,
        namespace: str,
        simulator: StateAccess,
        invoke: Invoke,
    ) -> None:
        self.channel = channel
        self.tx_id = tx_id
        self.namespace = namespace
        self._simulator = simulator
        self._invoke = invoke
        self._lock = asyncio.Lock()
        self._cursors: dict[str, _Cursor] = {}
        self._ids = itertools.count(1)
        self.done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    def close(self) -> None:
        """Forget open iterators; the transaction is over."""
        self._cursors.clear()

    async def serve(self, request: Any) -> Any:
        """The RESPONSE or ERROR message answering one state call."""
        handler = self._handlers.get(request.type)
        try:
            if handler is None:
                name = _Type.Type.Name(request.type) if request.type in _Type.Type.values() else ""
                raise _Refused(f"message {name or request.type} is not supported by the devnet")
            async with self._lock:
                payload = await handler(self, request.payload)
        except Exception as exc:  # any failed state call is that call's ERROR reply, as in Fabric
            kind = _Type.Type.Name(request.type) if request.type in _Type.Type.values() else "?"
            text = f"{kind} failed: transaction ID: {self.tx_id}: {exc}"
            return _Type(
                type=_Type.ERROR, payload=text.encode(), txid=self.tx_id, channel_id=self.channel
            )
        return _Type(type=_Type.RESPONSE, payload=payload, txid=self.tx_id, channel_id=self.channel)

    async def _get_state(self, payload: bytes) -> bytes:
        request = _parse(shim.GetState(), payload)
        _no_collection(request)
        return await self._simulator.get_state(self.namespace, request.key) or b""

    async def _put_state(self, payload: bytes) -> bytes:
        request = _parse(shim.PutState(), payload)
        _no_collection(request)
        self._simulator.put_state(self.namespace, request.key, request.value)
        return b""

    async def _del_state(self, payload: bytes) -> bytes:
        request = _parse(shim.DelState(), payload)
        _no_collection(request)
        self._simulator.del_state(self.namespace, request.key)
        return b""

    async def _get_state_metadata(self, payload: bytes) -> bytes:
        request = _parse(shim.GetStateMetadata(), payload)
        _no_collection(request)
        return bytes(shim.StateMetadataResult().SerializeToString())

    def _kv(self, row: tuple[str, bytes]) -> Any:
        kv = kv_query_result_pb2.KV(namespace=self.namespace, key=row[0], value=row[1])
        return shim.QueryResultBytes(resultBytes=kv.SerializeToString())

    async def _range(self, payload: bytes) -> bytes:
        request = _parse(shim.GetStateByRange(), payload)
        _no_collection(request)
        metadata = _parse(shim.QueryMetadata(), request.metadata)
        iterator_id = str(next(self._ids))
        if not metadata.pageSize and not metadata.bookmark:
            cursor = self._simulator.scan(self.namespace, request.startKey, request.endKey)
            self._cursors[iterator_id] = _Cursor(cursor, self._kv, TOTAL_QUERY_LIMIT)
            return await self._batch(iterator_id)
        if metadata.pageSize < 0:
            raise _Refused(f"page size must not be negative: {metadata.pageSize}")
        page_size = min(metadata.pageSize or TOTAL_QUERY_LIMIT, TOTAL_QUERY_LIMIT)
        start = metadata.bookmark or request.startKey
        cursor = self._simulator.scan(self.namespace, start, request.endKey, page_size=page_size)
        page = await cursor.next(page_size)
        response = shim.QueryResponse(
            results=[self._kv(row) for row in page],
            has_more=False,
            id=iterator_id,
            metadata=shim.QueryResponseMetadata(
                fetched_records_count=len(page), bookmark=cursor.bookmark
            ).SerializeToString(),
        )
        return bytes(response.SerializeToString())

    async def _history(self, payload: bytes) -> bytes:
        request = _parse(shim.GetHistoryForKey(), payload)
        records = await self._simulator.history(self.namespace, request.key)
        iterator_id = str(next(self._ids))
        self._cursors[iterator_id] = _Cursor(_Records(records), _record, TOTAL_QUERY_LIMIT)
        return await self._batch(iterator_id)

    async def _batch(self, iterator_id: str) -> bytes:
        cursor = self._cursors[iterator_id]
        results = await cursor.take(MAX_RESULT_LIMIT)
        if cursor.done:
            del self._cursors[iterator_id]
        response = shim.QueryResponse(results=results, has_more=not cursor.done, id=iterator_id)
        return bytes(response.SerializeToString())

    async def _next(self, payload: bytes) -> bytes:
        request = _parse(shim.QueryStateNext(), payload)
        if request.id not in self._cursors:
            raise _Refused("query iterator not found")
        return await self._batch(request.id)

    async def _close(self, payload: bytes) -> bytes:
        request = _parse(shim.QueryStateClose(), payload)
        self._cursors.pop(request.id, None)
        return bytes(shim.QueryResponse(has_more=False, id=request.id).SerializeToString())

    async def _query_result(self, payload: bytes) -> bytes:
        raise _Refused("ExecuteQuery not supported for leveldb")

    async def _invoke_chaincode(self, payload: bytes) -> bytes:
        spec = _parse(chaincode_pb2.ChaincodeSpec(), payload)
        target, _, channel = spec.chaincode_id.name.partition("/")
        name = target.partition(":")[0]
        if not name:
            raise _Refused("the chaincode to invoke has no name")
        if channel and channel != self.channel:
            raise _Refused(f"cannot invoke chaincode on channel {channel} from {self.channel}")
        try:
            reply = await self._invoke(name, spec.input)
        except LauncherError as exc:
            raise _Refused(f"execute failed: {exc}") from exc
        return bytes(reply.SerializeToString())

    _handlers: ClassVar[dict[int, Callable[[TransactionSession, bytes], Awaitable[bytes]]]] = {
        _Type.GET_STATE: _get_state,
        _Type.PUT_STATE: _put_state,
        _Type.DEL_STATE: _del_state,
        _Type.GET_STATE_METADATA: _get_state_metadata,
        _Type.GET_STATE_BY_RANGE: _range,
        _Type.QUERY_STATE_NEXT: _next,
        _Type.QUERY_STATE_CLOSE: _close,
        _Type.GET_HISTORY_FOR_KEY: _history,
        _Type.GET_QUERY_RESULT: _query_result,
        _Type.INVOKE_CHAINCODE: _invoke_chaincode,
    }
