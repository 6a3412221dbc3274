"""The API's read-only view of the ledger: blocks, proofs, height and evaluated queries.

Everything goes through the API's own read identity (`LedgerServices.reader`), which signs
deliver requests and evaluates but never submits. Blocks are immutable, so each block read is
parsed once and kept (bounded), with the proofs of its transactions.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from fabric_protos.common import common_pb2
from fabric_protos.orderer import ab_pb2
from google.protobuf.timestamp_pb2 import Timestamp

from provena.fabric import CloseableAsyncIterator, Gateway, GatewayError, Signer
from provena.verification.errors import ProofUnavailable, RecordNotFound
from provena.verification.proofs import BlockSummary, Proof, parse_block

__all__ = ["LedgerReader"]


def _newest_seek(channel: str, creator: bytes) -> common_pb2.Envelope:
    """A deliver request for the newest block only (its number + 1 is the height)."""
    timestamp = Timestamp()
    timestamp.GetCurrentTime()
    header = common_pb2.Header(
        channel_header=common_pb2.ChannelHeader(
            type=common_pb2.DELIVER_SEEK_INFO, channel_id=channel, timestamp=timestamp
        ).SerializeToString(),
        signature_header=common_pb2.SignatureHeader(creator=creator).SerializeToString(),
    )
    newest = ab_pb2.SeekPosition(newest=ab_pb2.SeekNewest())
    seek = ab_pb2.SeekInfo(start=newest, stop=newest, behavior=ab_pb2.SeekInfo.BLOCK_UNTIL_READY)
    payload = common_pb2.Payload(header=header, data=seek.SerializeToString())
    return common_pb2.Envelope(payload=payload.SerializeToString())


class LedgerReader:
    """Proofs and block summaries read through one read-only identity, cached in memory."""

    def __init__(
        self,
        gateway: Callable[[], Gateway],
        signer: Signer,
        *,
        channel: str,
        chaincode: str,
        capacity: int = 4096,
        timeout: float = 10.0,
    ) -> None:
        self._new_gateway = gateway
        self._gateway: Gateway | None = None
        self._signer = signer
        self._channel = channel
        self._chaincode = chaincode
        self._capacity = capacity
        self._timeout = timeout
        self._blocks: OrderedDict[int, BlockSummary] = OrderedDict()
        self._proofs: OrderedDict[str, Proof] = OrderedDict()

    def _network_gateway(self) -> Gateway:
        if self._gateway is None:
            self._gateway = self._new_gateway()
        return self._gateway

    async def block(self, number: int) -> BlockSummary:
        """Block `number`, read once and then served from the cache."""
        cached = self._blocks.get(number)
        if cached is not None:
            self._blocks.move_to_end(number)
            return cached
        network = self._network_gateway().get_network(self._channel)
        summary = parse_block(await self._first(network.block_events(start_block=number)))
        self._remember(summary)
        return summary

    async def proof(self, tx_id: str, block_number: int | None = None) -> Proof:
        """The proof of `tx_id`; its block is asked of the ledger unless given."""
        cached = self._proofs.get(tx_id)
        if cached is not None:
            return cached
        if block_number is None:
            network = self._network_gateway().get_network(self._channel)
            try:
                async with asyncio.timeout(self._timeout):
                    status = await network.new_commit(tx_id).get_status()
            except Exception as exc:
                raise ProofUnavailable(f"the ledger has no status for {tx_id}: {exc}") from exc
            block_number = status.block_number
        summary = await self.block(block_number)
        found = next((p for p in summary.transactions if p.tx_id == tx_id), None)
        if found is None:
            raise ProofUnavailable(f"transaction {tx_id} is not in block {block_number}")
        return found

    async def height(self) -> int:
        """The number of blocks on the channel (the newest block's number + 1)."""
        gateway = self._network_gateway()
        envelope = _newest_seek(self._channel, gateway.identity.creator)
        signature = self._signer(hashlib.sha256(envelope.payload).digest())
        if inspect.isawaitable(signature):
            signature = await signature
        request = gateway.new_signed_block_events_request(envelope.SerializeToString(), signature)
        newest = await self._first(request.get_events())
        summary = parse_block(newest)
        self._remember(summary)
        return summary.number + 1

    async def recent(self, count: int) -> list[BlockSummary]:
        """The last `count` blocks, newest first."""
        height = await self.height()
        numbers = range(height - 1, max(height - count, 0) - 1, -1)
        return [await self.block(n) for n in numbers]

    async def _first(
        self, opening: Awaitable[CloseableAsyncIterator[common_pb2.Block]]
    ) -> common_pb2.Block:
        try:
            async with asyncio.timeout(self._timeout):
                events = await opening
                async with events:
                    block: common_pb2.Block = await anext(events)
                    return block
        except ProofUnavailable:
            raise
        except Exception as exc:
            raise ProofUnavailable(f"the ledger did not deliver the block: {exc}") from exc

    def _remember(self, summary: BlockSummary) -> None:
        self._blocks[summary.number] = summary
        self._blocks.move_to_end(summary.number)
        for proof in summary.transactions:
            self._proofs[proof.tx_id] = proof
            self._proofs.move_to_end(proof.tx_id)
        while len(self._blocks) > self._capacity:
            self._blocks.popitem(last=False)
        while len(self._proofs) > self._capacity * 4:
            self._proofs.popitem(last=False)

    async def evaluate(self, contract: str, function: str, *args: str) -> Any:
        """The JSON answer of an evaluated (never submitted) contract function.

        A chaincode refusal (e.g. no such record) is `RecordNotFound`; an unreachable peer is
        `ProofUnavailable`.
        """
        network = self._network_gateway().get_network(self._channel)
        target = network.get_contract(self._chaincode, contract)
        try:
            async with asyncio.timeout(self._timeout):
                answer = await target.evaluate_transaction(function, *args)
        except GatewayError as exc:
            if "not found:" in str(exc):
                raise RecordNotFound(
                    f"{contract}:{function}({', '.join(args)}): not found"
                ) from exc
            raise ProofUnavailable(f"the ledger did not answer {function}: {exc}") from exc
        except TimeoutError as exc:
            raise ProofUnavailable(f"the ledger did not answer {function} in time") from exc
        return json.loads(answer)

    async def aclose(self) -> None:
        if self._gateway is not None:
            await self._gateway.close()
            self._gateway = None
