"""The devnet's client-facing gRPC services: `gateway.Gateway` and `protos.Deliver`.

They speak to clients exactly as a Fabric peer does and to the rest of the devnet only through
`NetworkServices` (endorser per organization, policy-based organization choice, orderer,
commit notifier, ledger, MSPs)::

    server = grpc.aio.server()
    add_gateway_services(server, devnet)          # devnet: a NetworkServices
"""

from __future__ import annotations

import grpc
from fabric_protos.gateway import gateway_pb2_grpc
from fabric_protos.peer import events_pb2_grpc

from provena.devnet.gateway.deliver import DeliverOptions, DeliverServicer
from provena.devnet.gateway.gatewayservice import GatewayOptions, GatewayServicer
from provena.devnet.gateway.services import NetworkServices

__all__ = [
    "DeliverOptions",
    "DeliverServicer",
    "GatewayOptions",
    "GatewayServicer",
    "NetworkServices",
    "add_gateway_services",
]


def add_gateway_services(
    server: grpc.aio.Server,
    services: NetworkServices,
    *,
    gateway_options: GatewayOptions | None = None,
    deliver_options: DeliverOptions | None = None,
) -> None:
    """Register the Gateway and Deliver services for `services` on `server`."""
    gateway_pb2_grpc.add_GatewayServicer_to_server(
        GatewayServicer(services, gateway_options), server
    )
    events_pb2_grpc.add_DeliverServicer_to_server(
        DeliverServicer(services, deliver_options), server
    )
