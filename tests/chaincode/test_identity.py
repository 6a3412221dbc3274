"""Client identity from real X.509 certificates: Fabric's DN format, id, CA attributes."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.x509.oid import NameOID, ObjectIdentifier

from provena.chaincode import AttributeAssertionError, ClientIdentity, IdentityError
from tests.chaincode.support import Authority, Issued, Ledger, Peer, name, serialized_identity

ISSUER = "CN=ca.provena.test,O=Provena Test,C=NL"


def identity(cert: Issued, msp_id: str = "ProducerMSP") -> ClientIdentity:
    return ClientIdentity(serialized_identity(msp_id, cert.cert_pem))


def test_fabric_ca_style_certificate(alice: Issued) -> None:
    client = identity(alice)
    subject = "CN=alice,OU=client+OU=producer,O=Farm Coop,L=Ede,ST=Gelderland,C=NL"
    assert client.msp_id == client.get_msp_id() == "ProducerMSP"
    assert client.subject == subject
    assert client.issuer == ISSUER
    assert client.get_id() == f"x509::{subject}::{ISSUER}"
    # Go's cid.GetID returns the same string, base64-encoded.
    assert base64.b64decode(base64.b64encode(client.get_id().encode())).decode() == client.id
    assert client.attributes == {"provena.role": "producer", "hf.EnrollmentID": "alice"}
    assert client.get_attribute_value("provena.role") == "producer"
    assert client.get_attribute_value("absent") is None


def test_go_order_and_escaping(ca: Authority) -> None:
    """Go's pkix.Name order (C, ST, L, STREET, POSTALCODE, O, OU, CN, SERIALNUMBER), reversed,
    whatever the order in the certificate; one CN (the last); unknown types left out."""
    subject = name(
        (NameOID.COMMON_NAME, "first"),
        (NameOID.SERIAL_NUMBER, "42"),
        (NameOID.ORGANIZATIONAL_UNIT_NAME, "b"),
        (NameOID.POSTAL_CODE, "6711"),
        (NameOID.STREET_ADDRESS, "Dorpsstraat 1"),
        (NameOID.EMAIL_ADDRESS, "x@example.org"),
        (NameOID.ORGANIZATION_NAME, "A, B + C"),
        (NameOID.COMMON_NAME, ' #last; <x> "q" \\ '),
        (NameOID.COUNTRY_NAME, "NL"),
    )
    client = identity(ca.issue("escaped", subject))
    assert client.subject == (
        'SERIALNUMBER=42,CN=\\ #last\\; \\<x\\> \\"q\\" \\\\\\ ,OU=b,O=A\\, B \\+ C,'
        "POSTALCODE=6711,STREET=Dorpsstraat 1,C=NL"
    )


def test_certificate_without_attributes(ca: Authority) -> None:
    client = identity(ca.issue("plain", name((NameOID.COMMON_NAME, "bob"))))
    assert client.attributes == {}
    with pytest.raises(AttributeAssertionError, match=r"Attribute 'provena\.role' was not found"):
        client.assert_attribute_value("provena.role", "admin")


def test_assert_attribute_value(alice: Issued) -> None:
    client = identity(alice)
    client.assert_attribute_value("provena.role", "producer")
    with pytest.raises(
        AttributeAssertionError, match=r"Attribute 'provena\.role' equals 'producer', not 'admin'"
    ):
        client.assert_attribute_value("provena.role", "admin")


@pytest.mark.parametrize(
    ("extension", "message"),
    [
        (b"not json", "attribute extension is not JSON"),
        (json.dumps({"attrs": {"n": 1}}).encode(), 'is not {"attrs": {name: text}}'),
        (json.dumps({"attrs": ["x"]}).encode(), 'is not {"attrs": {name: text}}'),
    ],
)
def test_malformed_attribute_extension(ca: Authority, extension: bytes, message: str) -> None:
    cert = ca.issue("odd", name((NameOID.COMMON_NAME, "odd")), raw_attribute_extension=extension)
    with pytest.raises(IdentityError, match=message):
        identity(cert)


def test_attribute_extension_without_attrs(ca: Authority) -> None:
    cert = ca.issue("empty", name((NameOID.COMMON_NAME, "e")), raw_attribute_extension=b"{}")
    assert identity(cert).attributes == {}


def test_creators_that_are_not_x509() -> None:
    with pytest.raises(IdentityError, match="not a serialized MSP identity"):
        ClientIdentity(b"\xff\xff")
    with pytest.raises(IdentityError, match=r"of MSP 'M' is not a PEM X\.509 certificate"):
        ClientIdentity(serialized_identity("M", b"idemix credential"))


def test_attribute_oid() -> None:
    from provena.chaincode.identity import ATTRIBUTE_EXTENSION_OID

    assert ObjectIdentifier("1.2.3.4.5.6.7.8.1") == ATTRIBUTE_EXTENSION_OID


async def test_identity_in_a_transaction(peer: Peer, ledger: Ledger, alice: Issued) -> None:
    result = await peer.run("cc", "State:Identity", simulator=ledger.simulator())
    seen = json.loads(result.response.payload)
    assert seen["id"] == identity(alice).get_id()
    assert (seen["msp_id"], seen["role"], seen["missing"]) == ("ProducerMSP", "producer", None)
    granted = await peer.run(
        "cc", "State:Assert", "provena.role", "producer", simulator=ledger.simulator()
    )
    assert granted.response.payload == b"granted"
    denied = await peer.run(
        "cc", "State:Assert", "provena.role", "admin", simulator=ledger.simulator()
    )
    assert (denied.response.status, denied.response.message) == (
        500,
        "Attribute 'provena.role' equals 'producer', not 'admin'",
    )


async def test_unreadable_creator_fails_only_what_needs_it(
    peer: Peer, ledger: Ledger, tmp_path: Path
) -> None:
    stranger = serialized_identity("IdemixMSP", b"not a certificate")
    facts = await peer.run("cc", "State:Proposal", simulator=ledger.simulator(), creator=stranger)
    assert json.loads(facts.response.payload)["creator_msp"] == "IdemixMSP"
    who = await peer.run("cc", "State:Identity", simulator=ledger.simulator(), creator=stranger)
    assert who.response.status == 500
    assert "is not a PEM X.509 certificate" in who.response.message
