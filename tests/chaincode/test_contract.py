"""The contract API: argument conversion and validation, results, errors, hooks, metadata."""

from __future__ import annotations

import json
from typing import Any

import pytest

from provena.chaincode import (
    Context,
    Contract,
    Contracts,
    DefinitionError,
    TransactionError,
    transaction,
)
from tests.chaincode.contracts import HookedContract
from tests.chaincode.support import Ledger, Peer

ITEM = '{"id": "a", "quantity": 1}'


async def call(peer: Peer, *args: str | bytes, **options: Any) -> Any:
    result = await peer.run("cc", *args, simulator=None, **options)
    return result.response


async def test_arguments_convert_from_type_hints(peer: Peer) -> None:
    response = await call(
        peer, "Types:Echo", "plain text", "42", "true", ITEM, f"[{ITEM}]", "green"
    )
    assert response.status == 200, response.message
    assert response.payload == (
        b'{"color":"green","flag":true,"item":{"id":"a","quantity":1,"tags":[]},'
        b'"items":[{"id":"a","quantity":1,"tags":[]}],"maybe":null,"number":42,"text":"plain text"}'
    )
    with_optional = await call(peer, "Types:Echo", "t", "1", "false", ITEM, "[]", "red", "7")
    assert json.loads(with_optional.payload)["maybe"] == 7


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("x", "forty", "true", ITEM, "[]", "red"), "argument number: Invalid JSON"),
        (
            ("x", "1.5", "true", ITEM, "[]", "red"),
            "argument number: Input should be a valid integer",
        ),
        (("x", "1", "yes", ITEM, "[]", "red"), "argument flag: Invalid JSON"),
        (
            ("x", "1", "true", '{"id": "toolongid9", "quantity": 1}', "[]", "red"),
            "argument item: id: String should have at most 8 characters",
        ),
        (("x", "1", "true", '{"id": "a"}', "[]", "red"), "argument item: quantity: Field required"),
        (
            ("x", "1", "true", ITEM, '[{"id": ""}]', "red"),
            "argument items: 0.id: String should have at least 1 character; "
            "0.quantity: Field required",
        ),
        (
            ("x", "1", "true", ITEM, "[]", "blue"),
            "argument color: Input should be 'red' or 'green'",
        ),
        (
            ("x", "1", "true", ITEM, "[]"),
            "missing argument color: expected 7 "
            "(text, number, flag, item, items, color required), got 5",
        ),
        (
            ("x", "1", "true", ITEM, "[]", "red", "1", "extra"),
            "expected at most 7 arguments, got 8",
        ),
        ((b"\xff", "1", "true", ITEM, "[]", "red"), "argument text is not UTF-8 text"),
    ],
)
async def test_bad_arguments_are_refused_clearly(
    peer: Peer, args: tuple[str | bytes, ...], message: str
) -> None:
    response = await call(peer, "Types:Echo", *args)
    assert response.status == 500
    assert response.message.startswith(message), response.message


async def test_plain_methods_names_and_results(peer: Peer) -> None:
    assert (await call(peer, "Types:Add", "40", "2")).payload == b"42"
    assert (await call(peer, "Types:Shout", "hey")).payload == b"HEY!"
    assert (await call(peer, "Types:Raw", b"\x00\x01\xff")).payload == b"\xff\x01\x00"
    nothing = await call(peer, "Types:Nothing")
    assert (nothing.status, nothing.payload) == (200, b"")
    assert (await call(peer, "Types:Model")).payload == b'{"id":"b","quantity":2,"tags":["z","a"]}'


async def test_transaction_error_chooses_status_message_and_payload(peer: Peer) -> None:
    response = await call(peer, "Types:Fail", "404", "no such shipment")
    assert (response.status, response.message, response.payload) == (
        404,
        "no such shipment",
        b"details",
    )
    with pytest.raises(ValueError, match="within 400-599"):
        TransactionError("fine", status=200)


@pytest.mark.parametrize(
    ("function", "message"),
    [
        ("Types:helper", "Function helper not found in contract Types"),
        ("Types:shout", "Function shout not found in contract Types"),
        ("Nope", "Function Nope not found in contract State"),
        ("Ghost:Get", "Contract Ghost not found"),
        (
            "org.hyperledger.fabric:Other",
            "Function Other not found in contract org.hyperledger.fabric",
        ),
        (b"\xff", "the function name is not UTF-8 text"),
    ],
)
async def test_unknown_functions(peer: Peer, function: str | bytes, message: str) -> None:
    response = await call(peer, function)
    assert (response.status, response.message) == (500, message)


async def test_no_function_name(peer: Peer) -> None:
    response = await call(peer)
    assert response.message == "no function name given: the first argument names it"


async def test_bare_names_go_to_the_default_contract(peer: Peer, ledger: Ledger) -> None:
    ledger.commit("cc", {"d": b"default"})
    result = await peer.run("cc", "Get", "d", simulator=ledger.simulator())
    assert result.response.payload == b"default"


async def test_hooks_run_around_transactions(peer: Peer, hooked: HookedContract) -> None:
    hooked.calls.clear()
    assert (await call(peer, "Hooked:Work", "21", tx_id="h1")).payload == b"42"
    assert hooked.calls == ["before h1", "work h1", "after h1 42"]
    hooked.calls.clear()
    denied = await call(peer, "Hooked:Work", "21", tx_id="h2", transient={"deny": b"1"})
    assert (denied.status, denied.message) == (403, "denied by the before hook")
    assert hooked.calls == ["before h2"]
    hooked.calls.clear()
    unknown = await call(peer, "Hooked:Missing", tx_id="h3")
    assert (unknown.status, unknown.payload) == (200, b"no Missing here")
    assert hooked.calls == ["unknown Missing"]
    bad = await call(peer, "Hooked:Work", "x", tx_id="h4")
    assert bad.status == 500
    assert hooked.calls == ["unknown Missing"]  # arguments convert before the before hook


async def test_init_runs_named_transactions(peer: Peer) -> None:
    result = await peer.run("cc", "Types:Add", "1", "2", simulator=None, is_init=True)
    assert result.response.payload == b"3"


async def test_get_metadata(peer: Peer) -> None:
    response = await call(peer, "org.hyperledger.fabric:GetMetadata")
    metadata = json.loads(response.payload)
    assert metadata["$schema"].endswith("contract-schema.json")
    assert metadata["info"] == {"title": "tests", "version": "7"}
    contracts = metadata["contracts"]
    assert set(contracts) == {"State", "Types", "Hooked", "org.hyperledger.fabric"}
    assert contracts["Hooked"]["info"] == {"title": "Hooks", "version": "1.2"}
    types = {t["name"]: t for t in contracts["Types"]["transactions"]}
    assert set(types) == {
        "Echo",
        "Add",
        "Shout",
        "Raw",
        "Nothing",
        "Model",
        "Fail",
        "Boom",
        "Sleep",
    }
    echo = types["Echo"]
    assert echo["tag"] == ["EVALUATE"]
    assert types["Fail"]["tag"] == ["SUBMIT", "submitTx"]
    params = {p["name"]: p for p in echo["parameters"]}
    assert params["text"]["schema"] == {"type": "string"}
    assert params["number"]["schema"] == {"type": "integer"}
    assert params["item"]["schema"] == {"$ref": "#/components/schemas/Item"}
    assert params["items"]["schema"]["items"] == {"$ref": "#/components/schemas/Item"}
    assert params["maybe"]["required"] is False
    assert params["text"]["required"] is True
    assert types["Model"]["returns"] == {"$ref": "#/components/schemas/Item"}
    item = metadata["components"]["schemas"]["Item"]
    assert item["required"] == ["id", "quantity"]
    assert item["properties"]["id"]["maxLength"] == 8
    assert "Color" in metadata["components"]["schemas"]
    system = contracts["org.hyperledger.fabric"]["transactions"]
    assert system == [{"name": "GetMetadata", "tag": ["EVALUATE"]}]
    bare = await call(peer, "org.hyperledger.fabric:GetMetadata")
    assert bare.payload == response.payload  # deterministic bytes


def test_definition_errors() -> None:
    class StarArgs(Contract):
        @transaction
        async def Bad(self, ctx: Context, *values: str) -> None: ...

    class NoContext(Contract):
        @transaction
        async def Bad(self) -> None: ...

    class Twice(Contract):
        @transaction(name="Same")
        async def one(self, ctx: Context) -> None: ...

        @transaction(name="Same")
        async def two(self, ctx: Context) -> None: ...

    class Unresolvable(Contract):
        @transaction
        async def Bad(self, ctx: Context, value: NotDefined) -> None: ...  # type: ignore[name-defined]  # noqa: F821

    class Colon(Contract):
        name = "a:b"

    class Fine(Contract):
        pass

    cases: list[tuple[Any, str]] = [
        ((StarArgs(),), "parameter values must be positional"),
        ((NoContext(),), "takes the context as its first parameter"),
        ((Twice(),), "two transactions are named Same"),
        ((Unresolvable(),), "cannot resolve its type hints"),
        ((Colon(),), "invalid name 'a:b'"),
        ((Fine(), Fine()), "two contracts are named Fine"),
        ((object(),), "is not a Contract instance"),
        ((), "at least one contract"),
    ]
    for contracts, message in cases:
        with pytest.raises(DefinitionError, match=message):
            Contracts(*contracts)


def test_inherited_transactions_and_default_names() -> None:
    class Base(Contract):
        @transaction
        async def Ping(self, ctx: Context) -> str:
            return "pong"

    class Child(Base):
        @transaction(evaluate=True)
        async def Pong(self, ctx: Context) -> str:
            return "ping"

    chaincode = Contracts(Child())
    contracts = json.loads(chaincode.metadata)["contracts"]
    assert [t["name"] for t in contracts["Child"]["transactions"]] == ["Pong", "Ping"]
    assert Base.name == "Base"
    assert Child.name == "Child"
