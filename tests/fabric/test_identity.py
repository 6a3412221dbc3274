"""Identities from PEM files and MSP folders; low-S ECDSA signers on P-256 and P-384."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, decode_dss_signature

from provena.fabric import (
    Identity,
    IdentityError,
    ecdsa_signer,
    load_identity,
    load_msp_folder,
    load_private_key,
)
from provena.fabric.signers import low_s
from tests.fabric.pki import Ca, pem

P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def test_load_msp_folder(tmp_path: Path) -> None:
    member = Ca("ca.org1").issue("Org1MSP", "user1")
    (tmp_path / "signcerts").mkdir()
    (tmp_path / "keystore").mkdir()
    (tmp_path / "signcerts" / "cert.pem").write_bytes(pem(member.certificate))
    (tmp_path / "keystore" / "priv_sk").write_bytes(member.key_pem())
    identity, signer = load_msp_folder("Org1MSP", tmp_path)
    assert identity == Identity("Org1MSP", pem(member.certificate))
    digest = hashlib.sha256(b"message").digest()
    signature = signer(digest)
    assert isinstance(signature, bytes)
    member.key.public_key().verify(signature, b"message", ec.ECDSA(hashes.SHA256()))


def test_bad_inputs(tmp_path: Path) -> None:
    with pytest.raises(IdentityError, match="cannot read certificate"):
        load_identity("Org1MSP", tmp_path / "missing.pem")
    (tmp_path / "junk.pem").write_text("not a certificate")
    with pytest.raises(IdentityError, match=r"not a PEM X\.509 certificate"):
        load_identity("Org1MSP", tmp_path / "junk.pem")
    with pytest.raises(IdentityError, match="not an unencrypted PEM private key"):
        load_private_key(tmp_path / "junk.pem")
    with pytest.raises(IdentityError, match="needs an MSP id"):
        Identity("", pem(Ca("x").certificate))
    (tmp_path / "signcerts").mkdir()
    with pytest.raises(IdentityError, match="exactly one certificate"):
        load_msp_folder("Org1MSP", tmp_path)
    with pytest.raises(IdentityError, match="unsupported curve"):
        ecdsa_signer(ec.generate_private_key(ec.SECP521R1()))


@pytest.mark.parametrize(
    ("curve", "algorithm"),
    [(ec.SECP256R1(), hashes.SHA256()), (ec.SECP384R1(), hashes.SHA384())],
)
def test_signatures_are_low_s(curve: ec.EllipticCurve, algorithm: hashes.HashAlgorithm) -> None:
    key = ec.generate_private_key(curve)
    sign = ecdsa_signer(key)
    order = {"secp256r1": P256_ORDER}.get(curve.name)
    for i in range(40):
        digest = hashes.Hash(algorithm)
        digest.update(str(i).encode())
        value = digest.finalize()
        signature = sign(value)
        key.public_key().verify(signature, value, ec.ECDSA(Prehashed(algorithm)))
        _, s = decode_dss_signature(signature)
        if order:
            assert s <= order // 2


def test_low_s_flips_high_s() -> None:
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    high = encode_dss_signature(1, P256_ORDER - 1)
    assert decode_dss_signature(low_s(high, "secp256r1")) == (1, 1)
    with pytest.raises(ValueError, match="32 or 48 byte digest"):
        ecdsa_signer(ec.generate_private_key(ec.SECP256R1()))(b"short")
