"""Chaincode-as-a-service packages, as a Fabric peer installs them.

    FILE.tgz ─┬─ metadata.json    {"type": "ccaas", "label": LABEL}
              └─ code.tar.gz ──── connection.json  {"address", "dial_timeout", "tls_required", …}

The peer's package id is ``LABEL:<hex SHA-256 of FILE.tgz>``. The archives are written
deterministically (fixed times, owners and order; gzip without a timestamp), so the same
label and connection always give the same bytes and therefore the same package id.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import tarfile
from dataclasses import dataclass

__all__ = ["CcaasConnection", "ccaas_package", "package_id"]

_LABEL = re.compile(r"^[A-Za-z0-9_.+-]+$")


@dataclass(frozen=True, slots=True, kw_only=True)
class CcaasConnection:
    """How the peer dials the chaincode server (Fabric's `connection.json`)."""

    address: str
    dial_timeout: str = "10s"
    root_cert: str | None = None
    client_cert: str | None = None
    client_key: str | None = None

    def to_json(self) -> bytes:
        tls = self.root_cert is not None
        body: dict[str, object] = {
            "address": self.address,
            "dial_timeout": self.dial_timeout,
            "tls_required": tls,
        }
        if tls:
            body["root_cert"] = self.root_cert
            body["client_auth_required"] = self.client_cert is not None
            if self.client_cert is not None:
                body["client_cert"] = self.client_cert
                body["client_key"] = self.client_key
        return json.dumps(body, indent=2, sort_keys=True).encode() + b"\n"


def _tar_gz(files: dict[str, bytes]) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size = len(files[name])
            info.mode = 0o644
            info.mtime = 0
            archive.addfile(info, io.BytesIO(files[name]))
    return gzip.compress(raw.getvalue(), mtime=0)


def ccaas_package(label: str, connection: CcaasConnection) -> bytes:
    """The bytes of a `ccaas` package with `label` for `connection`."""
    if not _LABEL.match(label):
        raise ValueError(f"invalid package label {label!r}: use letters, digits and _.+-")
    metadata = json.dumps({"label": label, "type": "ccaas"}, sort_keys=True).encode()
    code = _tar_gz({"connection.json": connection.to_json()})
    return _tar_gz({"metadata.json": metadata, "code.tar.gz": code})


def package_id(label: str, package: bytes) -> str:
    """The id a Fabric peer gives the installed `package`: ``label:<sha256 hex>``."""
    return f"{label}:{hashlib.sha256(package).hexdigest()}"
