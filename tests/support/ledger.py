"""A devnet on a free port serving one `provena.chaincode` chaincode, and clients for it.

    async with running_ledger(tmp_path, "kv", [KvContract()]) as ledger:
        async with ledger.connect("ProducerMSP", "tomas.herrera") as gateway:
            ...

The launcher dials the chaincode in the background; `running_ledger` returns once an evaluate
gets through, so tests never race the first connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from provena.chaincode import ChaincodeServer, Contract, Contracts, ServerSettings
from provena.devnet.config import DevnetConfig
from provena.devnet.network import Devnet
from provena.fabric import Gateway, GatewayError, Tls, connect, load_msp_folder
from tests.support.server import free_port

__all__ = ["Ledger", "running_ledger", "until_ready"]

METADATA = "org.hyperledger.fabric:GetMetadata"


@dataclass(frozen=True)
class Ledger:
    """A running devnet and the name of the chaincode it serves."""

    devnet: Devnet
    chaincode: str

    @property
    def channel(self) -> str:
        return self.devnet.channel

    @property
    def tls(self) -> Tls:
        pki = self.devnet.pki
        return Tls(root_certificates=pki.tls_ca_file.read_bytes(), server_name=pki.server_name)

    def connect(self, msp_id: str, username: str) -> Gateway:
        """A gateway for a user of the devnet's PKI (call in the loop that uses it)."""
        pki = self.devnet.pki
        identity, signer = load_msp_folder(msp_id, pki.user_msp_dir(msp_id, username))
        tls = self.tls
        if self.devnet.config.client_auth:  # mutual TLS: the user's own TLS client pair
            cert, key = pki.tls_client_files(msp_id, username)
            tls = replace(tls, client_certificate=cert.read_bytes(), client_key=key.read_bytes())
        return connect(self.devnet.endpoint, identity=identity, signer=signer, tls=tls)

    def profile(self, msp_id: str, username: str) -> dict[str, Any]:
        """The connection profile `provena devnet profile` would print for the user."""
        pki = self.devnet.pki
        cert, key = pki.user_files(msp_id, username)
        return {
            "endpoint": self.devnet.endpoint,
            "server_name": pki.server_name,
            "tls_ca": str(pki.tls_ca_file),
            "channel": self.channel,
            "msp_id": msp_id,
            "cert": str(cert),
            "key": str(key),
        }


async def until_ready(gateway: Gateway, channel: str, chaincode: str) -> None:
    """Wait until `chaincode` answers an evaluate: the launcher connects in the background."""
    contract = gateway.get_network(channel).get_contract(chaincode)
    for _ in range(200):
        try:
            await contract.evaluate_transaction(METADATA)
            return
        except GatewayError:  # not connected to the chaincode yet
            await asyncio.sleep(0.05)
    await contract.evaluate_transaction(METADATA)


@asynccontextmanager
async def running_ledger(
    data_dir: Path,
    chaincode: str,
    contracts: Sequence[Contract],
    *,
    ready_as: tuple[str, str] = ("ProducerMSP", "tomas.herrera"),
    **config: Any,
) -> AsyncIterator[Ledger]:
    """A devnet in `data_dir` (TLS, free port, `config` overrides) serving `contracts` as
    `chaincode`, ready once `ready_as` (MSP id, user) can evaluate on it."""
    devnet = await Devnet.start(DevnetConfig(data_dir=data_dir, port=0, **config))
    server: ChaincodeServer | None = None
    try:
        address = f"127.0.0.1:{free_port()}"
        definition, _ = await devnet.define_chaincode(chaincode, address)
        settings = ServerSettings(chaincode_id=definition.package_id, address=address)
        server = ChaincodeServer(Contracts(*contracts), settings)
        await server.start()
        ledger = Ledger(devnet, chaincode)
        async with ledger.connect(*ready_as) as gateway:
            await until_ready(gateway, ledger.channel, chaincode)
        yield ledger
    finally:
        # The peers hang up first, as they would in Fabric; then the chaincode server stops
        # with no stream left open.
        await devnet.aclose()
        if server is not None:
            await server.stop()
