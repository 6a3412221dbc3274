"""What event streams send, derived from committed blocks as a peer derives it.

Chaincode events come only from valid endorser transactions and only when complete
(chaincode id, event name and tx id set). Filtered blocks keep each transaction's id, type and
validation code and its chaincode events without payloads.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fabric_protos.common import common_pb2
from fabric_protos.peer import (
    chaincode_event_pb2,
    events_pb2,
    proposal_pb2,
    proposal_response_pb2,
    transaction_pb2,
)

__all__ = ["BlockTransaction", "chaincode_events", "filtered_block", "transactions"]

_VALID = transaction_pb2.TxValidationCode.Value("VALID")
_INVALID_OTHER_REASON = transaction_pb2.TxValidationCode.Value("INVALID_OTHER_REASON")
_FILTER_INDEX = common_pb2.BlockMetadataIndex.Value("TRANSACTIONS_FILTER")


@dataclass(frozen=True, slots=True)
class BlockTransaction:
    channel_header: common_pb2.ChannelHeader
    payload: common_pb2.Payload
    validation_code: int


def transactions(block: common_pb2.Block) -> Iterator[BlockTransaction]:
    """Every transaction of the block with its validation code from the block metadata."""
    metadata = block.metadata.metadata
    codes = metadata[_FILTER_INDEX] if len(metadata) > _FILTER_INDEX else b""
    for index, envelope_bytes in enumerate(block.data.data):
        envelope = common_pb2.Envelope.FromString(envelope_bytes)
        payload = common_pb2.Payload.FromString(envelope.payload)
        channel_header = common_pb2.ChannelHeader.FromString(payload.header.channel_header)
        code = codes[index] if index < len(codes) else _INVALID_OTHER_REASON
        yield BlockTransaction(channel_header, payload, code)


def _action_events(payload: common_pb2.Payload) -> Iterator[chaincode_event_pb2.ChaincodeEvent]:
    transaction = transaction_pb2.Transaction.FromString(payload.data)
    for action in transaction.actions:
        action_payload = transaction_pb2.ChaincodeActionPayload.FromString(action.payload)
        if not action_payload.HasField("action"):
            continue
        response_payload = proposal_response_pb2.ProposalResponsePayload.FromString(
            action_payload.action.proposal_response_payload
        )
        chaincode_action = proposal_pb2.ChaincodeAction.FromString(response_payload.extension)
        yield chaincode_event_pb2.ChaincodeEvent.FromString(chaincode_action.events)


def chaincode_events(block: common_pb2.Block) -> list[chaincode_event_pb2.ChaincodeEvent]:
    """The block's chaincode events from valid endorser transactions, in order."""
    events = []
    for tx in transactions(block):
        if (
            tx.channel_header.type != common_pb2.ENDORSER_TRANSACTION
            or tx.validation_code != _VALID
        ):
            continue
        for event in _action_events(tx.payload):
            if event.chaincode_id and event.event_name and event.tx_id:
                events.append(event)
    return events


def filtered_block(block: common_pb2.Block) -> events_pb2.FilteredBlock:
    result = events_pb2.FilteredBlock(number=block.header.number)
    for tx in transactions(block):
        result.channel_id = tx.channel_header.channel_id
        filtered = events_pb2.FilteredTransaction(
            txid=tx.channel_header.tx_id,
            type=tx.channel_header.type,
            tx_validation_code=tx.validation_code,
        )
        if tx.channel_header.type == common_pb2.ENDORSER_TRANSACTION:
            actions = events_pb2.FilteredTransactionActions()
            for event in _action_events(tx.payload):
                if event.chaincode_id:
                    actions.chaincode_actions.add(
                        chaincode_event=chaincode_event_pb2.ChaincodeEvent(
                            tx_id=event.tx_id,
                            chaincode_id=event.chaincode_id,
                            event_name=event.event_name,
                        )
                    )
            filtered.transaction_actions.CopyFrom(actions)
        result.filtered_transactions.append(filtered)
    return result
