"""The benchmarks' chaincode: one transaction that reads a key, writes it and sets an event,
the shape of most business transactions (read a record, update it, tell listeners).

Served as a chaincode as a service, configured like every Fabric runtime:

    CHAINCODE_ID=kv:… CHAINCODE_SERVER_ADDRESS=127.0.0.1:9999 python bench/chaincode_kv.py

`bench/node-chaincode/index.js` is the same contract on `fabric-contract-api`, for comparison.
"""

from __future__ import annotations

import asyncio

from provena.chaincode import Context, Contract, serve, transaction

__all__ = ["Kv"]


class Kv(Contract):
    @transaction
    async def Put(self, ctx: Context, key: str, value: str) -> str:
        previous = await ctx.stub.get_state(key)
        await ctx.stub.put_state(key, value.encode())
        ctx.stub.set_event("Put", key.encode())
        return previous.decode()

    @transaction(evaluate=True)
    async def Get(self, ctx: Context, key: str) -> bytes:
        return await ctx.stub.get_state(key)


if __name__ == "__main__":
    asyncio.run(serve([Kv()]))
