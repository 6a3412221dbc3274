"""The chaincode protocol under load and failure: concurrency, errors, timeouts, restarts."""

from __future__ import annotations

import asyncio
import json
import socket
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import grpc
import pytest
from fabric_protos.peer import chaincode_pb2, chaincode_shim_pb2_grpc
from fabric_protos.peer import chaincode_shim_pb2 as shim

from provena.chaincode import ChaincodeServer, Contracts, ServerSettings
from provena.devnet.chaincode import (
    ChaincodeDefinition,
    ChaincodeDisconnected,
    ChaincodeNotDeployed,
    ChaincodeTimeout,
    ChaincodeUnavailable,
    ConnectionOptions,
    Launcher,
)
from tests.chaincode.conftest import FAST, PACKAGE_ID
from tests.chaincode.contracts import TypesContract
from tests.chaincode.support import CHANNEL, Ledger, Peer, signed_proposal

Msg = shim.ChaincodeMessage


async def test_200_concurrent_transactions_on_one_stream(peer: Peer, ledger: Ledger) -> None:
    ledger.commit("cc", {f"key{i}": f"value{i}".encode() for i in range(200)})

    async def one(i: int) -> None:
        if i % 2:
            result = await peer.run("cc", "Types:Add", str(i), "1000", simulator=ledger.simulator())
            assert result.response.payload == str(i + 1000).encode()
        else:
            simulator = ledger.simulator()
            result = await peer.run("cc", "State:Event", f"E{i}", f"p{i}", simulator=simulator)
            assert result.event is not None
            assert (result.event.event_name, result.event.payload) == (f"E{i}", f"p{i}".encode())
            got = await peer.run("cc", "State:Get", f"key{i}", simulator=simulator)
            assert got.response.payload == f"value{i}".encode()

    await asyncio.gather(*(one(i) for i in range(200)))
    assert peer.launcher.status()["cc"].registrations == 1  # the one stream never broke


async def test_raising_transaction_fails_alone(peer: Peer) -> None:
    calls = [("Types:Boom",) if i % 3 == 0 else ("Types:Add", "1", "2") for i in range(30)]
    results = await asyncio.gather(*(peer.run("cc", *call, simulator=None) for call in calls))
    for i, result in enumerate(results):
        if i % 3 == 0:
            assert result.response.status == 500
            assert result.response.message == "boom: the contract has a bug"
        else:
            assert result.response.payload == b"3"
    assert peer.launcher.status()["cc"].registrations == 1


async def test_hang_times_out_and_the_stream_stays_usable(peer: Peer, ledger: Ledger) -> None:
    with pytest.raises(ChaincodeTimeout, match="timeout expired while executing transaction"):
        await peer.run("cc", "Types:Sleep", "0.5", simulator=ledger.simulator(), within=0.1)
    assert (await peer.run("cc", "Types:Add", "1", "1", simulator=None)).response.payload == b"2"
    await asyncio.sleep(0.6)  # the late COMPLETED arrives now, and is dropped
    assert (await peer.run("cc", "Types:Add", "2", "2", simulator=None)).response.payload == b"4"
    assert peer.launcher.status()["cc"].ready


async def test_unknown_and_unavailable_chaincode(tmp_path: Any) -> None:
    launcher = Launcher(FAST, ready_timeout=0.3)
    try:
        with pytest.raises(ChaincodeNotDeployed, match="chaincode ghost is not deployed"):
            await _execute(launcher, "ghost")
        address = f"127.0.0.1:{_free_port()}"
        await launcher.deploy(
            ChaincodeDefinition(
                name="down", version="1", sequence=1, package_id="down:00", address=address
            )
        )
        with pytest.raises(ChaincodeUnavailable, match="is not connected: UNAVAILABLE"):
            await _execute(launcher, "down")
        status = launcher.status()["down"]
        assert not status.ready
        assert status.registrations == 0
    finally:
        await launcher.close()


async def _execute(launcher: Launcher, name: str, *args: bytes) -> Any:
    tx_id = f"{name}-{id(args)}"
    return await launcher.execute(
        channel=CHANNEL,
        name=name,
        tx_id=tx_id,
        signed_proposal=signed_proposal(creator=b"", tx_id=tx_id),
        input=chaincode_pb2.ChaincodeInput(args=list(args)),
        simulator=None,  # type: ignore[arg-type]
        timeout=5.0,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_restart_reconnects_and_fails_the_running_transaction() -> None:
    chaincode = Contracts(TypesContract())
    server = ChaincodeServer(chaincode, ServerSettings(PACKAGE_ID, "127.0.0.1:0"))
    await server.start()
    address = server.address
    launcher = Launcher(FAST)
    await launcher.deploy(
        ChaincodeDefinition(
            name="cc", version="1", sequence=1, package_id=PACKAGE_ID, address=address
        )
    )
    try:
        await launcher.wait_ready("cc", 5.0)
        assert (await _execute(launcher, "cc", b"Add", b"1", b"2")).response.payload == b"3"
        running = asyncio.create_task(_execute(launcher, "cc", b"Sleep", b"5"))
        await asyncio.sleep(0.2)
        await server.stop(grace=None)
        with pytest.raises(ChaincodeDisconnected, match="chaincode stream terminated"):
            await running
        assert not launcher.status()["cc"].ready
        server = ChaincodeServer(chaincode, ServerSettings(PACKAGE_ID, address))
        await server.start()
        await launcher.wait_ready("cc", 5.0)
        assert (await _execute(launcher, "cc", b"Add", b"2", b"2")).response.payload == b"4"
        assert launcher.status()["cc"].registrations == 2
    finally:
        await launcher.close()
        await server.stop(grace=None)


async def test_wrong_package_id_is_refused() -> None:
    settings = ServerSettings("cc:not-this-one", "127.0.0.1:0")
    async with ChaincodeServer(Contracts(TypesContract()), settings) as server:
        launcher = Launcher(FAST, ready_timeout=0.3)
        await launcher.deploy(
            ChaincodeDefinition(
                name="cc", version="1", sequence=1, package_id=PACKAGE_ID, address=server.address
            )
        )
        try:
            with pytest.raises(ChaincodeUnavailable, match="registered as 'cc:not-this-one'"):
                await _execute(launcher, "cc", b"Add", b"1", b"1")
        finally:
            await launcher.close()


class CountingRelay(chaincode_shim_pb2_grpc.ChaincodeServicer):  # type: ignore[misc]
    """A gRPC hop between the peer and a chaincode server that counts what crosses it.

    `sent` counts the peer's messages by type, `received` the chaincode's, and
    `connections` the streams the peer opened, so a test sees the protocol on the wire.
    """

    def __init__(self, target: str) -> None:
        self._target = target
        self.sent: Counter[int] = Counter()
        self.received: Counter[int] = Counter()
        self.connections = 0
        self._arrived = asyncio.Condition()
        self._server = grpc.aio.server()
        chaincode_shim_pb2_grpc.add_ChaincodeServicer_to_server(self, self._server)
        self.address = f"127.0.0.1:{self._server.add_insecure_port('127.0.0.1:0')}"

    async def __aenter__(self) -> CountingRelay:
        await self._server.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._server.stop(grace=None)

    async def Connect(self, requests: AsyncIterator[Any], context: Any) -> AsyncIterator[Any]:
        self.connections += 1
        async with grpc.aio.insecure_channel(self._target) as channel:
            call = chaincode_shim_pb2_grpc.ChaincodeStub(channel).Connect(self._count(requests))
            async for message in call:
                self.received[message.type] += 1
                async with self._arrived:
                    self._arrived.notify_all()
                yield message

    async def _count(self, requests: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for message in requests:
            self.sent[message.type] += 1
            yield message

    async def until_keepalives(self, count: int) -> None:
        """Wait until `count` keepalives came back from the chaincode."""
        async with asyncio.timeout(10), self._arrived:
            await self._arrived.wait_for(lambda: self.received[Msg.KEEPALIVE] >= count)


async def test_keepalive_and_redeploy(server: ChaincodeServer) -> None:
    """Keepalives go out on the stream and come back without breaking it; a redeploy
    opens one new stream, and keepalives flow on it."""
    async with CountingRelay(server.address) as relay:
        launcher = Launcher(ConnectionOptions(keepalive=0.02, backoff_initial=0.02))
        definition = ChaincodeDefinition(
            name="cc", version="1", sequence=1, package_id=PACKAGE_ID, address=relay.address
        )
        try:
            await launcher.deploy(definition)
            await launcher.wait_ready("cc", 5.0)
            await relay.until_keepalives(10)
            assert relay.sent[Msg.KEEPALIVE] >= relay.received[Msg.KEEPALIVE] >= 10
            result = await _execute(launcher, "cc", b"Types:Add", b"1", b"1")
            assert result.response.payload == b"2"
            assert (relay.sent[Msg.TRANSACTION], relay.received[Msg.COMPLETED]) == (1, 1)
            assert (relay.connections, relay.received[Msg.ERROR]) == (1, 0)
            assert launcher.status()["cc"].registrations == 1
            upgraded = ChaincodeDefinition(
                name="cc", version="2", sequence=2, package_id=PACKAGE_ID, address=relay.address
            )
            await launcher.deploy(upgraded)
            await launcher.wait_ready("cc", 5.0)
            await relay.until_keepalives(relay.received[Msg.KEEPALIVE] + 5)
            assert launcher.definition("cc").sequence == 2
            status = launcher.status()["cc"]
            assert (status.ready, status.registrations, status.last_error) == (True, 1, None)
            assert (relay.connections, relay.received[Msg.ERROR]) == (2, 0)
        finally:
            await launcher.close()


class RawPeer:
    """A peer written by hand, to send the chaincode what a real peer never would."""

    def __init__(self, address: str) -> None:
        self._channel = grpc.aio.insecure_channel(address)
        self._outbox: asyncio.Queue[Any] = asyncio.Queue()
        stub = chaincode_shim_pb2_grpc.ChaincodeStub(self._channel)
        self.call = stub.Connect(self._requests())

    async def _requests(self) -> AsyncIterator[Any]:
        while (message := await self._outbox.get()) is not None:
            yield message

    def send(self, message: Any) -> None:
        self._outbox.put_nowait(message)

    async def read(self) -> Any:
        return await asyncio.wait_for(self.call.read(), 5.0)

    async def close(self) -> None:
        self._outbox.put_nowait(None)
        self.call.cancel()
        await self._channel.close()


async def test_malformed_messages_get_error_replies(server: ChaincodeServer) -> None:
    raw = RawPeer(server.address)
    try:
        register = await raw.read()
        assert register.type == Msg.REGISTER
        assert chaincode_pb2.ChaincodeID.FromString(register.payload).name == PACKAGE_ID
        raw.send(Msg(type=Msg.REGISTERED))
        raw.send(Msg(type=Msg.READY))
        raw.send(Msg(type=Msg.TRANSACTION, payload=b"\xff\xff", txid="t1", channel_id="c"))
        bad_input = await raw.read()
        assert (bad_input.type, bad_input.txid) == (Msg.ERROR, "t1")
        assert b"malformed ChaincodeInput" in bad_input.payload
        good_input = chaincode_pb2.ChaincodeInput(args=[b"Types:Add", b"1", b"1"])
        raw.send(Msg(type=Msg.TRANSACTION, payload=good_input.SerializeToString(), txid="t2"))
        assert b"no signed proposal" in (await raw.read()).payload
        broken = Msg(type=Msg.TRANSACTION, payload=good_input.SerializeToString(), txid="t3")
        broken.proposal.proposal_bytes = b"\xff\xff"
        raw.send(broken)
        assert b"malformed proposal" in (await raw.read()).payload
        raw.send(Msg(type=Msg.GET_STATE, txid="t4"))
        refused = await raw.read()
        assert (refused.type, refused.txid) == (Msg.ERROR, "t4")
        assert b"cannot handle message GET_STATE" in refused.payload
        raw.send(Msg(type=Msg.KEEPALIVE))
        assert (await raw.read()).type == Msg.KEEPALIVE
        raw.send(Msg(type=Msg.RESPONSE, txid="nobody-waits"))  # dropped quietly
        proposal = signed_proposal(creator=b"", tx_id="t5")
        good = Msg(
            type=Msg.TRANSACTION,
            payload=good_input.SerializeToString(),
            txid="t5",
            channel_id="c",
            proposal=proposal,
        )
        raw.send(good)
        completed = await raw.read()
        assert (completed.type, completed.txid, completed.channel_id) == (Msg.COMPLETED, "t5", "c")
    finally:
        await raw.close()


async def test_handshake_out_of_order_ends_the_stream(server: ChaincodeServer) -> None:
    raw = RawPeer(server.address)
    try:
        assert (await raw.read()).type == Msg.REGISTER
        raw.send(Msg(type=Msg.READY))
        error = await raw.read()
        assert error.type == Msg.ERROR
        assert b"cannot handle message READY while created: expected REGISTERED" in error.payload
        assert await raw.read() is grpc.aio.EOF
    finally:
        await raw.close()


async def test_results_keep_their_transaction(peer: Peer, ledger: Ledger) -> None:
    """Interleaved transactions with state calls each see only their own replies."""
    ledger.commit("cc", {f"r{i}": json.dumps(i).encode() for i in range(50)})
    results = await asyncio.gather(
        *(peer.run("cc", "State:Get", f"r{i}", simulator=ledger.simulator()) for i in range(50))
    )
    assert [json.loads(r.response.payload) for r in results] == list(range(50))


async def test_redeploy_while_the_old_address_is_unreachable_returns_at_once() -> None:
    """A definition moved to a new address replaces the old one without waiting on it."""
    from provena.devnet.chaincode import ChaincodeDefinition, Launcher, package_id_for
    from tests.support.server import free_port

    launcher = Launcher()
    try:
        for _ in range(2):
            address = f"127.0.0.1:{free_port()}"  # nothing listens there
            definition = ChaincodeDefinition(
                name="moving",
                version="1",
                sequence=1,
                package_id=package_id_for("moving", address),
                address=address,
            )
            async with asyncio.timeout(5):
                await launcher.deploy(definition)
            await asyncio.sleep(0.3)  # let it fail to dial and back off a few times
        assert launcher.status()["moving"].ready is False
        assert launcher.definition("moving").address == address
    finally:
        async with asyncio.timeout(5):
            await launcher.close()
