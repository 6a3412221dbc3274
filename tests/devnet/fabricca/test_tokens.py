"""Token authentication: only a registrar's own, untampered, current, recorded certificate and
signature over exactly this request get through (401 otherwise, 403 for a non-registrar)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import ssl

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from provena.devnet.ca import CertificateAuthority
from provena.identity.errors import CaPermissionDenied
from provena.identity.fabricca import FabricCaClient, create_token
from tests.devnet.fabricca.conftest import CA_NAME, MSP_ID, Enrolled, enroll, new_user, unique
from tests.support.ledger import Ledger

_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
_REGISTER = "/api/v1/register"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def independent_token(
    cert_pem: bytes, key: ec.EllipticCurvePrivateKey, uri: str, body: bytes
) -> str:
    """The token as Fabric CA's util.GenECDSAToken defines it, written out from the spec."""
    payload = ".".join(["POST", _b64(uri.encode()), _b64(body), _b64(cert_pem)])
    r, s = decode_dss_signature(key.sign(payload.encode(), ec.ECDSA(hashes.SHA256())))
    signature = encode_dss_signature(r, min(s, _N - s))
    return f"{_b64(cert_pem)}.{_b64(signature)}"


def register_body(enrollment_id: str) -> bytes:
    return json.dumps({"id": enrollment_id, "type": "client", "caname": CA_NAME}).encode()


async def post(ledger: Ledger, path: str, body: bytes, token: str) -> httpx.Response:
    verify = ssl.create_default_context(cafile=ledger.devnet.pki.tls_ca_file)
    async with httpx.AsyncClient(verify=verify) as http:
        return await http.post(
            ledger.devnet.config.ca_url + path, content=body, headers={"authorization": token}
        )


def forged_certificate(
    signer: CertificateAuthority, like: x509.Certificate, key: ec.EllipticCurvePrivateKey
) -> bytes:
    """A certificate for `key` named like `like` (CN, serial, AKI), signed by `signer`."""
    aki = like.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(like.subject)
        .issuer_name(like.issuer)
        .public_key(key.public_key())
        .serial_number(like.serial_number)
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(aki, critical=False)
        .sign(signer.key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM)


async def test_a_token_built_from_the_spec_is_accepted(ledger: Ledger, admin: Enrolled) -> None:
    body = register_body(unique("vector"))
    token = independent_token(admin.enrollment.certificate_pem, admin.key, _REGISTER, body)
    response = await post(ledger, _REGISTER, body, token)
    assert response.status_code == 201, response.text


async def test_the_clients_token_is_the_specs(admin: Enrolled) -> None:
    body = register_body("whoever")
    token = await create_token(admin.registrar, "POST", _REGISTER, body)
    b64_cert, b64_sig = token.split(".")
    assert base64.b64decode(b64_cert) == admin.enrollment.certificate_pem
    payload = ".".join(["POST", _b64(_REGISTER.encode()), _b64(body), b64_cert])
    admin.key.public_key().verify(
        base64.b64decode(b64_sig), payload.encode(), ec.ECDSA(hashes.SHA256())
    )


async def test_a_malformed_token_is_refused(ledger: Ledger) -> None:
    response = await post(ledger, _REGISTER, register_body(unique("m")), "not-a-token")
    assert response.status_code == 401
    assert response.json()["errors"] == [{"code": 20, "message": "Authentication failure"}]


async def test_a_token_signed_by_another_key_is_refused(ledger: Ledger, admin: Enrolled) -> None:
    body = register_body(unique("stolen"))
    other = ec.generate_private_key(ec.SECP256R1())
    token = independent_token(admin.enrollment.certificate_pem, other, _REGISTER, body)
    assert (await post(ledger, _REGISTER, body, token)).status_code == 401


async def test_a_tampered_body_is_refused(ledger: Ledger, admin: Enrolled) -> None:
    signed = register_body(unique("signed"))
    token = independent_token(admin.enrollment.certificate_pem, admin.key, _REGISTER, signed)
    tampered = register_body(unique("tampered"))
    assert (await post(ledger, _REGISTER, tampered, token)).status_code == 401


async def test_a_token_for_another_uri_is_refused(ledger: Ledger, admin: Enrolled) -> None:
    body = register_body(unique("replayed"))
    cert = admin.enrollment.certificate_pem
    token = independent_token(cert, admin.key, "/api/v1/revoke", body)
    assert (await post(ledger, _REGISTER, body, token)).status_code == 401


async def test_a_certificate_from_another_ca_is_refused(ledger: Ledger, admin: Enrolled) -> None:
    """Even one that copies the registrar's name, serial and AKI: the chain decides."""
    impostor_ca = CertificateAuthority.create("ca.impostor.test", "impostor.test")
    key = ec.generate_private_key(ec.SECP256R1())
    registrar = x509.load_pem_x509_certificate(admin.enrollment.certificate_pem)
    cert = forged_certificate(impostor_ca, registrar, key)
    body = register_body(unique("untrusted"))
    token = independent_token(cert, key, _REGISTER, body)
    assert (await post(ledger, _REGISTER, body, token)).status_code == 401


async def test_a_certificate_the_ca_never_issued_is_refused(
    ledger: Ledger, admin: Enrolled
) -> None:
    """Signed with the CA's own key but never recorded (a leaked CA key, a stale database)."""
    ca = ledger.devnet.pki.signing_ca(MSP_ID)
    unrecorded = ca.certify(admin.key.public_key(), "admin", ous=["client"])
    cert = unrecorded.public_bytes(serialization.Encoding.PEM)
    body = register_body(unique("unrecorded"))
    token = independent_token(cert, admin.key, _REGISTER, body)
    assert (await post(ledger, _REGISTER, body, token)).status_code == 401


async def test_a_registrar_only_registers_when_it_is_one(
    ca: FabricCaClient, admin: Enrolled
) -> None:
    """A valid token from an identity without hf.Registrar.Roles: fabric-ca answers 403."""
    user_id, secret = await new_user(ca, admin, "plain")
    user = await enroll(ca, user_id, secret)
    with pytest.raises(CaPermissionDenied):
        await ca.register(user.registrar, enrollment_id=unique("by-plain"))


async def test_an_identity_without_hf_revoker_cannot_revoke_others(
    ca: FabricCaClient, admin: Enrolled
) -> None:
    """Even one that may register clients: revoking takes hf.Revoker."""
    victim, _ = await new_user(ca, admin, "victim")
    user_id = unique("vandal")
    secret = await ca.register(
        admin.registrar, enrollment_id=user_id, attributes={"hf.Registrar.Roles": "client"}
    )
    vandal = await enroll(ca, user_id, secret)
    with pytest.raises(CaPermissionDenied):
        await ca.revoke(vandal.registrar, victim)


async def test_a_registrar_cannot_hand_out_the_reserved_attributes(
    ca: FabricCaClient, admin: Enrolled
) -> None:
    with pytest.raises(CaPermissionDenied):
        await ca.register(
            admin.registrar,
            enrollment_id=unique("spoof"),
            attributes={"hf.EnrollmentID": "admin"},
        )
