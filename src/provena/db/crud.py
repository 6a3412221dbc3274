"""Reads and writes the API layer needs, beyond plain ORM use.

Functions take the caller's session and never commit: the caller decides the unit of
work. Upserts are single `INSERT ... ON CONFLICT` statements, so concurrent first
requests for the same key cannot race each other into a unique violation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from provena.db.errors import UnknownOrganizationError, UnsupportedDatabaseError
from provena.db.models import Organization, User
from provena.db.types import utcnow
from provena.demo import ORGANIZATIONS, DemoOrganization

__all__ = ["get_organization", "list_users", "seed_organizations", "upsert_user"]


async def get_organization(session: AsyncSession, msp_id: str) -> Organization | None:
    """The organization registered under `msp_id`, if any."""
    return await session.get(Organization, msp_id)


async def list_users(session: AsyncSession, *, msp_id: str | None = None) -> Sequence[User]:
    """Users, by display name (unnamed ones last); only those of `msp_id` if given."""
    stmt = select(User).order_by(User.display_name.is_(None), User.display_name, User.oidc_subject)
    if msp_id is not None:
        stmt = stmt.where(User.msp_id == msp_id)
    return (await session.scalars(stmt)).all()


async def seed_organizations(
    session: AsyncSession, *, orgs: Iterable[DemoOrganization] = ORGANIZATIONS
) -> int:
    """Create or update `orgs` (default: the demo world); returns how many changed.

    Idempotent: running it again with the same organizations returns 0.
    """
    rows = [{"msp_id": o.msp_id, "name": o.name, "kind": o.kind} for o in orgs]
    if not rows:
        return 0
    insert = _insert(session, Organization).values(rows)
    stmt = insert.on_conflict_do_update(
        index_elements=[Organization.msp_id],
        set_={"name": insert.excluded.name, "kind": insert.excluded.kind},
        where=(Organization.name != insert.excluded.name)
        | (Organization.kind != insert.excluded.kind),
    ).returning(Organization.msp_id)
    changed = (await session.scalars(stmt)).all()
    return len(changed)


async def upsert_user(
    session: AsyncSession,
    *,
    subject: str,
    email: str | None,
    display_name: str | None,
    msp_id: str | None,
    roles: Sequence[str],
) -> User:
    """Record a sign-in: create the user for `subject`, or update them; bumps `last_seen_at`.

    Roles are stored sorted and without duplicates. Raises `UnknownOrganizationError`
    if `msp_id` is not a registered organization.
    """
    if isinstance(roles, str):
        raise TypeError("roles must be a sequence of role names, not one string")
    if msp_id is not None and await get_organization(session, msp_id) is None:
        raise UnknownOrganizationError(msp_id)
    now = utcnow()
    changes: dict[str, Any] = {
        "email": email,
        "display_name": display_name,
        "msp_id": msp_id,
        "roles": sorted(set(roles)),
        "last_seen_at": now,
    }
    insert = _insert(session, User).values(oidc_subject=subject, created_at=now, **changes)
    stmt = insert.on_conflict_do_update(
        index_elements=[User.oidc_subject],
        set_={name: insert.excluded[name] for name in changes},
    ).returning(User)
    result = await session.scalars(stmt, execution_options={"populate_existing": True})
    return result.one()


def _insert(
    session: AsyncSession, table: type[Organization | User]
) -> postgresql.Insert | sqlite.Insert:
    """`INSERT` with `ON CONFLICT` support for the session's backend."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise UnsupportedDatabaseError(f"no upsert for the {dialect} dialect")
