"""The development PKI: Fabric's folder layout, NodeOUs, attributes, reuse and enrollment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID, ObjectIdentifier

from provena.devnet.errors import PkiError
from provena.devnet.msp import MspManager, Role
from provena.devnet.pki import ORDERER_ORG, OrgSpec, Pki
from tests.devnet.identity.conftest import ORGS, USERS


def _cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def _ou(cert: x509.Certificate) -> list[str]:
    return [
        str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    ]


def test_layout_is_cryptogens(pki: Pki, pki_root: Path) -> None:
    org = pki_root / "peerOrganizations" / "org1.example.test"
    expected = [
        "ca/ca.org1.example.test-cert.pem",
        "ca/priv_sk",
        "tlsca/tlsca.org1.example.test-cert.pem",
        "tlsca/priv_sk",
        "msp/cacerts/ca.org1.example.test-cert.pem",
        "msp/tlscacerts/tlsca.org1.example.test-cert.pem",
        "msp/config.yaml",
        "peers/peer0.org1.example.test/msp/signcerts/peer0.org1.example.test-cert.pem",
        "peers/peer0.org1.example.test/msp/keystore/priv_sk",
        "peers/peer0.org1.example.test/msp/cacerts/ca.org1.example.test-cert.pem",
        "peers/peer0.org1.example.test/msp/config.yaml",
        "peers/peer0.org1.example.test/tls/ca.crt",
        "peers/peer0.org1.example.test/tls/server.crt",
        "peers/peer0.org1.example.test/tls/server.key",
        "users/Admin@org1.example.test/msp/signcerts/Admin@org1.example.test-cert.pem",
        "users/Admin@org1.example.test/msp/keystore/priv_sk",
        "users/alice@org1.example.test/msp/signcerts/alice-cert.pem",
        "users/alice@org1.example.test/msp/tlscacerts/tlsca.org1.example.test-cert.pem",
    ]
    missing = [p for p in expected if not (org / p).is_file()]
    assert missing == []
    orderer = pki_root / "ordererOrganizations" / ORDERER_ORG.domain
    assert (orderer / "orderers" / f"orderer.{ORDERER_ORG.domain}" / "msp" / "keystore").is_dir()
    assert (org / "ca" / "priv_sk").stat().st_mode & 0o077 == 0


def test_node_ous_config_is_fabrics(pki: Pki, pki_root: Path) -> None:
    text = (pki_root / "peerOrganizations/org2.example.test/msp/config.yaml").read_text()
    expected = ["NodeOUs:", "  Enable: true"]
    for key, ou in (
        ("ClientOUIdentifier", "client"),
        ("PeerOUIdentifier", "peer"),
        ("AdminOUIdentifier", "admin"),
        ("OrdererOUIdentifier", "orderer"),
    ):
        expected += [
            f"  {key}:",
            "    Certificate: cacerts/ca.org2.example.test-cert.pem",
            f"    OrganizationalUnitIdentifier: {ou}",
        ]
    assert text.splitlines() == expected


def test_certificates_chain_and_carry_roles(pki: Pki, pki_root: Path) -> None:
    org = pki_root / "peerOrganizations" / "org1.example.test"
    ca = _cert(org / "ca/ca.org1.example.test-cert.pem")
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert isinstance(ca.public_key(), ec.EllipticCurvePublicKey)
    assert ca.public_key().curve.name == "secp256r1"  # type: ignore[union-attr]
    for path, ou in (
        ("peers/peer0.org1.example.test/msp/signcerts/peer0.org1.example.test-cert.pem", "peer"),
        ("users/Admin@org1.example.test/msp/signcerts/Admin@org1.example.test-cert.pem", "admin"),
        ("users/alice@org1.example.test/msp/signcerts/alice-cert.pem", "client"),
    ):
        cert = _cert(org / path)
        cert.verify_directly_issued_by(ca)
        assert _ou(cert) == [ou]
    key = serialization.load_pem_private_key(
        (org / "peers/peer0.org1.example.test/msp/keystore/priv_sk").read_bytes(), None
    )
    signcert = _cert(
        org / "peers/peer0.org1.example.test/msp/signcerts/peer0.org1.example.test-cert.pem"
    )
    assert key.public_key() == signcert.public_key()


def test_attributes_are_fabric_ca_json(pki: Pki, pki_root: Path) -> None:
    cert = _cert(
        pki_root / "peerOrganizations/org1.example.test/users/alice@org1.example.test/msp"
        "/signcerts/alice-cert.pem"
    )
    ext = cert.extensions.get_extension_for_oid(ObjectIdentifier("1.2.3.4.5.6.7.8.1"))
    assert not ext.critical
    raw = ext.value.value  # type: ignore[attr-defined]
    assert raw == (
        b'{"attrs":{"hf.Affiliation":"","hf.EnrollmentID":"alice","hf.Type":"client",'
        b'"provena.role":"certifier"}}'
    )
    assert json.loads(raw)["attrs"]["provena.role"] == "certifier"


def test_restart_reuses_everything(pki: Pki, pki_root: Path) -> None:
    before = {p: p.read_bytes() for p in pki_root.rglob("*") if p.is_file()}
    again = Pki.load_or_create(pki_root, ORGS, USERS)
    after = {p: p.read_bytes() for p in pki_root.rglob("*") if p.is_file()}
    assert before == after
    assert again.signer("Org2MSP").certificate_pem == pki.signer("Org2MSP").certificate_pem


def test_enroll_issues_a_usable_identity(pki: Pki, msps: MspManager) -> None:
    msp_dir = pki.enroll("bob.smith", "Org3MSP", {"provena.role": "carrier", "team": "north"})
    assert msp_dir.is_dir()
    identity = msps.deserialize(pki.signer("Org3MSP", "bob.smith").serialized())
    assert identity.role is Role.CLIENT
    assert identity.common_name == "bob.smith"
    assert identity.attributes == {
        "hf.Affiliation": "",
        "hf.EnrollmentID": "bob.smith",
        "hf.Type": "client",
        "provena.role": "carrier",
        "team": "north",
    }
    cert, key = pki.user_files("Org3MSP", "bob.smith")
    assert cert.is_file()
    assert key.is_file()


def test_enroll_again_replaces_the_identity(pki: Pki) -> None:
    pki.enroll("carol", "Org2MSP", {})
    first = pki.signer("Org2MSP", "carol").certificate_pem
    pki.enroll("carol", "Org2MSP", {"provena.role": "auditor"})
    second = pki.signer("Org2MSP", "carol")
    assert second.certificate_pem != first
    assert len(list((pki.user_msp_dir("Org2MSP", "carol") / "signcerts").iterdir())) == 1


def test_enroll_admin_role(pki: Pki, msps: MspManager) -> None:
    pki.enroll("dora", "Org2MSP", {}, role="admin")
    assert msps.deserialize(pki.signer("Org2MSP", "dora").serialized()).role is Role.ADMIN


@pytest.mark.parametrize(
    ("name", "msp_id", "role", "message"),
    [
        ("../evil", "Org1MSP", "client", "not a valid identity name"),
        ("", "Org1MSP", "client", "not a valid identity name"),
        ("a/b", "Org1MSP", "client", "not a valid identity name"),
        ("x" * 65, "Org1MSP", "client", "not a valid identity name"),
        ("eve", "NopeMSP", "client", "no organization 'NopeMSP'"),
        ("eve", "Org1MSP", "peer", "client or admin"),
    ],
)
def test_enroll_rejects_bad_input(
    pki: Pki, name: str, msp_id: str, role: str, message: str
) -> None:
    with pytest.raises(PkiError, match=message):
        pki.enroll(name, msp_id, {}, role=role)


def test_unknown_user_is_a_clear_error(pki: Pki) -> None:
    with pytest.raises(PkiError, match="no user 'ghost' in Org1MSP"):
        pki.user_files("Org1MSP", "ghost")


@pytest.mark.parametrize(
    ("orgs", "message"),
    [
        ((), "at least one organization"),
        ((ORGS[0], ORGS[0]), "distinct MSP ids"),
        (
            (OrgSpec("A", "x.test", "A"), OrgSpec("B", "x.test", "B")),
            "distinct MSP ids and domains",
        ),
    ],
)
def test_bad_org_sets(tmp_path: Path, orgs: tuple[OrgSpec, ...], message: str) -> None:
    with pytest.raises(PkiError, match=message):
        Pki.load_or_create(tmp_path, orgs)


@pytest.mark.parametrize(
    ("msp_id", "domain", "message"),
    [("Org_1", "org.test", "MSP id"), ("Org1", "Org.Test", "DNS domain"), ("Org1", "a..b", "DNS")],
)
def test_bad_org_spec(msp_id: str, domain: str, message: str) -> None:
    with pytest.raises(PkiError, match=message):
        OrgSpec(msp_id, domain, "x")


def test_tls_server_certificate_names_the_listen_host(tmp_path: Path) -> None:
    pki = Pki.load_or_create(tmp_path, ORGS[:1])
    _, chain, root = pki.tls_server_credentials("127.0.0.1")
    cert = x509.load_pem_x509_certificate(chain)
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert set(san.get_values_for_type(x509.DNSName)) == {"peer0.org1.example.test", "localhost"}
    assert [str(ip) for ip in san.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    cert.verify_directly_issued_by(x509.load_pem_x509_certificate(root))
    assert pki.server_name == "peer0.org1.example.test"
    assert pki.tls_ca_file.read_bytes() == root
    # the same host again: nothing reissued; a new host: reissued with it
    assert pki.tls_server_credentials("localhost")[1] == chain
    _, chain2, _ = pki.tls_server_credentials("devnet.example.test")
    san2 = x509.load_pem_x509_certificate(chain2).extensions.get_extension_for_class(
        x509.SubjectAlternativeName
    )
    assert "devnet.example.test" in san2.value.get_values_for_type(x509.DNSName)


def test_identity_paths_lists_every_identity(pki: Pki) -> None:
    paths = pki.identity_paths()
    assert set(paths) == {"Org1MSP", "Org2MSP", "Org3MSP", "OrdererMSP"}
    org1 = paths["Org1MSP"]
    assert {"Admin", "alice"} <= set(org1["users"])
    assert Path(org1["peer"]).is_dir()
    assert "orderer" in paths["OrdererMSP"]
