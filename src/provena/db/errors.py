"""Errors of `provena.db`.

    DatabaseError
    ├── UnsupportedDatabaseError   the database URL names a backend or form we do not run on
    ├── DatabaseUnavailableError   the database cannot be reached or does not answer (503)
    ├── MigrationError             migrations cannot run, or left the schema inconsistent
    └── UnknownOrganizationError   an MSP id that is not a registered organization (422)

Constraint violations are not wrapped: they surface as SQLAlchemy's `IntegrityError`,
because only the caller knows which of its inputs was at fault.
"""

from __future__ import annotations

__all__ = [
    "DatabaseError",
    "DatabaseUnavailableError",
    "MigrationError",
    "UnknownOrganizationError",
    "UnsupportedDatabaseError",
]


class DatabaseError(Exception):
    """Base of every error raised by `provena.db`."""


class UnsupportedDatabaseError(DatabaseError):
    """The database URL is not one Provena supports (SQLite files and PostgreSQL)."""


class DatabaseUnavailableError(DatabaseError):
    """The database could not be reached, or failed a health check."""


class MigrationError(DatabaseError):
    """A schema migration could not run, or left the database inconsistent."""


class UnknownOrganizationError(DatabaseError):
    """No organization is registered under this MSP id."""

    def __init__(self, msp_id: str) -> None:
        super().__init__(f"unknown organization {msp_id!r}")
        self.msp_id = msp_id
