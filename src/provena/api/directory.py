"""Who has signed in: users recorded in the database without a write on every request.

A user's row is written when they are first seen, when their profile, organization or
roles change, and otherwise at most once per `refresh_seconds` (so `last_seen_at` is
accurate to that). Organizations are read through a short-lived cache. Both caches are
bounded, and live in one process: several API processes each write on first sight.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass

from provena import db
from provena.demo import OrgKind
from provena.identity import Principal

__all__ = ["OrganizationInfo", "Seen", "UserDirectory"]


@dataclass(frozen=True, slots=True)
class OrganizationInfo:
    msp_id: str
    name: str
    kind: OrgKind


@dataclass(frozen=True, slots=True)
class Seen:
    """A recorded user: their row's id and their organization, if any."""

    user_id: uuid.UUID
    organization: OrganizationInfo | None


class UserDirectory:
    """Records principals as users and looks up their organizations."""

    def __init__(
        self,
        database: db.Database,
        *,
        refresh_seconds: float = 300.0,
        organization_ttl_seconds: float = 60.0,
        capacity: int = 10_000,
    ) -> None:
        self._database = database
        self._refresh = refresh_seconds
        self._org_ttl = organization_ttl_seconds
        self._capacity = capacity
        self._written: OrderedDict[str, tuple[tuple[object, ...], float, uuid.UUID]] = OrderedDict()
        self._orgs: dict[str, tuple[OrganizationInfo | None, float]] = {}

    async def record(self, principal: Principal) -> Seen:
        """Record `principal` if needed; their user id and organization."""
        fingerprint = (
            principal.email,
            principal.display_name,
            principal.msp_id,
            tuple(sorted(principal.roles)),
        )
        now = time.monotonic()
        seen = self._written.get(principal.subject)
        if seen is None or seen[0] != fingerprint or now - seen[1] >= self._refresh:
            async with self._database.writing() as session:
                user = await db.upsert_user(
                    session,
                    subject=principal.subject,
                    email=principal.email,
                    display_name=principal.display_name,
                    msp_id=principal.msp_id,
                    roles=[r.value for r in principal.roles],
                )
                await session.commit()
            user_id = user.id
            self._remember(principal.subject, (fingerprint, now, user_id))
        else:
            user_id = seen[2]
        org = await self.organization(principal.msp_id) if principal.msp_id else None
        return Seen(user_id=user_id, organization=org)

    async def organization(self, msp_id: str) -> OrganizationInfo | None:
        """The organization with this MSP id, from a cache refreshed every few seconds."""
        now = time.monotonic()
        cached = self._orgs.get(msp_id)
        if cached is not None and now - cached[1] < self._org_ttl:
            return cached[0]
        async with self._database.session() as session:
            row = await db.get_organization(session, msp_id)
        info = OrganizationInfo(row.msp_id, row.name, OrgKind(row.kind)) if row else None
        self._orgs[msp_id] = (info, now)
        return info

    def _remember(self, subject: str, entry: tuple[tuple[object, ...], float, uuid.UUID]) -> None:
        self._written[subject] = entry
        self._written.move_to_end(subject)
        while len(self._written) > self._capacity:
            self._written.popitem(last=False)
