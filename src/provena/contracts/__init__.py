"""Provena's business chaincode: certification and custody tracking.

Four contracts, run by `provena.chaincode` on the devnet or on any Fabric 2.5/3.x peer
as a chaincode service (``python -m provena.contracts``):

- ``Registry``: who governs accreditation, and which schemes each certifier may use;
- ``Certificates``: issue, suspend, reinstate, revoke, attach documents, verify, list;
- ``Shipments``: create, propose/accept/reject/cancel custody transfers, checkpoints,
  delivery, history, list;
- ``Epcis``: EPCIS 2.0 events under their CBV 2.0 event hash (every fact above is also
  recorded as one), events captured as they are, and transformations of lots.

Callers are known by their MSP id and the `provena.role` attribute of their certificate.
Records are canonical JSON (RFC 8785) under composite keys, time comes only from the
transaction timestamp, and every transaction sets one event carrying the changed record.
"""

from provena.contracts.certificates import CertificatesContract
from provena.contracts.epcis import EpcisContract
from provena.contracts.registry import RegistryContract
from provena.contracts.shipments import ShipmentsContract

__all__ = [
    "CONTRACTS",
    "CertificatesContract",
    "EpcisContract",
    "RegistryContract",
    "ShipmentsContract",
]

CONTRACTS = (RegistryContract(), CertificatesContract(), ShipmentsContract(), EpcisContract())
