"""Ordering and committing: envelopes in, validated blocks out.

    broadcast(envelope) ── up-front checks, in a Fabric orderer's order: not empty, header and
        │                  channel, creator not expired, size, then the channel's Writers
        │                  policy (creator and signature: FORBIDDEN with its message)
        │
        ▼
    pending batch ── cut when it holds batch_size envelopes, or batch_timeout after its
        │            first one arrived
        ▼
    block n (previous hash = hash of header n-1, data hash, orderer signature)
        ── Validator: one TxValidationCode per transaction → TRANSACTIONS_FILTER
        ── LedgerStore.commit (one SQL transaction) ── CommitNotifier.committed

A single task writes blocks in order, on the event loop, so there is one writer. If a
commit fails the orderer stops and every later broadcast raises `OrdererStopped`: a
ledger that cannot write must not keep accepting transactions.
"""

from __future__ import annotations

import asyncio
import logging

from fabric_protos.common import common_pb2

from provena.devnet.expiry import expired
from provena.devnet.ledger.blocks import new_block, sign_block
from provena.devnet.ledger.errors import BroadcastRejected, InvalidTransaction, OrdererStopped
from provena.devnet.ledger.seams import IdentityDeserializer, Signer
from provena.devnet.ledger.store import LedgerStore
from provena.devnet.ledger.transaction import unpack_header
from provena.devnet.ledger.validator import Validator, check_creator
from provena.devnet.notifier import CommitNotifier

__all__ = ["Orderer"]

_log = logging.getLogger(__name__)

_WRITERS_REFUSED = (
    "implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy "
    "requires 1 of the 'Writers' sub-policies to be satisfied: permission denied"
)
"""The orderer's signature filter, when /Channel/Writers (ANY Writers) is not satisfied."""

DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024
"""Fabric's default BatchSize.AbsoluteMaxBytes is 99 MB; gRPC's default limit is lower."""


class Orderer:
    """A solo orderer and the committing peer behind it, for one channel."""

    def __init__(
        self,
        *,
        channel: str,
        store: LedgerStore,
        validator: Validator,
        notifier: CommitNotifier,
        signer: Signer,
        msps: IdentityDeserializer,
        batch_size: int = 100,
        batch_timeout: float = 0.0005,
        max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
    ) -> None:
        if batch_size < 1 or batch_timeout <= 0:
            raise ValueError("batch size must be at least 1 and batch timeout positive")
        self._channel = channel
        self._store = store
        self._validator = validator
        self._notifier = notifier
        self._signer = signer
        self._msps = msps
        self._batch_size = batch_size
        self._batch_timeout = batch_timeout
        self._max_bytes = max_message_bytes
        self._pending: list[bytes] = []
        self._timer: asyncio.TimerHandle | None = None
        self._batches: asyncio.Queue[list[bytes]] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None
        self._stopped: BaseException | None = None

    async def broadcast(self, envelope: common_pb2.Envelope) -> None:
        """Accept an envelope for ordering, or raise BroadcastRejected saying why not."""
        if self._stopped is not None:
            raise OrdererStopped("the orderer has stopped") from self._stopped
        data = envelope.SerializeToString()
        if not envelope.payload:
            raise BroadcastRejected("message was empty")
        try:
            header = unpack_header(data, self._channel)
        except InvalidTransaction as exc:
            raise BroadcastRejected(str(exc)) from exc
        if header.channel_header.type != common_pb2.ENDORSER_TRANSACTION:
            raise BroadcastRejected(
                f"header type {header.channel_header.type} is not supported: "
                "this network's configuration cannot be updated"
            )
        if expired(header.creator):
            raise BroadcastRejected("broadcast client identity expired")
        if len(data) > self._max_bytes:
            raise BroadcastRejected(
                f"message payload is {len(data)} bytes and exceeds maximum allowed "
                f"{self._max_bytes} bytes"
            )
        try:
            check_creator(header, self._msps)
        except InvalidTransaction as exc:
            _log.warning("SigFilter evaluation failed for /Channel/Writers: %s", exc)
            raise BroadcastRejected(_WRITERS_REFUSED, status=common_pb2.FORBIDDEN) from exc
        self._enqueue(data)

    def _enqueue(self, data: bytes) -> None:
        if self._writer is None:
            self._writer = asyncio.get_running_loop().create_task(self._write_blocks())
        self._pending.append(data)
        if len(self._pending) >= self._batch_size:
            self._cut()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self._batch_timeout, self._cut)

    def _cut(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._pending:
            self._batches.put_nowait(self._pending)
            self._pending = []

    async def _write_blocks(self) -> None:
        while True:
            batch = await self._batches.get()
            try:
                self._write_block(batch)
            except Exception as exc:
                self._stopped = exc
                _log.exception("orderer stopped: block %d could not be written", self._store.height)
                raise
            finally:
                self._batches.task_done()

    def _write_block(self, batch: list[bytes]) -> None:
        block = new_block(self._store.height, self._store.last_hash, batch)
        sign_block(block, self._signer, last_config=0)
        records = self._validator.validate_block(block)
        block.metadata.metadata[common_pb2.TRANSACTIONS_FILTER] = bytes(
            record.validation_code for record in records
        )
        self._store.commit(block, records)
        self._notifier.committed(records)

    async def aclose(self) -> None:
        """Write what is pending, then stop."""
        self._cut()
        if self._writer is not None:
            drained = asyncio.ensure_future(self._batches.join())
            await asyncio.wait((drained, self._writer), return_when=asyncio.FIRST_COMPLETED)
            drained.cancel()
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)
        self._stopped = self._stopped or OrdererStopped("the orderer is closed")
