"""Who is calling: the principal built from a validated token."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from provena.demo import Role
from provena.identity.errors import PermissionDenied, TokenError

__all__ = ["GroupMapping", "Principal"]


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated person: their subject, profile claims, roles and organization."""

    subject: str
    email: str | None
    display_name: str | None
    roles: frozenset[Role]
    msp_id: str | None
    claims: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def require(self, *roles: Role) -> None:
        """Raise `PermissionDenied` unless the principal holds at least one of `roles`."""
        if not self.roles.intersection(roles):
            wanted = ", ".join(sorted(r.value for r in roles))
            raise PermissionDenied(f"this action needs one of the roles: {wanted}")


@dataclass(frozen=True, slots=True)
class GroupMapping:
    """Maps the groups claim of a token to roles and to one organization (MSP id)."""

    role_groups: Mapping[str, Role]
    org_groups: Mapping[str, str]

    def roles_for(self, groups: Iterable[str]) -> frozenset[Role]:
        """The roles granted by `groups`; unknown groups grant nothing."""
        return frozenset(self.role_groups[g] for g in groups if g in self.role_groups)

    def organization_for(self, groups: Iterable[str]) -> str | None:
        """The one organization `groups` place the person in, or None.

        A person in two organizations' groups would act for both on the ledger, so it is
        refused rather than guessed.
        """
        orgs = {self.org_groups[g] for g in groups if g in self.org_groups}
        if len(orgs) > 1:
            raise TokenError(f"token places the user in several organizations: {sorted(orgs)}")
        return orgs.pop() if orgs else None
