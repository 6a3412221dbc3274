"""Validator: each TxValidationCode path, the policy of every namespace written, MVCC within
and across blocks, duplicates."""

from __future__ import annotations

from collections.abc import Sequence

from fabric_protos.common import common_pb2
from fabric_protos.ledger.rwset import rwset_pb2
from fabric_protos.peer import transaction_pb2

from provena.devnet.identity import SigningIdentity
from provena.devnet.ledger.blocks import new_block
from provena.devnet.ledger.seams import Signer
from provena.devnet.ledger.simulator import TxSimulator
from provena.devnet.ledger.store import LedgerStore, Write
from tests.devnet.ledger.conftest import Ledger
from tests.devnet.ledger.support import Orgs, endorsed_envelope

C = transaction_pb2.TxValidationCode


def commit(ledger: Ledger, envelopes: Sequence[common_pb2.Envelope | bytes]) -> list[int]:
    data = [e if isinstance(e, bytes) else e.SerializeToString() for e in envelopes]
    block = new_block(ledger.store.height, ledger.store.last_hash, data)
    records = ledger.validator.validate_block(block)
    ledger.store.commit(block, records)
    return [r.validation_code for r in records]


async def write(
    store: LedgerStore, key: str, value: bytes, *, read: bool = True
) -> rwset_pb2.TxReadWriteSet:
    sim = TxSimulator(store)
    if read:
        await sim.get_state("basic", key)
    sim.put_state("basic", key, value)
    return sim.rwset()


def tx(orgs: Orgs, rwset: rwset_pb2.TxReadWriteSet, **kw: object) -> common_pb2.Envelope:
    return endorsed_envelope(
        creator=orgs.member("Org1MSP", "user"),
        endorsers=[orgs.member("Org1MSP")],
        rwset=rwset,
        **kw,  # type: ignore[arg-type]
    )


async def test_valid_transaction_commits_its_writes(ledger: Ledger, orgs: Orgs) -> None:
    assert commit(ledger, [tx(orgs, await write(ledger.store, "k", b"v"))]) == [C.VALID]
    assert ledger.store.get_state("basic", "k") is not None


async def test_same_version_read_twice_only_the_first_commits(ledger: Ledger, orgs: Orgs) -> None:
    commit(ledger, [tx(orgs, await write(ledger.store, "k", b"0"))])
    first = tx(orgs, await write(ledger.store, "k", b"1"))
    second = tx(orgs, await write(ledger.store, "k", b"2"))
    assert commit(ledger, [first, second]) == [C.VALID, C.MVCC_READ_CONFLICT]
    third = tx(orgs, await write(ledger.store, "k", b"3"))
    stale = tx(orgs, await write(ledger.store, "k", b"4"))
    assert commit(ledger, [third]) == [C.VALID]
    assert commit(ledger, [stale]) == [C.MVCC_READ_CONFLICT]  # across blocks too
    assert ledger.store.get_state("basic", "k")[0] == b"3"  # type: ignore[index]


async def test_blind_writes_do_not_conflict(ledger: Ledger, orgs: Orgs) -> None:
    a = tx(orgs, await write(ledger.store, "k", b"1", read=False))
    b = tx(orgs, await write(ledger.store, "k", b"2", read=False))
    assert commit(ledger, [a, b]) == [C.VALID, C.VALID]
    assert ledger.store.get_state("basic", "k")[0] == b"2"  # type: ignore[index]


async def test_read_of_absent_key_conflicts_once_it_exists(ledger: Ledger, orgs: Orgs) -> None:
    a = tx(orgs, await write(ledger.store, "new", b"1"))
    b = tx(orgs, await write(ledger.store, "new", b"2"))
    assert commit(ledger, [a, b]) == [C.VALID, C.MVCC_READ_CONFLICT]


async def _range_tx(ledger: Ledger, orgs: Orgs, *, limit: int = 0) -> common_pb2.Envelope:
    sim = TxSimulator(ledger.store)
    await sim.range("basic", "a", "m", limit=limit)
    sim.put_state("basic", "summary", b"x")
    return tx(orgs, sim.rwset())


async def test_phantom_from_an_earlier_tx_in_the_same_block(ledger: Ledger, orgs: Orgs) -> None:
    commit(ledger, [tx(orgs, await write(ledger.store, "b", b"1", read=False))])
    scan = await _range_tx(ledger, orgs)
    insert = tx(orgs, await write(ledger.store, "c", b"new", read=False))
    assert commit(ledger, [insert, scan]) == [C.VALID, C.PHANTOM_READ_CONFLICT]


async def test_phantom_across_blocks_and_changed_or_deleted_keys(
    ledger: Ledger, orgs: Orgs
) -> None:
    commit(ledger, [tx(orgs, await write(ledger.store, "b", b"1", read=False))])
    scans = [await _range_tx(ledger, orgs) for _ in range(3)]
    assert commit(ledger, [tx(orgs, await write(ledger.store, "d", b"1", read=False))]) == [C.VALID]
    assert commit(ledger, [scans[0]]) == [C.PHANTOM_READ_CONFLICT]  # a key appeared
    scans = [await _range_tx(ledger, orgs) for _ in range(2)]
    assert commit(ledger, [tx(orgs, await write(ledger.store, "b", b"2", read=False))]) == [C.VALID]
    assert commit(ledger, [scans[0]]) == [C.PHANTOM_READ_CONFLICT]  # a key changed version
    scan = await _range_tx(ledger, orgs)
    sim = TxSimulator(ledger.store)
    sim.del_state("basic", "d")
    assert commit(ledger, [tx(orgs, sim.rwset()), scan]) == [C.VALID, C.PHANTOM_READ_CONFLICT]


async def test_writes_outside_a_partial_range_are_no_phantom(ledger: Ledger, orgs: Orgs) -> None:
    for key in ("b", "d"):
        commit(ledger, [tx(orgs, await write(ledger.store, key, b"1", read=False))])
    partial = await _range_tx(ledger, orgs, limit=1)  # saw only "b": range [a, b]
    later = tx(orgs, await write(ledger.store, "c", b"1", read=False))
    assert commit(ledger, [later, partial]) == [C.VALID, C.VALID]
    unchanged = await _range_tx(ledger, orgs)
    assert commit(ledger, [unchanged]) == [C.VALID]


async def test_duplicate_tx_id_in_block_and_in_ledger(ledger: Ledger, orgs: Orgs) -> None:
    nonce = b"n" * 24
    first = tx(orgs, await write(ledger.store, "a", b"1", read=False), nonce=nonce)
    again = tx(orgs, await write(ledger.store, "b", b"1", read=False), nonce=nonce)
    assert commit(ledger, [first, again]) == [C.VALID, C.DUPLICATE_TXID]
    assert commit(ledger, [again]) == [C.DUPLICATE_TXID]
    assert ledger.store.get_state("basic", "b") is None


async def test_creator_checks(ledger: Ledger, orgs: Orgs, strangers: Orgs) -> None:
    rwset = await write(ledger.store, "a", b"1", read=False)
    stranger = strangers.member("Org1MSP", "user")  # same MSP id, other CA
    forged = endorsed_envelope(creator=stranger, endorsers=[orgs.member("Org1MSP")], rwset=rwset)
    resigned = tx(orgs, rwset, signer=orgs.member("Org1MSP", "other"))
    assert commit(ledger, [forged, resigned]) == [C.BAD_CREATOR_SIGNATURE] * 2


async def test_endorsement_checks(ledger: Ledger, orgs: Orgs, strangers: Orgs) -> None:
    rwset = await write(ledger.store, "a", b"1", read=False)
    creator = orgs.member("Org1MSP", "user")
    wrong_org = endorsed_envelope(creator=creator, endorsers=[orgs.member("Org2MSP")], rwset=rwset)
    none = endorsed_envelope(creator=creator, endorsers=[], rwset=rwset)
    outsider = endorsed_envelope(
        creator=creator, endorsers=[strangers.member("Org1MSP")], rwset=rwset
    )
    half = endorsed_envelope(
        creator=creator, endorsers=[orgs.member("Org1MSP")], rwset=rwset, chaincode="both"
    )
    both = endorsed_envelope(
        creator=creator,
        endorsers=[orgs.member("Org1MSP"), orgs.member("Org2MSP")],
        rwset=rwset,
        chaincode="both",
    )
    unknown = endorsed_envelope(
        creator=creator, endorsers=[orgs.member("Org1MSP")], rwset=rwset, chaincode="nope"
    )
    assert commit(ledger, [wrong_org, none, outsider, half, unknown, both]) == [
        C.ENDORSEMENT_POLICY_FAILURE,
        C.ENDORSEMENT_POLICY_FAILURE,
        C.ENDORSEMENT_POLICY_FAILURE,
        C.ENDORSEMENT_POLICY_FAILURE,
        C.INVALID_CHAINCODE,
        C.VALID,
    ]


def _action_payload(envelope: common_pb2.Envelope) -> transaction_pb2.ChaincodeActionPayload:
    payload = common_pb2.Payload.FromString(envelope.payload)
    action = transaction_pb2.Transaction.FromString(payload.data).actions[0]
    return transaction_pb2.ChaincodeActionPayload.FromString(action.payload)


async def test_an_endorsement_over_another_payload_does_not_count(
    ledger: Ledger, orgs: Orgs
) -> None:
    envelope = tx(orgs, await write(ledger.store, "a", b"1", read=False))
    other = tx(orgs, await write(ledger.store, "a", b"2", read=False))
    cap = _action_payload(envelope)
    cap.action.endorsements[0].CopyFrom(_action_payload(other).action.endorsements[0])
    payload = common_pb2.Payload.FromString(envelope.payload)
    body = transaction_pb2.Transaction.FromString(payload.data)
    body.actions[0].payload = cap.SerializeToString()
    payload.data = body.SerializeToString()
    data = payload.SerializeToString()
    spliced = common_pb2.Envelope(payload=data, signature=orgs.member("Org1MSP", "user").sign(data))
    assert commit(ledger, [spliced]) == [C.ENDORSEMENT_POLICY_FAILURE]


async def test_malformed_envelopes(ledger: Ledger, orgs: Orgs) -> None:
    rwset = await write(ledger.store, "a", b"1", read=False)
    good = tx(orgs, rwset)
    creator = orgs.member("Org1MSP", "user")

    def signed(payload: common_pb2.Payload) -> common_pb2.Envelope:
        data = payload.SerializeToString()
        return common_pb2.Envelope(payload=data, signature=creator.sign(data))

    no_header = signed(common_pb2.Payload(data=b"x"))
    bad_body = common_pb2.Payload.FromString(good.payload)
    bad_body.data = b"\xff\xff"
    assert commit(
        ledger,
        [
            b"",
            b"\xff\x01garbage",
            common_pb2.Envelope(payload=b"\x0a\x05"),
            no_header,
            tx(orgs, rwset, channel="elsewhere"),
            tx(orgs, rwset, tx_id="0" * 64),
            signed(bad_body),
        ],
    ) == [
        C.NIL_ENVELOPE,
        C.BAD_PAYLOAD,
        C.BAD_PAYLOAD,
        C.BAD_COMMON_HEADER,
        C.TARGET_CHAIN_NOT_FOUND,
        C.BAD_PROPOSAL_TXID,
        C.INVALID_ENDORSER_TRANSACTION,
    ]


async def test_bad_rwset(ledger: Ledger, orgs: Orgs) -> None:
    rwset = rwset_pb2.TxReadWriteSet(
        ns_rwset=[rwset_pb2.NsReadWriteSet(namespace="basic", rwset=b"\xff")]
    )
    assert commit(ledger, [tx(orgs, rwset)]) == [C.BAD_RWSET]


async def test_every_written_namespace_needs_its_own_endorsements(
    ledger: Ledger, orgs: Orgs
) -> None:
    """A "basic" transaction that also writes into "both" (as a chaincode-to-chaincode call
    does) needs both orgs, because "both" does; reading "both" needs nothing of it."""
    sim = TxSimulator(ledger.store)
    sim.put_state("basic", "a", b"1")
    sim.put_state("both", "b", b"1")
    two_writes = sim.rwset()
    sim = TxSimulator(ledger.store)
    sim.put_state("basic", "c", b"1")
    await sim.get_state("both", "b")
    read_only = sim.rwset()
    sim = TxSimulator(ledger.store)
    sim.put_state("basic", "d", b"1")
    sim.put_state("nope", "d", b"1")
    undefined = sim.rwset()
    creator = orgs.member("Org1MSP", "user")
    org1, org2 = orgs.member("Org1MSP"), orgs.member("Org2MSP")

    def endorsed(rwset: rwset_pb2.TxReadWriteSet, *endorsers: Signer) -> common_pb2.Envelope:
        return endorsed_envelope(creator=creator, endorsers=endorsers, rwset=rwset)

    assert commit(
        ledger,
        [
            endorsed(two_writes, org1),
            endorsed(undefined, org1, org2),
            endorsed(read_only, org1),
            endorsed(two_writes, org1, org2),
        ],
    ) == [C.ENDORSEMENT_POLICY_FAILURE, C.INVALID_CHAINCODE, C.VALID, C.VALID]
    assert ledger.store.get_state("both", "b") is not None
    assert ledger.store.get_state("nope", "d") is None


async def test_a_block_gets_one_record_per_transaction_in_order(ledger: Ledger, orgs: Orgs) -> None:
    """Each record carries its tx id and timestamp; only a valid one carries its writes."""
    valid = tx(orgs, await write(ledger.store, "k", b"v", read=False))
    unendorsed = endorsed_envelope(
        creator=orgs.member("Org1MSP", "user"),
        endorsers=[],
        rwset=await write(ledger.store, "j", b"v", read=False),
    )
    data = [e.SerializeToString() for e in (valid, unendorsed)]
    block = new_block(ledger.store.height, ledger.store.last_hash, [b"", *data])
    records = ledger.validator.validate_block(block)
    assert [r.validation_code for r in records] == [
        C.NIL_ENVELOPE,
        C.VALID,
        C.ENDORSEMENT_POLICY_FAILURE,
    ]
    headers = [_channel_header(e) for e in (valid, unendorsed)]
    assert [r.tx_id for r in records] == ["", *(h.tx_id for h in headers)]
    assert [r.timestamp for r in records[1:]] == [h.timestamp for h in headers]
    assert [list(r.writes) for r in records] == [[], [Write("basic", "k", b"v")], []]
    assert ledger.store.get_state("basic", "k") is None  # validating does not commit


def _channel_header(envelope: common_pb2.Envelope) -> common_pb2.ChannelHeader:
    payload = common_pb2.Payload.FromString(envelope.payload)
    return common_pb2.ChannelHeader.FromString(payload.header.channel_header)


async def test_one_endorser_counts_once_however_its_certificate_is_spelled(
    ledger: Ledger, orgs: Orgs
) -> None:
    """Fabric de-duplicates signers by MSP id and certificate hash: the same peer endorsing
    twice, its certificate spelled two ways, does not make two of Org1's peers."""
    peer = orgs.member("Org1MSP")
    respelled = SigningIdentity(peer.msp_id, peer.certificate_pem + b"\n", peer.private_key)
    assert respelled.serialized() != peer.serialized()
    one, other = orgs.deserialize(peer.serialized()), orgs.deserialize(respelled.serialized())
    assert one.identifier == other.identifier
    rwset = await write(ledger.store, "twice", b"v")
    envelope = endorsed_envelope(
        creator=orgs.member("Org1MSP", "user"),
        endorsers=[peer, respelled],
        rwset=rwset,
        chaincode="twice",
    )
    assert commit(ledger, [envelope]) == [C.ENDORSEMENT_POLICY_FAILURE]
