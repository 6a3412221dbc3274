"""The devnet's Fabric CA: each organization's CA, speaking fabric-ca-server's REST protocol.

The application obtains identities through the Fabric CA protocol only (`provena.identity`'s
client), so the same code talks to this server in development and to one fabric-ca-server per
organization in production::

    store = CaStore.open(data_dir / "fabricca" / "ca.sqlite")
    msps = MspManager(pki.msp_configs(), revoked=store.is_revoked)   # revocation reaches the MSPs
    server = await FabricCaServer.start(pki, store, registrars=data_dir / "fabricca" / "registrars")
    ...                                                                 # /api/v1/cainfo, register,
    await server.aclose()                                               # enroll, reenroll, revoke

Certificates are signed with the organization's MSP CA key, so the channel accepts them as it
accepts the development PKI's own.
"""

from __future__ import annotations

from provena.devnet.fabricca.server import REGISTRAR_ID, CaEndpoint, FabricCaServer, ca_endpoints
from provena.devnet.fabricca.store import CaStore

__all__ = ["REGISTRAR_ID", "CaEndpoint", "CaStore", "FabricCaServer", "ca_endpoints"]
