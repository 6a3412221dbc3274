"""Who may read and write what, through HTTP, against `provena up` as a user runs it.

One `provena up --no-seed` serves the whole module. The fixture bootstraps the registry and
writes, as the right people, the records the table acts on: certificates the certification
body issued (one each to suspend, reinstate, revoke, and one already revoked), shipments the
producer created and offered to the carrier (one each to accept, reject, cancel, propose, and
one handed to the retailer for delivery), one document per organization, and the
transactions of those writes.

Each row is one request: an operation of the schema, a caller (every demo person, a
certifier outside the certification body, signed out), a record of the caller's
organization or of another's, and the one status it must answer. Reads of another
organization's records are 404 (auditors see everything); writes on them are refused by the
contracts (403), or 404 when a document they name is invisible to the caller; the
administration pages are 403 to everyone but the registry's governors and auditors;
signed out, everything but public verification is 401.

A refused write is refused before it reaches the orderer, whatever the record's state, so
refusals can share records. A permitted write changes its record, so each one acts on a
record of its own, and a permitted caller whose write would change a shared record acts on
one in a state that makes the contract answer 409 instead: past the access check, not
applied.

The table must cover every operation the running app's schema declares, so a new route
without a row fails `test_every_operation_has_rows`.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from provena.demo import PEOPLE, DemoPerson, Role
from provena.identity.devissuer import DevIssuer, load_or_create_key
from provena.identity.fabricca import certificate_request
from provena.settings import default_org_groups, default_role_groups
from tests.support.process import ProvenaUp, provena_up

SIGNED_OUT = "signed-out"
TIMEOUT = 60.0
WAIT = {"Prefer": "wait=30"}
#: Every request comes from one address: lift the limits meant for many clients.
LIMITS = {
    "PROVENA_VERIFY_BURST": "1000000",
    "PROVENA_UPLOAD_BURST": "1000000",
    "PROVENA_SIGNIN_BURST": "1000000",
}


def _person(username: str, msp_id: str, role: Role) -> DemoPerson:
    domain = msp_id.removesuffix("MSP").lower()
    name = username.replace(".", " ").title()
    return DemoPerson(username, name, f"{username}@{domain}.provena.test", msp_id, (role,))


#: The demo world has one certification body; a person holding the certifier role in
#: another organization stands for "a certifier of a different body".
OUTSIDE_CERTIFIER = _person("cora.quinn", "RetailerMSP", Role.CERTIFIER)
#: Keeps a key in the browser: every write of hers hands out bytes to sign.
BROWSER_SIGNER = _person("pat.lindqvist", "ProducerMSP", Role.PRODUCER)
#: Enroll a browser key of their own, or try to under another person's enrollment id.
NEW_KEYHOLDER = _person("noah.brandt", "CarrierMSP", Role.CARRIER)
IMPOSTOR = _person("olga.petrova", "CarrierMSP", Role.CARRIER)
EXTRA = (OUTSIDE_CERTIFIER, BROWSER_SIGNER, NEW_KEYHOLDER, IMPOSTOR)
EVERYONE = {p.username: p for p in (*PEOPLE, *EXTRA)}
#: The callers of every row: each demo person, the outside certifier, and signed out.
CALLERS = (*(p.username for p in PEOPLE), OUTSIDE_CERTIFIER.username, SIGNED_OUT)

ISSUER = "david.okafor"  # issued the fixture's certificates
OTHER_CERTIFIER = "mei.tanaka"  # the same body's other certifier: the permitted writes
PRODUCER = "tomas.herrera"
CARRIER = "sam.carter"
RECEIVER = "jonas.berg"
GOVERNOR = "ines.moreau"
SCHEME = "EU-ORGANIC"
WITHDRAWN_SCHEME = "EU-ORGANIC-WITHDRAWN"


def msp(caller: str) -> str | None:
    return EVERYONE[caller].msp_id if caller in EVERYONE else None


def has(caller: str, role: Role) -> bool:
    return caller in EVERYONE and role in EVERYONE[caller].roles


def sees(caller: str, *msp_ids: str) -> bool:
    """Whether the caller may read a record the organizations `msp_ids` may read."""
    return has(caller, Role.AUDITOR) or msp(caller) in msp_ids


# --- the world the rows act on ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class World:
    """The running app, a token per person, and the ids of the fixture's records."""

    http: httpx.Client
    tokens: Mapping[str, str]
    ids: Mapping[str, str]

    def auth(self, caller: str) -> dict[str, str]:
        if caller == SIGNED_OUT:
            return {}
        return {"Authorization": f"Bearer {self.tokens[caller]}"}

    def post(self, path: str, caller: str, *, wait: bool = False, **kwargs: Any) -> Any:
        """POST as `caller`; the answer's JSON, which must be a success."""
        headers = self.auth(caller) | (WAIT if wait else {})
        answer = self.http.post(path, headers=headers, **kwargs)
        assert answer.status_code in (200, 201, 202), f"{path} as {caller}: {answer.text}"
        return answer.json()

    def upload(self, caller: str, content: bytes | None = None) -> str:
        """A new document of the caller's organization; its CID."""
        body = content if content is not None else uuid.uuid4().bytes
        params = {"name": "evidence.bin"}
        document = self.post("/api/v1/documents", caller, content=body, params=params)
        cid: str = document["cid"]
        return cid


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def certificate(id: str, **overrides: Any) -> dict[str, Any]:
    subject = {"kind": "lot", "id": "LOT-7", "name": "Tomato lot 7", "msp_id": "ProducerMSP"}
    return {
        "id": id,
        "scheme": SCHEME,
        "subject": subject,
        "scope": "Organic tomatoes",
        "valid_from": "2026-01-01T00:00:00Z",
        "valid_until": "2036-01-01T00:00:00Z",
    } | overrides


def shipment(id: str, **overrides: Any) -> dict[str, Any]:
    item = {"sku": "TOM-1", "description": "Tomatoes", "quantity": "120", "unit": "kg"}
    return {
        "id": id,
        "items": [item],
        "origin": "Green Valley packhouse",
        "destination": {"msp_id": "RetailerMSP", "location": "Harbor Street store"},
    } | overrides


CHECKPOINT = {
    "event_time": "2026-03-01T10:00:00+00:00",
    "event_time_zone_offset": "+00:00",
    "biz_step": "transporting",
    "disposition": "in_transit",
    "read_point": "urn:epc:id:sgln:0614141.07346.1234",
}


def _signed(key: ec.EllipticCurvePrivateKey, to_sign: Mapping[str, Any]) -> dict[str, str]:
    """The signature body for bytes handed out to sign (DER over the given digest)."""
    digest = base64.b64decode(to_sign["digest"])
    signature = key.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256())))
    return {
        "stage": to_sign["stage"],
        "data": to_sign["data"],
        "signature": base64.b64encode(signature).decode(),
    }


def _build(world: World) -> dict[str, str]:
    """Bootstrap the registry and write every record the rows act on; their ids."""
    ids: dict[str, str] = {}
    registry = {"governance_msps": ["CertifierMSP"]}
    world.post("/api/v1/registry/bootstrap", GOVERNOR, wait=True, json=registry)
    accreditation = {"msp_id": "CertifierMSP", "schemes": [SCHEME, WITHDRAWN_SCHEME]}
    world.post("/api/v1/registry/accreditations", GOVERNOR, wait=True, json=accreditation)

    for caller in (ISSUER, PRODUCER, CARRIER, RECEIVER):
        ids[f"doc:{msp(caller)}"] = world.upload(caller)

    for name in ("main", "suspend", "reinstate", "revoke", "revoked"):
        ids[f"cert:{name}"] = cert_id = new_id("CERT")
        documents = [ids["doc:CertifierMSP"]] if name == "revoked" else []
        issued = world.post(
            "/api/v1/certificates",
            ISSUER,
            wait=True,
            json=certificate(cert_id, documents=documents),
        )
        if name == "main":
            ids["tx:certificate"] = issued["tx_id"]
    reason = {"reason": "audit"}
    for name, action in (("reinstate", "suspend"), ("revoked", "revoke")):
        path = f"/api/v1/certificates/{ids[f'cert:{name}']}/{action}"
        world.post(path, ISSUER, wait=True, json=reason)

    offer = {"to_msp": "CarrierMSP"}
    for name in ("main", "accept", "reject", "cancel", "propose", "deliver"):
        ids[f"ship:{name}"] = ship_id = new_id("SHIP")
        created = world.post("/api/v1/shipments", PRODUCER, wait=True, json=shipment(ship_id))
        if name == "main":
            ids["tx:shipment"] = created["tx_id"]
        if name in ("main", "accept", "reject", "cancel"):
            world.post(f"/api/v1/shipments/{ship_id}/transfer", PRODUCER, wait=True, json=offer)
    delivered = ids["ship:deliver"]
    to_retailer = {"to_msp": "RetailerMSP"}
    world.post(f"/api/v1/shipments/{delivered}/transfer", PRODUCER, wait=True, json=to_retailer)
    world.post(f"/api/v1/shipments/{delivered}/transfer/accept", RECEIVER, wait=True)

    # A person who signs in the browser: one write she may make, one she may not, each
    # proposal signed by her key.
    key = ec.generate_private_key(ec.SECP256R1())
    signer = BROWSER_SIGNER.username
    info = world.http.get("/api/v1/me/ledger-identity", headers=world.auth(signer)).json()
    csr = certificate_request(key, info["next_enrollment_id"]).decode()
    world.post("/api/v1/me/ledger-identity", signer, json={"csr_pem": csr})
    for name, path, body in (
        ("create", "/api/v1/shipments", shipment(new_id("SHIP"))),
        ("suspend", f"/api/v1/certificates/{ids['cert:main']}/suspend", reason),
    ):
        to_sign = world.post(path, signer, json=body)
        assert to_sign["status"] == "signature_required", to_sign
        ids[f"sig:{name}"] = to_sign["tx_id"]
        ids[f"sig:{name}:body"] = json.dumps(_signed(key, to_sign))
    return ids


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProvenaUp]:
    data_dir = tmp_path_factory.mktemp("access") / "data"
    with provena_up(data_dir, "--no-seed", env=LIMITS) as up:
        yield up


def _tokens(url: str, data_dir: Path) -> dict[str, str]:
    issuer = DevIssuer(
        issuer=f"{url}/dev-oidc",
        key=load_or_create_key(data_dir / "dev-issuer" / "signing-key.pem"),
        client_id="provena-web",
        audience="provena",
        role_groups=default_role_groups(),
        org_groups=default_org_groups(),
        people=tuple(EVERYONE.values()),
    )
    return {name: issuer.access_token(name) for name in EVERYONE}


@pytest.fixture(scope="module")
def world(running: ProvenaUp) -> Iterator[World]:
    with httpx.Client(base_url=running.url, timeout=TIMEOUT) as http:
        empty = World(http, _tokens(running.url, running.data_dir), {})
        yield World(http, empty.tokens, _build(empty))


# --- the table ----------------------------------------------------------------------------

Request = Callable[[World, str], dict[str, Any]]
"""The request's keyword arguments for httpx (json, content, params, headers, files)."""


def _nothing(world: World, caller: str) -> dict[str, Any]:
    return {}


@dataclass(frozen=True, slots=True)
class Row:
    method: str
    path: str
    caller: str
    status: int
    case: str = ""
    #: Path parameters: a fixture record's key, or the value itself.
    args: tuple[tuple[str, str], ...] = ()
    request: Request = _nothing
    #: For lists: the record (fixture key, field) that must be on the page iff `listed`.
    record: tuple[str, str] | None = None
    listed: bool = False
    defect: str = ""
    #: How a refused write (403) begins: by default, the contract's own refusal.
    refusal: str = "access denied: "

    @property
    def id(self) -> str:
        case = f" [{self.case}]" if self.case else ""
        return f"{self.method} {self.path}{case} as {self.caller} -> {self.status}"

    def param(self) -> Any:
        marks = [pytest.mark.xfail(strict=True, reason=self.defect)] if self.defect else []
        return pytest.param(self, id=self.id, marks=marks)


def signed_in(status: int, *, out: int = 401) -> Callable[[str], int]:
    return lambda caller: out if caller == SIGNED_OUT else status


def visible_to(*msp_ids: str) -> Callable[[str], int]:
    """200 to who may read a record of `msp_ids`, 404 to everyone else, 401 signed out."""
    return lambda caller: 401 if caller == SIGNED_OUT else 200 if sees(caller, *msp_ids) else 404


def each(
    method: str,
    path: str,
    expect: Callable[[str], int],
    *,
    callers: tuple[str, ...] = CALLERS,
    **fields: Any,
) -> list[Row]:
    """A row per caller, with the status `expect` gives them."""
    return [Row(method, path, c, expect(c), **fields) for c in callers]


def json_body(make: Callable[[World, str], Any]) -> Request:
    return lambda world, caller: {"json": make(world, caller)}


def _fresh_certificate(world: World, caller: str) -> dict[str, Any]:
    return {"json": certificate(new_id("CERT"))}


def _certificate_with(key: str) -> Request:
    return json_body(lambda world, caller: certificate(new_id("CERT"), documents=[world.ids[key]]))


def _certificate_form(world: World, caller: str) -> dict[str, Any]:
    field = json.dumps(certificate(new_id("CERT")))
    return {"files": {"certificate": (None, field, "application/json")}}


def _own_document(world: World, caller: str) -> dict[str, Any]:
    organization = msp(caller) or "CertifierMSP"
    return {"json": {"cid": world.ids[f"doc:{organization}"]}}


def _fresh_document(world: World, caller: str) -> dict[str, Any]:
    return {"json": {"cid": world.upload(caller)}}


def _document(key: str) -> Request:
    return json_body(lambda world, caller: {"cid": world.ids[key]})


def _upload(world: World, caller: str) -> dict[str, Any]:
    return {"content": uuid.uuid4().bytes, "params": {"name": "upload.bin"}}


def _fresh_shipment(world: World, caller: str) -> dict[str, Any]:
    return {"json": shipment(new_id("SHIP"))}


def _shipment_with(key: str) -> Request:
    return json_body(lambda world, caller: shipment(new_id("SHIP"), documents=[world.ids[key]]))


def _checkpoint_with(key: str) -> Request:
    return json_body(lambda world, caller: CHECKPOINT | {"documents": [world.ids[key]]})


def _constant(body: Any) -> Request:
    return lambda world, caller: {"json": body}


def _signature(key: str) -> Request:
    return lambda world, caller: {"json": json.loads(world.ids[f"{key}:body"])}


def _accreditation(world: World, caller: str) -> dict[str, Any]:
    """An admin accrediting their own organization for a scheme nobody holds yet."""
    return {"json": {"msp_id": msp(caller) or "CertifierMSP", "schemes": [new_id("SCHEME")]}}


def _bootstrap(world: World, caller: str) -> dict[str, Any]:
    return {"json": {"governance_msps": [msp(caller) or "CertifierMSP"]}}


def _csr_for(enrollment_of: str) -> Request:
    """A CSR for a fresh key, named with the next enrollment id of `enrollment_of`."""

    def make(world: World, caller: str) -> dict[str, Any]:
        path = "/api/v1/me/ledger-identity"
        info = world.http.get(path, headers=world.auth(enrollment_of)).json()
        key = ec.generate_private_key(ec.SECP256R1())
        csr = certificate_request(key, info["next_enrollment_id"]).decode()
        return {"json": {"csr_pem": csr}}

    return make


def _query(**params: str) -> Request:
    return lambda world, caller: {"params": params}


def _wants_json(world: World, caller: str) -> dict[str, Any]:
    return {"headers": {"Accept": "application/json"}}


def _raw_file(world: World, caller: str) -> dict[str, Any]:
    return {"content": b"not anchored anywhere", "headers": {"Content-Type": "text/plain"}}


def _cid_query(world: World, caller: str) -> dict[str, Any]:
    return {"params": {"cid": world.ids["doc:ProducerMSP"]}}


def _public(method: str, path: str, status: int = 200, **fields: Any) -> list[Row]:
    return each(method, path, lambda caller: status, **fields)


def _certificate_rows() -> list[Row]:
    base = "/api/v1/certificates"
    issuers = (ISSUER, OTHER_CERTIFIER)
    rows = [
        *each(
            "GET",
            base,
            signed_in(200),
            record=("cert:main", "id"),
            request=_query(limit="200"),
        ),
        *each(
            "GET",
            base + "/{id}",
            visible_to("CertifierMSP", "ProducerMSP"),
            args=(("id", "cert:main"),),
        ),
        *each(
            "POST",
            base,
            lambda c: 401 if c == SIGNED_OUT else 202 if c in issuers else 403,
            request=_fresh_certificate,
        ),
        # A document another organization uploaded is invisible, so it cannot be anchored.
        *each(
            "POST",
            base,
            lambda c: 401 if c == SIGNED_OUT else 403 if sees(c, "ProducerMSP") else 404,
            case="producer's document",
            request=_certificate_with("doc:ProducerMSP"),
        ),
        *each(
            "POST",
            base + "/form",
            lambda c: 401 if c == SIGNED_OUT else 202 if c in issuers else 403,
            request=_certificate_form,
        ),
        # The issuer's body may attach; attaching to a revoked certificate is a conflict.
        Row(
            "POST",
            base + "/{id}/documents",
            OTHER_CERTIFIER,
            202,
            args=(("id", "cert:main"),),
            request=_fresh_document,
        ),
        Row(
            "POST",
            base + "/{id}/documents",
            ISSUER,
            409,
            case="revoked",
            args=(("id", "cert:revoked"),),
            request=_own_document,
        ),
        *each(
            "POST",
            base + "/{id}/documents",
            signed_in(403),
            callers=tuple(c for c in CALLERS if c not in issuers),
            args=(("id", "cert:main"),),
            request=_own_document,
        ),
        *each(
            "POST",
            base + "/{id}/documents",
            lambda c: 401 if c == SIGNED_OUT else 403 if sees(c, "ProducerMSP") else 404,
            case="producer's document",
            args=(("id", "cert:main"),),
            request=_document("doc:ProducerMSP"),
        ),
    ]
    for action in ("suspend", "reinstate", "revoke"):
        path = base + "/{id}/{action}"
        reason = _constant({"reason": "access matrix"})
        rows += [
            Row(
                "POST",
                path,
                OTHER_CERTIFIER,
                202,
                case=action,
                args=(("id", f"cert:{action}"), ("action", action)),
                request=reason,
            ),
            Row(
                "POST",
                path,
                ISSUER,
                409,
                case=f"{action} revoked",
                args=(("id", "cert:revoked"), ("action", action)),
                request=reason,
            ),
            *each(
                "POST",
                path,
                signed_in(403),
                callers=tuple(c for c in CALLERS if c not in issuers),
                case=action,
                args=(("id", "cert:main"), ("action", action)),
                request=reason,
            ),
        ]
    return rows


def _shipment_rows() -> list[Row]:
    base = "/api/v1/shipments"
    parties = ("ProducerMSP", "CarrierMSP", "RetailerMSP")
    main = (("id", "ship:main"),)
    rows = [
        *each(
            "GET",
            base,
            signed_in(200),
            record=("ship:main", "id"),
            request=_query(limit="200"),
        ),
        *each(
            "GET",
            base + "/{id}",
            visible_to(*parties),
            args=main,
        ),
        *each(
            "POST",
            base,
            lambda c: 401 if c == SIGNED_OUT else 202 if c == PRODUCER else 403,
            request=_fresh_shipment,
        ),
        *each(
            "POST",
            base,
            lambda c: 401 if c == SIGNED_OUT else 403 if sees(c, "CarrierMSP") else 404,
            case="carrier's document",
            request=_shipment_with("doc:CarrierMSP"),
        ),
    ]
    offer = _constant({"to_msp": "CarrierMSP"})
    # (path, the one permitted caller, the record they act on, its answer, the body)
    writes: tuple[tuple[str, str, str, int, Request], ...] = (
        ("/{id}/transfer", PRODUCER, "ship:propose", 202, offer),
        ("/{id}/transfer/accept", CARRIER, "ship:accept", 202, _nothing),
        ("/{id}/transfer/reject", CARRIER, "ship:reject", 202, _constant({"reason": "late"})),
        ("/{id}/transfer/cancel", PRODUCER, "ship:cancel", 202, _nothing),
        ("/{id}/checkpoints", PRODUCER, "ship:main", 202, _constant(CHECKPOINT)),
        ("/{id}/delivery", RECEIVER, "ship:deliver", 202, _nothing),
    )
    for suffix, permitted, record, status, request in writes:
        # The custodian's delivery of a shipment not yet at its destination: below.
        others = (permitted, PRODUCER) if suffix == "/{id}/delivery" else (permitted,)
        path = base + suffix.replace("/accept", "/{action}").replace("/cancel", "/{action}")
        action = suffix.rsplit("/", 1)[1]
        named = (("action", action),) if "{action}" in path else ()
        rows += [
            Row(
                "POST",
                path,
                permitted,
                status,
                case=action,
                args=(("id", record), *named),
                request=request,
            ),
            *each(
                "POST",
                path,
                signed_in(403),
                callers=tuple(c for c in CALLERS if c not in others),
                case=action,
                args=(*main, *named),
                request=request,
            ),
        ]
    # The custodian is past the access check, but the shipment's state refuses it.
    rows += [
        Row("POST", base + "/{id}/transfer", PRODUCER, 409, "offered", main, offer),
        Row("POST", base + "/{id}/delivery", PRODUCER, 409, "not arrived", main),
        Row(
            "POST",
            base + "/{id}/checkpoints",
            PRODUCER,
            404,
            "carrier's document",
            main,
            _checkpoint_with("doc:CarrierMSP"),
        ),
    ]
    return rows


def _document_rows() -> list[Row]:
    base = "/api/v1/documents"
    producer = (("cid", "doc:ProducerMSP"),)
    visible = visible_to("ProducerMSP")
    return [
        *each("POST", base, signed_in(201), request=_upload),
        *each("GET", base, signed_in(200), record=("doc:ProducerMSP", "cid")),
        *each("GET", base + "/{cid}", visible, args=producer),
        *each("GET", base + "/{cid}/url", visible, args=producer),
        # The trustless gateway serves any block it holds, to anyone: a CID names its bytes.
        *_public("GET", "/ipfs/{cid}", args=producer),
        *_public("HEAD", "/ipfs/{cid}", args=producer),
    ]


def _transaction_rows() -> list[Row]:
    base = "/api/v1/transactions"
    rows = [
        *each("GET", base, signed_in(200), record=("tx:shipment", "tx_id")),
    ]
    for record, organization in (
        ("tx:shipment", "ProducerMSP"),
        ("tx:certificate", "CertifierMSP"),
    ):
        rows += each(
            "GET",
            base + "/{tx_id}",
            visible_to(organization),
            case=record.split(":")[1],
            args=(("tx_id", record),),
        )
    signatures = base + "/{tx_id}/signatures"
    signer = BROWSER_SIGNER.username
    rows += [
        Row(
            "POST",
            signatures,
            signer,
            202,
            "own proposal",
            (("tx_id", "sig:create"),),
            _signature("sig:create"),
        ),
        # Her key signs, but the contract still decides: she may not suspend certificates.
        Row(
            "POST",
            signatures,
            signer,
            403,
            "refused proposal",
            (("tx_id", "sig:suspend"),),
            _signature("sig:suspend"),
        ),
        # Bytes someone else created and signed cannot be submitted as one's own.
        *each(
            "POST",
            signatures,
            signed_in(400),
            case="another's proposal",
            args=(("tx_id", "sig:create"),),
            request=_signature("sig:create"),
        ),
    ]
    return rows


def _registry_rows() -> list[Row]:
    governor = (GOVERNOR,)
    withdrawn = (("msp_id", "CertifierMSP"), ("scheme", WITHDRAWN_SCHEME))
    return [
        # Bootstrapping is an admin's, once: it has been done, so admins meet a conflict.
        *each(
            "POST",
            "/api/v1/registry/bootstrap",
            lambda c: 401 if c == SIGNED_OUT else 409 if has(c, Role.ADMIN) else 403,
            request=_bootstrap,
        ),
        *each(
            "POST",
            "/api/v1/registry/accreditations",
            lambda c: 401 if c == SIGNED_OUT else 202 if c in governor else 403,
            request=_accreditation,
        ),
        *each(
            "DELETE",
            "/api/v1/registry/accreditations/{msp_id}/{scheme}",
            lambda c: 401 if c == SIGNED_OUT else 202 if c in governor else 403,
            args=withdrawn,
        ),
    ]


def _people_rows() -> list[Row]:
    readers = (GOVERNOR, "lars.nilsson", "fatima.haddad")

    def admin_pages(caller: str) -> int:
        return 401 if caller == SIGNED_OUT else 200 if caller in readers else 403

    identity = "/api/v1/me/ledger-identity"
    return [
        *each("GET", "/api/v1/admin/access", signed_in(200)),
        *each("GET", "/api/v1/admin/accreditations", admin_pages),
        *each("GET", "/api/v1/admin/people", admin_pages),
        *each(
            "GET",
            "/api/v1/users",
            lambda c: 401 if c == SIGNED_OUT else 200 if has(c, Role.ADMIN) else 403,
        ),
        *each("GET", "/api/v1/me", signed_in(200)),
        *each("GET", identity, signed_in(200)),
        *each("GET", "/api/v1/network", signed_in(200)),
        # Enrolling a browser key replaces the person's server-held one, so only people who
        # act in no other row enroll: themselves, or under another person's enrollment id.
        Row("POST", identity, SIGNED_OUT, 401, request=_csr_for(NEW_KEYHOLDER.username)),
        Row(
            "POST",
            identity,
            NEW_KEYHOLDER.username,
            201,
            "own enrollment id",
            request=_csr_for(NEW_KEYHOLDER.username),
        ),
        Row(
            "POST",
            identity,
            IMPOSTOR.username,
            403,
            "another's enrollment id",
            refusal="the certificate request's common name must be",
            request=_csr_for(CARRIER),
        ),
    ]


def _public_rows() -> list[Row]:
    cert = (("id", "cert:main"),)
    ship = (("id", "ship:main"),)
    return [
        *_public("GET", "/healthz"),
        *_public("GET", "/readyz"),
        *_public("GET", "/api/v1/config"),
        *_public("GET", "/api/v1/verify/certificates/{id}", args=cert),
        *_public("GET", "/api/v1/verify/shipments/{id}", args=ship),
        *_public("GET", "/api/v1/verify/files", request=_cid_query),
        *_public("POST", "/api/v1/verify/files", request=_raw_file),
        *_public("GET", "/v/c/{id}", args=cert, request=_wants_json),
        *_public("GET", "/v/s/{id}", args=ship, request=_wants_json),
        Row("GET", "/v/c/{id}", SIGNED_OUT, 303, "browser", cert),
        Row("GET", "/v/s/{id}", SIGNED_OUT, 303, "browser", ship),
    ]


def _table() -> list[Row]:
    rows = [
        *_certificate_rows(),
        *_shipment_rows(),
        *_document_rows(),
        *_transaction_rows(),
        *_registry_rows(),
        *_people_rows(),
        *_public_rows(),
    ]
    for row in rows:
        if row.record is not None:
            object.__setattr__(row, "listed", row.status == 200 and _lists(row))
    return rows


def _lists(row: Row) -> bool:
    """Whether the caller of a list row may see the record it looks for."""
    assert row.record is not None
    owners = {
        "cert:main": ("CertifierMSP", "ProducerMSP"),
        "ship:main": ("ProducerMSP", "CarrierMSP", "RetailerMSP"),
        "doc:ProducerMSP": ("ProducerMSP",),
        "tx:shipment": ("ProducerMSP",),
    }
    return sees(row.caller, *owners[row.record[0]])


ROWS = _table()
#: Operations without rows, and why.
_TRACEABILITY = "its access rules are tested with the records it needs in tests/api/{}"
EXCLUDED = {
    ("GET", "/api/v1/events"): "a stream: it answers once the client leaves (tests/api)",
    **{
        operation: _TRACEABILITY.format(module)
        for module, operations in {
            "test_epcis.py": [
                ("POST", "/epcis/capture"),
                ("POST", "/epcis/events"),
                ("GET", "/epcis/capture/{captureID}"),
                ("GET", "/epcis/events"),
                ("GET", "/epcis/events/{eventID}"),
            ],
            "test_subscriptions.py": [
                ("POST", "/epcis/queries/SimpleEventQuery/subscriptions"),
                ("GET", "/epcis/queries/SimpleEventQuery/subscriptions"),
                ("GET", "/epcis/queries/SimpleEventQuery/subscriptions/{id}"),
                ("DELETE", "/epcis/queries/SimpleEventQuery/subscriptions/{id}"),
            ],
            "test_trace.py": [
                ("GET", "/api/v1/trace"),
                ("GET", "/api/v1/trace/proof/{event_id}"),
                ("POST", "/api/v1/transformations"),
                ("GET", "/api/v1/recalls/preview"),
                ("POST", "/api/v1/recalls"),
                ("GET", "/api/v1/recalls"),
                ("GET", "/api/v1/recalls/{id}"),
                ("GET", "/api/v1/recalls/{id}/export.csv"),
                ("GET", "/api/v1/recalls/{id}/export.jsonld"),
            ],
            "test_coldchain.py": [("GET", "/api/v1/shipments/{id}/cold-chain")],
        }.items()
        for operation in operations
    },
}


def test_every_operation_has_rows(running: ProvenaUp) -> None:
    schema = httpx.get(f"{running.url}/openapi.json", timeout=TIMEOUT).json()
    declared = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("get", "put", "post", "patch", "delete", "head", "options")
    }
    covered = {(row.method, row.path) for row in ROWS}
    assert declared - set(EXCLUDED) - covered == set(), "operations without a row"
    assert covered - declared == set(), "rows for operations the schema does not declare"
    assert set(EXCLUDED) <= declared, "exclusions the schema no longer declares"


def test_rows_are_distinct() -> None:
    ids = [row.id for row in ROWS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("row", [row.param() for row in ROWS])
def test_access(row: Row, world: World) -> None:
    values = {name: world.ids.get(value, value) for name, value in row.args}
    path = row.path.format(**values)
    kwargs = row.request(world, row.caller)
    headers = world.auth(row.caller) | kwargs.pop("headers", {})
    answer = world.http.request(row.method, path, headers=headers, **kwargs)
    assert answer.status_code == row.status, answer.text
    if row.status == 403 and row.method != "GET":
        # Refused for the reason the row names, not for want of a ledger identity.
        assert answer.json()["detail"].startswith(row.refusal), answer.text
    if row.record is not None and row.status == 200:
        key, field = row.record
        found = {item[field] for item in answer.json()["data"]}
        assert (world.ids[key] in found) == row.listed, found
    if row.path == "/api/v1/users" and row.status == 200:
        assert {user["msp_id"] for user in answer.json()["data"]} == {msp(row.caller)}
