"""A gateway server over `TestNetwork`, with TLS on a free port, and clients for it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import grpc
import pytest

from provena.devnet.gateway import GatewayOptions, add_gateway_services
from provena.fabric import Gateway, Tls, connect
from tests.fabric.network import TestNetwork
from tests.fabric.pki import Ca, Member, pem

ORGS = ("CertifierMSP", "ProducerMSP", "CarrierMSP", "RetailerMSP")


@dataclass(frozen=True)
class Server:
    network: TestNetwork
    address: str
    tls: Tls
    user: Member


async def start_server(
    network: TestNetwork, options: GatewayOptions | None = None
) -> tuple[grpc.aio.Server, Server]:
    tls_ca = Ca("tlsca")
    tls_cert = tls_ca.issue("", "localhost", server=True)
    server = grpc.aio.server()
    add_gateway_services(server, network, gateway_options=options)
    credentials = grpc.ssl_server_credentials([(tls_cert.key_pem(), pem(tls_cert.certificate))])
    port = server.add_secure_port("127.0.0.1:0", credentials)
    await server.start()
    user = network.cas["ProducerMSP"].issue("ProducerMSP", "user1")
    tls = Tls(root_certificates=pem(tls_ca.certificate), server_name="localhost")
    return server, Server(network, f"127.0.0.1:{port}", tls, user)


@pytest.fixture(scope="session")
async def server() -> AsyncIterator[Server]:
    grpc_server, info = await start_server(
        TestNetwork(ORGS), GatewayOptions(endorsement_timeout=2.0)
    )
    yield info
    await grpc_server.stop(None)


@pytest.fixture
async def gateway(server: Server) -> AsyncIterator[Gateway]:
    async with connect(
        server.address, identity=server.user.identity, signer=server.user.signer, tls=server.tls
    ) as gateway:
        yield gateway
