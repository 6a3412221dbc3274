"""Closeable async iterators over gRPC server streams.

Event streams never end by themselves; the consumer stops them with `aclose()` (or
`async with`), which cancels the gRPC call. Errors of the call surface as `GatewayError`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

import grpc

from provena.fabric.client import gateway_error

__all__ = ["CloseableAsyncIterator", "StreamIterator"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class CloseableAsyncIterator(Protocol[T_co]):
    """An async iterator that must be closed when no longer read."""

    def __aiter__(self) -> CloseableAsyncIterator[T_co]: ...

    async def __anext__(self) -> T_co: ...

    async def aclose(self) -> None: ...

    async def __aenter__(self) -> CloseableAsyncIterator[T_co]: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class StreamIterator(CloseableAsyncIterator[T]):
    """Reads a gRPC stream; `unpack` turns each response into zero or more items."""

    def __init__(self, call: Any, unpack: Callable[[Any], Iterable[T]]) -> None:
        self._call = call
        self._unpack = unpack
        self._pending: deque[T] = deque()
        self._closed = False

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> T:
        while not self._pending:
            if self._closed:
                raise StopAsyncIteration
            try:
                response = await self._call.read()
            except grpc.aio.AioRpcError as exc:
                self._closed = True
                raise gateway_error(exc) from exc
            if response is grpc.aio.EOF:
                self._closed = True
                raise StopAsyncIteration
            self._pending.extend(self._unpack(response))
        return self._pending.popleft()

    async def aclose(self) -> None:
        self._closed = True
        self._pending.clear()
        self._call.cancel()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
