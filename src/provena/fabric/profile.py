"""Connection profiles: the JSON `provena devnet profile` prints, turned into a gateway.

{"endpoint": "127.0.0.1:7051", "server_name": "peer0.…", "tls_ca": "<path or null>",
 "channel": "provena", "msp_id": "ProducerMSP", "cert": "<path>", "key": "<path>"}
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
        )

    def connect(self) -> GatewayImpl:
        """A gateway for this profile's identity (call inside the event loop that uses it)."""
        tls = None
        if self.tls_ca is not None:
            try:
                root = self.tls_ca.read_bytes()
            except OSError as exc:
                raise ProfileError(f"cannot read TLS CA {self.tls_ca}: {exc.strerror}") from exc
            tls = Tls(root_certificates=root, server_name=self.server_name)
        return connect(
            self.endpoint,
            identity=load_identity(self.msp_id, self.cert),
            signer=ecdsa_signer(load_private_key(self.key)),
            tls=tls,
        )
