"""One gRPC channel to the peer's gateway, shared by every person's gateway.

A `Gateway` of `provena.fabric` is a cheap object over a channel: the API opens one channel
when it starts and makes a gateway per signing identity on it, so a thousand people acting
at once still use one HTTP/2 connection to the peer.
"""

from __future__ import annotations

import grpc

from provena.fabric import Contract, Gateway, Identity, Signer, Tls, connect
from provena.fabric.connection import new_channel

__all__ = ["LedgerConnection"]


class LedgerConnection:
    """The peer at `endpoint`, its channel and the contracts' chaincode."""

    def __init__(self, endpoint: str, *, tls: Tls | None, channel: str, chaincode: str) -> None:
        self.endpoint = endpoint
        self.channel = channel
        self.chaincode = chaincode
        self._tls = tls
        self._grpc: grpc.aio.Channel | None = None

    def _open(self) -> grpc.aio.Channel:
        # Opened on first use, in the event loop that serves requests.
        if self._grpc is None:
            self._grpc = new_channel(self.endpoint, tls=self._tls, keepalive=None)
        return self._grpc

    def gateway(self, identity: Identity, signer: Signer | None) -> Gateway:
        """A gateway acting as `identity`; without a signer every request is signed offline."""
        return connect(self._open(), identity=identity, signer=signer)

    def contract(self, gateway: Gateway, contract: str) -> Contract:
        """`contract` (e.g. "Certificates") of the chaincode, through `gateway`."""
        return gateway.get_network(self.channel).get_contract(self.chaincode, contract)

    async def ready(self) -> None:
        """Return once the channel is connected (bound it with `asyncio.timeout`)."""
        await self._open().channel_ready()

    async def aclose(self) -> None:
        if self._grpc is not None:
            await self._grpc.close()
            self._grpc = None
