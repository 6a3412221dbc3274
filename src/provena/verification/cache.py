"""`CertificateCache`: what a certificate's verification reads, kept between requests.

Verifying a certificate reads its projection row, the ledger record in the feed row of its
last transaction, the issuer's accreditation changes and the proof of that transaction. All
of it changes only when the row's transaction changes or when an accreditation change is
added to the feed. So each request asks one small query for those version marks
(`CertificateVersion`; concurrent requests share it, see `CoalescedReads`), and the rest
is read again only when a mark differs: any new
transaction on the certificate, any accreditation change or a renamed issuer invalidates what
was kept. The status at the asked instant is still computed on every request.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

from provena.contracts.model import Certificate as CertificateRecord
from provena.verification.coalesce import CoalescedReads
from provena.verification.models import (
    AccreditationView,
    DocumentView,
    PublicProof,
    StatusChangeView,
    SubjectView,
)

__all__ = ["CachedCertificate", "CertificateCache", "CertificateVersion"]

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class CertificateVersion:
    """The marks that change whenever anything a verification answer shows changes."""

    tx_id: str
    block_number: int | None
    issuer_name: str | None
    accreditations_seen: int
    """The id of the newest accreditation feed row (0 when there is none)."""


@dataclass(frozen=True, slots=True)
class CachedCertificate:
    """A certificate's record and the answer's parts that do not depend on the instant."""

    version: CertificateVersion
    record: CertificateRecord
    subject: SubjectView
    status_log: list[StatusChangeView]
    documents: list[DocumentView]
    proof: PublicProof


class _Bounded(Generic[K, V]):
    """A least-recently-used map of at most `capacity` entries."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: K, value: V) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self._capacity:
            self._entries.popitem(last=False)


class CertificateCache:
    """Certificates by id and issuers' accreditation changes by MSP id, each entry tagged
    with the version it was read at; one per API process."""

    def __init__(
        self,
        *,
        capacity: int = 10_000,
        versions: CoalescedReads[str, CertificateVersion] | None = None,
    ) -> None:
        self.versions = versions
        """Where version marks are read, shared by concurrent requests (or each request's
        own session, if None)."""
        self._certificates: _Bounded[str, CachedCertificate] = _Bounded(capacity)
        self._accreditations: _Bounded[str, tuple[int, list[AccreditationView]]] = _Bounded(
            capacity
        )

    def certificate(self, id: str, version: CertificateVersion) -> CachedCertificate | None:
        """What was kept of certificate `id`, if it was read at `version`."""
        found = self._certificates.get(id)
        return found if found is not None and found.version == version else None

    def keep_certificate(self, id: str, entry: CachedCertificate) -> None:
        self._certificates.put(id, entry)

    def accreditations(self, msp_id: str, seen: int) -> list[AccreditationView] | None:
        """The accreditation changes of `msp_id`, if read when the newest change was `seen`."""
        found = self._accreditations.get(msp_id)
        return found[1] if found is not None and found[0] == seen else None

    def keep_accreditations(self, msp_id: str, seen: int, changes: list[AccreditationView]) -> None:
        self._accreditations.put(msp_id, (seen, changes))
