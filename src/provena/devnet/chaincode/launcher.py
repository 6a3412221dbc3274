"""The launcher: the peer's side of chaincode as a service, for every deployed chaincode.

`deploy` keeps a connection to each chaincode server (reconnecting whenever it restarts);
`execute` runs one transaction on it, serving its state calls from the caller's simulator.
A chaincode's INVOKE_CHAINCODE runs the called chaincode in the same simulator and
transaction, as a Fabric peer does for chaincode on the same channel.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from fabric_protos.peer import chaincode_event_pb2, proposal_response_pb2
from fabric_protos.peer import chaincode_shim_pb2 as shim
from google.protobuf.message import DecodeError

from provena.devnet.chaincode.connection import (
    ChaincodeConnection,
    ChaincodeStatus,
    ConnectionOptions,
)
from provena.devnet.chaincode.definition import ChaincodeDefinition
from provena.devnet.chaincode.errors import ChaincodeFailed, ChaincodeNotDeployed, ChaincodeTimeout
from provena.devnet.chaincode.session import TransactionSession
from provena.devnet.chaincode.state import StateAccess

__all__ = ["ChaincodeResult", "Launcher"]

_Type = shim.ChaincodeMessage


@dataclass(frozen=True, slots=True)
class ChaincodeResult:
    """What the chaincode completed with: its `peer.Response` and `peer.ChaincodeEvent`."""

    response: Any
    event: Any | None


class Launcher:
    """Connections to every deployed chaincode, and transactions run over them."""

    def __init__(
        self, options: ConnectionOptions | None = None, *, ready_timeout: float = 5.0
    ) -> None:
        self._options = options or ConnectionOptions()
        self._ready_timeout = ready_timeout
        self._connections: dict[str, ChaincodeConnection] = {}

    async def deploy(self, definition: ChaincodeDefinition) -> None:
        """Connect to the chaincode (in the background); a new definition replaces the old."""
        old = self._connections.pop(definition.name, None)
        if old is not None:
            await old.close()
        connection = ChaincodeConnection(definition, self._options)
        self._connections[definition.name] = connection
        connection.start()

    async def undeploy(self, name: str) -> None:
        connection = self._connections.pop(name, None)
        if connection is None:
            raise ChaincodeNotDeployed(f"chaincode {name} is not deployed")
        await connection.close()

    async def close(self) -> None:
        """Disconnect from every chaincode."""
        connections = list(self._connections.values())
        self._connections.clear()
        await asyncio.gather(*(c.close() for c in connections))

    def status(self) -> dict[str, ChaincodeStatus]:
        return {name: c.status() for name, c in self._connections.items()}

    def definition(self, name: str) -> ChaincodeDefinition:
        return self._connection(name).definition

    async def wait_ready(self, name: str, seconds: float) -> None:
        """Wait until the chaincode has registered (raises ChaincodeUnavailable after `seconds`)."""
        await self._connection(name).wait_ready(seconds)

    def _connection(self, name: str) -> ChaincodeConnection:
        connection = self._connections.get(name)
        if connection is None:
            raise ChaincodeNotDeployed(f"chaincode {name} is not deployed")
        return connection

    async def execute(
        self,
        *,
        channel: str,
        name: str,
        tx_id: str,
        signed_proposal: Any,
        input: Any,
        simulator: StateAccess,
        timeout: float,  # noqa: ASYNC109 - one deadline covers nested chaincode calls too
        is_init: bool = False,
    ) -> ChaincodeResult:
        """Run one transaction; raises a LauncherError when the chaincode cannot answer."""
        deadline = asyncio.get_running_loop().time() + timeout
        kind = _Type.INIT if is_init else _Type.TRANSACTION
        message = await self._run(
            channel, name, tx_id, signed_proposal, input, simulator, deadline, kind
        )
        if message.type == _Type.ERROR:
            text = message.payload.decode("utf-8", "replace")
            raise ChaincodeFailed(f"transaction returned with failure: {text}")
        response = proposal_response_pb2.Response()
        try:
            response.ParseFromString(message.payload)
        except DecodeError as exc:
            raise ChaincodeFailed(f"failed to unmarshal response for transaction {tx_id}") from exc
        event = None
        if message.HasField("chaincode_event"):
            event = chaincode_event_pb2.ChaincodeEvent()
            event.CopyFrom(message.chaincode_event)
            event.chaincode_id = name
            event.tx_id = tx_id
        return ChaincodeResult(response=response, event=event)

    async def _run(
        self,
        channel: str,
        name: str,
        tx_id: str,
        signed_proposal: Any,
        chaincode_input: Any,
        simulator: StateAccess,
        deadline: float,
        kind: int,
    ) -> Any:
        connection = self._connection(name)
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            raise ChaincodeTimeout(f"timeout expired before calling chaincode {name}")
        await connection.wait_ready(min(self._ready_timeout, remaining))

        async def invoke(target: str, target_input: Any) -> Any:
            return await self._run(
                channel,
                target,
                tx_id,
                signed_proposal,
                target_input,
                simulator,
                deadline,
                _Type.TRANSACTION,
            )

        session = TransactionSession(
            channel=channel, tx_id=tx_id, namespace=name, simulator=simulator, invoke=invoke
        )
        message = _Type(
            type=kind,
            payload=chaincode_input.SerializeToString(),
            txid=tx_id,
            channel_id=channel,
            proposal=signed_proposal,
        )
        remaining = deadline - asyncio.get_running_loop().time()
        return await connection.run(session, message, max(remaining, 0.0))
