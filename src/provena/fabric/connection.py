"""The gRPC channel to a gateway peer: TLS (with server name override and mutual TLS) and
keepalive."""

from __future__ import annotations

from dataclasses import dataclass

import grpc

__all__ = ["MAX_MESSAGE_BYTES", "Keepalive", "Tls", "new_channel"]

MAX_MESSAGE_BYTES = 100 * 1024 * 1024
"""Fabric peers accept and send messages up to 100 MiB (blocks can be large)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Tls:
    """Server authentication by `root_certificates` (PEM); a client key pair for mutual TLS.

    `server_name` overrides the name checked against the server certificate, for when the
    endpoint is an IP address or a tunnel.
    """

    root_certificates: bytes
    server_name: str | None = None
    client_certificate: bytes | None = None
    client_key: bytes | None = None

    def __post_init__(self) -> None:
        if (self.client_certificate is None) != (self.client_key is None):
            raise ValueError("mutual TLS needs both a client certificate and its key")


@dataclass(frozen=True, slots=True, kw_only=True)
class Keepalive:
    """HTTP/2 pings every `interval` seconds; the connection is dropped after `timeout`."""

    interval: float = 60.0
    timeout: float = 20.0
    without_calls: bool = True


def new_channel(target: str, *, tls: Tls | None, keepalive: Keepalive | None) -> grpc.aio.Channel:
    """A channel to `target` (host:port); plaintext when `tls` is None."""
    options: list[tuple[str, int | str]] = [
        ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
        ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    ]
    if keepalive is not None:
        options += [
            ("grpc.keepalive_time_ms", int(keepalive.interval * 1000)),
            ("grpc.keepalive_timeout_ms", int(keepalive.timeout * 1000)),
            ("grpc.keepalive_permit_without_calls", int(keepalive.without_calls)),
        ]
    if tls is None:
        return grpc.aio.insecure_channel(target, options=options)
    if tls.server_name:
        options.append(("grpc.ssl_target_name_override", tls.server_name))
    credentials = grpc.ssl_channel_credentials(
        root_certificates=tls.root_certificates,
        private_key=tls.client_key,
        certificate_chain=tls.client_certificate,
    )
    return grpc.aio.secure_channel(target, credentials, options=options)
