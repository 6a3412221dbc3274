"""Validation of a block's transactions, in Fabric's order, each getting a TxValidationCode.

    envelope well formed ........................ NIL_ENVELOPE, BAD_PAYLOAD, BAD_COMMON_HEADER,
                                                  TARGET_CHAIN_NOT_FOUND
    creator chains to a channel MSP, signed it .. BAD_CREATOR_SIGNATURE
    endorser transaction well formed ............ UNSUPPORTED_TX_PAYLOAD, BAD_PROPOSAL_TXID,
                                                  INVALID_ENDORSER_TRANSACTION, BAD_RWSET, …
    tx id not in the ledger nor earlier in block  DUPLICATE_TXID
    endorsements verify and satisfy the policy
    of every namespace written .................. ENDORSEMENT_POLICY_FAILURE, INVALID_CHAINCODE
    reads still hold (store + earlier valid txs)  MVCC_READ_CONFLICT, PHANTOM_READ_CONFLICT

Every endorsement signs the one proposal response payload the transaction carries, so an
endorsement made over a different payload simply fails to verify and does not count.
"""

from __future__ import annotations

from collections.abc import Sequence

from fabric_protos.common import common_pb2
from fabric_protos.ledger.rwset.kvrwset import kv_rwset_pb2
from fabric_protos.peer import transaction_pb2
from google.protobuf.message import DecodeError

from provena.devnet.ledger.errors import InvalidTransaction
from provena.devnet.ledger.mvcc import BlockUpdates, check_reads, writes_of
from provena.devnet.ledger.seams import Identity, IdentityDeserializer, PolicyLookup
from provena.devnet.ledger.store import Height, LedgerStore, TxRecord
from provena.devnet.ledger.transaction import (
    EndorserTransaction,
    TransactionHeader,
    unpack_endorser_transaction,
    unpack_header,
)

__all__ = ["Validator", "check_creator"]

_Code = transaction_pb2.TxValidationCode


def check_creator(header: TransactionHeader, msps: IdentityDeserializer) -> Identity:
    """The envelope's creator, if it chains to a channel MSP and signed the payload."""
    try:
        creator = msps.deserialize(header.creator)
    except ValueError as exc:
        raise InvalidTransaction(
            _Code.BAD_CREATOR_SIGNATURE, f"creator is not a member of the channel: {exc}"
        ) from exc
    if not creator.verify(header.envelope.payload, header.envelope.signature):
        raise InvalidTransaction(
            _Code.BAD_CREATOR_SIGNATURE, f"creator signature from {creator.msp_id} does not verify"
        )
    return creator


class Validator:
    """Assigns each transaction of a block its validation code against a store."""

    def __init__(
        self,
        *,
        channel: str,
        store: LedgerStore,
        msps: IdentityDeserializer,
        policies: PolicyLookup,
    ) -> None:
        self._channel = channel
        self._store = store
        self._msps = msps
        self._policies = policies

    def validate_block(self, block: common_pb2.Block) -> list[TxRecord]:
        """The outcome of every transaction of `block`, with the writes of the valid ones."""
        headers: list[TransactionHeader | InvalidTransaction] = []
        for data in block.data.data:
            try:
                headers.append(unpack_header(data, self._channel))
            except InvalidTransaction as exc:
                headers.append(exc)
        # the ledger's earlier transactions, asked once for the whole block
        seen = self._store.committed_tx_ids(
            [h.tx_id for h in headers if isinstance(h, TransactionHeader)]
        )
        updates = BlockUpdates()
        return [
            self._validate(header, Height(block.header.number, tx_num), updates, seen)
            for tx_num, header in enumerate(headers)
        ]

    def _validate(
        self,
        header: TransactionHeader | InvalidTransaction,
        height: Height,
        updates: BlockUpdates,
        seen: set[str],
    ) -> TxRecord:
        if isinstance(header, InvalidTransaction):
            return TxRecord(tx_id="", validation_code=header.code)
        tx_id, stamp = header.tx_id, header.channel_header.timestamp
        try:
            check_creator(header, self._msps)
            tx = unpack_endorser_transaction(header)
            if tx_id in seen:
                raise InvalidTransaction(_Code.DUPLICATE_TXID, f"duplicate transaction {tx_id}")
            seen.add(tx_id)
            rwsets = _kv_rwsets(tx)
            self._check_endorsements(tx, rwsets, height.block)
        except InvalidTransaction as exc:
            return TxRecord(tx_id=tx_id, validation_code=exc.code, timestamp=stamp)
        code = check_reads(self._store, updates, rwsets)
        if code != _Code.VALID:
            return TxRecord(tx_id=tx_id, validation_code=code, timestamp=stamp)
        writes = [w for namespace, kv in rwsets for w in writes_of(namespace, kv)]
        updates.apply(writes, height)
        return TxRecord(
            tx_id=tx_id, validation_code=int(_Code.VALID), timestamp=stamp, writes=writes
        )

    def _check_endorsements(
        self,
        tx: EndorserTransaction,
        rwsets: Sequence[tuple[str, kv_rwset_pb2.KVRWSet]],
        block: int,
    ) -> None:
        endorsers: dict[bytes, Identity] = {}  # one per identity, however it is spelled
        for endorsement in tx.endorsements:
            endorser = bytes(endorsement.endorser)
            try:
                identity = self._msps.deserialize(endorser)
            except ValueError:
                continue  # an endorser outside the channel cannot count towards a policy
            if identity.identifier in endorsers:
                continue  # Fabric checks an identity's first signature only
            if identity.verify(tx.response_payload + endorser, endorsement.signature):
                endorsers[identity.identifier] = identity
        namespaces = {tx.chaincode} | {ns for ns, kv in rwsets if kv.writes}
        for namespace in sorted(namespaces):
            policy = self._policies(namespace, block)
            if policy is None:
                raise InvalidTransaction(
                    _Code.INVALID_CHAINCODE, f"chaincode {namespace} is not defined"
                )
            if not policy.satisfied_by(list(endorsers.values())):
                raise InvalidTransaction(
                    _Code.ENDORSEMENT_POLICY_FAILURE,
                    f"endorsement policy of {namespace} is not satisfied",
                )


def _kv_rwsets(tx: EndorserTransaction) -> list[tuple[str, kv_rwset_pb2.KVRWSet]]:
    try:
        return [
            (ns.namespace, kv_rwset_pb2.KVRWSet.FromString(ns.rwset)) for ns in tx.rwset.ns_rwset
        ]
    except DecodeError as exc:
        raise InvalidTransaction(_Code.BAD_RWSET, f"malformed namespace rwset: {exc}") from exc
