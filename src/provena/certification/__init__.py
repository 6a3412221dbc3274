"""provena.certification: certificates and the accreditation registry, as the API sees them.

The ledger (the `Registry` and `Certificates` contracts) decides; this package keeps the
database's view of it. `projection.apply(session, event)` takes one committed chaincode
event (`CertificateIssued`, `CertificateSuspended`, `DocumentAttached`, ...) and writes
the `certificates` and `certificate_documents` rows it implies, and returns what the live
feed should say about it (`certificate.issued`, ...), and to whom: the issuer and the
certified organization. Accreditation events (`RegistryBootstrapped`,
`CertifierAccredited`, `AccreditationWithdrawn`) have no table; they are only announced
(`registry.bootstrapped`, `accreditation.granted`, `accreditation.withdrawn`), to the
governing or accredited organizations.

The event listener (`provena.events`) runs `apply` exactly once per event; `provena
projections rebuild` runs it again from block 0.
"""

from provena.certification.projection import EVENTS, apply

__all__ = ["EVENTS", "apply"]
