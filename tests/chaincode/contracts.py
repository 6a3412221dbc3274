"""Contracts the tests serve: one per area (state, types, hooks)."""

from __future__ import annotations

import asyncio
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, Field

from provena.chaincode import Context, Contract, TransactionError, transaction

__all__ = ["Color", "HookedContract", "Item", "StateContract", "TypesContract"]


class Item(BaseModel):
    id: Annotated[str, Field(min_length=1, max_length=8)]
    quantity: int
    tags: list[str] = []


class Color(StrEnum):
    RED = "red"
    GREEN = "green"


def _kvs(entries: list[Any]) -> list[dict[str, str]]:
    return [{"key": e.key, "value": e.value.decode()} for e in entries]


class StateContract(Contract):
    """Every stub call, one transaction each."""

    name = "State"

    @transaction
    async def Put(self, ctx: Context, key: str, value: str) -> None:
        await ctx.stub.put_state(key, value.encode())

    @transaction
    async def PutBytes(self, ctx: Context, key: str, value: bytes) -> None:
        await ctx.stub.put_state(key, value)

    @transaction(evaluate=True)
    async def Get(self, ctx: Context, key: str) -> bytes:
        return await ctx.stub.get_state(key)

    @transaction
    async def Delete(self, ctx: Context, key: str) -> None:
        await ctx.stub.del_state(key)

    @transaction(evaluate=True)
    async def Range(self, ctx: Context, start: str, end: str) -> list[dict[str, str]]:
        return _kvs([kv async for kv in ctx.stub.get_state_by_range(start, end)])

    @transaction(evaluate=True)
    async def RangeFirst(self, ctx: Context, start: str, end: str, count: int) -> list[str]:
        keys = []
        async with ctx.stub.get_state_by_range(start, end) as entries:
            async for kv in entries:
                keys.append(kv.key)
                if len(keys) == count:
                    break
        return keys

    @transaction(evaluate=True)
    async def RangePage(
        self, ctx: Context, start: str, end: str, page_size: int, bookmark: str = ""
    ) -> dict[str, Any]:
        entries, meta = await ctx.stub.get_state_by_range_with_pagination(
            start, end, page_size, bookmark
        )
        keys = [kv.key async for kv in entries]
        return {"keys": keys, "bookmark": meta.bookmark, "count": meta.fetched_records_count}

    @transaction
    async def PutComposite(
        self, ctx: Context, object_type: str, parts: list[str], value: str
    ) -> str:
        key = ctx.stub.create_composite_key(object_type, parts)
        await ctx.stub.put_state(key, value.encode())
        return key

    @transaction(evaluate=True)
    async def Partial(self, ctx: Context, object_type: str, parts: list[str]) -> list[Any]:
        found = []
        async for kv in ctx.stub.get_state_by_partial_composite_key(object_type, parts):
            found.append([*ctx.stub.split_composite_key(kv.key), kv.value.decode()])
        return found

    @transaction(evaluate=True)
    async def PartialPage(
        self, ctx: Context, object_type: str, parts: list[str], page_size: int, bookmark: str = ""
    ) -> dict[str, Any]:
        stub = ctx.stub
        entries, meta = await stub.get_state_by_partial_composite_key_with_pagination(
            object_type, parts, page_size, bookmark
        )
        keys = [stub.split_composite_key(kv.key)[1] async for kv in entries]
        return {"keys": keys, "bookmark": meta.bookmark, "count": meta.fetched_records_count}

    @transaction(evaluate=True)
    async def History(self, ctx: Context, key: str) -> list[dict[str, Any]]:
        return [
            {
                "tx_id": m.tx_id,
                "value": m.value.decode(),
                "timestamp": m.timestamp.isoformat(),
                "is_delete": m.is_delete,
            }
            async for m in ctx.stub.get_history_for_key(key)
        ]

    @transaction
    async def Event(self, ctx: Context, name: str, payload: str) -> None:
        ctx.stub.set_event("ignored", b"the last event wins")
        ctx.stub.set_event(name, payload.encode())

    @transaction(evaluate=True)
    async def Proposal(self, ctx: Context) -> dict[str, Any]:
        stub = ctx.stub
        function, parameters = stub.get_function_and_parameters()
        return {
            "tx_id": stub.tx_id,
            "channel_id": stub.channel_id,
            "timestamp": stub.get_tx_timestamp().isoformat(),
            "creator_msp": stub.creator.mspid,
            "transient": {k: v.decode() for k, v in stub.transient.items()},
            "function": function,
            "parameters": parameters,
            "args": [a.decode() for a in stub.get_args()],
            "binding": stub.binding.hex(),
            "is_init": stub.is_init,
            "proposal_bytes": len(stub.signed_proposal.proposal_bytes),
        }

    @transaction(evaluate=True)
    async def Identity(self, ctx: Context) -> dict[str, Any]:
        identity = ctx.client_identity
        return {
            "msp_id": identity.msp_id,
            "id": identity.get_id(),
            "subject": identity.subject,
            "issuer": identity.issuer,
            "attributes": dict(identity.attributes),
            "role": identity.get_attribute_value("provena.role"),
            "missing": identity.get_attribute_value("nope"),
        }

    @transaction(evaluate=True)
    async def Assert(self, ctx: Context, attribute: str, value: str) -> str:
        ctx.client_identity.assert_attribute_value(attribute, value)
        return "granted"

    @transaction
    async def Invoke(self, ctx: Context, chaincode: str, args: list[str]) -> dict[str, Any]:
        response = await ctx.stub.invoke_chaincode(chaincode, args)
        return {
            "status": response.status,
            "message": response.message,
            "payload": response.payload.decode(),
        }

    @transaction
    async def Together(self, ctx: Context, keys: list[str]) -> list[str]:
        """Concurrent stub calls of one transaction: the stub runs them in turn."""
        values = await asyncio.gather(*(ctx.stub.get_state(k) for k in keys))
        return [v.decode() for v in values]


class TypesContract(Contract):
    """Argument conversion, results, errors and timing."""

    name = "Types"

    @transaction(evaluate=True)
    async def Echo(
        self,
        ctx: Context,
        text: str,
        number: int,
        flag: bool,
        item: Item,
        items: list[Item],
        color: Color,
        maybe: int | None = None,
    ) -> dict[str, Any]:
        return {
            "text": text,
            "number": number,
            "flag": flag,
            "item": item,
            "items": items,
            "color": color,
            "maybe": maybe,
        }

    @transaction(evaluate=True)
    def Add(self, ctx, a: int, b: int) -> int:  # type: ignore[no-untyped-def]
        """A plain (not async) method with an unannotated context."""
        return a + b

    @transaction(evaluate=True, name="Shout")
    def shout(self, context: Context, text) -> str:  # type: ignore[no-untyped-def]
        return f"{text.upper()}!"

    @transaction(evaluate=True)
    async def Raw(self, ctx: Context, data: bytes) -> bytes:
        return data[::-1]

    @transaction(evaluate=True)
    async def Nothing(self, ctx: Context) -> None:
        return None

    @transaction(evaluate=True)
    async def Model(self, ctx: Context) -> Item:
        return Item(id="b", quantity=2, tags=["z", "a"])

    @transaction
    async def Fail(self, ctx: Context, status: int, message: str) -> None:
        raise TransactionError(message, status=status, payload=b"details")

    @transaction
    async def Boom(self, ctx: Context) -> None:
        raise RuntimeError("boom: the contract has a bug")

    @transaction
    async def Sleep(self, ctx: Context, seconds: float) -> str:
        await asyncio.sleep(seconds)
        return "awake"

    async def helper(self, ctx: Context) -> str:
        """Not a transaction: no decorator."""
        return "hidden"


class HookedContract(Contract):
    """Before/after/unknown hooks; `calls` records what ran, in order."""

    name = "Hooked"
    title = "Hooks"
    version = "1.2"

    def __init__(self) -> None:
        self.calls: list[str] = []

    async def before_transaction(self, ctx: Context) -> None:
        self.calls.append(f"before {ctx.stub.tx_id}")
        if ctx.stub.transient.get("deny"):
            raise TransactionError("denied by the before hook", status=403)

    def after_transaction(self, ctx: Context, result: Any) -> None:  # type: ignore[override]
        self.calls.append(f"after {ctx.stub.tx_id} {result}")

    async def unknown_transaction(self, ctx: Context, function: str) -> str:
        self.calls.append(f"unknown {function}")
        return f"no {function} here"

    @transaction
    async def Work(self, ctx: Context, value: int) -> int:
        self.calls.append(f"work {ctx.stub.tx_id}")
        return value * 2
