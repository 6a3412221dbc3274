"""A Fabric CA client: the REST protocol of fabric-ca-server 1.5, which the devnet also speaks.

Each organization runs one CA (a fabric-ca-server in production, the devnet's in development);
one client path serves both::

    ca = FabricCaClient("https://ca.producer.example:7054", ca_name="ca-producer", tls_ca=pem)
    secret = await ca.register(registrar, enrollment_id="tomas", attributes={"provena.role": "x"})
    key = ec.generate_private_key(ec.SECP256R1())
    enrollment = await ca.enroll("tomas", secret, csr_pem=certificate_request(key, "tomas"))

`register`, `reenroll` and `revoke` authenticate with a token signed by an enrolled identity
(`Registrar`: its certificate and a `provena.fabric` signer, so the key may live in a vault or a
browser); `enroll` with the enrollment id and secret.
"""

from __future__ import annotations

import base64
import binascii
import inspect
import json
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from provena.fabric.signers import Signer
from provena.identity.errors import (
    CaAlreadyRegistered,
    CaAuthenticationRefused,
    CaMalformedAnswer,
    CaNotFound,
    CaPermissionDenied,
    CaUnreachable,
    FabricCaError,
)

__all__ = [
    "AttributeRequest",
    "CaInfo",
    "Enrollment",
    "FabricCaClient",
    "Registrar",
    "RevokedCertificate",
    "certificate_request",
    "create_token",
]

_DUPLICATE_IDENTITY = 74
_BY_STATUS: dict[int, type[FabricCaError]] = {
    401: CaAuthenticationRefused,
    403: CaPermissionDenied,
    404: CaNotFound,
    409: CaAlreadyRegistered,
}


@dataclass(frozen=True, slots=True)
class Registrar:
    """An enrolled identity that signs requests: its PEM certificate and a digest signer
    (DER, low-S ECDSA, as `provena.fabric.ecdsa_signer` makes)."""

    certificate_pem: bytes
    signer: Signer


@dataclass(frozen=True, slots=True)
class Enrollment:
    """What enroll and reenroll return: the new certificate and the CA's chain (PEM)."""

    certificate_pem: bytes
    ca_chain_pem: bytes


@dataclass(frozen=True, slots=True)
class CaInfo:
    ca_name: str
    ca_chain_pem: bytes
    version: str


@dataclass(frozen=True, slots=True)
class AttributeRequest:
    """An attribute to put in the certificate; a missing one fails the enrollment unless
    optional."""

    name: str
    optional: bool = False


@dataclass(frozen=True, slots=True)
class RevokedCertificate:
    serial: str
    aki: str


def certificate_request(key: ec.EllipticCurvePrivateKey, enrollment_id: str) -> bytes:
    """A PEM CSR for `key` whose common name is the enrollment id, as Fabric CA requires."""
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, enrollment_id)])
    csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
    return csr.public_bytes(serialization.Encoding.PEM)


async def create_token(identity: Registrar, method: str, uri: str, body: bytes) -> str:
    """Fabric CA's authorization token: base64(cert) "." base64(signature), the signature over
    SHA-256 of method "." base64(uri) "." base64(body) "." base64(cert)."""
    b64_cert = base64.b64encode(identity.certificate_pem)
    message = b".".join(
        (method.encode(), base64.b64encode(uri.encode()), base64.b64encode(body), b64_cert)
    )
    signature = identity.signer(sha256(message).digest())
    if inspect.isawaitable(signature):
        signature = await signature
    return f"{b64_cert.decode()}.{base64.b64encode(signature).decode()}"


def _verify(tls_ca: str | Path | bytes | None) -> ssl.SSLContext | bool:
    if tls_ca is None:
        return True
    try:
        pem = tls_ca if isinstance(tls_ca, bytes) else Path(tls_ca).read_bytes()
        return ssl.create_default_context(cadata=pem.decode())
    except (OSError, ssl.SSLError, ValueError) as exc:
        raise FabricCaError(0, f"cannot use the TLS CA {tls_ca!r}: {exc}") from exc


def _pem(value: Any, what: str) -> bytes:
    try:
        pem = base64.b64decode(str(value), validate=True)
        x509.load_pem_x509_certificates(pem)
    except (binascii.Error, ValueError) as exc:
        raise CaMalformedAnswer(0, f"the CA's {what} is not a base64 PEM certificate") from exc
    return pem


class FabricCaClient:
    """One organization's CA at `url` (`ca_name` selects it on a server hosting several;
    None: the server's default). `tls_ca` is a PEM file path or PEM bytes; `http` a client to
    share (its TLS settings then apply)."""

    def __init__(
        self,
        url: str,
        *,
        ca_name: str | None = None,
        tls_ca: str | Path | bytes | None = None,
        http: httpx.AsyncClient | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._base = url.rstrip("/") + "/api/v1/"
        self._ca_name = ca_name
        self._own_http = http is None
        self._http = http or httpx.AsyncClient(verify=_verify(tls_ca), timeout=timeout)

    async def __aenter__(self) -> FabricCaClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._own_http:
            await self._http.aclose()

    async def cainfo(self) -> CaInfo:
        result = await self._call("cainfo", {})
        return CaInfo(
            str(result.get("CAName", "")),
            _pem(result.get("CAChain"), "chain"),
            str(result.get("Version", "")),
        )

    async def register(
        self,
        registrar: Registrar,
        *,
        enrollment_id: str,
        secret: str | None = None,
        type: str = "client",
        affiliation: str = "",
        attributes: Mapping[str, str] | None = None,
        max_enrollments: int | None = None,
    ) -> str:
        """Register an identity with `attributes` (all put in its certificates by default);
        returns its enrollment secret (the CA picks one when `secret` is None)."""
        body: dict[str, Any] = {
            "id": enrollment_id,
            "type": type,
            "affiliation": affiliation,
            "attrs": [
                {"name": k, "value": v, "ecert": True} for k, v in (attributes or {}).items()
            ],
        }
        if secret is not None:
            body["secret"] = secret
        if max_enrollments is not None:
            body["max_enrollments"] = max_enrollments
        result = await self._call("register", body, token=registrar)
        if not isinstance(result.get("secret"), str):
            raise CaMalformedAnswer(0, "the CA's register answer holds no secret")
        return str(result["secret"])

    async def enroll(
        self,
        enrollment_id: str,
        secret: str,
        *,
        csr_pem: bytes,
        attr_reqs: Sequence[AttributeRequest] | None = None,
    ) -> Enrollment:
        """A certificate for the CSR's key (the CSR's CN must be the enrollment id)."""
        body = self._sign_request(csr_pem, attr_reqs)
        return self._enrollment(await self._call("enroll", body, basic=(enrollment_id, secret)))

    async def reenroll(
        self,
        identity: Registrar,
        *,
        csr_pem: bytes,
        attr_reqs: Sequence[AttributeRequest] | None = None,
    ) -> Enrollment:
        """A new certificate for an enrolled identity, authenticated by its current one."""
        body = self._sign_request(csr_pem, attr_reqs)
        return self._enrollment(await self._call("reenroll", body, token=identity))

    async def revoke(
        self, registrar: Registrar, enrollment_id: str, *, reason: str = "unspecified"
    ) -> list[RevokedCertificate]:
        """Revoke an identity and every certificate it holds; returns those certificates."""
        body = {"id": enrollment_id, "reason": reason}
        result = await self._call("revoke", body, token=registrar)
        revoked = result.get("RevokedCerts") or []
        if not isinstance(revoked, list):
            raise CaMalformedAnswer(0, "the CA's revoke answer has no list of certificates")
        return [RevokedCertificate(str(c.get("Serial")), str(c.get("AKI"))) for c in revoked]

    @staticmethod
    def _sign_request(
        csr_pem: bytes, attr_reqs: Sequence[AttributeRequest] | None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"certificate_request": csr_pem.decode(), "profile": "", "label": ""}
        if attr_reqs is not None:
            body["attr_reqs"] = [{"name": a.name, "optional": a.optional} for a in attr_reqs]
        return body

    @staticmethod
    def _enrollment(result: Mapping[str, Any]) -> Enrollment:
        info = result.get("ServerInfo")
        if not isinstance(info, dict):
            raise CaMalformedAnswer(0, "the CA's enroll answer has no ServerInfo")
        return Enrollment(
            _pem(result.get("Cert"), "certificate"), _pem(info.get("CAChain"), "chain")
        )

    async def _call(
        self,
        endpoint: str,
        body: dict[str, Any],
        *,
        token: Registrar | None = None,
        basic: tuple[str, str] | None = None,
    ) -> Mapping[str, Any]:
        if self._ca_name is not None:
            body = {**body, "caname": self._ca_name}
        content = json.dumps(body).encode()
        url = httpx.URL(self._base + endpoint)
        headers = {"content-type": "application/json"}
        if basic is not None:
            pair = base64.b64encode(":".join(basic).encode()).decode()
            headers["authorization"] = f"Basic {pair}"
        if token is not None:
            uri = url.raw_path.decode("ascii")
            headers["authorization"] = await create_token(token, "POST", uri, content)
        try:
            response = await self._http.post(url, content=content, headers=headers)
        except httpx.TransportError as exc:
            raise CaUnreachable(0, f"cannot reach the Fabric CA at {url}: {exc}") from exc
        return _result(response)


def _result(response: httpx.Response) -> Mapping[str, Any]:
    """The envelope's result, or the error it carries as the matching FabricCaError."""
    status = response.status_code
    try:
        envelope = response.json()
    except ValueError:
        envelope = None
    if not isinstance(envelope, dict) or "success" not in envelope:
        raise CaMalformedAnswer(
            0, f"HTTP {status} from the CA is not a Fabric CA answer", status=status
        )
    errors = envelope.get("errors") or []
    if errors or not envelope["success"] or status >= 400:
        first = errors[0] if errors and isinstance(errors[0], dict) else {}
        code = int(first.get("code", 0))
        message = str(first.get("message", f"HTTP {status}"))
        kind = CaAlreadyRegistered if code == _DUPLICATE_IDENTITY else _BY_STATUS.get(status)
        raise (kind or FabricCaError)(code, message, status=status)
    result = envelope.get("result")
    if not isinstance(result, dict):
        raise CaMalformedAnswer(0, "the CA's answer has no result object", status=status)
    return result
