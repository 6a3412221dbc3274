"""A blocking facade over the async client, for scripts and notebooks.

    from provena.fabric import sync

    with sync.connect("127.0.0.1:7051", identity=identity, signer=signer, tls=tls) as gateway:
        contract = gateway.get_network("provena").get_contract("provena")
        contract.submit_transaction("Put", "k", "v")
        with gateway.get_network("provena").chaincode_events("provena", start_block=0) as events:
            for event in events: ...

Each gateway runs the async client on its own event loop in a private daemon thread and
waits for every call there, so it also works where another loop is already running (a
Jupyter kernel, a callback inside an async app). gRPC channels belong to the loop that made
them, which is why the facade owns the loop rather than calling `asyncio.run` per call. Errors
are those of the async client (`FabricError` and its subclasses).
"""

# A timeout here is a gRPC deadline passed on to the async client: not asyncio.timeout.

from __future__ import annotations

import asyncio
import enum
import threading
from collections.abc import Coroutine, Mapping, Sequence
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

from fabric_protos.common import common_pb2
from fabric_protos.peer import events_pb2

from provena.fabric import commit as _commit
from provena.fabric import contract as _contract
from provena.fabric import gateway as _gateway
from provena.fabric import network as _network
from provena.fabric.chaincodeevent import ChaincodeEvent
from provena.fabric.checkpoint import Checkpoint
from provena.fabric.connection import Keepalive, Tls
from provena.fabric.errors import FabricError
from provena.fabric.hashing import Hash, sha256
from provena.fabric.identity import Identity
from provena.fabric.options import USE_DEFAULT, Timeout, Timeouts
from provena.fabric.signers import Signer
from provena.fabric.status import Status
from provena.fabric.stream import CloseableAsyncIterator

__all__ = ["Contract", "EventStream", "Gateway", "Network", "SubmittedTransaction", "connect"]

T = TypeVar("T")


class _LoopThread:
    """An event loop running forever in a daemon thread; `run` waits for a coroutine on it."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="provena-fabric-sync", daemon=True
        )
        self._thread.start()

    @property
    def closed(self) -> bool:
        return self._loop.is_closed()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        if self._loop.is_closed():
            coroutine.close()
            raise FabricError("the gateway is closed")
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def close(self) -> None:
        """Cancel what still runs (open event streams), then stop and close the loop."""
        if self._loop.is_closed():
            return
        self.run(_cancel_other_tasks())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()


async def _cancel_other_tasks() -> None:
    current = asyncio.current_task()
    tasks = [task for task in asyncio.all_tasks() if task is not current]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


class _End(enum.Enum):
    END = "END"


async def _next(iterator: CloseableAsyncIterator[T]) -> T | _End:
    """The next item, or END: a StopAsyncIteration must not cross into a Future."""
    try:
        return await anext(iterator)
    except StopAsyncIteration:
        return _End.END


class EventStream(Generic[T]):
    """A blocking iterator over an event stream; `close()` (or `with`) cancels it."""

    def __init__(self, runner: _LoopThread, iterator: CloseableAsyncIterator[T]) -> None:
        self._runner = runner
        self._iterator = iterator

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> T:
        item = self._runner.run(_next(self._iterator))
        if item is _End.END:
            raise StopIteration
        return item

    def close(self) -> None:
        self._runner.run(self._iterator.aclose())

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class SubmittedTransaction:
    """A submitted transaction: its endorsement result now, its commit status when asked."""

    def __init__(self, runner: _LoopThread, submitted: _commit.SubmittedTransaction) -> None:
        self._runner = runner
        self._submitted = submitted

    @property
    def transaction_id(self) -> str:
        return self._submitted.transaction_id

    @property
    def result(self) -> bytes:
        return self._submitted.result

    def get_status(self, *, timeout: Timeout = USE_DEFAULT) -> Status:
        """Block until the transaction is in a block; its block number and validation code."""
        return self._runner.run(self._submitted.get_status(timeout=timeout))


class Contract:
    """A chaincode (and optionally one contract in it): blocking evaluate and submit."""

    def __init__(self, runner: _LoopThread, contract: _contract.Contract) -> None:
        self._runner = runner
        self._contract = contract

    @property
    def chaincode_name(self) -> str:
        return self._contract.chaincode_name

    @property
    def contract_name(self) -> str | None:
        return self._contract.contract_name

    def evaluate_transaction(self, name: str, *args: str | bytes) -> bytes:
        return self.evaluate(name, args=args)

    def submit_transaction(self, name: str, *args: str | bytes) -> bytes:
        return self.submit(name, args=args)

    def evaluate(
        self,
        name: str,
        *,
        args: Sequence[str | bytes] = (),
        transient_data: Mapping[str, str | bytes] | None = None,
        endorsing_organizations: Sequence[str] = (),
    ) -> bytes:
        """Evaluate on one peer: a query, nothing is committed."""
        return self._runner.run(
            self._contract.evaluate(
                name,
                args=args,
                transient_data=transient_data,
                endorsing_organizations=endorsing_organizations,
            )
        )

    def submit(
        self,
        name: str,
        *,
        args: Sequence[str | bytes] = (),
        transient_data: Mapping[str, str | bytes] | None = None,
        endorsing_organizations: Sequence[str] = (),
    ) -> bytes:
        """Endorse, submit and wait for the commit; raises CommitError if it is invalid."""
        return self._runner.run(
            self._contract.submit(
                name,
                args=args,
                transient_data=transient_data,
                endorsing_organizations=endorsing_organizations,
            )
        )

    def submit_async(
        self,
        name: str,
        *,
        args: Sequence[str | bytes] = (),
        transient_data: Mapping[str, str | bytes] | None = None,
        endorsing_organizations: Sequence[str] = (),
    ) -> SubmittedTransaction:
        """Endorse and submit; returns before the commit."""
        submitted = self._runner.run(
            self._contract.submit_async(
                name,
                args=args,
                transient_data=transient_data,
                endorsing_organizations=endorsing_organizations,
            )
        )
        return SubmittedTransaction(self._runner, submitted)


class Network:
    """One channel: its contracts and event streams (see `provena.fabric.Network`)."""

    def __init__(self, runner: _LoopThread, network: _network.Network) -> None:
        self._runner = runner
        self._network = network

    @property
    def name(self) -> str:
        return self._network.name

    def get_contract(self, chaincode_name: str, contract_name: str | None = None) -> Contract:
        return Contract(self._runner, self._network.get_contract(chaincode_name, contract_name))

    def chaincode_events(
        self,
        chaincode_name: str,
        *,
        start_block: int | None = None,
        checkpoint: Checkpoint | None = None,
    ) -> EventStream[ChaincodeEvent]:
        events = self._network.chaincode_events(
            chaincode_name, start_block=start_block, checkpoint=checkpoint
        )
        return EventStream(self._runner, self._runner.run(events))

    def block_events(
        self, *, start_block: int | None = None, checkpoint: Checkpoint | None = None
    ) -> EventStream[common_pb2.Block]:
        events = self._network.block_events(start_block=start_block, checkpoint=checkpoint)
        return EventStream(self._runner, self._runner.run(events))

    def filtered_block_events(
        self, *, start_block: int | None = None, checkpoint: Checkpoint | None = None
    ) -> EventStream[events_pb2.FilteredBlock]:
        events = self._network.filtered_block_events(start_block=start_block, checkpoint=checkpoint)
        return EventStream(self._runner, self._runner.run(events))


class Gateway:
    """A blocking gateway; `close()` (or `with`) closes the connection and stops its thread."""

    def __init__(self, runner: _LoopThread, gateway: _gateway.Gateway) -> None:
        self._runner = runner
        self._gateway = gateway

    @property
    def identity(self) -> Identity:
        return self._gateway.identity

    def get_network(self, channel: str) -> Network:
        return Network(self._runner, self._gateway.get_network(channel))

    def close(self) -> None:
        if self._runner.closed:
            return
        try:
            self._runner.run(self._gateway.close())
        finally:
            self._runner.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def connect(
    target: str,
    *,
    identity: Identity,
    signer: Signer | None = None,
    hash: Hash = sha256,
    tls: Tls | None = None,
    keepalive: Keepalive | None = None,
    timeouts: Timeouts = Timeouts(),
) -> Gateway:
    """A blocking gateway to `target` ("host:port"); the options are those of
    `provena.fabric.connect`."""

    async def open_gateway() -> _gateway.Gateway:
        return _gateway.connect(
            target,
            identity=identity,
            signer=signer,
            hash=hash,
            tls=tls,
            keepalive=keepalive,
            timeouts=timeouts,
        )

    runner = _LoopThread()
    try:
        return Gateway(runner, runner.run(open_gateway()))
    except BaseException:
        runner.close()
        raise
