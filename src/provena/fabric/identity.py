"""Who signs: an X.509 identity of an MSP, loaded from PEM files or a Fabric MSP folder.

A Fabric MSP folder holds the certificate in `signcerts/` and the private key in `keystore/`
(named `priv_sk` by cryptogen and `<ski>_sk` by Fabric CA)::

    identity = load_identity("Org1MSP", msp_dir / "signcerts" / "cert.pem")
    identity, signer = load_msp_folder("Org1MSP", msp_dir)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from fabric_protos.msp import identities_pb2

from provena.fabric.errors import IdentityError
from provena.fabric.signers import Signer, ecdsa_signer

__all__ = ["Identity", "load_identity", "load_msp_folder", "load_private_key"]


@dataclass(frozen=True, slots=True)
class Identity:
    """An MSP id and the PEM certificate that identifies the client within it."""

    msp_id: str
    credentials: bytes
    _creator: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.msp_id:
            raise IdentityError("an identity needs an MSP id")
        try:
            x509.load_pem_x509_certificate(self.credentials)
        except ValueError as exc:
            raise IdentityError(f"not a PEM X.509 certificate: {exc}") from exc
        creator = identities_pb2.SerializedIdentity(mspid=self.msp_id, id_bytes=self.credentials)
        object.__setattr__(self, "_creator", creator.SerializeToString())

    @property
    def creator(self) -> bytes:
        """The serialized `msp.SerializedIdentity`, as signature headers carry it."""
        return self._creator


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IdentityError(f"cannot read {what} {path}: {exc.strerror}") from exc


def load_identity(msp_id: str, certificate: str | Path) -> Identity:
    """The identity whose PEM certificate is in the file `certificate`."""
    return Identity(msp_id, _read(Path(certificate), "certificate"))


def load_private_key(path: str | Path) -> ec.EllipticCurvePrivateKey:
    """An unencrypted PEM (PKCS#8 or SEC1) ECDSA private key."""
    data = _read(Path(path), "private key")
    try:
        key = load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise IdentityError(f"{path} is not an unencrypted PEM private key: {exc}") from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise IdentityError(f"{path} is not an ECDSA private key")
    return key


def _only_file(folder: Path, what: str) -> Path:
    try:
        files = sorted(p for p in folder.iterdir() if p.is_file())
    except OSError as exc:
        raise IdentityError(f"cannot list {folder}: {exc.strerror}") from exc
    if len(files) != 1:
        raise IdentityError(f"expected exactly one {what} in {folder}, found {len(files)}")
    return files[0]


def load_msp_folder(msp_id: str, msp_dir: str | Path) -> tuple[Identity, Signer]:
    """The identity and an ECDSA signer from a Fabric MSP folder (signcerts/, keystore/)."""
    root = Path(msp_dir)
    identity = load_identity(msp_id, _only_file(root / "signcerts", "certificate"))
    key = load_private_key(_only_file(root / "keystore", "private key"))
    return identity, ecdsa_signer(key)
