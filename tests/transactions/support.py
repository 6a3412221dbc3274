"""What the transaction tests share: a certificate to issue, and a write recorded as a
process that died right after recording it would leave it."""

from __future__ import annotations

import json

from provena.db import Database, LedgerTransaction
from provena.fabric import Identity, Signer
from provena.fabric.signingidentity import SigningIdentity
from provena.transactions import LedgerConnection

__all__ = ["certificate", "record_unsubmitted"]


def certificate(id: str) -> str:
    """IssueCertificate's argument for a certificate `id` (scheme EU-ORGANIC)."""
    return json.dumps(
        {
            "id": id,
            "scheme": "EU-ORGANIC",
            "subject": {"kind": "lot", "id": "LOT-7", "name": "Tomato lot 7"},
            "scope": "Organic tomatoes",
            "valid_from": "2026-01-01T00:00:00Z",
            "valid_until": "2036-01-01T00:00:00Z",
        }
    )


async def record_unsubmitted(
    connection: LedgerConnection,
    database: Database,
    identity: Identity,
    signer: Signer,
    certificate_id: str,
) -> str:
    """Endorse and sign the issue of `certificate_id`, and record it pending with its
    envelope, without giving it to the orderer; returns its transaction id."""
    gateway = connection.gateway(identity, signer)
    proposal = connection.contract(gateway, "Certificates").new_proposal(
        "IssueCertificate", args=(certificate(certificate_id),)
    )
    transaction = await proposal.endorse()
    signature = await SigningIdentity(identity, signer).sign(transaction.digest)
    signed = gateway.new_signed_transaction(transaction.to_bytes(), signature)
    async with database.session() as session:
        session.add(
            LedgerTransaction(
                tx_id=signed.transaction_id,
                channel=connection.channel,
                chaincode=connection.chaincode,
                function="Certificates:IssueCertificate",
                submitter_msp_id=identity.msp_id,
                envelope=signed.to_bytes(),
            )
        )
        await session.commit()
    return signed.transaction_id
