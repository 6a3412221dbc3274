"""AttachCertificateDocument: who may attach, to which certificates, and what a document must be."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from provena.ipfs.cid import RAW, cid_for
from tests.contracts.conftest import World, refused
from tests.contracts.records import CID, DOC, SHA, certificate


def document(n: int) -> dict[str, Any]:
    """The `n`th distinct document (its CID and hash are of its own bytes)."""
    data = f"inspection report {n}".encode()
    return DOC | {
        "cid": str(cid_for(data, codec=RAW, version=1)),
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "name": f"report-{n}.pdf",
    }


@pytest.fixture(scope="module")
async def certificates(accredited: World) -> World:
    """C-DOCS (active, holding DOC), C-SUSP (suspended), C-GONE (revoked), C-FULL (20 documents),
    and a certifier of another organization."""
    world = accredited
    await world.enroll("rita.certifier", "RetailerMSP", "certifier")
    for id in ("C-DOCS", "C-SUSP", "C-GONE"):
        await world.submit("david.okafor", "Certificates", "IssueCertificate", certificate(id))
    await world.submit("mei.tanaka", "Certificates", "SuspendCertificate", "C-SUSP", "audit")
    await world.submit("mei.tanaka", "Certificates", "RevokeCertificate", "C-GONE", "fraud")
    full = certificate("C-FULL", documents=[document(n) for n in range(20)])
    await world.submit("david.okafor", "Certificates", "IssueCertificate", full)
    return world


def attach(world: World, username: str, id: str, doc: Any) -> Any:
    return world.submit(username, "Certificates", "AttachCertificateDocument", id, doc)


async def test_issuer_attaches_and_the_document_is_found(certificates: World) -> None:
    world = certificates
    before = await world.evaluate("lars.nilsson", "Certificates", "GetCertificate", "C-DOCS")
    report = document(100)
    updated = await attach(world, "mei.tanaka", "C-DOCS", report)  # any certifier of the issuer
    assert updated["documents"] == [DOC, report]
    assert updated["tx_id"] != before["tx_id"]
    changed = {"documents", "tx_id", "updated_at"}
    assert {k: v for k, v in updated.items() if k not in changed} == {
        k: v for k, v in before.items() if k not in changed
    }
    stored = await world.evaluate("lars.nilsson", "Certificates", "GetCertificate", "C-DOCS")
    assert stored == updated
    found = await world.evaluate("lars.nilsson", "Certificates", "FindByDocument", report["cid"])
    assert found == [{"kind": "certificate", "id": "C-DOCS"}]


async def test_suspended_certificate_still_takes_documents(certificates: World) -> None:
    """A suspension is often resolved by evidence: the audit report goes on the certificate."""
    updated = await attach(certificates, "david.okafor", "C-SUSP", document(101))
    assert (updated["status"], len(updated["documents"])) == ("SUSPENDED", 2)


@pytest.mark.parametrize(
    ("username", "message"),
    [
        (
            "rita.certifier",
            "only CertifierMSP may attach documents to C-DOCS; the caller is from RetailerMSP",
        ),
        (
            "tomas.herrera",
            "only CertifierMSP may attach documents to C-DOCS; the caller is from ProducerMSP",
        ),
        (
            "lars.nilsson",
            "attach documents to C-DOCS needs the role certifier; the caller has 'auditor'",
        ),
        (
            "ines.moreau",
            "attach documents to C-DOCS needs the role certifier; the caller has 'admin'",
        ),
    ],
    ids=["certifier of another org", "producer", "auditor of the issuer", "admin of the issuer"],
)
async def test_only_certifiers_of_the_issuer_attach(
    certificates: World, username: str, message: str
) -> None:
    await refused(
        attach(certificates, username, "C-DOCS", document(200)), 403, f"access denied: {message}"
    )


@pytest.mark.parametrize(
    ("id", "doc", "status", "message"),
    [
        ("NOPE", document(300), 404, "not found: certificate NOPE"),
        ("C-GONE", document(301), 409, "conflict: certificate C-GONE is revoked"),
        ("C-DOCS", DOC, 409, f"conflict: certificate C-DOCS already holds {CID}"),
        (
            "C-DOCS",
            DOC | {"name": "same-bytes-new-name.pdf"},
            409,
            f"conflict: certificate C-DOCS already holds {CID}",
        ),
        ("C-FULL", document(302), 409, "conflict: certificate C-FULL already holds 20 documents"),
    ],
    ids=["unknown", "revoked", "duplicate", "duplicate renamed", "full"],
)
async def test_attach_refused_by_the_certificate(
    certificates: World, id: str, doc: dict[str, Any], status: int, message: str
) -> None:
    await refused(attach(certificates, "david.okafor", id, doc), status, message)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (DOC | {"size": 0}, "size: Input should be greater than 0"),
        (
            DOC | {"size": "big"},
            "size: Input should be a valid integer, unable to parse string as an integer",
        ),
        (
            DOC | {"sha256": "E3B0" + SHA[4:]},
            "sha256: String should match pattern '^[0-9a-f]{64}$'",
        ),
        (DOC | {"cid": "not-a-cid"}, "cid: Value error, unsupported multibase prefix 'n'"),
        (
            DOC | {"media_type": "PDF"},
            "media_type: String should match pattern "
            "'^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$'",
        ),
        (
            DOC | {"name": "../etc/passwd"},
            r"name: String should match pattern '^[^/\\\x00-\x1f\x7f]+$'",
        ),
        (DOC | {"owner": "me"}, "owner: Extra inputs are not permitted"),
        ({k: v for k, v in DOC.items() if k != "sha256"}, "sha256: Field required"),
        ("{not json", "Invalid JSON: key must be a string at line 1 column 2"),
    ],
    ids=[
        "empty",
        "size not a number",
        "hash not lowercase hex",
        "bad CID",
        "bad media type",
        "path in name",
        "extra field",
        "no hash",
        "not JSON",
    ],
)
async def test_attach_refuses_a_malformed_document(
    certificates: World, doc: Any, message: str
) -> None:
    call = attach(certificates, "david.okafor", "C-DOCS", doc)
    await refused(call, 500, f"argument document: {message}")


async def test_attach_needs_both_arguments(certificates: World) -> None:
    contract = certificates.contract("david.okafor", "Certificates")
    await refused(
        contract.submit_transaction("AttachCertificateDocument", "C-DOCS"),
        500,
        "missing argument document: expected 2 (id, document required), got 1",
    )
