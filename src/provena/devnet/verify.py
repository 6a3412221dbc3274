"""Re-check a whole chain: hash links, data hashes, orderer signatures, and every
transaction's validation code, by replaying the chain into a scratch ledger.

    for each block n:   number == n,  previous_hash == hash(header n-1),
                        data_hash == SHA-256(data),  an orderer signature verifies,
                        len(TRANSACTIONS_FILTER) == number of transactions
    replay:             block 0 as genesis, then each block through the Validator against
                        the replayed state → codes must equal the recorded filter
                        (creator and endorsement signatures, policies, MVCC, duplicates)
    finally:            the replayed world state must equal the stored one

Problems are collected, not raised, so one run reports everything that is wrong.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from fabric_protos.common import common_pb2
from fabric_protos.peer import transaction_pb2
from google.protobuf.message import DecodeError

from provena.devnet.ledger.blocks import (
    block_data_hash,
    block_header_hash,
    orderer_signatures,
    signed_bytes,
    transaction_filter,
)
from provena.devnet.ledger.genesis import genesis_record
from provena.devnet.ledger.seams import IdentityDeserializer, PolicyLookup
from provena.devnet.ledger.store import LedgerStore
from provena.devnet.ledger.validator import Validator

__all__ = ["ChainSummary", "verify_chain"]


@dataclass
class ChainSummary:
    """What `verify_chain` found; `ok` when there is no problem."""

    channel: str = ""
    blocks: int = 0
    transactions: int = 0
    codes: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, object]:
        return {
            "channel": self.channel,
            "blocks": self.blocks,
            "transactions": self.transactions,
            "validation_codes": dict(sorted(self.codes.items())),
            "problems": list(self.problems),
            "ok": self.ok,
        }


def _orderer_signed(block: common_pb2.Block, msps: IdentityDeserializer) -> str | None:
    """None when an orderer signature verifies, else why not."""
    try:
        value, signatures = orderer_signatures(block)
    except (IndexError, DecodeError) as exc:
        return f"unreadable SIGNATURES metadata: {exc}"
    for signature in signatures:
        try:
            shdr = common_pb2.SignatureHeader.FromString(signature.signature_header)
            identity = msps.deserialize(shdr.creator)
        except ValueError as exc:
            return f"orderer signature by an unknown identity: {exc}"
        message = signed_bytes(value, signature.signature_header, block.header)
        if identity.verify(message, signature.signature):
            return None
    return "no orderer signature verifies"


def _code_name(code: int) -> str:
    values = transaction_pb2.TxValidationCode.values()
    return str(transaction_pb2.TxValidationCode.Name(code)) if code in values else str(code)


def _channel_of(block: common_pb2.Block) -> str:
    envelope = common_pb2.Envelope.FromString(block.data.data[0])
    payload = common_pb2.Payload.FromString(envelope.payload)
    return str(common_pb2.ChannelHeader.FromString(payload.header.channel_header).channel_id)


def verify_chain(
    store: LedgerStore, *, msps: IdentityDeserializer, policies: PolicyLookup
) -> ChainSummary:
    """Re-check every block and transaction of `store`; see the module docstring."""
    summary = ChainSummary()
    genesis = store.block(0)
    if genesis is None:
        summary.problems.append("the ledger has no genesis block")
        return summary
    summary.channel = _channel_of(genesis)
    replay = LedgerStore.open(Path(":memory:"))
    try:
        validator = Validator(channel=summary.channel, store=replay, msps=msps, policies=policies)
        previous = b""
        for number in range(store.height):
            block = store.block(number)
            if block is None:
                summary.problems.append(f"block {number} is missing")
                break
            _check_block(summary, block, number, previous, msps)
            previous = block_header_hash(block.header)
            _replay(summary, replay, validator, block)
            summary.blocks += 1
        if list(replay.state_items()) != list(store.state_items()):
            summary.problems.append("the world state differs from the one the chain produces")
    finally:
        replay.close()
    return summary


def _check_block(
    summary: ChainSummary,
    block: common_pb2.Block,
    number: int,
    previous: bytes,
    msps: IdentityDeserializer,
) -> None:
    header = block.header
    if header.number != number:
        summary.problems.append(f"block {number}: header says number {header.number}")
    if header.previous_hash != previous:
        summary.problems.append(f"block {number}: previous hash does not match block {number - 1}")
    if header.data_hash != block_data_hash(block.data.data):
        summary.problems.append(f"block {number}: data hash does not match its transactions")
    unsigned = _orderer_signed(block, msps)
    if unsigned is not None:
        summary.problems.append(f"block {number}: {unsigned}")


def _replay(
    summary: ChainSummary, replay: LedgerStore, validator: Validator, block: common_pb2.Block
) -> None:
    number = block.header.number
    recorded = transaction_filter(block)
    if len(recorded) != len(block.data.data):
        summary.problems.append(
            f"block {number}: transaction filter has {len(recorded)} codes "
            f"for {len(block.data.data)} transactions"
        )
        return
    records = [genesis_record(block)] if number == 0 else validator.validate_block(block)
    for tx_num, (record, code) in enumerate(zip(records, recorded, strict=True)):
        summary.transactions += 1
        summary.codes[_code_name(code)] += 1
        if record.validation_code != code:
            summary.problems.append(
                f"block {number} tx {tx_num} ({record.tx_id}): recorded {_code_name(code)}, "
                f"re-validation gives {_code_name(record.validation_code)}"
            )
    replay.commit(block, records)
