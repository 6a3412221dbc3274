"""Provena's business chaincode: certification and custody tracking.

Three contracts, run by `provena.chaincode` on the devnet or on any Fabric 2.5/3.x peer
as a chaincode service (``python -m provena.contracts``):

- ``Registry``: who governs accreditation, and which schemes each certifier may use;
- ``Certificates``: issue, suspend, reinstate, revoke, attach documents, verify, list;
- ``Shipments``: create, propose/accept/reject/cancel custody transfers, checkpoints,
  delivery, history, list.

Callers are known by their MSP id and the `provena.role` attribute of their certificate.
Records are canonical JSON (RFC 8785) under composite keys, time comes only from the
transaction timestamp, and every transaction sets one event carrying the changed record.
"""

from provena.contracts.certificates import CertificatesContract
from provena.contracts.registry import RegistryContract
from provena.contracts.shipments import ShipmentsContract

__all__ = ["CONTRACTS", "CertificatesContract", "RegistryContract", "ShipmentsContract"]

CONTRACTS = (RegistryContract(), CertificatesContract(), ShipmentsContract())
