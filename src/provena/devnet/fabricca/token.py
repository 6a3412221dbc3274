"""Fabric CA's token authentication, the server's side.

A registrar (or any enrolled identity) proves who it is on each request with the header
`Authorization: <base64 cert>.<base64 sig>`, where `sig` is its ECDSA signature (DER, low-S,
over SHA-256) of::

    <METHOD> "." base64(<request URI: path and query>) "." base64(<body>) "." base64(<cert PEM>)

Binding method, URI and body means a captured token cannot be replayed against another endpoint
or with another body (fabric-ca ≥ 1.4; the 1.3 form signed only body and certificate, and is
refused here).
"""

from __future__ import annotations

import base64
import binascii

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from provena.devnet.fabricca.errors import CaHttpError, authentication_failure
from provena.devnet.identity import verify_signature

__all__ = ["verify_token"]

_NO_AUTH_HEADER = 2
_INVALID_TOKEN = 25


def _b64(data: bytes) -> bytes:
    return base64.b64encode(data)


def verify_token(header: str | None, method: str, uri: str, body: bytes) -> x509.Certificate:
    """The certificate whose key signed this request; 401 unless the token is well formed and
    its signature covers exactly this method, URI and body."""
    if not header:
        raise CaHttpError(401, _NO_AUTH_HEADER, "No authorization header")
    parts = header.split(".")
    if len(parts) != 2:
        raise authentication_failure(
            _INVALID_TOKEN, "Invalid token format; expecting 2 parts separated by '.'"
        )
    b64_cert, b64_sig = parts
    try:
        certificate = x509.load_pem_x509_certificate(base64.b64decode(b64_cert, validate=True))
        signature = base64.b64decode(b64_sig, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise authentication_failure(_INVALID_TOKEN, f"Invalid token: {exc}") from exc
    public_key = certificate.public_key()
    if not isinstance(public_key, ec.EllipticCurvePublicKey):
        raise authentication_failure(_INVALID_TOKEN, "the token's certificate has no ECDSA key")
    message = b".".join((method.encode(), _b64(uri.encode()), _b64(body), b64_cert.encode()))
    if not verify_signature(public_key, message, signature):
        raise authentication_failure(_INVALID_TOKEN, "Token signature validation failed")
    return certificate
