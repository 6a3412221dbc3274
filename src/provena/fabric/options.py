"""Per-call timeouts, and the sentinel that means "use the gateway's default"."""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["USE_DEFAULT", "Timeout", "Timeouts"]


class _UseDefault(enum.Enum):
    USE_DEFAULT = "USE_DEFAULT"


USE_DEFAULT = _UseDefault.USE_DEFAULT
"""Use the timeout configured on the gateway for this kind of call (distinct from None)."""

Timeout = float | None | _UseDefault
"""Seconds, None for no deadline, or USE_DEFAULT."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Timeouts:
    """Default deadlines per kind of call, in seconds (None: no deadline).

    The defaults are those of the official clients: a commit can take as long as the
    orderer's batch timeout plus validation, so commit status gets the longest one.
    """

    evaluate: float | None = 5.0
    endorse: float | None = 15.0
    submit: float | None = 5.0
    commit_status: float | None = 60.0
