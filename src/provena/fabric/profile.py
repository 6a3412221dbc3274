"""Connection profiles: the JSON `provena devnet profile` prints, turned into a gateway.

{"endpoint": "127.0.0.1:7051", "server_name": "peer0.…", "tls_ca": "<path or null>",
 "channel": "provena", "msp_id": "ProducerMSP", "cert": "<path>", "key": "<path>",
 "tls_client_cert": "<path or null>", "tls_client_key": "<path or null>"}

The TLS client pair is for a peer that requires mutual TLS; both or neither.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from provena.fabric.connection import Tls
from provena.fabric.errors import ProfileError
from provena.fabric.gateway import GatewayImpl, connect
from provena.fabric.identity import load_identity, load_private_key
from provena.fabric.signers import ecdsa_signer

__all__ = ["Profile"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    endpoint: str
    channel: str
    msp_id: str
    cert: Path
    key: Path
    tls_ca: Path | None = None
    server_name: str | None = None
    tls_client_cert: Path | None = None
    tls_client_key: Path | None = None

    @classmethod
    def load(cls, path: str | Path) -> Profile:
        try:
            data = json.loads(Path(path).read_text())
        except OSError as exc:
            raise ProfileError(f"cannot read profile {path}: {exc.strerror}") from exc
        except ValueError as exc:
            raise ProfileError(f"profile {path} is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise ProfileError(f"profile {path} is not a JSON object")
        missing = [f for f in ("endpoint", "channel", "msp_id", "cert", "key") if not data.get(f)]
        if missing:
            raise ProfileError(f"profile {path} lacks {', '.join(missing)}")
        return cls(
            endpoint=str(data["endpoint"]),
            channel=str(data["channel"]),
            msp_id=str(data["msp_id"]),
            cert=Path(data["cert"]),
            key=Path(data["key"]),
            tls_ca=Path(data["tls_ca"]) if data.get("tls_ca") else None,
            server_name=data.get("server_name") or None,
            tls_client_cert=Path(data["tls_client_cert"]) if data.get("tls_client_cert") else None,
            tls_client_key=Path(data["tls_client_key"]) if data.get("tls_client_key") else None,
        )

    def connect(self) -> GatewayImpl:
        """A gateway for this profile's identity (call inside the event loop that uses it)."""
        tls = None
        if self.tls_ca is not None:
            try:
                tls = Tls(
                    root_certificates=_read(self.tls_ca, "TLS CA"),
                    server_name=self.server_name,
                    client_certificate=_maybe(self.tls_client_cert, "TLS client certificate"),
                    client_key=_maybe(self.tls_client_key, "TLS client key"),
                )
            except ValueError as exc:  # one of the client pair without the other
                raise ProfileError(str(exc)) from exc
        return connect(
            self.endpoint,
            identity=load_identity(self.msp_id, self.cert),
            signer=ecdsa_signer(load_private_key(self.key)),
            tls=tls,
        )


def _maybe(path: Path | None, what: str) -> bytes | None:
    return None if path is None else _read(path, what)


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ProfileError(f"cannot read {what} {path}: {exc.strerror}") from exc
