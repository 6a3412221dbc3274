"""The wallet: each person's own Fabric identity, enrolled at their organization's CA.

On a person's first ledger action the wallet registers them at their organization's CA
(Fabric CA REST protocol: the devnet's CAs in development, a fabric-ca-server per
organization in production) with the attributes `provena.role` and `provena.user`, enrolls
a fresh P-256 key, and keeps the certificate and the key sealed (envelope encryption, see
`provena.identity.keys`). A person who holds their key in the browser sends a CSR instead,
and only the certificate is kept.

Before every action the wallet compares what the identity provider says now with the
certificate: a changed role or organization revokes the old identity at the CA and enrolls
a new one; a person with no role or organization left has theirs revoked and cannot act.

    ca = OrgCa(FabricCaClient(url, ca_name=name), registrar_id="admin", secret=secret)
    wallet = Wallet(database=db, authorities={"ProducerMSP": ca}, kek=kek)
    signing = await wallet.signing_identity(user_id, msp_id="ProducerMSP", role="producer")
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import func, select

from provena.db import Database, KeyCustody, LedgerIdentity, utcnow
from provena.fabric import Identity, Signer, ecdsa_signer
from provena.identity.errors import IdentityError
from provena.identity.fabricca import (
    FabricCaClient,
    Registrar,
    certificate_request,
)
from provena.identity.keys import KeyEncryptionKey, Sealed, seal, unseal

__all__ = ["OrgCa", "SigningIdentity", "Wallet", "WalletError"]

log = logging.getLogger(__name__)

_KNOWN_SECONDS = 60.0
"""How long a checked identity is used without reading the wallet again: another process
that revoked it (a role changed and changed back) is noticed within this time."""

ROLE_ATTRIBUTE = "provena.role"
USER_ATTRIBUTE = "provena.user"


class WalletError(IdentityError):
    """The person has no ledger identity they may use; the message says why (403)."""


class OrgCa:
    """An organization's CA and the registrar that registers its people there.

    The registrar is enrolled (with a fresh key, kept in memory) on first use, so the API
    starts even while a CA is down and its people get a clear error until it is back.
    """

    def __init__(self, client: FabricCaClient, *, registrar_id: str, secret: str) -> None:
        self.client = client
        self._registrar_id = registrar_id
        self._secret = secret
        self._registrar: Registrar | None = None
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"OrgCa(registrar_id={self._registrar_id!r})"

    async def registrar(self) -> Registrar:
        async with self._lock:
            if self._registrar is None:
                key = ec.generate_private_key(ec.SECP256R1())
                enrollment = await self.client.enroll(
                    self._registrar_id,
                    self._secret,
                    csr_pem=certificate_request(key, self._registrar_id),
                )
                self._registrar = Registrar(enrollment.certificate_pem, ecdsa_signer(key))
            return self._registrar


@dataclass(frozen=True, slots=True)
class SigningIdentity:
    """A person's current Fabric identity; `signer` is None when the browser holds the key."""

    identity: Identity
    signer: Signer | None = field(repr=False)
    custody: KeyCustody
    enrollment_id: str

    @property
    def label(self) -> str:
        """Who signs, as transaction records show it: enrollment id and certificate subject."""
        subject = x509.load_pem_x509_certificate(self.identity.credentials).subject
        return f"{self.enrollment_id} ({subject.rfc4514_string()})"


class Wallet:
    """Finds, enrolls, renews and revokes people's ledger identities."""

    def __init__(
        self,
        *,
        database: Database,
        authorities: Mapping[str, OrgCa],
        kek: KeyEncryptionKey,
    ) -> None:
        self._database = database
        self._authorities = authorities
        self._kek = kek
        self._signers: dict[uuid.UUID, Signer] = {}
        # Each person's identity as last checked: what it was for, until when, what it is.
        self._known: dict[
            uuid.UUID, tuple[tuple[str | None, str | None], float, SigningIdentity]
        ] = {}
        self._locks: dict[uuid.UUID, asyncio.Lock] = {}

    def _ca(self, msp_id: str) -> OrgCa:
        try:
            return self._authorities[msp_id]
        except KeyError:
            raise WalletError(f"no Fabric CA is configured for organization {msp_id}") from None

    async def current(self, user_id: uuid.UUID) -> LedgerIdentity | None:
        """The person's current identity row, if they have one."""
        async with self._database.session() as session:
            return await session.scalar(
                select(LedgerIdentity).where(
                    LedgerIdentity.user_id == user_id, LedgerIdentity.revoked_at.is_(None)
                )
            )

    async def signing_identity(
        self, user_id: uuid.UUID, *, msp_id: str | None, role: str | None
    ) -> SigningIdentity:
        """The identity the person acts with now, enrolled or renewed first if needed
        (server custody); a person who keeps their key in the browser must enroll it first."""
        known = self._known.get(user_id)
        if known is not None and known[0] == (msp_id, role) and time.monotonic() < known[1]:
            return known[2]  # what the identity provider says has not changed: no lock
        async with self._locks.setdefault(user_id, asyncio.Lock()):
            row = await self.current(user_id)
            if (msp_id is None or role is None) and row is not None:
                await self._revoke_current(user_id, reason="privilegewithdrawn")
            msp_id, role = self._acting_as(msp_id, role)
            if row is not None and (row.msp_id, row.role) != (msp_id, role):
                log.info("role or organization of user %s changed: renewing it", user_id)
                await self._revoke_current(user_id, reason="affiliationchanged")
                row = None
            if row is None:
                row = await self._enroll_server_key(user_id, msp_id, role)
            signing = await self._signing(row)
            self._known[user_id] = ((msp_id, role), time.monotonic() + _KNOWN_SECONDS, signing)
            return signing

    async def enroll_browser_key(
        self, user_id: uuid.UUID, *, msp_id: str | None, role: str | None, csr_pem: bytes
    ) -> SigningIdentity:
        """Enroll the public key of a CSR the person's browser made (its CN must be
        `next_enrollment_id`); from now on the person signs every digest themselves."""
        async with self._locks.setdefault(user_id, asyncio.Lock()):
            msp_id, role = self._acting_as(msp_id, role)
            enrollment_id = await self.next_enrollment_id(user_id, role=role)
            # Every check before the current identity is revoked: a bad request costs nothing.
            try:
                csr = x509.load_pem_x509_csr(csr_pem)
            except ValueError as exc:
                raise WalletError(f"not a PEM certificate request: {exc}") from exc
            if not isinstance(csr.public_key(), ec.EllipticCurvePublicKey):
                raise WalletError("the certificate request's key is not an ECDSA P-256 key")
            names = csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
            if [name.value for name in names] != [enrollment_id]:
                raise WalletError(f"the certificate request's common name must be {enrollment_id}")
            await self._revoke_current(user_id, reason="superseded")
            certificate = await self._register_and_enroll(
                msp_id, enrollment_id, user_id, role, csr_pem
            )
            row = await self._store(
                user_id, msp_id, enrollment_id, role, certificate, KeyCustody.BROWSER, None
            )
            return await self._signing(row)

    async def next_enrollment_id(self, user_id: uuid.UUID, *, role: str) -> str:
        """The enrollment id the person's next identity gets (a CSR's CN must carry it)."""
        async with self._database.session() as session:
            count = await session.scalar(
                select(func.count())
                .select_from(LedgerIdentity)
                .where(LedgerIdentity.user_id == user_id)
            )
        return f"{user_id.hex[:16]}.{role}.{(count or 0) + 1}"

    async def revoke(self, user_id: uuid.UUID, *, reason: str) -> bool:
        """Revoke the person's current identity at the CA and here; False if they had none."""
        async with self._locks.setdefault(user_id, asyncio.Lock()):
            return await self._revoke_current(user_id, reason=reason)

    # --- internals ---------------------------------------------------------------------

    @staticmethod
    def _acting_as(msp_id: str | None, role: str | None) -> tuple[str, str]:
        if msp_id is None:
            raise WalletError("you belong to no organization, so you cannot act on the ledger")
        if role is None:
            raise WalletError("you hold no role, so you cannot act on the ledger")
        return msp_id, role

    async def _enroll_server_key(
        self, user_id: uuid.UUID, msp_id: str, role: str
    ) -> LedgerIdentity:
        enrollment_id = await self.next_enrollment_id(user_id, role=role)
        key = ec.generate_private_key(ec.SECP256R1())
        certificate = await self._register_and_enroll(
            msp_id, enrollment_id, user_id, role, certificate_request(key, enrollment_id)
        )
        return await self._store(
            user_id, msp_id, enrollment_id, role, certificate, KeyCustody.SERVER, key
        )

    async def _register_and_enroll(
        self, msp_id: str, enrollment_id: str, user_id: uuid.UUID, role: str, csr_pem: bytes
    ) -> bytes:
        ca = self._ca(msp_id)
        secret = await ca.client.register(
            await ca.registrar(),
            enrollment_id=enrollment_id,
            attributes={ROLE_ATTRIBUTE: role, USER_ATTRIBUTE: str(user_id)},
            max_enrollments=1,
        )
        # Without attribute requests the CA puts every `ecert` attribute in the certificate,
        # with hf.EnrollmentID, hf.Type and hf.Affiliation.
        enrollment = await ca.client.enroll(enrollment_id, secret, csr_pem=csr_pem)
        log.info("enrolled %s at %s's CA", enrollment_id, msp_id)
        return enrollment.certificate_pem

    async def _store(
        self,
        user_id: uuid.UUID,
        msp_id: str,
        enrollment_id: str,
        role: str,
        certificate_pem: bytes,
        custody: KeyCustody,
        key: ec.EllipticCurvePrivateKey | None,
    ) -> LedgerIdentity:
        row = LedgerIdentity(
            id=uuid.uuid4(),
            user_id=user_id,
            msp_id=msp_id,
            enrollment_id=enrollment_id,
            role=role,
            certificate_pem=certificate_pem.decode(),
            custody=custody,
        )
        if key is not None:
            sealed = await seal(key, self._kek, associated_data=row.id.bytes)
            row.encrypted_key = sealed.encrypted_key
            row.wrapped_key = sealed.wrapped_key
            row.kek_id = sealed.kek_id
            self._signers[row.id] = ecdsa_signer(key)
        async with self._database.writing() as session:
            session.add(row)
            await session.commit()
            await session.refresh(row)
        return row

    async def _signing(self, row: LedgerIdentity) -> SigningIdentity:
        identity = Identity(row.msp_id, row.certificate_pem.encode())
        signer: Signer | None = None
        if row.custody == KeyCustody.SERVER:
            signer = self._signers.get(row.id)
            if signer is None:
                # A CHECK constraint guarantees all three for server custody.
                sealed = Sealed(row.encrypted_key or b"", row.wrapped_key or b"", row.kek_id or "")
                key = await unseal(sealed, self._kek, associated_data=row.id.bytes)
                signer = self._signers[row.id] = ecdsa_signer(key)
        return SigningIdentity(identity, signer, row.custody, row.enrollment_id)

    async def _revoke_current(self, user_id: uuid.UUID, *, reason: str) -> bool:
        row = await self.current(user_id)
        if row is None:
            return False
        ca = self._ca(row.msp_id)
        await ca.client.revoke(await ca.registrar(), row.enrollment_id, reason=reason)
        async with self._database.writing() as session:
            stored = await session.get(LedgerIdentity, row.id)
            assert stored is not None
            stored.revoked_at = utcnow()
            await session.commit()
        self._signers.pop(row.id, None)
        self._known.pop(user_id, None)
        log.info("revoked %s (%s)", row.enrollment_id, reason)
        return True
