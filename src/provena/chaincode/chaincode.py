"""The one interface the runtime serves: Fabric's low-level `Chaincode` (init and invoke)."""

from __future__ import annotations

from typing import Protocol

from provena.chaincode.response import Response
from provena.chaincode.stub import ChaincodeStub

__all__ = ["Chaincode"]


class Chaincode(Protocol):
    """Answers INIT and TRANSACTION messages; `provena.chaincode.Contracts` is the usual one."""

    async def init(self, stub: ChaincodeStub) -> Response: ...

    async def invoke(self, stub: ChaincodeStub) -> Response: ...
