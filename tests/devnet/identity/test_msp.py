"""MspManager: good identities in, every kind of bad one out with a typed error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from fabric_protos.msp import identities_pb2

from provena.devnet.ca import CertificateAuthority
from provena.devnet.errors import (
    IdentityError,
    InvalidRole,
    MalformedIdentity,
    UnknownMsp,
    UntrustedCertificate,
)
from provena.devnet.identity import SigningIdentity, curve_order
from provena.devnet.msp import MspManager, Role
from provena.devnet.pki import Pki


def _serialized(msp_id: str, cert_pem: bytes) -> bytes:
    proto = identities_pb2.SerializedIdentity(mspid=msp_id, id_bytes=cert_pem)
    serialized: bytes = proto.SerializeToString()
    return serialized


def _org1_ca(pki_root: Path) -> CertificateAuthority:
    ca_dir = pki_root / "peerOrganizations/org1.example.test/ca"
    return CertificateAuthority.load(ca_dir / "ca.org1.example.test-cert.pem", ca_dir / "priv_sk")


@pytest.mark.parametrize(
    ("msp_id", "name", "role"),
    [
        ("Org1MSP", "peer0", Role.PEER),
        ("Org2MSP", "Admin", Role.ADMIN),
        ("Org1MSP", "alice", Role.CLIENT),
        ("OrdererMSP", None, Role.ORDERER),
    ],
)
def test_accepts_and_classifies(
    pki: Pki, msps: MspManager, msp_id: str, name: str | None, role: Role
) -> None:
    signer = pki.orderer_signer() if name is None else pki.signer(msp_id, name)
    identity = msps.deserialize(signer.serialized())
    assert (identity.msp_id, identity.role) == (msp_id, role)
    assert identity.serialized == signer.serialized()
    assert identity.verify(b"payload", signer.sign(b"payload"))
    assert not identity.verify(b"other payload", signer.sign(b"payload"))


def test_cache_returns_the_same_identity(pki: Pki, msps: MspManager) -> None:
    serialized = pki.signer("Org3MSP").serialized()
    assert msps.deserialize(serialized) is msps.deserialize(serialized)


def test_cache_is_bounded(pki: Pki) -> None:
    msps = MspManager(pki.msp_configs(), cache_size=2)
    first = pki.signer("Org1MSP").serialized()
    a = msps.deserialize(first)
    msps.deserialize(pki.signer("Org2MSP").serialized())
    msps.deserialize(pki.signer("Org3MSP").serialized())
    assert msps.deserialize(first) is not a  # evicted, validated again


def test_unknown_msp(pki: Pki, msps: MspManager) -> None:
    with pytest.raises(UnknownMsp, match="'NopeMSP' is not a member of the channel"):
        msps.deserialize(_serialized("NopeMSP", pki.signer("Org1MSP").certificate_pem))


def test_wrong_msp_id_for_the_certificate(pki: Pki, msps: MspManager) -> None:
    with pytest.raises(UntrustedCertificate, match="not issued by a CA of Org2MSP"):
        msps.deserialize(_serialized("Org2MSP", pki.signer("Org1MSP").certificate_pem))


def test_certificate_from_an_unknown_ca(msps: MspManager) -> None:
    rogue = CertificateAuthority.create("ca.org1.example.test", "org1.example.test")
    issued = rogue.issue("mallory", ou="client")
    with pytest.raises(UntrustedCertificate, match="not issued by a CA of Org1MSP"):
        msps.deserialize(_serialized("Org1MSP", issued.certificate_pem))


def test_time_is_checked_as_of_the_certificate_start(pki_root: Path, msps: MspManager) -> None:
    """Fabric's MSP verifies a chain as of the leaf's NotBefore + 1 s, not now: an expired or
    not yet valid certificate deserializes (expiry is checked by who uses it), one that starts
    before its CA does not."""
    ca = _org1_ca(pki_root)
    now = dt.datetime.now(dt.UTC)
    expired = ca.issue("old", ou="client", not_before=now - dt.timedelta(minutes=4), not_after=now)
    future = ca.issue(
        "new",
        ou="client",
        not_before=now + dt.timedelta(days=1),
        not_after=now + dt.timedelta(days=2),
    )
    for issued, is_expired in ((expired, True), (future, False)):
        serialized = _serialized("Org1MSP", issued.certificate_pem)
        assert msps.deserialize(serialized).msp_id == "Org1MSP"
        assert msps.expired(serialized) is is_expired
    early = ca.issue(
        "early",
        ou="client",
        not_before=ca.certificate.not_valid_before_utc - dt.timedelta(days=1),
        not_after=now + dt.timedelta(days=1),
    )
    with pytest.raises(UntrustedCertificate, match=r"when its CA .* was not valid"):
        msps.deserialize(_serialized("Org1MSP", early.certificate_pem))


@pytest.mark.parametrize("ous", [None, "accounting"])
def test_identity_without_a_role_ou(pki_root: Path, msps: MspManager, ous: str | None) -> None:
    """It deserializes (Fabric's DeserializeIdentity), and fails validation."""
    serialized = _serialized("Org1MSP", _org1_ca(pki_root).issue("nobody", ou=ous).certificate_pem)
    assert msps.identity(serialized).role is None
    with pytest.raises(InvalidRole, match="exactly one of the OUs"):
        msps.deserialize(serialized)


@pytest.mark.parametrize(
    "serialized",
    [
        b"\xff\xff\xff",
        _serialized("Org1MSP", b"not a certificate"),
        _serialized("Org1MSP", b""),
    ],
)
def test_malformed_identities(msps: MspManager, serialized: bytes) -> None:
    with pytest.raises(MalformedIdentity):
        msps.deserialize(serialized)


def test_identity_errors_are_value_errors() -> None:
    assert issubclass(IdentityError, ValueError)


def test_high_s_signatures_are_rejected(pki: Pki, msps: MspManager) -> None:
    signer = pki.signer("Org1MSP", "alice")
    identity = msps.deserialize(signer.serialized())
    low = signer.sign(b"message")
    r, s = decode_dss_signature(low)
    n = curve_order(ec.SECP256R1())
    assert s <= n // 2
    high = encode_dss_signature(r, n - s)
    # mathematically valid, yet Fabric refuses it
    signer.private_key.public_key().verify(high, b"message", ec.ECDSA(hashes.SHA256()))
    assert not identity.verify(b"message", high)


@pytest.mark.parametrize("signature", [b"", b"\x30\x00", b"garbage", b"\x30" * 72])
def test_malformed_signatures_do_not_verify(pki: Pki, msps: MspManager, signature: bytes) -> None:
    assert not msps.deserialize(pki.signer("Org1MSP").serialized()).verify(b"m", signature)


def test_signature_by_another_key(pki: Pki, msps: MspManager) -> None:
    identity = msps.deserialize(pki.signer("Org1MSP").serialized())
    assert not identity.verify(b"m", pki.signer("Org2MSP").sign(b"m"))


def test_signing_identity_is_low_s_and_digest_signing_agrees(pki: Pki) -> None:
    signer = pki.signer("Org2MSP")
    n = curve_order(ec.SECP256R1())
    digest = hashes.Hash(hashes.SHA256())
    digest.update(b"payload")
    value = digest.finalize()
    for _ in range(64):  # half of raw ECDSA signatures are high-S
        assert decode_dss_signature(signer.sign(b"payload"))[1] <= n // 2
        by_digest = signer.sign_digest(value)
        assert decode_dss_signature(by_digest)[1] <= n // 2
        signer.private_key.public_key().verify(by_digest, b"payload", ec.ECDSA(hashes.SHA256()))
    with pytest.raises(ValueError, match="32 bytes"):
        signer.sign_digest(b"short")


def test_serialized_is_a_serialized_identity(pki: Pki) -> None:
    signer = pki.signer("Org3MSP", "Admin")
    proto = identities_pb2.SerializedIdentity.FromString(signer.serialized())
    assert proto.mspid == "Org3MSP"
    assert proto.id_bytes == signer.certificate_pem
    key = serialization.load_pem_private_key(
        (pki.user_msp_dir("Org3MSP", "Admin") / "keystore" / "priv_sk").read_bytes(), None
    )
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    again = SigningIdentity("Org3MSP", signer.certificate_pem, key)
    assert again.serialized() == signer.serialized()
