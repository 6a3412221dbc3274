"""Blocks as Fabric builds them: hashes, header chaining, orderer signature, transaction filter.

    header hash  = SHA-256( DER SEQUENCE { INTEGER number,
                                          OCTET STRING previous_hash,
                                          OCTET STRING data_hash } )
    data hash    = SHA-256( data[0] ‖ data[1] ‖ … )        (the envelopes' bytes, concatenated)

    metadata[SIGNATURES]          Metadata(value = OrdererBlockMetadata(LastConfig(index)),
                                           signatures = [MetadataSignature(signature_header,
                                             sign(value ‖ signature_header ‖ header bytes))])
    metadata[LAST_CONFIG]         Metadata(value = LastConfig(index))   (unsigned, as Fabric 2+)
    metadata[TRANSACTIONS_FILTER] one byte per transaction: its TxValidationCode

The orderer signs before validation, so the committer may set the transaction filter after
the signature without breaking it: the signature covers the header, not the other slots.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence

from fabric_protos.common import common_pb2

from provena.devnet.ledger.seams import Signer

__all__ = [
    "block_data_hash",
    "block_header_bytes",
    "block_header_hash",
    "new_block",
    "orderer_signatures",
    "sign_block",
    "signed_bytes",
    "transaction_filter",
]

_METADATA_SLOTS = len(common_pb2.BlockMetadataIndex.items())


def _der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _der(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + _der_length(len(content)) + content


def _der_unsigned(value: int) -> bytes:
    # Minimal two's complement: one leading zero byte when the top bit would read as a sign.
    return value.to_bytes(value.bit_length() // 8 + 1, "big")


def block_header_bytes(header: common_pb2.BlockHeader) -> bytes:
    """The DER encoding Fabric hashes and signs (protoutil.BlockHeaderBytes)."""
    return _der(
        0x30,
        _der(0x02, _der_unsigned(header.number))
        + _der(0x04, header.previous_hash)
        + _der(0x04, header.data_hash),
    )


def block_header_hash(header: common_pb2.BlockHeader) -> bytes:
    """The hash the next block records as its previous_hash."""
    return hashlib.sha256(block_header_bytes(header)).digest()


def block_data_hash(data: Sequence[bytes]) -> bytes:
    return hashlib.sha256(b"".join(data)).digest()


def new_block(number: int, previous_hash: bytes, envelopes: Sequence[bytes]) -> common_pb2.Block:
    """An unsigned block of serialized envelopes with every metadata slot present and empty."""
    block = common_pb2.Block()
    block.header.number = number
    block.header.previous_hash = previous_hash
    block.header.data_hash = block_data_hash(envelopes)
    block.data.data.extend(envelopes)
    block.metadata.metadata.extend([b""] * _METADATA_SLOTS)
    return block


def signed_bytes(value: bytes, signature_header: bytes, header: common_pb2.BlockHeader) -> bytes:
    """What a block signature covers."""
    return value + signature_header + block_header_bytes(header)


def sign_block(block: common_pb2.Block, signer: Signer, *, last_config: int) -> None:
    """Write the orderer's SIGNATURES and LAST_CONFIG metadata into `block`."""
    value = common_pb2.OrdererBlockMetadata(
        last_config=common_pb2.LastConfig(index=last_config)
    ).SerializeToString()
    signature_header = common_pb2.SignatureHeader(
        creator=signer.serialized(), nonce=os.urandom(24)
    ).SerializeToString()
    signature = signer.sign(signed_bytes(value, signature_header, block.header))
    metadata = common_pb2.Metadata(
        value=value,
        signatures=[
            common_pb2.MetadataSignature(signature_header=signature_header, signature=signature)
        ],
    )
    slots = block.metadata.metadata
    slots[common_pb2.SIGNATURES] = metadata.SerializeToString()
    slots[common_pb2.LAST_CONFIG] = common_pb2.Metadata(
        value=common_pb2.LastConfig(index=last_config).SerializeToString()
    ).SerializeToString()


def orderer_signatures(
    block: common_pb2.Block,
) -> tuple[bytes, list[common_pb2.MetadataSignature]]:
    """The signed value and the signatures of a block's SIGNATURES slot."""
    metadata = common_pb2.Metadata.FromString(block.metadata.metadata[common_pb2.SIGNATURES])
    return metadata.value, list(metadata.signatures)


def transaction_filter(block: common_pb2.Block) -> bytes:
    """The TRANSACTIONS_FILTER slot: one TxValidationCode byte per transaction."""
    return bytes(block.metadata.metadata[common_pb2.TRANSACTIONS_FILTER])
