"""The network as this API sees it: channel, height, recent blocks, chaincode, backends.

What cannot be known through the gateway is said to be unknown (null), never guessed: a peer
answers the chaincode's own metadata (`org.hyperledger.fabric:GetMetadata`), not its
lifecycle definition.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from provena.settings import Settings
from provena.verification.errors import VerificationError
from provena.verification.models import PublicProof, public_proof
from provena.verification.reader import LedgerReader

__all__ = ["Backends", "BlockView", "ChaincodeView", "backends", "chaincode_view", "recent_blocks"]


class Backends(BaseModel):
    ledger: str = Field(description="devnet | fabric")
    ipfs: str = Field(description="embedded | kubo")
    object_storage: str = Field(description="local | oci | s3")
    identity_provider: str = Field(description="development | oidc")
    identity_issuer: str
    key_sealing: str = Field(description="local | oci_vault")


class ChaincodeView(BaseModel):
    name: str
    version: str | None = Field(description="From the chaincode's metadata; null if unknown")
    contracts: list[str]


class BlockView(BaseModel):
    number: int
    timestamp: datetime | None
    transaction_count: int
    transactions: list[PublicProof]


def backends(settings: Settings) -> Backends:
    return Backends(
        ledger="devnet" if settings.devnet else "fabric",
        ipfs="kubo" if settings.ipfs_kubo_url else "embedded",
        object_storage=settings.storage_backend,
        identity_provider="development" if settings.dev_issuer else "oidc",
        identity_issuer=settings.issuer_url,
        key_sealing=settings.key_encryption,
    )


async def chaincode_view(reader: LedgerReader, name: str) -> ChaincodeView:
    try:
        metadata = await reader.evaluate("org.hyperledger.fabric", "GetMetadata")
    except VerificationError:
        return ChaincodeView(name=name, version=None, contracts=[])
    contracts = sorted(c for c in metadata.get("contracts", {}) if c != "org.hyperledger.fabric")
    version = metadata.get("info", {}).get("version") or None
    return ChaincodeView(name=name, version=version, contracts=contracts)


async def recent_blocks(reader: LedgerReader, count: int) -> tuple[int, list[BlockView]]:
    """The ledger height and the last `count` blocks, newest first."""
    blocks = await reader.recent(count)
    height = blocks[0].number + 1 if blocks else 0
    return height, [
        BlockView(
            number=b.number,
            timestamp=b.timestamp,
            transaction_count=len(b.transactions),
            transactions=[public_proof(t) for t in b.transactions],
        )
        for b in blocks
    ]
