"""Server settings from the environment, named as every Fabric chaincode runtime names them.

CHAINCODE_ID               the package id the peer knows it by (``label:hash``)
CHAINCODE_SERVER_ADDRESS   host:port to listen on (port 0: any free port)
CHAINCODE_TLS_CERT         PEM file: the server's TLS certificate   } both or neither
CHAINCODE_TLS_KEY          PEM file: its private key                }
CHAINCODE_CLIENT_CA_CERT   PEM file: CA of the peer's client certificates (mutual TLS)
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from provena.chaincode.errors import ConfigurationError

__all__ = ["ServerSettings", "TlsSettings"]

_PACKAGE_ID = re.compile(r"^[^:\s]+:[^:\s]+$")


@dataclass(frozen=True, slots=True)
class TlsSettings:
    """PEM bytes of the server's certificate and key, and of the client CA for mutual TLS."""

    cert: bytes
    key: bytes
    client_ca: bytes | None = None


def _read(variable: str, path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ConfigurationError(f"{variable}: cannot read {path}: {exc.strerror}") from exc


def _check_address(address: str) -> str:
    host, sep, port = address.rpartition(":")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise ConfigurationError(
            f"CHAINCODE_SERVER_ADDRESS must be host:port (such as 0.0.0.0:9999), not {address!r}"
        )
    return address


def _check_id(chaincode_id: str) -> str:
    if not _PACKAGE_ID.match(chaincode_id):
        raise ConfigurationError(
            f"CHAINCODE_ID must be the package id label:hash the peer reports, not {chaincode_id!r}"
        )
    return chaincode_id


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """Where to listen, under which package id, and with which TLS material."""

    chaincode_id: str
    address: str
    tls: TlsSettings | None = None

    def __post_init__(self) -> None:
        _check_id(self.chaincode_id)
        _check_address(self.address)

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        chaincode_id: str | None = None,
        address: str | None = None,
        tls: TlsSettings | None = None,
    ) -> ServerSettings:
        """Settings from CHAINCODE_* variables; explicit arguments take precedence."""
        env = os.environ if environ is None else environ
        chaincode_id = chaincode_id or env.get("CHAINCODE_ID", "")
        if not chaincode_id:
            raise ConfigurationError("CHAINCODE_ID is not set: the peer reports it on install")
        address = address or env.get("CHAINCODE_SERVER_ADDRESS", "")
        if not address:
            raise ConfigurationError("CHAINCODE_SERVER_ADDRESS is not set (host:port to listen on)")
        return cls(chaincode_id=chaincode_id, address=address, tls=tls or _tls_from_env(env))


def _tls_from_env(env: Mapping[str, str]) -> TlsSettings | None:
    cert, key = env.get("CHAINCODE_TLS_CERT", ""), env.get("CHAINCODE_TLS_KEY", "")
    client_ca = env.get("CHAINCODE_CLIENT_CA_CERT", "")
    if not cert and not key:
        if client_ca:
            raise ConfigurationError(
                "CHAINCODE_CLIENT_CA_CERT needs TLS: set CHAINCODE_TLS_CERT and CHAINCODE_TLS_KEY"
            )
        return None
    if not cert or not key:
        missing = "CHAINCODE_TLS_KEY" if cert else "CHAINCODE_TLS_CERT"
        raise ConfigurationError(
            f"TLS needs both CHAINCODE_TLS_CERT and CHAINCODE_TLS_KEY: {missing} is not set"
        )
    return TlsSettings(
        cert=_read("CHAINCODE_TLS_CERT", cert),
        key=_read("CHAINCODE_TLS_KEY", key),
        client_ca=_read("CHAINCODE_CLIENT_CA_CERT", client_ca) if client_ca else None,
    )
