"""One organization's CA as fabric-ca-server runs it: register, enroll, reenroll, revoke.

Certificates are signed with the key of the organization's MSP CA in the development PKI, so the
channel's MSPs accept them exactly as they accept the PKI's own: OU = the identity's type
(NodeOU `client`) followed by its affiliation path, CN = the enrollment id, and the Fabric CA
attribute extension holding the requested attributes (by default every attribute registered
with `ecert`, which always includes hf.EnrollmentID, hf.Type and hf.Affiliation).
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from provena.devnet.ca import CertificateAuthority
from provena.devnet.fabricca.errors import (
    CaHttpError,
    authentication_failure,
    authorization_failure,
)
from provena.devnet.fabricca.store import Attribute, CaStore, User, aki_of, serial_of
from provena.devnet.fabricca.token import verify_token

__all__ = ["REGISTRAR_ATTRIBUTES", "OrgAuthority", "Request"]

VERSION = "1.5.9"
"""The fabric-ca-server version whose protocol this speaks."""

REGISTRAR_ATTRIBUTES = (
    Attribute("hf.Registrar.Roles", "*"),
    Attribute("hf.Registrar.DelegateRoles", "*"),
    Attribute("hf.Registrar.Attributes", "*"),
    Attribute("hf.Revoker", "true"),
    Attribute("hf.IntermediateCA", "true"),
    Attribute("hf.GenCRL", "true"),
    Attribute("hf.AffiliationMgr", "true"),
)
"""What fabric-ca-server gives its bootstrap administrator."""

_FIXED = ("hf.EnrollmentID", "hf.Type", "hf.Affiliation")
_REASONS = {
    "": 0,
    "unspecified": 0,
    "keycompromise": 1,
    "cacompromise": 2,
    "affiliationchanged": 3,
    "superseded": 4,
    "cessationofoperation": 5,
    "certificatehold": 6,
    "removefromcrl": 8,
    "privilegewithdrawn": 9,
    "aacompromise": 10,
}
# fabric-ca's error codes (lib/caerrors)
_BAD_BODY, _NOT_REVOKER, _REV_CERT_NOT_FOUND, _WRONG_OWNER, _ID_NOT_FOUND = 5, 7, 8, 9, 10
_MISSING_REVOKE_ARGS, _NO_USER_PASS, _INVALID_USER, _INVALID_PASS = 15, 21, 23, 24
_UNTRUSTED, _EXPIRED, _REVOKED, _CERT_NOT_FOUND, _BAD_CSR = 26, 27, 28, 30, 31
_REG_ATTR, _CERT_ALREADY_REVOKED, _DUPLICATE, _REG_AUTH, _CN_MISMATCH = 42, 66, 74, 76, 77
_ATTR_EXT, _INVALID_MAX_ENROLL = 81, 82


@dataclass(frozen=True, slots=True)
class Request:
    """What the handlers need of an HTTP request."""

    method: str
    uri: str
    """Path and query, as sent (what a token signs)."""
    authorization: str | None
    body: bytes
    json: Mapping[str, Any]


def _field(body: Mapping[str, Any], name: str, kind: type, default: Any) -> Any:
    """A body field, matched case-insensitively as Go's encoding/json does."""
    value = next((v for k, v in body.items() if k.lower() == name), default)
    if value is None:
        return default
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise CaHttpError(400, _BAD_BODY, f"Invalid request body: {name} must be {kind.__name__}")
    return value


def _fixed_attributes(user_id: str, kind: str, affiliation: str) -> list[Attribute]:
    """What fabric-ca records for every identity, and puts in its certificates."""
    values = (user_id, kind, affiliation)
    return [Attribute(n, v, True) for n, v in zip(_FIXED, values, strict=True)]


def _roles_allow(user: User, kind: str) -> bool:
    roles = [r.strip() for r in (user.attribute("hf.Registrar.Roles") or "").split(",")]
    return "*" in roles or kind in roles


def _covers(manager: User, affiliation: str) -> bool:
    """fabric-ca's affiliation rule: '' is the root; 'a' covers 'a' and 'a.b'."""
    own = manager.affiliation
    return own == "" or affiliation == own or affiliation.startswith(own + ".")


def _may_register_attribute(registrar: User, name: str) -> bool:
    if name in _FIXED:
        return False
    listed = registrar.attribute("hf.Registrar.Attributes") or ""
    patterns = [p.strip() for p in listed.split(",") if p.strip()]
    allowed = any(p == name or (p.endswith("*") and name.startswith(p[:-1])) for p in patterns)
    # hf.* attributes grant powers: a registrar hands out only those it holds itself.
    return allowed and (not name.startswith("hf.") or registrar.attribute(name) is not None)


class OrgAuthority:
    """The CA of one organization (`ca_name`), signing with its MSP CA's key."""

    def __init__(
        self, ca_name: str, ca: CertificateAuthority, store: CaStore, validity: dt.timedelta
    ) -> None:
        self.ca_name = ca_name
        self._ca = ca
        self._store = store
        self._validity = validity

    def bootstrap(self, enrollment_id: str, secret: str) -> None:
        """Make sure the registrar exists and answers to `secret`."""
        fixed = _fixed_attributes(enrollment_id, "client", "")
        added = self._store.add_user(
            self.ca_name,
            enrollment_id,
            secret,
            type="client",
            affiliation="",
            attrs=[*REGISTRAR_ATTRIBUTES, *fixed],
            max_enrollments=-1,
        )
        if not added:
            self._store.set_secret(self.ca_name, enrollment_id, secret)

    def info(self) -> dict[str, Any]:
        """The cainfo result (also the enroll result's ServerInfo)."""
        return {
            "CAName": self.ca_name,
            "CAChain": base64.b64encode(self._ca.certificate_pem).decode(),
            "IssuerPublicKey": "",
            "IssuerRevocationPublicKey": "",
            "Version": VERSION,
        }

    # authentication

    def _basic(self, request: Request) -> User:
        if not request.authorization:
            raise CaHttpError(401, 2, "No authorization header")
        scheme, _, encoded = request.authorization.partition(" ")
        try:
            if scheme.lower() != "basic":
                raise ValueError("not basic")
            user_id, sep, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
            if not sep:
                raise ValueError("no ':'")
        except (ValueError, UnicodeDecodeError) as exc:
            raise authentication_failure(
                _NO_USER_PASS, "No user/pass in authorization header"
            ) from exc
        user = self._store.user(self.ca_name, user_id)
        if user is None:
            raise authentication_failure(_INVALID_USER, f"Failed to get user: {user_id}")
        if not user.secret_matches(secret):
            raise authentication_failure(_INVALID_PASS, "Login failure: Password mismatch")
        if user.revoked:
            raise authentication_failure(_INVALID_PASS, f"User {user_id} is revoked; access denied")
        if user.max_enrollments != -1 and user.state >= user.max_enrollments:
            raise authentication_failure(
                _INVALID_PASS,
                f"The identity {user_id} has already enrolled {user.max_enrollments} times, "
                "it has reached its maximum enrollment allowance",
            )
        return user

    def _token(self, request: Request) -> tuple[User, x509.Certificate]:
        certificate = verify_token(request.authorization, request.method, request.uri, request.body)
        try:
            certificate.verify_directly_issued_by(self._ca.certificate)
        except (ValueError, TypeError, InvalidSignature) as exc:
            raise authentication_failure(
                _UNTRUSTED, f"Untrusted certificate: not issued by {self.ca_name}"
            ) from exc
        now = dt.datetime.now(dt.UTC)
        if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
            raise authentication_failure(
                _EXPIRED, "The certificate in the authorization header is a revoked or expired one"
            )
        record = self._store.certificate(serial_of(certificate), aki_of(certificate))
        if record is None or record.ca_name != self.ca_name:
            raise authentication_failure(
                _CERT_NOT_FOUND,
                f"Certificate not found with AKI '{aki_of(certificate)}' and serial "
                f"'{serial_of(certificate)}'",
            )
        if record.status == "revoked":
            raise authentication_failure(
                _REVOKED, "The certificate in the authorization header is a revoked certificate"
            )
        names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        user = self._store.user(self.ca_name, str(names[0].value)) if names else None
        if user is None:
            raise authentication_failure(_INVALID_USER, "the certificate's owner is not registered")
        return user, certificate

    # endpoints

    def register(self, request: Request) -> dict[str, Any]:
        body = request.json
        registrar, _ = self._token(request)
        user_id = _field(body, "id", str, "")
        if not user_id:
            raise CaHttpError(400, _BAD_BODY, "Invalid request body: id is required")
        kind = _field(body, "type", str, "") or registrar.type
        affiliation = _field(body, "affiliation", str, "")
        affiliation = {"": registrar.affiliation, ".": ""}.get(affiliation, affiliation)
        requested = [self._attribute(a) for a in _field(body, "attrs", list, [])]
        max_enrollments = _field(body, "max_enrollments", int, 0) or -1
        if max_enrollments < -1:
            raise CaHttpError(
                400,
                _INVALID_MAX_ENROLL,
                f"Max enrollment in registration request may not be less than -1, but was "
                f"{max_enrollments}",
            )
        if not _roles_allow(registrar, kind) or not _covers(registrar, affiliation):
            raise authorization_failure(_REG_AUTH, f"Registration of '{user_id}' failed")
        refused = [a.name for a in requested if not _may_register_attribute(registrar, a.name)]
        if refused:
            raise authorization_failure(
                _REG_ATTR, f"Failed to register attribute: {', '.join(refused)}"
            )
        secret = _field(body, "secret", str, "") or secrets.token_urlsafe(12)
        fixed = _fixed_attributes(user_id, kind, affiliation)
        added = self._store.add_user(
            self.ca_name,
            user_id,
            secret,
            type=kind,
            affiliation=affiliation,
            attrs=[*requested, *fixed],
            max_enrollments=max_enrollments,
        )
        if not added:
            raise CaHttpError(409, _DUPLICATE, f"Identity '{user_id}' is already registered")
        return {"secret": secret}

    @staticmethod
    def _attribute(item: Any) -> Attribute:
        if not isinstance(item, dict):
            raise CaHttpError(400, _BAD_BODY, "Invalid request body: attrs holds objects")
        return Attribute(
            _field(item, "name", str, ""),
            _field(item, "value", str, ""),
            _field(item, "ecert", bool, False),
        )

    def enroll(self, request: Request) -> dict[str, Any]:
        user = self._basic(request)
        result = self._issue(user, request.json)
        self._store.count_enrollment(user)
        return result

    def reenroll(self, request: Request) -> dict[str, Any]:
        user, _ = self._token(request)
        return self._issue(user, request.json)

    def revoke(self, request: Request) -> dict[str, Any]:
        body = request.json
        caller, caller_cert = self._token(request)
        reason_name = _field(body, "reason", str, "").lower()
        if reason_name not in _REASONS:
            raise CaHttpError(400, _BAD_BODY, f"Invalid revocation reason '{reason_name}'")
        reason = _REASONS[reason_name]
        name = _field(body, "id", str, "")
        serial = _field(body, "serial", str, "").lower().replace(":", "").lstrip("0")
        aki = _field(body, "aki", str, "").lower().replace(":", "").lstrip("0")
        if serial and aki:
            record = self._store.certificate(serial, aki)
            if record is None or record.ca_name != self.ca_name:
                raise CaHttpError(
                    404,
                    _REV_CERT_NOT_FOUND,
                    f"Certificate with serial {serial} and AKI {aki} was not found",
                )
            if name and name != record.id:
                raise CaHttpError(
                    400,
                    _WRONG_OWNER,
                    f"Certificate with serial {serial} and AKI {aki} is not owned by {name}",
                )
            own = (serial, aki) == (serial_of(caller_cert), aki_of(caller_cert))
            self._check_revoker(caller, record.id, own=own)
            if record.status == "revoked":
                raise CaHttpError(
                    404,
                    _CERT_ALREADY_REVOKED,
                    f"Certificate with serial {serial} and AKI {aki} was already revoked",
                )
            self._store.revoke_certificate(record, reason)
            revoked = [(serial, aki)]
        elif name:
            self._check_revoker(caller, name, own=name == caller.id)
            revoked = self._store.revoke_user(self.ca_name, name, reason)
        else:
            raise CaHttpError(
                400,
                _MISSING_REVOKE_ARGS,
                "Either Name or Serial and AKI are required for a revoke request",
            )
        return {"RevokedCerts": [{"Serial": s, "AKI": a} for s, a in revoked], "CRL": ""}

    def _check_revoker(self, caller: User, target_id: str, *, own: bool) -> None:
        """hf.Revoker, and the power to manage the target (its type and affiliation), unless
        the caller revokes its own certificate or itself."""
        if own:
            return
        if caller.attribute("hf.Revoker") != "true":
            raise authorization_failure(_NOT_REVOKER, "Caller does not have authority to revoke")
        target = self._store.user(self.ca_name, target_id)
        if target is None:
            raise CaHttpError(404, _ID_NOT_FOUND, f"Identity {target_id} was not found")
        if not _roles_allow(caller, target.type) or not _covers(caller, target.affiliation):
            raise authorization_failure(_NOT_REVOKER, f"Caller may not manage '{target_id}'")

    # issuing

    def _issue(self, user: User, body: Mapping[str, Any]) -> dict[str, Any]:
        public_key = self._csr_key(user, _field(body, "certificate_request", str, ""))
        attrs = self._certificate_attributes(user, _field(body, "attr_reqs", list, None))
        now = dt.datetime.now(dt.UTC)
        not_after = min(now + self._validity, self._ca.certificate.not_valid_after_utc)
        affiliation_ous = [part for part in user.affiliation.split(".") if part]
        certificate = self._ca.certify(
            public_key,
            user.id,
            ous=[user.type, *affiliation_ous],
            attrs=attrs,
            not_after=not_after,
        )
        self._store.add_certificate(self.ca_name, user.id, certificate)
        pem = certificate.public_bytes(serialization.Encoding.PEM)
        return {"Cert": base64.b64encode(pem).decode(), "ServerInfo": self.info()}

    @staticmethod
    def _csr_key(user: User, csr_pem: str) -> ec.EllipticCurvePublicKey:
        """The CSR's key, once the CSR is proven (its signature) and names the enrollment id."""
        try:
            csr = x509.load_pem_x509_csr(csr_pem.encode())
        except ValueError as exc:
            raise CaHttpError(400, _BAD_CSR, "CSR Decode failed") from exc
        public_key = csr.public_key()
        if not isinstance(public_key, ec.EllipticCurvePublicKey) or not isinstance(
            public_key.curve, ec.SECP256R1
        ):
            raise CaHttpError(400, _BAD_CSR, "The CSR's key must be an ECDSA P-256 key")
        if not csr.is_signature_valid:
            raise CaHttpError(400, _BAD_CSR, "The CSR's signature is not valid")
        names = csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        if len(names) != 1 or names[0].value != user.id:
            raise CaHttpError(
                403, _CN_MISMATCH, "The CSR subject common name must equal the enrollment ID"
            )
        return public_key

    @staticmethod
    def _certificate_attributes(user: User, attr_reqs: Sequence[Any] | None) -> dict[str, str]:
        """The requested attributes (fabric-ca: every `ecert` one when none are requested);
        a required attribute the identity lacks is an error."""
        if attr_reqs is None:
            return {a.name: a.value for a in user.attrs if a.ecert}
        attrs: dict[str, str] = {}
        for item in attr_reqs:
            if not isinstance(item, dict):
                raise CaHttpError(400, _BAD_BODY, "Invalid request body: attr_reqs holds objects")
            name = _field(item, "name", str, "")
            value = user.attribute(name)
            if value is not None:
                attrs[name] = value
            elif not _field(item, "optional", bool, False):
                raise CaHttpError(
                    400,
                    _ATTR_EXT,
                    f"Attribute '{name}' was requested but the identity does not possess it",
                )
        return attrs
