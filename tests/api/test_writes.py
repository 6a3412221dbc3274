"""Writes through the HTTP API on the real devnet and contracts, each person signing as
themselves with an identity the wallet enrolled at their organization's CA."""

# ruff: noqa: F811 (the fixtures imported from tests.api.devnetapi are parameters here)

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import uuid

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, decode_dss_signature
from sqlalchemy import select

from provena.db import Certificate, Database, LedgerIdentity
from provena.devnet.ca import attributes_of
from provena.identity.fabricca import certificate_request
from tests.api.conftest import RunningApi
from tests.api.devnetapi import (  # noqa: F401 (fixtures)
    WAIT,
    api,
    api_settings,
    auth,
    backend,
    certificate,
    http,
    ledger,
    new_id,
    registry,
    settled,
)
from tests.events.sse import Frame, Reader


async def test_a_write_answers_202_at_once_then_commits_signed_by_the_person(
    http: httpx.AsyncClient, api: RunningApi, registry: None
) -> None:
    cert_id = new_id()
    answer = await http.post(
        "/api/v1/certificates", json=certificate(cert_id), headers=auth(api, "david.okafor")
    )
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["status"] == "pending"
    assert body["record_id"] == cert_id
    assert (
        answer.headers["location"] == body["status_url"] == f"/api/v1/transactions/{body['tx_id']}"
    )

    done = await settled(http, api, body["status_url"], "david.okafor")
    assert done["status"] == "committed"
    assert done["validation_code"] == "VALID"
    assert done["block_number"] > 0
    assert done["function"] == "Certificates:IssueCertificate"
    # The person's own identity signed: their enrollment id, not a shared key.
    assert done["signer"].split(" ")[0].endswith(".certifier.1")

    # Another organization cannot see the transaction; an auditor can.
    assert (
        await http.get(body["status_url"], headers=auth(api, "tomas.herrera"))
    ).status_code == 404
    assert (
        await http.get(body["status_url"], headers=auth(api, "lars.nilsson"))
    ).status_code == 200


async def test_each_person_gets_their_own_certificate_with_their_role(
    http: httpx.AsyncClient, api: RunningApi, registry: None
) -> None:
    await http.post(
        "/api/v1/certificates", json=certificate(new_id()), headers=auth(api, "mei.tanaka", **WAIT)
    )
    identity = (
        await http.get("/api/v1/me/ledger-identity", headers=auth(api, "mei.tanaka"))
    ).json()
    assert identity["enrolled"] is True
    assert identity["custody"] == "server"
    assert identity["msp_id"] == "CertifierMSP"
    attrs = attributes_of(x509.load_pem_x509_certificate(identity["certificate_pem"].encode()))
    assert attrs["provena.role"] == "certifier"
    assert "key" not in json.dumps(identity).lower().replace("public_key", "")
    other = (await http.get("/api/v1/me/ledger-identity", headers=auth(api, "david.okafor"))).json()
    assert other["certificate_pem"] != identity["certificate_pem"]


async def test_contract_refusals_are_problems_with_the_contracts_words(
    http: httpx.AsyncClient, api: RunningApi, registry: None
) -> None:
    denied = await http.post(
        "/api/v1/certificates", json=certificate(new_id()), headers=auth(api, "tomas.herrera")
    )
    assert denied.status_code == 403
    assert denied.headers["content-type"] == "application/problem+json"
    assert denied.json()["detail"].startswith("access denied: ")

    backwards = certificate(
        new_id(), valid_from="2030-01-01T00:00:00Z", valid_until="2029-01-01T00:00:00Z"
    )
    invalid = await http.post(
        "/api/v1/certificates", json=backwards, headers=auth(api, "david.okafor")
    )
    assert invalid.status_code == 422
    assert "valid_from must be before valid_until" in invalid.text

    missing = await http.post(
        "/api/v1/certificates/NO-SUCH/revoke",
        json={"reason": "gone"},
        headers=auth(api, "david.okafor"),
    )
    assert missing.status_code == 404
    assert missing.json()["detail"].startswith("not found: ")

    unknown_doc = await http.post(
        "/api/v1/certificates",
        json=certificate(
            new_id(), documents=["bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"]
        ),
        headers=auth(api, "david.okafor"),
    )
    assert unknown_doc.status_code == 404


async def test_a_retry_with_the_same_idempotency_key_gets_the_first_answer(
    http: httpx.AsyncClient, api: RunningApi, registry: None
) -> None:
    body = certificate(new_id())
    headers = auth(api, "david.okafor", **{"Idempotency-Key": str(uuid.uuid4())})
    first, second = await asyncio.gather(
        http.post("/api/v1/certificates", json=body, headers=headers),
        http.post("/api/v1/certificates", json=body, headers=headers),
    )
    assert first.status_code == second.status_code == 202
    assert first.json()["tx_id"] == second.json()["tx_id"]
    other = await http.post("/api/v1/certificates", json=certificate(new_id()), headers=headers)
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["detail"]


async def test_a_lost_race_on_one_record_is_409(
    http: httpx.AsyncClient, api: RunningApi, registry: None
) -> None:
    cert_id = new_id()
    issued = await http.post(
        "/api/v1/certificates", json=certificate(cert_id), headers=auth(api, "david.okafor", **WAIT)
    )
    assert issued.status_code == 200
    answers = await asyncio.gather(
        *(
            http.post(
                f"/api/v1/certificates/{cert_id}/suspend",
                json={"reason": f"audit {n}"},
                headers=auth(api, "david.okafor", **WAIT),
            )
            for n in range(6)
        )
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 409, 409, 409, 409, 409], [a.text for a in answers]


async def test_bad_input_is_refused_before_the_ledger(
    http: httpx.AsyncClient, api: RunningApi, registry: None
) -> None:
    unauthenticated = await http.post("/api/v1/certificates", json=certificate(new_id()))
    assert unauthenticated.status_code == 401
    wrong_type = await http.post(
        "/api/v1/certificates",
        json=certificate(new_id(), valid_from="next tuesday"),
        headers=auth(api, "david.okafor"),
    )
    assert wrong_type.status_code == 422
    unknown_action = await http.post(
        "/api/v1/certificates/X/explode", json={"reason": "x"}, headers=auth(api, "david.okafor")
    )
    assert unknown_action.status_code == 422


def p1363(key: ec.EllipticCurvePrivateKey, digest: bytes) -> str:
    r, s = decode_dss_signature(key.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256()))))
    return base64.b64encode(r.to_bytes(32, "big") + s.to_bytes(32, "big")).decode()


async def test_a_browser_held_key_signs_every_write_and_the_server_never_can(
    http: httpx.AsyncClient, api: RunningApi, registry: None
) -> None:
    person = "rosa.alvarez"  # a producer organization's admin: her own certificate, her key
    key = ec.generate_private_key(ec.SECP256R1())
    info = (await http.get("/api/v1/me/ledger-identity", headers=auth(api, person))).json()
    csr = certificate_request(key, info["next_enrollment_id"]).decode()
    enrolled = await http.post(
        "/api/v1/me/ledger-identity", json={"csr_pem": csr}, headers=auth(api, person)
    )
    assert enrolled.status_code == 201, enrolled.text
    assert enrolled.json()["custody"] == "browser"

    # A write hands out the proposal to sign...
    shipment_id = new_id("S")
    write = await http.post(
        "/api/v1/shipments/" + shipment_id + "/delivery", headers=auth(api, person)
    )
    assert write.status_code == 202
    proposal = write.json()
    assert proposal["status"] == "signature_required"
    assert proposal["stage"] == "proposal"
    digest = base64.b64decode(proposal["digest"])

    # ... a wrong signature is refused before anything reaches the ledger ...
    stranger = ec.generate_private_key(ec.SECP256R1())
    forged = await http.post(
        proposal["signature_url"],
        json={"stage": "proposal", "data": proposal["data"], "signature": p1363(stranger, digest)},
        headers=auth(api, person),
    )
    assert forged.status_code == 400
    assert "does not match" in forged.json()["detail"]
    for field in ("data", "signature"):  # not base64: characters outside ASCII, or padding
        for garbage in ("\u008d@\u0096", "abc"):
            body = {"stage": "proposal", "data": proposal["data"], "signature": "AAAA"}
            garbled = await http.post(
                proposal["signature_url"], json=body | {field: garbage}, headers=auth(api, person)
            )
            assert garbled.status_code == 400, garbled.text
            assert garbled.json()["detail"] == f"{field} is not base64"

    # ... and the person's own signature gets it endorsed; here the contract refuses it
    # (no such shipment), which shows the signed proposal really ran.
    signed = await http.post(
        proposal["signature_url"],
        json={"stage": "proposal", "data": proposal["data"], "signature": p1363(key, digest)},
        headers=auth(api, person),
    )
    assert signed.status_code == 404, signed.text
    assert signed.json()["detail"].startswith("not found: ")


async def test_the_wallet_keeps_keys_sealed(api: RunningApi, registry: None) -> None:
    async with (
        Database.from_url(api.settings.sqlalchemy_url) as database,
        database.session() as session,
    ):
        rows = list(await session.scalars(select(LedgerIdentity)))
        assert rows
        sealed = [row for row in rows if row.custody == "server"]
        assert sealed
        for row in sealed:
            assert row.encrypted_key is not None
            assert b"BEGIN" not in row.encrypted_key
            assert row.kek_id is not None


async def test_a_write_reaches_the_projection_and_the_live_feed(
    http: httpx.AsyncClient, api: RunningApi, registry: None
) -> None:
    """Pending, then committed, then the certificate itself: each once, over SSE."""
    cert_id = new_id()
    async with http.stream("GET", "/api/v1/events", headers=auth(api, "david.okafor")) as stream:
        assert stream.status_code == 200
        reader = Reader(stream)
        await http.post(
            "/api/v1/certificates", json=certificate(cert_id), headers=auth(api, "david.okafor")
        )
        seen: dict[str, Frame] = {}
        async with asyncio.timeout(30):
            while "certificate.issued" not in seen or "transaction.committed" not in seen:
                (frame,) = await reader.take(1, seconds=30)
                assert frame.data is not None
                if cert_id in json.dumps(frame.data):
                    assert frame.event is not None
                    assert frame.event not in seen, f"{frame.event} delivered twice"
                    seen[frame.event] = frame
    assert set(seen) == {"transaction.pending", "transaction.committed", "certificate.issued"}
    assert seen["transaction.pending"].id < seen["transaction.committed"].id  # type: ignore[operator]
    async with (
        Database.from_url(api.settings.sqlalchemy_url) as database,
        database.session() as session,
    ):
        row = await session.get(Certificate, cert_id)
    assert row is not None
    assert row.status == "ACTIVE"
    assert row.issuer_msp_id == "CertifierMSP"
    assert row.tx_id == seen["transaction.committed"].data["tx_id"]  # type: ignore[index]


async def test_a_waited_write_is_readable_as_soon_as_it_answers(
    http: httpx.AsyncClient, api: RunningApi, registry: None
) -> None:
    """`Prefer: wait` answers once the projections hold the write, not only the ledger:
    eight writes at once, each read the moment its answer arrives."""

    async def issue_and_read(cert_id: str) -> int:
        answer = await http.post(
            "/api/v1/certificates",
            json=certificate(cert_id),
            headers=auth(api, "david.okafor", **WAIT),
        )
        assert answer.status_code == 200, answer.text
        read = await http.get(f"/api/v1/certificates/{cert_id}", headers=auth(api, "david.okafor"))
        return read.status_code

    assert await asyncio.gather(*(issue_and_read(new_id()) for _ in range(8))) == [200] * 8


def metric(text: str, sample: str) -> float:
    """The value of `sample` (name and labels as exposed) in a /metrics page; 0 if absent."""
    for line in text.splitlines():
        name, _, value = line.rpartition(" ")
        if name == sample:
            return float(value)
    return 0.0


async def test_committed_writes_and_applied_events_are_counted_in_the_metrics(
    http: httpx.AsyncClient, api: RunningApi, registry: None
) -> None:
    """What the alert rules of `deploy/monitoring` watch: commit latency per validation code
    and the listener's progress."""
    committed = 'provena_ledger_commit_seconds_count{validation_code="VALID"}'
    before = (await http.get("/metrics")).text
    for _ in range(3):
        answer = await http.post(
            "/api/v1/certificates",
            json=certificate(new_id()),
            headers=auth(api, "david.okafor", **WAIT),
        )
        assert answer.status_code == 200, answer.text
    after = (await http.get("/metrics")).text
    assert metric(after, committed) - metric(before, committed) == 3
    applied = "provena_listener_events_total"
    assert metric(after, applied) - metric(before, applied) >= 3  # a waited write is projected
    assert metric(after, "provena_listener_block") > 0
    assert metric(after, "provena_sse_clients") == 0


async def test_a_certificate_issued_with_its_documents_in_one_form(
    http: httpx.AsyncClient, api: RunningApi, registry: None
) -> None:
    cert_id = new_id()
    report = b"%PDF-1.4 audit report " + uuid.uuid4().bytes
    photo = b"\x89PNG\r\n\x1a\n field photo " + uuid.uuid4().bytes
    answer = await http.post(
        "/api/v1/certificates/form",
        files=[
            ("certificate", (None, json.dumps(certificate(cert_id)), "application/json")),
            ("file", ("audit.pdf", report, "application/pdf")),
            ("file", ("field.png", photo, "image/png")),
        ],
        headers=auth(api, "david.okafor", **WAIT),
    )
    assert answer.status_code == 200, answer.text
    detail = (
        await http.get(f"/api/v1/certificates/{cert_id}", headers=auth(api, "david.okafor"))
    ).json()
    anchored = {d["name"]: d for d in detail["documents"]}
    assert set(anchored) == {"audit.pdf", "field.png"}
    assert anchored["audit.pdf"]["sha256"] == hashlib.sha256(report).hexdigest()
    assert anchored["field.png"]["media_type"] == "image/png"

    missing = await http.post(
        "/api/v1/certificates/form",
        files=[("file", ("a.pdf", report, "application/pdf"))],
        headers=auth(api, "david.okafor"),
    )
    assert missing.status_code == 400
    assert "certificate" in missing.json()["detail"]
    not_a_form = await http.post(
        "/api/v1/certificates/form", json=certificate(new_id()), headers=auth(api, "david.okafor")
    )
    assert not_a_form.status_code == 400


async def test_a_write_cannot_anchor_another_organizations_upload(
    http: httpx.AsyncClient, api: RunningApi, registry: None
) -> None:
    """A CID is not a permission: the document must be one the caller's organization holds."""
    secret = b"the producer's own lab report " + uuid.uuid4().bytes
    uploaded = await http.post(
        "/api/v1/documents?name=lab.pdf",
        content=secret,
        headers=auth(api, "tomas.herrera", **{"Content-Type": "application/pdf"}),
    )
    assert uploaded.status_code == 201, uploaded.text
    cid = uploaded.json()["cid"]
    refused = await http.post(
        "/api/v1/certificates",
        json=certificate(new_id(), documents=[cid]),
        headers=auth(api, "david.okafor"),
    )
    assert refused.status_code == 404
