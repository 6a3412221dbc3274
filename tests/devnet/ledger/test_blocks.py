"""Block hashing and signatures, against encodings written out by hand."""

from __future__ import annotations

import hashlib

import pytest
from fabric_protos.common import common_pb2, configtx_pb2
from fabric_protos.orderer import configuration_pb2 as orderer_config_pb2

from provena.devnet.ledger.blocks import (
    block_data_hash,
    block_header_bytes,
    block_header_hash,
    new_block,
    orderer_signatures,
    sign_block,
    signed_bytes,
)
from provena.devnet.ledger.genesis import genesis_block
from provena.devnet.ledger.seams import Signer
from tests.devnet.ledger.support import Orgs


def _header(number: int, previous: bytes, data: bytes) -> common_pb2.BlockHeader:
    return common_pb2.BlockHeader(number=number, previous_hash=previous, data_hash=data)


def test_header_der_matches_a_hand_encoding() -> None:
    previous, data = b"\x11" * 32, b"\x22" * 32
    # SEQUENCE(len 71) { INTEGER 1, OCTET STRING(32) previous, OCTET STRING(32) data }
    expected = bytes([0x30, 71, 0x02, 1, 1, 0x04, 32]) + previous + bytes([0x04, 32]) + data
    header = _header(1, previous, data)
    assert block_header_bytes(header) == expected
    assert block_header_hash(header) == hashlib.sha256(expected).digest()


def test_header_der_integer_and_empty_hash_edges() -> None:
    # 0 is one zero byte; 128 needs a leading zero (else it would read as negative);
    # genesis has an empty previous hash: OCTET STRING of length 0.
    assert block_header_bytes(_header(0, b"", b"")) == bytes.fromhex("300702010004000400")
    assert block_header_bytes(_header(128, b"", b"")) == bytes.fromhex("30080202008004000400")
    big = 2**64 - 1  # uint64 max: nine content bytes
    assert block_header_bytes(_header(big, b"", b"")) == bytes.fromhex(
        "300f020900ffffffffffffffff04000400"
    )


def test_data_hash_is_sha256_of_the_concatenated_envelopes() -> None:
    assert block_data_hash([b"ab", b"c"]) == hashlib.sha256(b"abc").digest()
    block = new_block(3, b"\x01" * 32, [b"one", b"two"])
    assert block.header.data_hash == hashlib.sha256(b"onetwo").digest()
    assert len(block.metadata.metadata) == 5
    assert list(block.data.data) == [b"one", b"two"]


def test_orderer_signature_covers_value_signature_header_and_header(orgs: Orgs) -> None:
    orderer = orgs.member("OrdererMSP", "orderer")
    block = new_block(7, b"\x05" * 32, [b"tx"])
    sign_block(block, orderer, last_config=0)
    value, signatures = orderer_signatures(block)
    assert common_pb2.OrdererBlockMetadata.FromString(value).last_config.index == 0
    (signature,) = signatures
    shdr = common_pb2.SignatureHeader.FromString(signature.signature_header)
    assert shdr.creator == orderer.serialized()
    identity = orgs.deserialize(shdr.creator)
    message = value + signature.signature_header + block_header_bytes(block.header)
    assert signed_bytes(value, signature.signature_header, block.header) == message
    assert identity.verify(message, signature.signature)
    block.header.number = 8  # a changed header no longer verifies
    assert not identity.verify(
        signed_bytes(value, signature.signature_header, block.header), signature.signature
    )
    last = common_pb2.Metadata.FromString(block.metadata.metadata[common_pb2.LAST_CONFIG])
    assert common_pb2.LastConfig.FromString(last.value).index == 0


@pytest.mark.parametrize(
    ("seconds", "duration"),
    [(0.01, "10ms"), (2.0, "2000ms"), (0.0005, "500us"), (0.0015, "1500us")],
)
def test_genesis_batch_timeout_is_a_go_duration(
    orgs: Orgs, orderer_signer: Signer, seconds: float, duration: str
) -> None:
    block = genesis_block(
        channel="ch",
        orgs=orgs.channel_orgs(),
        orderer=orderer_signer,
        batch_size=10,
        batch_timeout=seconds,
    )
    payload = common_pb2.Payload.FromString(
        common_pb2.Envelope.FromString(block.data.data[0]).payload
    )
    config = configtx_pb2.ConfigEnvelope.FromString(payload.data).config
    value = config.channel_group.groups["Orderer"].values["BatchTimeout"].value
    assert orderer_config_pb2.BatchTimeout.FromString(value).timeout == duration
