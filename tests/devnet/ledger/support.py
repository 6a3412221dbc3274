"""The ledger core's partners in tests: the real development PKI and MSPs of a channel,
and a builder of endorsed transaction envelopes as a client assembles them."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from fabric_protos.common import common_pb2
from fabric_protos.ledger.rwset import rwset_pb2
from fabric_protos.peer import (
    chaincode_pb2,
    proposal_pb2,
    proposal_response_pb2,
    transaction_pb2,
)

from provena.devnet.identity import SigningIdentity
from provena.devnet.ledger.genesis import OrgMsp
from provena.devnet.ledger.seams import Identity, Signer
from provena.devnet.ledger.transaction import proposal_hash, tx_id_for
from provena.devnet.msp import MspManager
from provena.devnet.pki import ORDERER_ORG, OrgSpec, Pki, UserSpec

__all__ = ["CHANNEL", "USERS", "Orgs", "endorsed_envelope"]

CHANNEL = "provena"
USERS = ("user", "other")


class Orgs:
    """A channel's organizations on the real development PKI and MSP manager, with named
    members (peer0 endorses; `USERS` are clients; "orderer" of OrdererMSP signs blocks)."""

    def __init__(self, root: Path, msp_ids: Sequence[str]) -> None:
        specs = [OrgSpec(m, f"{m.lower()}.test", m) for m in msp_ids]
        users = [UserSpec(name, m) for m in msp_ids for name in USERS]
        self.pki = Pki.load_or_create(root, specs, users)
        self.msps = MspManager(self.pki.msp_configs())
        self.msp_ids = list(msp_ids)
        self._members: dict[tuple[str, str], SigningIdentity] = {}

    def member(self, msp_id: str, name: str = "peer0") -> SigningIdentity:
        if (msp_id, name) not in self._members:
            self._members[msp_id, name] = (
                self.pki.orderer_signer()
                if msp_id == ORDERER_ORG.msp_id
                else self.pki.signer(msp_id, name)
            )
        return self._members[msp_id, name]

    def deserialize(self, serialized_identity: bytes) -> Identity:
        return self.msps.deserialize(serialized_identity)

    def channel_orgs(self) -> list[OrgMsp]:
        return [
            OrgMsp(
                c.msp_id,
                [cert.public_bytes(serialization.Encoding.PEM) for cert in c.root_certs],
                orderer=c.msp_id == ORDERER_ORG.msp_id,
            )
            for c in self.pki.msp_configs()
        ]


def endorsed_envelope(
    *,
    creator: Signer,
    endorsers: Sequence[Signer],
    rwset: rwset_pb2.TxReadWriteSet,
    chaincode: str = "basic",
    channel: str = CHANNEL,
    nonce: bytes | None = None,
    tx_id: str | None = None,
    signer: Signer | None = None,
) -> common_pb2.Envelope:
    """An endorser transaction as a client assembles it from its endorsers' responses."""
    nonce = nonce if nonce is not None else os.urandom(24)
    creator_bytes = creator.serialized()
    channel_header = common_pb2.ChannelHeader(
        type=common_pb2.ENDORSER_TRANSACTION,
        channel_id=channel,
        tx_id=tx_id if tx_id is not None else tx_id_for(nonce, creator_bytes),
        extension=proposal_pb2.ChaincodeHeaderExtension(
            chaincode_id=chaincode_pb2.ChaincodeID(name=chaincode)
        ).SerializeToString(),
    )
    channel_header.timestamp.GetCurrentTime()
    chdr = channel_header.SerializeToString()
    shdr = common_pb2.SignatureHeader(creator=creator_bytes, nonce=nonce).SerializeToString()
    spec = chaincode_pb2.ChaincodeInvocationSpec(
        chaincode_spec=chaincode_pb2.ChaincodeSpec(
            chaincode_id=chaincode_pb2.ChaincodeID(name=chaincode),
            input=chaincode_pb2.ChaincodeInput(args=[b"invoke"]),
        )
    )
    cpp = proposal_pb2.ChaincodeProposalPayload(input=spec.SerializeToString()).SerializeToString()
    action = proposal_pb2.ChaincodeAction(
        results=rwset.SerializeToString(),
        response=proposal_response_pb2.Response(status=200),
        chaincode_id=chaincode_pb2.ChaincodeID(name=chaincode, version="1.0"),
    )
    prp = proposal_response_pb2.ProposalResponsePayload(
        proposal_hash=proposal_hash(chdr, shdr, cpp), extension=action.SerializeToString()
    ).SerializeToString()
    endorsements = [
        proposal_response_pb2.Endorsement(
            endorser=e.serialized(), signature=e.sign(prp + e.serialized())
        )
        for e in endorsers
    ]
    tx = transaction_pb2.Transaction(
        actions=[
            transaction_pb2.TransactionAction(
                header=shdr,
                payload=transaction_pb2.ChaincodeActionPayload(
                    chaincode_proposal_payload=cpp,
                    action=transaction_pb2.ChaincodeEndorsedAction(
                        proposal_response_payload=prp, endorsements=endorsements
                    ),
                ).SerializeToString(),
            )
        ]
    )
    payload = common_pb2.Payload(
        header=common_pb2.Header(channel_header=chdr, signature_header=shdr),
        data=tx.SerializeToString(),
    ).SerializeToString()
    return common_pb2.Envelope(payload=payload, signature=(signer or creator).sign(payload))
