"""A chaincode as the devnet knows it: lifecycle facts plus where its server listens."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = ["ChaincodeDefinition", "package_id_for"]


def package_id_for(label: str, address: str) -> str:
    """A package id ``label:<sha256 hex>`` for a chaincode-as-a-service at `address`.

    Fabric hashes the installed package; a devnet package is only its connection facts, so
    the same label and address always give the same id.
    """
    connection = json.dumps({"address": address, "label": label}, sort_keys=True)
    return f"{label}:{hashlib.sha256(connection.encode()).hexdigest()}"


@dataclass(frozen=True, slots=True)
class ChaincodeDefinition:
    """Name, version and sequence on the channel, package id, and how to dial the server.

    `tls_ca` enables TLS (the CA of the chaincode server's certificate); `client_cert` and
    `client_key` add the peer's client certificate for servers that require mutual TLS.
    `endorsement_policy` is the signature policy given at deploy time (Fabric's
    `--signature-policy`); None means the channel's default. `defined_at` is the first block
    this sequence of the definition applies to (transactions are validated against the
    definition in force at their block, as Fabric's committed lifecycle definitions are).
    """

    name: str
    version: str
    sequence: int
    package_id: str
    address: str
    tls_ca: Path | None = None
    client_cert: Path | None = None
    client_key: Path | None = None
    endorsement_policy: str | None = None
    defined_at: int = 0

    def __post_init__(self) -> None:
        if not self.name or "/" in self.name or ":" in self.name:
            raise ValueError(f"invalid chaincode name {self.name!r}")
        if self.sequence < 1:
            raise ValueError(f"sequence must be at least 1, not {self.sequence}")
        if ":" not in self.package_id:
            raise ValueError(f"package id must be label:hash, not {self.package_id!r}")
        host, sep, port = self.address.rpartition(":")
        if not sep or not host or not port.isdigit():
            raise ValueError(f"address must be host:port, not {self.address!r}")
        if (self.client_cert is None) != (self.client_key is None):
            raise ValueError("client_cert and client_key go together")
        if self.client_cert is not None and self.tls_ca is None:
            raise ValueError("a client certificate needs TLS: set tls_ca as well")
        if self.defined_at < 0:
            raise ValueError(f"defined_at must not be negative, not {self.defined_at}")

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (paths as strings) for persisting the definition."""
        return {k: str(v) if isinstance(v, Path) else v for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChaincodeDefinition:
        def path(key: str) -> Path | None:
            value = data.get(key)
            return None if value is None else Path(value)

        missing = {"name", "version", "sequence", "package_id", "address"} - data.keys()
        if missing:
            raise ValueError(f"a chaincode definition lacks {', '.join(sorted(missing))}")
        return cls(
            name=data["name"],
            version=data["version"],
            sequence=int(data["sequence"]),
            package_id=data["package_id"],
            address=data["address"],
            tls_ca=path("tls_ca"),
            client_cert=path("client_cert"),
            client_key=path("client_key"),
            endorsement_policy=data.get("endorsement_policy"),
            defined_at=int(data.get("defined_at", 0)),
        )
