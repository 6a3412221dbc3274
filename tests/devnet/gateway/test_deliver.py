"""The Deliver service over gRPC: who may read blocks, and the status a peer's deliver service
answers for every kind of bad request (BAD_REQUEST, NOT_FOUND, FORBIDDEN) or seek."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest
from fabric_protos.common import common_pb2
from fabric_protos.orderer import ab_pb2
from fabric_protos.peer import events_pb2

from provena.devnet.identity import SigningIdentity
from tests.devnet.gateway.conftest import Network
from tests.devnet.gateway.support import (
    NEWEST,
    NEXT_COMMIT,
    OLDEST,
    seek_envelope,
    specified,
)

METHODS = {
    "Deliver": "block",
    "DeliverFiltered": "filtered_block",
    "DeliverWithPrivateData": "block_and_private_data",
}
SUCCESS, BAD_REQUEST = common_pb2.SUCCESS, common_pb2.BAD_REQUEST
FORBIDDEN, NOT_FOUND = common_pb2.FORBIDDEN, common_pb2.NOT_FOUND
FAIL_IF_NOT_READY = ab_pb2.SeekInfo.FAIL_IF_NOT_READY


async def deliver(
    network: Network, *envelopes: common_pb2.Envelope, method: str = "Deliver"
) -> list[events_pb2.DeliverResponse]:
    """Every response to `envelopes` sent on one stream, which the client then half-closes."""
    call = getattr(network.deliver_stub, method)(iter(envelopes))
    async with asyncio.timeout(30):
        return [response async for response in call]


def outline(responses: list[events_pb2.DeliverResponse]) -> list[int | str]:
    """Each response as its status, or as the number of the block it carries."""
    result: list[int | str] = []
    for response in responses:
        kind = response.WhichOneof("Type")
        if kind == "status":
            result.append(response.status)
        elif kind == "filtered_block":
            result.append(f"block {response.filtered_block.number}")
        elif kind == "block_and_private_data":
            result.append(f"block {response.block_and_private_data.block.header.number}")
        else:
            result.append(f"block {response.block.header.number}")
    return result


def seek(
    network: Network,
    start: ab_pb2.SeekPosition | None,
    stop: ab_pb2.SeekPosition | None,
    **kw: object,
) -> common_pb2.Envelope:
    return seek_envelope(network.member(), network.channel, start, stop, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("method", METHODS)
async def test_members_read_blocks_in_each_form(network: Network, method: str) -> None:
    responses = await deliver(network, seek(network, specified(0), specified(1)), method=method)
    assert outline(responses) == ["block 0", "block 1", SUCCESS]
    assert {r.WhichOneof("Type") for r in responses[:2]} == {METHODS[method]}


READERS: dict[str, Callable[[Network], dict[str, object]]] = {
    "signed by another member": lambda n: {"signed_by": n.member("ProducerMSP", "Admin")},
    "certificate from a CA outside the channel": lambda n: {"creator": n.stranger().serialized()},
    "stranger's own signature": lambda n: {
        "creator": n.stranger().serialized(),
        "signed_by": n.stranger(),
    },
    "the ordering organization": lambda n: {
        "creator": n.orderer().serialized(),
        "signed_by": n.orderer(),
    },
    "no creator": lambda n: {"creator": b""},
}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("reader", READERS)
async def test_non_readers_are_forbidden(network: Network, method: str, reader: str) -> None:
    envelope = seek(network, specified(0), specified(0), **READERS[reader](network))
    assert outline(await deliver(network, envelope, method=method)) == [FORBIDDEN]


def respun(
    envelope: common_pb2.Envelope,
    signer: SigningIdentity,
    change: Callable[[common_pb2.Payload], None],
) -> common_pb2.Envelope:
    """The envelope with its payload changed by `change`, signed again."""
    payload = common_pb2.Payload.FromString(envelope.payload)
    change(payload)
    data = payload.SerializeToString()
    return common_pb2.Envelope(payload=data, signature=signer.sign(data))


def _channel_header(
    change: Callable[[common_pb2.ChannelHeader], None],
) -> Callable[[common_pb2.Payload], None]:
    def apply(payload: common_pb2.Payload) -> None:
        header = common_pb2.ChannelHeader.FromString(payload.header.channel_header)
        change(header)
        payload.header.channel_header = header.SerializeToString()

    return apply


def _set(payload: common_pb2.Payload, **fields: bytes) -> None:
    for name, value in fields.items():
        target = payload if name == "data" else payload.header
        setattr(target, name, value)


BAD_REQUESTS: dict[str, Callable[[Network], common_pb2.Envelope]] = {
    "payload is not a payload": lambda n: common_pb2.Envelope(payload=b"\xff\x01", signature=b"s"),
    "payload without header": lambda n: respun(
        seek(n, OLDEST, OLDEST), n.member(), lambda p: p.ClearField("header")
    ),
    "malformed channel header": lambda n: respun(
        seek(n, OLDEST, OLDEST), n.member(), lambda p: _set(p, channel_header=b"\xff\x01")
    ),
    "malformed signature header": lambda n: respun(
        seek(n, OLDEST, OLDEST), n.member(), lambda p: _set(p, signature_header=b"\xff\x01")
    ),
    "no timestamp": lambda n: respun(
        seek(n, OLDEST, OLDEST), n.member(), _channel_header(lambda h: h.ClearField("timestamp"))
    ),
    "sent an hour ago": lambda n: seek(n, OLDEST, OLDEST, sent=time.time() - 3600),
    "sent an hour ahead": lambda n: seek(n, OLDEST, OLDEST, sent=time.time() + 3600),
    "malformed seek info": lambda n: respun(
        seek(n, OLDEST, OLDEST), n.member(), lambda p: _set(p, data=b"\xff\x01")
    ),
    "no start": lambda n: seek(n, None, OLDEST),
    "no stop": lambda n: seek(n, OLDEST, None),
    "stop before start": lambda n: seek(n, specified(1), specified(0)),
    "stop of no kind": lambda n: seek(n, OLDEST, ab_pb2.SeekPosition()),
    "stop at the next commit": lambda n: seek(n, OLDEST, NEXT_COMMIT),
}


@pytest.mark.parametrize("request_kind", BAD_REQUESTS)
async def test_bad_requests(network: Network, request_kind: str) -> None:
    assert outline(await deliver(network, BAD_REQUESTS[request_kind](network))) == [BAD_REQUEST]


async def test_an_unknown_channel_is_not_found(network: Network) -> None:
    envelope = seek_envelope(network.member(), "elsewhere", OLDEST, OLDEST)
    assert outline(await deliver(network, envelope)) == [NOT_FOUND]


async def test_positions_beyond_the_ledger_are_not_found(network: Network) -> None:
    height = network.ledger.devnet.store.height
    beyond = seek(network, specified(height + 1), specified(height + 1))
    no_kind = seek(network, ab_pb2.SeekPosition(), specified(height))
    not_ready = seek(network, NEXT_COMMIT, specified(height), behavior=FAIL_IF_NOT_READY)
    for envelope in (beyond, no_kind, not_ready):
        assert outline(await deliver(network, envelope)) == [NOT_FOUND]
    partly = seek(network, specified(height - 2), specified(height + 5), behavior=FAIL_IF_NOT_READY)
    assert outline(await deliver(network, partly)) == [
        f"block {height - 2}",
        f"block {height - 1}",
        NOT_FOUND,
    ]


async def test_seek_positions(network: Network) -> None:
    newest = network.ledger.devnet.store.height - 1
    cases = {
        (OLDEST.SerializeToString(), OLDEST.SerializeToString()): ["block 0"],
        (NEWEST.SerializeToString(), NEWEST.SerializeToString()): [f"block {newest}"],
        (specified(1).SerializeToString(), NEWEST.SerializeToString()): [
            f"block {n}" for n in range(1, newest + 1)
        ],
        (specified(1).SerializeToString(), OLDEST.SerializeToString()): ["block 1"],
    }
    for (start, stop), blocks in cases.items():
        envelope = seek(
            network, ab_pb2.SeekPosition.FromString(start), ab_pb2.SeekPosition.FromString(stop)
        )
        assert outline(await deliver(network, envelope)) == [*blocks, SUCCESS]


async def test_headers_only(network: Network) -> None:
    envelope = seek(
        network, specified(1), specified(1), content_type=ab_pb2.SeekInfo.HEADER_WITH_SIG
    )
    block, status = await deliver(network, envelope)
    stored = network.ledger.devnet.store.block(1)
    assert stored is not None
    assert status.status == SUCCESS
    assert block.block.header == stored.header
    assert block.block.metadata == stored.metadata
    assert not block.block.data.data


async def test_one_stream_serves_requests_until_one_fails(network: Network) -> None:
    responses = await deliver(
        network,
        seek(network, specified(0), specified(0)),
        seek(network, specified(1), specified(1)),
        seek(network, None, None),
        seek(network, specified(0), specified(0)),
    )
    assert outline(responses) == ["block 0", SUCCESS, "block 1", SUCCESS, BAD_REQUEST]


async def test_the_next_commit_is_awaited(network: Network) -> None:
    height = network.ledger.devnet.store.height
    waiting = asyncio.ensure_future(
        deliver(network, seek(network, NEXT_COMMIT, specified(height)), method="DeliverFiltered")
    )
    await asyncio.sleep(0.2)
    assert not waiting.done()
    await network.contract.submit_transaction("Put", "awaited", "v")
    responses = await waiting
    assert outline(responses) == [f"block {height}", SUCCESS]
    [tx] = responses[0].filtered_block.filtered_transactions
    assert tx.tx_validation_code == 0  # VALID
