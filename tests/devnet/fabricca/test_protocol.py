"""The Fabric CA protocol end to end: the client against the devnet's CA server over HTTPS."""

from __future__ import annotations

import ssl

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from provena.devnet.ca import attributes_of
from provena.fabric import Identity, connect, ecdsa_signer
from provena.identity.errors import (
    CaAlreadyRegistered,
    CaAuthenticationRefused,
    CaNotFound,
    CaPermissionDenied,
    FabricCaError,
)
from provena.identity.fabricca import AttributeRequest, FabricCaClient, certificate_request
from tests.devnet.fabricca.conftest import (
    CA_NAME,
    CHAINCODE,
    MSP_ID,
    Enrolled,
    client_for,
    enroll,
    new_user,
    registrar_file,
)
from tests.support.ledger import Ledger


async def test_cainfo_names_the_ca_and_its_chain_is_the_msp_root(
    ca: FabricCaClient, ledger: Ledger
) -> None:
    info = await ca.cainfo()
    assert info.ca_name == CA_NAME
    assert info.ca_chain_pem == ledger.devnet.pki.root_certificates(MSP_ID)[0]


async def test_without_a_ca_name_the_first_organizations_ca_answers(ledger: Ledger) -> None:
    async with client_for(ledger, ca_name=None) as default:
        info = await default.cainfo()
    first = ledger.devnet.pki.msp_ids[0]
    assert info.ca_chain_pem == ledger.devnet.pki.root_certificates(first)[0]


async def test_an_unknown_ca_name_is_not_found(ledger: Ledger) -> None:
    async with client_for(ledger, ca_name="ca.nowhere.test") as nowhere:
        with pytest.raises(CaNotFound) as raised:
            await nowhere.cainfo()
    assert raised.value.code == 19


async def test_the_registrar_file_is_private(ledger: Ledger) -> None:
    assert registrar_file(ledger).stat().st_mode & 0o777 == 0o600


async def test_an_enrolled_certificate_carries_the_registered_attributes(
    ca: FabricCaClient, admin: Enrolled
) -> None:
    user_id, secret = await new_user(ca, admin, "grower")
    user = await enroll(ca, user_id, secret)
    certificate = x509.load_pem_x509_certificate(user.enrollment.certificate_pem)
    assert attributes_of(certificate) == {
        "hf.Affiliation": "",
        "hf.EnrollmentID": user_id,
        "hf.Type": "client",
        "provena.id": user_id,
        "provena.role": "producer",
    }
    ous = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    assert [o.value for o in ous] == ["client"]
    assert certificate.public_key() == user.key.public_key()


async def test_attribute_requests_choose_what_the_certificate_carries(
    ca: FabricCaClient, admin: Enrolled
) -> None:
    user_id, secret = await new_user(ca, admin, "picky")
    key = ec.generate_private_key(ec.SECP256R1())
    wanted = [AttributeRequest("provena.role"), AttributeRequest("absent", optional=True)]
    enrollment = await ca.enroll(
        user_id, secret, csr_pem=certificate_request(key, user_id), attr_reqs=wanted
    )
    certificate = x509.load_pem_x509_certificate(enrollment.certificate_pem)
    assert attributes_of(certificate) == {"provena.role": "producer"}
    with pytest.raises(FabricCaError, match="does not possess"):
        await ca.enroll(
            user_id,
            secret,
            csr_pem=certificate_request(key, user_id),
            attr_reqs=[AttributeRequest("absent")],
        )


async def test_an_enrolled_identity_commits_a_transaction_on_the_devnet(
    ca: FabricCaClient, admin: Enrolled, ledger: Ledger
) -> None:
    user_id, secret = await new_user(ca, admin, "committer")
    user = await enroll(ca, user_id, secret)
    identity = Identity(MSP_ID, user.enrollment.certificate_pem)
    async with connect(
        ledger.devnet.endpoint, identity=identity, signer=ecdsa_signer(user.key), tls=ledger.tls
    ) as gateway:
        contract = gateway.get_network(ledger.channel).get_contract(CHAINCODE)
        await contract.submit_transaction("Put", user_id, "committed")
        assert await contract.evaluate_transaction("Get", user_id) == b"committed"


async def test_reenroll_issues_a_new_certificate_for_a_new_key(
    ca: FabricCaClient, admin: Enrolled
) -> None:
    user_id, secret = await new_user(ca, admin, "renewer")
    user = await enroll(ca, user_id, secret)
    key = ec.generate_private_key(ec.SECP256R1())
    renewed = await ca.reenroll(user.registrar, csr_pem=certificate_request(key, user_id))
    certificate = x509.load_pem_x509_certificate(renewed.certificate_pem)
    assert certificate.public_key() == key.public_key()
    assert attributes_of(certificate)["hf.EnrollmentID"] == user_id
    assert renewed.certificate_pem != user.enrollment.certificate_pem


async def test_registering_twice_is_already_registered(ca: FabricCaClient, admin: Enrolled) -> None:
    user_id, _ = await new_user(ca, admin, "twice")
    with pytest.raises(CaAlreadyRegistered) as raised:
        await ca.register(admin.registrar, enrollment_id=user_id)
    assert (raised.value.status, raised.value.code) == (409, 74)


async def test_a_wrong_secret_is_refused(ca: FabricCaClient, admin: Enrolled) -> None:
    user_id, _ = await new_user(ca, admin, "forgetful")
    with pytest.raises(CaAuthenticationRefused) as raised:
        await enroll(ca, user_id, "not-the-secret")
    assert raised.value.status == 401


async def test_an_unknown_enrollment_id_is_refused(ca: FabricCaClient) -> None:
    with pytest.raises(CaAuthenticationRefused):
        await enroll(ca, "nobody-registered-this", "secret")


async def test_enrollments_stop_at_max_enrollments(ca: FabricCaClient, admin: Enrolled) -> None:
    user_id, secret = await new_user(ca, admin, "limited", max_enrollments=2)
    await enroll(ca, user_id, secret)
    await enroll(ca, user_id, secret)
    with pytest.raises(CaAuthenticationRefused):
        await enroll(ca, user_id, secret)


async def test_a_malformed_csr_is_refused_clearly(ca: FabricCaClient, admin: Enrolled) -> None:
    user_id, secret = await new_user(ca, admin, "garbled")
    with pytest.raises(FabricCaError, match="CSR Decode failed") as raised:
        await ca.enroll(user_id, secret, csr_pem=b"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n")
    assert (raised.value.status, raised.value.code) == (400, 31)


async def test_a_csr_whose_key_is_not_p256_is_refused(ca: FabricCaClient, admin: Enrolled) -> None:
    user_id, secret = await new_user(ca, admin, "rsa")
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, user_id)])
    for key in (rsa.generate_private_key(65537, 2048), ec.generate_private_key(ec.SECP384R1())):
        builder = x509.CertificateSigningRequestBuilder().subject_name(subject)
        csr = builder.sign(key, hashes.SHA256())
        with pytest.raises(FabricCaError, match="P-256"):
            await ca.enroll(user_id, secret, csr_pem=csr.public_bytes(Encoding.PEM))


async def test_a_csr_with_a_broken_signature_is_refused(
    ca: FabricCaClient, admin: Enrolled
) -> None:
    user_id, secret = await new_user(ca, admin, "unproven")
    pem = certificate_request(ec.generate_private_key(ec.SECP256R1()), user_id)
    der = bytearray(x509.load_pem_x509_csr(pem).public_bytes(Encoding.DER))
    der[-3] ^= 0x01  # inside the signature's s
    broken = x509.load_der_x509_csr(bytes(der)).public_bytes(Encoding.PEM)
    with pytest.raises(FabricCaError, match="signature is not valid"):
        await ca.enroll(user_id, secret, csr_pem=broken)


async def test_a_csr_for_another_name_is_refused(ca: FabricCaClient, admin: Enrolled) -> None:
    user_id, secret = await new_user(ca, admin, "impostor")
    csr = certificate_request(ec.generate_private_key(ec.SECP256R1()), "admin")
    with pytest.raises(CaPermissionDenied) as raised:
        await ca.enroll(user_id, secret, csr_pem=csr)
    assert raised.value.code == 77


async def test_the_answer_is_fabric_cas_envelope(ledger: Ledger) -> None:
    config = ledger.devnet.config
    verify = ssl.create_default_context(cafile=ledger.devnet.pki.tls_ca_file)
    async with httpx.AsyncClient(verify=verify) as http:
        response = await http.post(f"{config.ca_url}/api/v1/enroll", content=b"{}")
    assert response.status_code == 401
    assert response.json() == {
        "result": "",
        "errors": [{"code": 2, "message": "No authorization header"}],
        "messages": [],
        "success": False,
    }
