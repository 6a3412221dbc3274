"""Every stub call, from a contract through real gRPC to the launcher and a real simulator."""

from __future__ import annotations

import json
from typing import Any

from provena.chaincode.keys import create_composite_key
from tests.chaincode.support import Ledger, Peer

NS = "cc"


def body(result: Any) -> Any:
    assert result.response.status == 200, result.response.message
    return json.loads(result.response.payload) if result.response.payload else None


async def test_put_get_delete(peer: Peer, ledger: Ledger) -> None:
    simulator = ledger.simulator()
    await peer.run(NS, "State:Put", "k", "v1", simulator=simulator)
    await peer.run(NS, "State:Delete", "gone", simulator=simulator)
    writes = simulator.rwset().ns_rwset[0]
    assert writes.namespace == NS
    ledger.commit(NS, {"k": b"v1", "raw": b"\x00\xff"})
    got = await peer.run(NS, "Get", "k", simulator=ledger.simulator())
    assert got.response.payload == b"v1"
    missing = await peer.run(NS, "State:Get", "absent", simulator=ledger.simulator())
    assert (missing.response.status, missing.response.payload) == (200, b"")
    raw = await peer.run(NS, "State:Get", "raw", simulator=ledger.simulator())
    assert raw.response.payload == b"\x00\xff"


async def test_put_bytes_and_empty_key(peer: Peer, ledger: Ledger) -> None:
    simulator = ledger.simulator()
    result = await peer.run(NS, "State:PutBytes", "b", b"\x01\x02", simulator=simulator)
    assert result.response.status == 200
    empty = await peer.run(NS, "State:Put", "", "v", simulator=simulator)
    assert empty.response.status == 500
    assert empty.response.message == "key must not be an empty string"


async def test_range_in_batches_and_early_close(peer: Peer, ledger: Ledger) -> None:
    keys = {f"k{i:03d}": f"v{i}".encode() for i in range(250)}
    ledger.commit(NS, {**keys, create_composite_key("t", ["x"]): b"composite"})
    everything = body(await peer.run(NS, "State:Range", "", "", simulator=ledger.simulator()))
    assert [e["key"] for e in everything] == sorted(keys)  # composite keys stay out
    some = body(await peer.run(NS, "State:Range", "k010", "k020", simulator=ledger.simulator()))
    assert [e["key"] for e in some] == [f"k{i:03d}" for i in range(10, 20)]
    simulator = ledger.simulator()
    first = body(await peer.run(NS, "State:RangeFirst", "k100", "", "3", simulator=simulator))
    assert first == ["k100", "k101", "k102"]
    (info,) = _range_infos(simulator)
    assert not info.itr_exhausted  # the simulator saw only what the chaincode read


def _range_infos(simulator: Any) -> list[Any]:
    from fabric_protos.ledger.rwset.kvrwset import kv_rwset_pb2

    rwset = kv_rwset_pb2.KVRWSet()
    rwset.ParseFromString(simulator.rwset().ns_rwset[0].rwset)
    return list(rwset.range_queries_info)


async def test_range_refuses_composite_namespace(peer: Peer, ledger: Ledger) -> None:
    result = await peer.run(NS, "State:Range", "\x00a", "", simulator=ledger.simulator())
    assert result.response.status == 500
    assert "null character" in result.response.message


async def test_range_pagination_with_bookmarks(peer: Peer, ledger: Ledger) -> None:
    ledger.commit(NS, {f"p{i}": b"v" for i in range(7)})
    pages, bookmark = [], ""
    while True:
        page = body(
            await peer.run(
                NS, "State:RangePage", "p", "q", "3", bookmark, simulator=ledger.simulator()
            )
        )
        pages.append(page["keys"])
        assert page["count"] == len(page["keys"])
        bookmark = page["bookmark"]
        if not bookmark:
            break
    assert pages == [["p0", "p1", "p2"], ["p3", "p4", "p5"], ["p6"]]
    zero = await peer.run(NS, "State:RangePage", "p", "q", "0", simulator=ledger.simulator())
    assert zero.response.status == 500
    assert "page_size must be positive" in zero.response.message


async def test_composite_keys_and_partial_queries(peer: Peer, ledger: Ledger) -> None:
    simulator = ledger.simulator()
    put = await peer.run(
        NS, "State:PutComposite", "shipment", '["s1", "c1"]', "x", simulator=simulator
    )
    assert put.response.payload == b"\x00shipment\x00s1\x00c1\x00"
    ledger.commit(
        NS,
        {
            create_composite_key("shipment", ["s1", "c1"]): b"a",
            create_composite_key("shipment", ["s1", "c2"]): b"b",
            create_composite_key("shipment", ["s10", "c1"]): b"c",
            create_composite_key("shipmentx", ["s1"]): b"d",
            "shipment": b"plain",
        },
    )
    found = body(
        await peer.run(NS, "State:Partial", "shipment", '["s1"]', simulator=ledger.simulator())
    )
    assert found == [["shipment", ["s1", "c1"], "a"], ["shipment", ["s1", "c2"], "b"]]
    every = body(
        await peer.run(NS, "State:Partial", "shipment", "[]", simulator=ledger.simulator())
    )
    assert [row[1] for row in every] == [["s1", "c1"], ["s1", "c2"], ["s10", "c1"]]
    first = body(
        await peer.run(NS, "State:PartialPage", "shipment", "[]", "2", simulator=ledger.simulator())
    )
    assert first["keys"] == [["s1", "c1"], ["s1", "c2"]]
    rest = body(
        await peer.run(
            NS,
            "State:PartialPage",
            "shipment",
            "[]",
            "2",
            first["bookmark"],
            simulator=ledger.simulator(),
        )
    )
    assert (rest["keys"], rest["bookmark"]) == ([["s10", "c1"]], "")
    bad = await peer.run(
        NS, "State:PutComposite", "t", '["a\\u0000b"]', "x", simulator=ledger.simulator()
    )
    assert bad.response.status == 500
    assert "U+0000" in bad.response.message


async def test_history_newest_first(peer: Peer, ledger: Ledger) -> None:
    import datetime as dt

    moment = dt.datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=dt.UTC)
    ledger.commit(NS, {"h": b"one"}, tx_id="t-one", moment=moment)
    ledger.commit(NS, {"h": b"two"}, tx_id="t-two", moment=moment + dt.timedelta(seconds=1))
    ledger.commit(NS, {"h": None}, tx_id="t-del", moment=moment + dt.timedelta(seconds=2))
    history = body(await peer.run(NS, "State:History", "h", simulator=ledger.simulator()))
    assert [(h["tx_id"], h["value"], h["is_delete"]) for h in history] == [
        ("t-del", "", True),
        ("t-two", "two", False),
        ("t-one", "one", False),
    ]
    assert history[2]["timestamp"] == "2026-01-02T03:04:05.678000+00:00"
    many = {f"seed-{i}": i for i in range(130)}
    for tx_id in many:
        ledger.commit(NS, {"m": tx_id.encode()}, tx_id=tx_id)
    long = body(await peer.run(NS, "State:History", "m", simulator=ledger.simulator()))
    assert len(long) == 130  # more than one batch of 100


async def test_event_last_one_wins(peer: Peer, ledger: Ledger) -> None:
    result = await peer.run(
        NS, "State:Event", "Shipped", "payload", simulator=ledger.simulator(), tx_id="ev-1"
    )
    event = result.event
    assert event is not None
    assert (event.event_name, event.payload) == ("Shipped", b"payload")
    assert (event.chaincode_id, event.tx_id) == (NS, "ev-1")
    none = await peer.run(NS, "State:Put", "k", "v", simulator=ledger.simulator())
    assert none.event is None


async def test_proposal_facts(peer: Peer, ledger: Ledger) -> None:
    facts = body(
        await peer.run(
            NS,
            "State:Proposal",
            simulator=ledger.simulator(),
            tx_id="facts-1",
            transient={"secret": b"s3cr3t"},
        )
    )
    import hashlib

    assert facts["tx_id"] == "facts-1"
    assert facts["channel_id"] == "provena"
    assert facts["timestamp"] == "2026-05-01T12:00:00+00:00"
    assert facts["creator_msp"] == "ProducerMSP"
    assert facts["transient"] == {"secret": "s3cr3t"}
    assert (facts["function"], facts["parameters"]) == ("State:Proposal", [])
    assert facts["is_init"] is False
    assert facts["proposal_bytes"] > 0
    expected = hashlib.sha256(b"nonce" + peer.creator + (0).to_bytes(8, "little")).hexdigest()
    assert facts["binding"] == expected


async def test_concurrent_calls_of_one_transaction_run_in_turn(peer: Peer, ledger: Ledger) -> None:
    ledger.commit(NS, {f"c{i}": f"v{i}".encode() for i in range(20)})
    keys = json.dumps([f"c{i}" for i in range(20)])
    values = body(await peer.run(NS, "State:Together", keys, simulator=ledger.simulator()))
    assert values == [f"v{i}" for i in range(20)]


async def test_invoke_chaincode_in_the_same_transaction(
    peer: Peer, ledger: Ledger, second: str
) -> None:
    simulator = ledger.simulator()
    result = body(
        await peer.run(NS, "State:Invoke", second, '["Types:Add", "2", "3"]', simulator=simulator)
    )
    assert result == {"status": 200, "message": "", "payload": "5"}
    write = '["State:Put", "k", "from cc"]'
    body(await peer.run(NS, "State:Invoke", second, write, simulator=simulator))
    written = {ns.namespace for ns in simulator.rwset().ns_rwset}
    assert written == {second}  # the callee writes to its own namespace, in this simulation
    failed = body(
        await peer.run(NS, "State:Invoke", second, '["Types:Boom"]', simulator=ledger.simulator())
    )
    assert failed["status"] == 500
    assert failed["message"] == "boom: the contract has a bug"


async def test_invoke_chaincode_failures(peer: Peer, ledger: Ledger) -> None:
    unknown = body(
        await peer.run(NS, "State:Invoke", "nope", '["x"]', simulator=ledger.simulator())
    )
    assert unknown["status"] == 500
    assert "chaincode nope is not deployed" in unknown["message"]
    itself = body(
        await peer.run(NS, "State:Invoke", NS, '["Get", "x"]', simulator=ledger.simulator())
    )
    assert itself["status"] == 500
    assert "is already running on chaincode cc" in itself["message"]
