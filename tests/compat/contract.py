"""The contract the compatibility tests call: a key-value store whose writes emit events."""

from __future__ import annotations

from provena.chaincode import Context, Contract, TransactionError, transaction

__all__ = ["Store"]


class Store(Contract):
    @transaction
    async def Put(self, ctx: Context, key: str, value: str) -> str:
        """Read the key (so concurrent writers of it conflict), write it, emit `Put`."""
        previous = await ctx.stub.get_state(key)
        await ctx.stub.put_state(key, value.encode())
        ctx.stub.set_event("Put", f"{key}={value}".encode())
        return previous.decode()

    @transaction(evaluate=True)
    async def Get(self, ctx: Context, key: str) -> bytes:
        value = await ctx.stub.get_state(key)
        if not value:
            raise TransactionError(f"no key {key}", status=404)
        return value

    @transaction
    async def Fail(self, ctx: Context, message: str) -> None:
        raise TransactionError(message)
