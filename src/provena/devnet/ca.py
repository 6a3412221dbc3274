"""A certificate authority of the development PKI: ECDSA P-256 keys, X.509 certificates.

Certificates look like the ones `cryptogen` and Fabric CA issue, so every Fabric tool reads
them: the role travels as an OU (`client`, `peer`, `admin`, `orderer`; NodeOUs), and Fabric CA
attributes travel in the extension 1.2.3.4.5.6.7.8.1 whose value is the bare JSON
`{"attrs":{...}}` (keys sorted, no spaces, as Go's encoding/json writes a map).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from provena.devnet.errors import PkiError

__all__ = [
    "ATTRIBUTES_OID",
    "CertificateAuthority",
    "Issued",
    "attributes_of",
    "write_private",
]

ATTRIBUTES_OID = ObjectIdentifier("1.2.3.4.5.6.7.8.1")
"""Fabric CA's attribute extension."""

_VALIDITY = dt.timedelta(days=3650)
_SKEW = dt.timedelta(minutes=5)


def attributes_of(certificate: x509.Certificate) -> dict[str, str]:
    """The Fabric CA attributes of a certificate ({} when it carries none)."""
    try:
        extension = certificate.extensions.get_extension_for_oid(ATTRIBUTES_OID)
    except x509.ExtensionNotFound:
        return {}
    value = extension.value
    if not isinstance(value, x509.UnrecognizedExtension):
        raise ValueError("the attribute extension is not an opaque value")
    attrs = json.loads(value.value).get("attrs", {})
    if not isinstance(attrs, dict):
        raise ValueError("the attribute extension's attrs is not an object")
    return {str(k): str(v) for k, v in attrs.items()}


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable only by its owner, atomically (a crash leaves old or new)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data)
    tmp.replace(path)


@dataclass(frozen=True, slots=True)
class Issued:
    """A certificate and the key it certifies, PEM-encoded."""

    certificate_pem: bytes
    key_pem: bytes


def _new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _general_names(hosts: Sequence[str]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    for host in dict.fromkeys(hosts):
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return names


@dataclass(frozen=True, slots=True)
class CertificateAuthority:
    """A self-signed root CA that issues leaf certificates."""

    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @classmethod
    def create(cls, common_name: str, organization: str) -> CertificateAuthority:
        key = _new_key()
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            ]
        )
        now = dt.datetime.now(dt.UTC)
        ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _SKEW)
            .not_valid_after(now + _VALIDITY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=True,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.ExtendedKeyUsage(
                    [ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH]
                ),
                critical=False,
            )
            .add_extension(ski, critical=False)
            .sign(key, hashes.SHA256())
        )
        return cls(certificate, key)

    @classmethod
    def load(cls, cert_path: Path, key_path: Path) -> CertificateAuthority:
        try:
            certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
            key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        except (OSError, ValueError) as exc:
            raise PkiError(f"cannot load the CA {cert_path}: {exc}") from exc
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise PkiError(f"{key_path} is not an ECDSA private key")
        return cls(certificate, key)

    def save(self, cert_path: Path, key_path: Path) -> None:
        write_private(key_path, _key_pem(self.key))
        cert_path.parent.mkdir(parents=True, exist_ok=True)
        cert_path.write_bytes(self.certificate_pem)

    @property
    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def issue(
        self,
        common_name: str,
        *,
        ou: str | None = None,
        attrs: Mapping[str, str] | None = None,
        hosts: Sequence[str] = (),
        tls: bool = False,
        not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
    ) -> Issued:
        """A new key and a certificate for it. `hosts` become SANs; `tls` adds the TLS usages."""
        key = _new_key()
        certificate = self.certify(
            key.public_key(),
            common_name,
            ous=() if ou is None else (ou,),
            attrs=attrs,
            hosts=hosts,
            tls=tls,
            not_before=not_before,
            not_after=not_after,
        )
        return Issued(certificate.public_bytes(serialization.Encoding.PEM), _key_pem(key))

    def certify(
        self,
        public_key: ec.EllipticCurvePublicKey,
        common_name: str,
        *,
        ous: Sequence[str] = (),
        attrs: Mapping[str, str] | None = None,
        hosts: Sequence[str] = (),
        tls: bool = False,
        not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
    ) -> x509.Certificate:
        """A certificate for someone else's key (a CSR's), as `issue` makes them."""
        attributes = [x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou) for ou in ous]
        attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
        now = dt.datetime.now(dt.UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name(attributes))
            .issuer_name(self.certificate.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before or now - _SKEW)
            .not_valid_after(not_after or now + _VALIDITY)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=tls,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
        )
        if tls:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage(
                    [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
                ),
                critical=False,
            )
        if hosts:
            builder = builder.add_extension(
                x509.SubjectAlternativeName(_general_names(hosts)), critical=False
            )
        if attrs:
            value = json.dumps({"attrs": dict(attrs)}, sort_keys=True, separators=(",", ":"))
            builder = builder.add_extension(
                x509.UnrecognizedExtension(ATTRIBUTES_OID, value.encode()), critical=False
            )
        return builder.sign(self.key, hashes.SHA256())
