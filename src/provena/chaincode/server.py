"""Chaincode as a service: the gRPC server a Fabric peer dials (`protos.Chaincode/Connect`)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from types import TracebackType
from typing import Any, Self

import grpc
from fabric_protos.peer import chaincode_shim_pb2_grpc

from provena.chaincode.chaincode import Chaincode
from provena.chaincode.contract import Contract
from provena.chaincode.errors import ConfigurationError
from provena.chaincode.router import Contracts
from provena.chaincode.settings import ServerSettings, TlsSettings
from provena.chaincode.stream import PeerStream

__all__ = ["ChaincodeServer", "serve"]

log = logging.getLogger("provena.chaincode")

#: Fabric's chaincode servers accept messages of up to 100 MiB.
MAX_MESSAGE_BYTES = 100 * 1024 * 1024


class _Servicer(chaincode_shim_pb2_grpc.ChaincodeServicer):  # type: ignore[misc]
    def __init__(self, chaincode: Chaincode, chaincode_id: str) -> None:
        self._chaincode = chaincode
        self._chaincode_id = chaincode_id

    async def Connect(
        self, request_iterator: AsyncIterator[Any], context: Any
    ) -> AsyncIterator[Any]:
        log.info("a peer connected from %s", context.peer())
        stream = PeerStream(self._chaincode, self._chaincode_id)
        stream.start(request_iterator)
        try:
            async for message in stream.outgoing():
                yield message
        finally:
            await stream.close()
            log.info("the peer at %s disconnected", context.peer())


class ChaincodeServer:
    """Serves one chaincode to any number of peers; use as ``async with`` or start/stop."""

    def __init__(self, chaincode: Chaincode, settings: ServerSettings) -> None:
        self._chaincode = chaincode
        self._settings = settings
        self._server: Any = None
        self._port = 0

    @property
    def settings(self) -> ServerSettings:
        return self._settings

    @property
    def port(self) -> int:
        """The port listened on (the real one when the address asked for port 0)."""
        return self._port

    @property
    def address(self) -> str:
        host = self._settings.address.rpartition(":")[0]
        return f"{host}:{self._port}"

    async def start(self) -> None:
        options = [
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
        ]
        server = grpc.aio.server(options=options)
        servicer = _Servicer(self._chaincode, self._settings.chaincode_id)
        chaincode_shim_pb2_grpc.add_ChaincodeServicer_to_server(servicer, server)
        tls = self._settings.tls
        if tls is None:
            port = server.add_insecure_port(self._settings.address)
        else:
            port = server.add_secure_port(self._settings.address, _credentials(tls))
        if port == 0:
            raise ConfigurationError(f"cannot listen on {self._settings.address}")
        await server.start()
        self._server, self._port = server, port
        log.info(
            "chaincode %s listening on %s%s",
            self._settings.chaincode_id,
            self.address,
            "" if tls is None else " (TLS)",
        )

    async def stop(self, grace: float | None = None) -> None:
        if self._server is not None:
            await self._server.stop(grace)
            self._server = None

    async def wait_for_termination(self) -> None:
        if self._server is not None:
            await self._server.wait_for_termination()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop(grace=None)


def _credentials(tls: TlsSettings) -> Any:
    return grpc.ssl_server_credentials(
        [(tls.key, tls.cert)],
        root_certificates=tls.client_ca,
        require_client_auth=tls.client_ca is not None,
    )


async def serve(
    contracts: Sequence[Contract] | Chaincode,
    *,
    chaincode_id: str | None = None,
    address: str | None = None,
    tls: TlsSettings | None = None,
) -> None:
    """Serve `contracts` until cancelled; what is not given comes from CHAINCODE_* variables."""
    settings = ServerSettings.from_env(chaincode_id=chaincode_id, address=address, tls=tls)
    chaincode = Contracts(*contracts) if isinstance(contracts, Sequence) else contracts
    server = ChaincodeServer(chaincode, settings)
    await server.start()
    try:
        await server.wait_for_termination()
    finally:
        await server.stop(grace=1.0)
