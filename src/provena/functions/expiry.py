"""The expiry sweep: a digest of the certificates that expired lately or expire soon.

Expiry is already on the ledger, in the only form that cannot lag: every certificate
carries its `valid_until`, and the contract (`VerifyCertificate`, and the shipments'
certificate checks) answers EXPIRED for any instant at or after it. A transaction that
"marks" a certificate expired would restate that fact late (whenever the sweep ran) and
need a signing identity for a machine; so the sweep writes nothing, to the ledger or to
the projection, and a rebuild from block 0 has nothing of it to recreate. What it does is
tell people, in one digest per run:

    expired   valid_until in [now - sweep interval, now)   (the run before did not see them)
    expiring  valid_until in [now, now + notice days)      (a reminder on every run)

Revoked certificates are left out; suspended ones are in (a suspension may be lifted).
No digest is sent when both lists are empty; a digest too long for one ONS message is sent
in parts. Each run is independent of the last, so a missed or repeated run loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from provena.certification.queries import expiring_between
from provena.db import Certificate, Database
from provena.functions.notifications import Notifier, split_body

__all__ = ["Swept", "sweep"]


@dataclass(frozen=True, slots=True)
class Swept:
    expired: list[str]
    expiring: list[str]
    messages: list[str]
    """The ONS message ids of the digest's parts (none if there was nothing to say)."""


async def sweep(
    database: Database,
    notifier: Notifier,
    *,
    now: datetime,
    notice: timedelta,
    interval: timedelta,
) -> Swept:
    """Find what expired in the last `interval` and what expires within `notice`; send
    the digest."""
    async with database.session() as session:
        expired = await expiring_between(session, now - interval, now)
        expiring = await expiring_between(session, now, now + notice)
    if not (expired or expiring):
        return Swept([], [], [])
    lines = [f"Provena certificate expiry, {now:%Y-%m-%d %H:%M} UTC", ""]
    if expired:
        lines += [f"Expired in the last {_span(interval)}:", *map(_line, expired), ""]
    if expiring:
        lines += [f"Expiring within {_span(notice)}:", *map(_line, expiring)]
    parts = split_body(lines)
    title = f"Provena: {len(expired)} certificates expired, {len(expiring)} expiring soon"
    messages = []
    for number, body in enumerate(parts, 1):
        suffix = f" ({number}/{len(parts)})" if len(parts) > 1 else ""
        messages.append(await notifier.publish(title + suffix, body))
    return Swept([c.id for c in expired], [c.id for c in expiring], messages)


def _line(certificate: Certificate) -> str:
    status = "" if certificate.status == "ACTIVE" else f" [{certificate.status}]"
    return (
        f"- {certificate.id} ({certificate.scheme}) for {certificate.subject_name}, issued by "
        f"{certificate.issuer_msp_id}: valid until {certificate.valid_until:%Y-%m-%d %H:%M}"
        f"{status}"
    )


def _span(span: timedelta) -> str:
    if span % timedelta(days=1) == timedelta(0):
        days = span // timedelta(days=1)
        return f"{days} day" + ("s" if days != 1 else "")
    hours = span / timedelta(hours=1)
    return f"{hours:g} hours"
