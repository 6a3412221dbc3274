"""Certificate and registry events onto `certificates` and `certificate_documents`."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from provena.contracts.events import AccreditationEvent, CertificateEvent, RegistryEvent
from provena.contracts.model import Certificate as CertificateRecord
from provena.contracts.model import DocumentRef
from provena.db import Certificate, CertificateDocument
from provena.events import Announcement, upsert
from provena.fabric import ChaincodeEvent

__all__ = ["EVENTS", "apply"]

_CERTIFICATE_KINDS = {
    "CertificateIssued": "certificate.issued",
    "DocumentAttached": "certificate.document_attached",
    "CertificateSuspended": "certificate.suspended",
    "CertificateReinstated": "certificate.reinstated",
    "CertificateRevoked": "certificate.revoked",
}
_REGISTRY_KINDS = {
    "RegistryBootstrapped": "registry.bootstrapped",
    "CertifierAccredited": "accreditation.granted",
    "AccreditationWithdrawn": "accreditation.withdrawn",
}
EVENTS = frozenset(_CERTIFICATE_KINDS) | frozenset(_REGISTRY_KINDS)
"""The chaincode event names this projection applies."""


async def apply(session: AsyncSession, event: ChaincodeEvent) -> Announcement:
    """Write what `event` (one of `EVENTS`) changed, in `session`'s transaction."""
    payload: dict[str, Any] = json.loads(event.payload)
    if event.event_name in _REGISTRY_KINDS:
        return _announce_registry(event.event_name, payload)
    kind = _CERTIFICATE_KINDS[event.event_name]
    change = CertificateEvent.model_validate(payload)
    certificate = change.certificate
    await upsert(session, Certificate, _certificate_row(certificate, event))
    if event.event_name == "CertificateIssued":
        for position, document in enumerate(certificate.documents):
            await _document(session, certificate.id, position, document, event)
    elif change.document is not None:
        cids = [d.cid for d in certificate.documents]
        position = cids.index(change.document.cid)
        await _document(session, certificate.id, position, change.document, event)
    audience = [certificate.issuer_msp]
    if certificate.subject.msp_id is not None:
        audience.append(certificate.subject.msp_id)
    return Announcement(kind, payload, audience)


def _announce_registry(name: str, payload: dict[str, Any]) -> Announcement:
    if name == "RegistryBootstrapped":
        registry = RegistryEvent.model_validate(payload).registry
        return Announcement(_REGISTRY_KINDS[name], payload, registry.governance_msps)
    accreditation = AccreditationEvent.model_validate(payload).accreditation
    return Announcement(_REGISTRY_KINDS[name], payload, [accreditation.msp_id])


def _certificate_row(certificate: CertificateRecord, event: ChaincodeEvent) -> dict[str, Any]:
    return {
        "id": certificate.id,
        "scheme": certificate.scheme,
        "subject_kind": certificate.subject.kind.value,
        "subject_id": certificate.subject.id,
        "subject_name": certificate.subject.name,
        "subject_msp_id": certificate.subject.msp_id,
        "scope": certificate.scope,
        "valid_from": certificate.valid_from,
        "valid_until": certificate.valid_until,
        "status": certificate.status.value,
        "status_reason": certificate.status_reason,
        "issuer_msp_id": certificate.issuer_msp,
        "issuer_id": certificate.issuer_id,
        "issued_at": certificate.issued_at,
        "metadata_cid": certificate.metadata_cid,
        "tx_id": event.transaction_id,
        "block_number": event.block_number,
    }


async def _document(
    session: AsyncSession,
    certificate_id: str,
    position: int,
    document: DocumentRef,
    event: ChaincodeEvent,
) -> None:
    row = document.model_dump() | {
        "certificate_id": certificate_id,
        "position": position,
        "tx_id": event.transaction_id,
        "block_number": event.block_number,
    }
    await upsert(session, CertificateDocument, row)
