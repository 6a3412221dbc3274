"""Chaincode-as-a-service packages, as a Fabric peer installs them, and as Oracle
Blockchain Platform takes an external chaincode.

    Fabric peer (`peer lifecycle chaincode install FILE.tgz`)
    FILE.tgz ─┬─ metadata.json    {"type": "ccaas", "label": LABEL}
              └─ code.tar.gz ──── connection.json  {"address", "dial_timeout", "tls_required", …}

    Oracle Blockchain Platform (console: Chaincode Type "External", a .zip as the source)
    FILE.zip ──── connection.json

A peer's package id is ``LABEL:<hex SHA-256 of FILE.tgz>``. OBP wraps the uploaded
connection in a Fabric package of its own, under the Package Label typed in its console,
so only OBP knows that package's id: the console shows it once the chaincode is installed.

The archives are written deterministically (fixed times, owners and order; gzip without a
timestamp), so the same label and connection always give the same bytes and therefore the
same package id.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import tarfile
import zipfile
from dataclasses import dataclass

__all__ = ["CcaasConnection", "ccaas_package", "obp_package", "package_id", "validate_obp_label"]

# A peer refuses a package whose label does not match this (Fabric's LabelRegexp).
_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]*$")
# OBP's Package Label is stricter: letters, digits, - and _, starting and ending with a letter
# or digit, each - or _ followed by a letter or digit, at most 50 characters.
_OBP_LABEL = re.compile(r"^[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*$")
_OBP_LABEL_MAX = 50
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


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
        raise ValueError(
            f"invalid package label {label!r}: start with a letter or digit, then use "
            "letters, digits and _.+-"
        )
    metadata = json.dumps({"label": label, "type": "ccaas"}, sort_keys=True).encode()
    code = _tar_gz({"connection.json": connection.to_json()})
    return _tar_gz({"metadata.json": metadata, "code.tar.gz": code})


def package_id(label: str, package: bytes) -> str:
    """The id a Fabric peer gives the installed `package`: ``label:<sha256 hex>``."""
    return f"{label}:{hashlib.sha256(package).hexdigest()}"


def validate_obp_label(label: str) -> None:
    """Raise ValueError unless OBP's console accepts `label` as a Package Label."""
    if len(label) > _OBP_LABEL_MAX or not _OBP_LABEL.match(label):
        raise ValueError(
            f"invalid OBP package label {label!r}: at most {_OBP_LABEL_MAX} letters, digits, "
            "- and _, starting and ending with a letter or digit, no two of -_ in a row"
        )


def obp_package(connection: CcaasConnection) -> bytes:
    """The .zip OBP takes as the source of an external chaincode: `connection.json` alone."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, mode="w") as archive:
        info = zipfile.ZipInfo("connection.json", date_time=_ZIP_EPOCH)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3  # Unix, so the mode below is read
        info.external_attr = (0o100644 & 0xFFFF) << 16
        archive.writestr(info, connection.to_json())
    return raw.getvalue()
