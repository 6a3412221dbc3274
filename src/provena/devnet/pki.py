"""The development PKI, in the MSP folder layout of Fabric's `cryptogen`.

Created on first start under `<data>/organizations`, reused afterwards::

    peerOrganizations/<domain>/
        ca/ca.<domain>-cert.pem, priv_sk            the org's CA (signs identities)
        tlsca/tlsca.<domain>-cert.pem, priv_sk      the org's TLS CA
        msp/{cacerts,tlscacerts}/…, config.yaml     the org's MSP (NodeOUs enabled)
        peers/peer0.<domain>/msp/…, tls/{ca.crt,server.crt,server.key}
        users/<Name>@<domain>/msp/{cacerts,tlscacerts,keystore/priv_sk,signcerts/<Name>@<domain>-cert.pem,config.yaml}
    ordererOrganizations/<domain>/  … orderers/orderer.<domain>/ …

The devnet serves every organization from one listener; it presents the TLS certificate of the
first organization's peer0 (the gateway peer), so clients trust that organization's TLS CA.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509

from provena.devnet.ca import CertificateAuthority, write_private
from provena.devnet.errors import PkiError
from provena.devnet.identity import SigningIdentity
from provena.devnet.msp import MspConfig, NodeOUs

__all__ = ["ORDERER_ORG", "OrgSpec", "Pki", "UserSpec"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_DOMAIN = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")
_MSP_ID = re.compile(r"^[A-Za-z0-9.-]+$")


@dataclass(frozen=True, slots=True)
class OrgSpec:
    """An organization of the network: its MSP id, DNS domain and display name."""

    msp_id: str
    domain: str
    name: str

    def __post_init__(self) -> None:
        if not _MSP_ID.match(self.msp_id):
            raise PkiError(f"MSP id {self.msp_id!r} may hold only letters, digits, '.' and '-'")
        if not _DOMAIN.match(self.domain):
            raise PkiError(f"{self.domain!r} is not a lower-case DNS domain")


ORDERER_ORG = OrgSpec("OrdererMSP", "provena.test", "Provena ordering service")


@dataclass(frozen=True, slots=True)
class UserSpec:
    """A user to create on first start, with Fabric CA attributes."""

    name: str
    msp_id: str
    attrs: Mapping[str, str] = field(default_factory=dict)


def _check_name(name: str) -> None:
    if not _NAME.match(name):
        raise PkiError(
            f"{name!r} is not a valid identity name (letters, digits, '.', '_', '-'; 64 at most)"
        )


def _node_ous_yaml(ca_file: str, node_ous: NodeOUs) -> str:
    lines = ["NodeOUs:", "  Enable: true"]
    for key, ou in (
        ("ClientOUIdentifier", node_ous.client),
        ("PeerOUIdentifier", node_ous.peer),
        ("AdminOUIdentifier", node_ous.admin),
        ("OrdererOUIdentifier", node_ous.orderer),
    ):
        lines += [
            f"  {key}:",
            f"    Certificate: cacerts/{ca_file}",
            f"    OrganizationalUnitIdentifier: {ou}",
        ]
    return "\n".join(lines) + "\n"


def _ensure(path: Path, data: bytes) -> None:
    """Write a public file unless it already holds `data` (restarts and concurrent commands
    leave existing files untouched)."""
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _tls_files(org: _Org, host: str) -> tuple[bytes, bytes, bytes]:
    """An organization's peer TLS key, certificate and CA (PEM), reissued when the
    certificate does not name `host`."""
    tls_dir = org.node_dir / "tls"
    cert = x509.load_pem_x509_certificate((tls_dir / "server.crt").read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    names = {str(v) for v in san.get_values_for_type(x509.IPAddress)}
    names |= set(san.get_values_for_type(x509.DNSName))
    wanted = [] if host in ("0.0.0.0", "::", "") else [host]  # noqa: S104
    if not set(wanted) <= names:
        org.write_tls(tls_dir, ["localhost", "127.0.0.1", *wanted])
    return (
        (tls_dir / "server.key").read_bytes(),
        (tls_dir / "server.crt").read_bytes(),
        (tls_dir / "ca.crt").read_bytes(),
    )


@dataclass(frozen=True, slots=True)
class _Org:
    """One organization's folder and CAs."""

    spec: OrgSpec
    root: Path
    ca: CertificateAuthority
    tlsca: CertificateAuthority
    node_kind: str  # "peer" or "orderer"

    @property
    def ca_file(self) -> str:
        return f"ca.{self.spec.domain}-cert.pem"

    @property
    def tlsca_file(self) -> str:
        return f"tlsca.{self.spec.domain}-cert.pem"

    @property
    def tlsca_path(self) -> Path:
        return self.root / "tlsca" / self.tlsca_file

    @property
    def node_host(self) -> str:
        prefix = "peer0" if self.node_kind == "peer" else "orderer"
        return f"{prefix}.{self.spec.domain}"

    @property
    def node_dir(self) -> Path:
        return self.root / f"{self.node_kind}s" / self.node_host

    def user_dir(self, name: str) -> Path:
        return self.root / "users" / f"{name}@{self.spec.domain}"

    def write_msp(self, msp_dir: Path) -> None:
        """The public part of an MSP folder: CA certs and NodeOUs."""
        _ensure(msp_dir / "cacerts" / self.ca_file, self.ca.certificate_pem)
        _ensure(msp_dir / "tlscacerts" / self.tlsca_file, self.tlsca.certificate_pem)
        _ensure(msp_dir / "config.yaml", _node_ous_yaml(self.ca_file, NodeOUs()).encode())

    def write_identity(
        self, msp_dir: Path, common_name: str, ou: str, attrs: Mapping[str, str] | None
    ) -> None:
        issued = self.ca.issue(common_name, ou=ou, attrs=attrs)
        self.write_msp(msp_dir)
        write_private(msp_dir / "keystore" / "priv_sk", issued.key_pem)
        signcert = msp_dir / "signcerts" / f"{common_name}-cert.pem"
        for stale in (msp_dir / "signcerts").glob("*.pem"):
            stale.unlink()
        write_private(signcert, issued.certificate_pem)

    def write_tls(self, tls_dir: Path, hosts: Sequence[str]) -> None:
        issued = self.tlsca.issue(self.node_host, hosts=[self.node_host, *hosts], tls=True)
        tls_dir.mkdir(parents=True, exist_ok=True)
        (tls_dir / "ca.crt").write_bytes(self.tlsca.certificate_pem)
        write_private(tls_dir / "server.key", issued.key_pem)
        write_private(tls_dir / "server.crt", issued.certificate_pem)


def _load_or_create_org(base: Path, spec: OrgSpec, node_kind: str) -> _Org:
    kind_dir = "peerOrganizations" if node_kind == "peer" else "ordererOrganizations"
    root = base / kind_dir / spec.domain
    cas = []
    for prefix in ("ca", "tlsca"):
        cert = root / prefix / f"{prefix}.{spec.domain}-cert.pem"
        key = root / prefix / "priv_sk"
        if cert.exists():
            cas.append(CertificateAuthority.load(cert, key))
        else:
            ca = CertificateAuthority.create(f"{prefix}.{spec.domain}", spec.domain)
            ca.save(cert, key)
            cas.append(ca)
    org = _Org(spec, root, cas[0], cas[1], node_kind)
    org.write_msp(root / "msp")
    if not (org.node_dir / "tls" / "server.crt").exists():
        org.write_tls(org.node_dir / "tls", ["localhost", "127.0.0.1"])
    if not any((org.node_dir / "msp" / "signcerts").glob("*.pem")):
        org.write_identity(org.node_dir / "msp", org.node_host, node_kind, None)
    if not any((org.user_dir("Admin") / "msp" / "signcerts").glob("*.pem")):
        admin = f"Admin@{spec.domain}"
        org.write_identity(org.user_dir("Admin") / "msp", admin, "admin", None)
    return org


class Pki:
    """The development PKI of every organization of the network, on disk."""

    def __init__(self, root: Path, orgs: Sequence[_Org], orderer: _Org) -> None:
        self._root = root
        self._orgs = {org.spec.msp_id: org for org in orgs}
        self._orderer = orderer

    @classmethod
    def load_or_create(
        cls,
        root: Path,
        orgs: Sequence[OrgSpec],
        users: Sequence[UserSpec] = (),
        *,
        orderer: OrgSpec = ORDERER_ORG,
    ) -> Pki:
        """Open the PKI under `root`, creating whatever is missing (CAs, peers, admins,
        `users` that do not exist yet). Existing keys and certificates are never replaced."""
        if not orgs:
            raise PkiError("a network needs at least one organization")
        ids = [o.msp_id for o in orgs] + [orderer.msp_id]
        domains = [o.domain for o in orgs] + [orderer.domain]
        if len(set(ids)) != len(ids) or len(set(domains)) != len(domains):
            raise PkiError("organizations must have distinct MSP ids and domains")
        try:
            loaded = [_load_or_create_org(root, spec, "peer") for spec in orgs]
            pki = cls(root, loaded, _load_or_create_org(root, orderer, "orderer"))
            for user in users:
                if not pki.user_msp_dir(user.msp_id, user.name).exists():
                    pki.enroll(user.name, user.msp_id, user.attrs)
        except OSError as exc:
            raise PkiError(f"cannot write the PKI under {root}: {exc}") from exc
        return pki

    @property
    def root(self) -> Path:
        return self._root

    @property
    def msp_ids(self) -> list[str]:
        """The application organizations, in configuration order (not the orderer's)."""
        return list(self._orgs)

    def _org(self, msp_id: str) -> _Org:
        if msp_id == self._orderer.spec.msp_id:
            return self._orderer
        try:
            return self._orgs[msp_id]
        except KeyError:
            known = ", ".join(self._orgs)
            raise PkiError(f"no organization {msp_id!r} (known: {known})") from None

    def user_msp_dir(self, msp_id: str, name: str) -> Path:
        """The MSP folder of a user (`Admin`, or an enrolled name) — it may not exist."""
        _check_name(name)
        return self._org(msp_id).user_dir(name) / "msp"

    def user_files(self, msp_id: str, name: str) -> tuple[Path, Path]:
        """The certificate and private key files of an existing user."""
        msp_dir = self.user_msp_dir(msp_id, name)
        certs = sorted((msp_dir / "signcerts").glob("*.pem"))
        key = msp_dir / "keystore" / "priv_sk"
        if not certs or not key.exists():
            raise PkiError(f"no user {name!r} in {msp_id} (enroll it first)")
        return certs[0], key

    def signer(self, msp_id: str, name: str = "peer0") -> SigningIdentity:
        """The signing identity of an org's peer0 (which endorses for it) or of a user."""
        org = self._org(msp_id)
        msp_dir = org.node_dir / "msp" if name == "peer0" else self.user_msp_dir(msp_id, name)
        return SigningIdentity.load(msp_id, msp_dir)

    def orderer_signer(self) -> SigningIdentity:
        """The orderer's identity, which signs blocks."""
        return SigningIdentity.load(self._orderer.spec.msp_id, self._orderer.node_dir / "msp")

    def enroll(
        self, name: str, msp_id: str, attrs: Mapping[str, str], *, role: str = "client"
    ) -> Path:
        """Issue a (new) identity for `name` in `msp_id` with Fabric CA attributes, as Fabric
        CA's enroll does; returns its MSP folder. Enrolling again replaces key and certificate."""
        if role not in ("client", "admin"):
            raise PkiError(f"users are enrolled as client or admin, not {role!r}")
        org = self._org(msp_id)
        msp_dir = self.user_msp_dir(msp_id, name)
        full = {
            "hf.Affiliation": "",
            "hf.EnrollmentID": name,
            "hf.Type": role,
            **attrs,
        }
        org.write_identity(msp_dir, name, role, full)
        return msp_dir

    @property
    def tls_dir(self) -> Path:
        """The TLS folder of the gateway peer (the first organization's peer0)."""
        return self._gateway_org.node_dir / "tls"

    @property
    def _gateway_org(self) -> _Org:
        return next(iter(self._orgs.values()))

    @property
    def server_name(self) -> str:
        """The host name in the gateway peer's TLS certificate."""
        return self._gateway_org.node_host

    @property
    def tls_ca_file(self) -> Path:
        return self._gateway_org.tlsca_path

    def tls_server_credentials(self, host: str = "127.0.0.1") -> tuple[bytes, bytes, bytes]:
        """Key, certificate and root CA (PEM) of the gateway peer's listener; the certificate
        is reissued when it does not name `host` (a wildcard listen address needs no SAN)."""
        return _tls_files(self._gateway_org, host)

    def tls_server_pairs(self, host: str = "127.0.0.1") -> list[tuple[bytes, bytes]]:
        """(key, certificate) of every organization's peer, the gateway peer's first: the
        listener presents the one whose name the client asks for (SNI), else the first."""
        return [_tls_files(org, host)[:2] for org in self._orgs.values()]

    def peer_tls(self, msp_id: str) -> tuple[str, Path]:
        """The TLS name and TLS CA file of an organization's peer, as its clients connect to
        it; an organization without peers (the orderer's) is served by the gateway peer."""
        org = self._orgs.get(msp_id, self._gateway_org)
        return org.node_host, org.tlsca_path

    def tls_client_roots(self) -> bytes:
        """Every organization's TLS CA certificate (PEM): whom a mutual-TLS listener trusts."""
        return b"".join(org.tlsca.certificate_pem for org in (*self._orgs.values(), self._orderer))

    def tls_client_files(self, msp_id: str, name: str) -> tuple[Path, Path]:
        """A user's TLS client certificate and key from its organization's TLS CA, issued on
        first use into the user's `tls/` folder as Fabric's samples lay it out."""
        org = self._org(msp_id)
        tls_dir = org.user_dir(name) / "tls"
        cert, key = tls_dir / "client.crt", tls_dir / "client.key"
        if not (cert.exists() and key.exists()):
            issued = org.tlsca.issue(f"{name}@{org.spec.domain}", tls=True)
            tls_dir.mkdir(parents=True, exist_ok=True)
            _ensure(tls_dir / "ca.crt", org.tlsca.certificate_pem)
            write_private(key, issued.key_pem)
            write_private(cert, issued.certificate_pem)
        return cert, key

    @property
    def orderer_msp_id(self) -> str:
        return self._orderer.spec.msp_id

    def signing_ca(self, msp_id: str) -> CertificateAuthority:
        """The CA that signs an organization's identities (the root its MSP trusts)."""
        return self._org(msp_id).ca

    def root_certificates(self, msp_id: str) -> tuple[bytes, bytes]:
        """An organization's CA and TLS CA certificates (PEM), as the channel config holds them."""
        org = self._org(msp_id)
        return org.ca.certificate_pem, org.tlsca.certificate_pem

    def msp_configs(self) -> list[MspConfig]:
        """What the channel's MspManager trusts: each org's CA and NodeOUs, orderer included."""
        return [
            MspConfig(org.spec.msp_id, (org.ca.certificate,), NodeOUs())
            for org in (*self._orgs.values(), self._orderer)
        ]

    def identity_paths(self) -> dict[str, dict[str, Any]]:
        """Every organization's folders and identities, for `devnet info --json`."""
        result: dict[str, dict[str, Any]] = {}
        for org in (*self._orgs.values(), self._orderer):
            users = {}
            for user_dir in sorted((org.root / "users").glob("*@*")):
                users[user_dir.name.rsplit("@", 1)[0]] = str(user_dir / "msp")
            result[org.spec.msp_id] = {
                "name": org.spec.name,
                "domain": org.spec.domain,
                "msp": str(org.root / "msp"),
                "ca": str(org.root / "ca" / org.ca_file),
                "tls_ca": str(org.root / "tlsca" / org.tlsca_file),
                org.node_kind: str(org.node_dir / "msp"),
                "users": users,
            }
        return result
