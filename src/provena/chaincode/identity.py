"""Who submitted the transaction: Fabric's client identity (the `cid` library) for X.509 creators.

Distinguished names are written exactly as Fabric's Go `cid.GetID` writes them (RFC 2253
order, most specific first), so ids computed here equal ids computed by Go chaincode::

    x509::CN=alice,OU=client+OU=producer,O=Farm::CN=ca.farm.example,O=Farm,C=NL

Only the attributes Go's `pkix.Name` keeps appear (C, ST, L, STREET, POSTALCODE, O, OU, CN,
SERIALNUMBER), in Go's fixed order, with values of one type grouped into one multi-valued
RDN. Go's `GetID` returns this string base64-encoded; `get_id` returns it plain, as Node does.
Fabric CA attributes live in the certificate extension 1.2.3.4.5.6.7.8.1 as JSON
``{"attrs": {"name": "value"}}``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from cryptography import x509
from cryptography.x509.oid import NameOID, ObjectIdentifier
from fabric_protos.msp import identities_pb2
from google.protobuf.message import DecodeError

from provena.chaincode.errors import AttributeAssertionError, IdentityError

__all__ = ["ATTRIBUTE_EXTENSION_OID", "ClientIdentity", "distinguished_name"]

ATTRIBUTE_EXTENSION_OID = ObjectIdentifier("1.2.3.4.5.6.7.8.1")

# Go's pkix.Name.ToRDNSequence order; multi-valued types become one RDN joined by "+".
_MULTI_VALUED = (
    (NameOID.COUNTRY_NAME, "C"),
    (NameOID.STATE_OR_PROVINCE_NAME, "ST"),
    (NameOID.LOCALITY_NAME, "L"),
    (NameOID.STREET_ADDRESS, "STREET"),
    (NameOID.POSTAL_CODE, "POSTALCODE"),
    (NameOID.ORGANIZATION_NAME, "O"),
    (NameOID.ORGANIZATIONAL_UNIT_NAME, "OU"),
)
# Single-valued in pkix.Name: the last occurrence wins.
_SINGLE_VALUED = ((NameOID.COMMON_NAME, "CN"), (NameOID.SERIAL_NUMBER, "SERIALNUMBER"))
_ESCAPED = frozenset(',+"\\<>;')


def _escape(value: str) -> str:
    out = []
    last = len(value) - 1
    for index, char in enumerate(value):
        edge = (index == 0 and char in " #") or (index == last and char == " ")
        out.append("\\" + char if edge or char in _ESCAPED else char)
    return "".join(out)


def _values(name: x509.Name, oid: ObjectIdentifier) -> list[str]:
    return [str(attribute.value) for attribute in name.get_attributes_for_oid(oid)]


def distinguished_name(name: x509.Name) -> str:
    """`name` as Fabric's Go cid library writes it."""
    rdns = []
    for oid, label in _MULTI_VALUED:
        values = _values(name, oid)
        if values:
            rdns.append("+".join(f"{label}={_escape(value)}" for value in values))
    for oid, label in _SINGLE_VALUED:
        values = _values(name, oid)
        if values:
            rdns.append(f"{label}={_escape(values[-1])}")
    return ",".join(reversed(rdns))


def _attributes(certificate: x509.Certificate) -> dict[str, str]:
    try:
        extension = certificate.extensions.get_extension_for_oid(ATTRIBUTE_EXTENSION_OID)
    except x509.ExtensionNotFound:
        return {}
    raw = extension.value
    if not isinstance(raw, x509.UnrecognizedExtension):
        raise IdentityError("the attribute extension of the certificate is not readable")
    try:
        document = json.loads(raw.value)
    except ValueError as exc:
        raise IdentityError(f"the certificate's attribute extension is not JSON: {exc}") from exc
    attrs = document.get("attrs") if isinstance(document, dict) else None
    if attrs is None:
        return {}
    if not isinstance(attrs, dict) or not all(isinstance(v, str) for v in attrs.values()):
        raise IdentityError('the certificate\'s attribute extension is not {"attrs": {name: text}}')
    return dict(attrs)


class ClientIdentity:
    """The submitter of a transaction: MSP id, certificate, Fabric id and CA attributes."""

    __slots__ = ("_attributes", "certificate", "id", "msp_id")

    def __init__(self, serialized_identity: bytes) -> None:
        identity = identities_pb2.SerializedIdentity()
        try:
            identity.ParseFromString(serialized_identity)
        except DecodeError as exc:
            raise IdentityError("the creator is not a serialized MSP identity") from exc
        try:
            self.certificate = x509.load_pem_x509_certificate(identity.id_bytes)
        except ValueError as exc:
            raise IdentityError(
                f"the creator of MSP {identity.mspid!r} is not a PEM X.509 certificate"
            ) from exc
        self.msp_id: str = identity.mspid
        self.id = (
            f"x509::{distinguished_name(self.certificate.subject)}"
            f"::{distinguished_name(self.certificate.issuer)}"
        )
        self._attributes = _attributes(self.certificate)

    def get_id(self) -> str:
        """``x509::<subject DN>::<issuer DN>``, unique within the MSP and stable across renewals."""
        return self.id

    def get_msp_id(self) -> str:
        return self.msp_id

    @property
    def subject(self) -> str:
        return distinguished_name(self.certificate.subject)

    @property
    def issuer(self) -> str:
        return distinguished_name(self.certificate.issuer)

    @property
    def attributes(self) -> Mapping[str, str]:
        """Every Fabric CA attribute of the certificate."""
        return dict(self._attributes)

    def get_attribute_value(self, name: str) -> str | None:
        """The value of a Fabric CA attribute, None when the certificate lacks it."""
        return self._attributes.get(name)

    def assert_attribute_value(self, name: str, value: str) -> None:
        """Fail the transaction unless the certificate carries `name` = `value`."""
        found = self._attributes.get(name)
        if found is None:
            raise AttributeAssertionError(f"Attribute '{name}' was not found")
        if found != value:
            raise AttributeAssertionError(f"Attribute '{name}' equals '{found}', not '{value}'")
