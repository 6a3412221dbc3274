"""provena.projections: every contract event onto the database, and rebuilding from block 0.

`apply(session, event)` routes a chaincode event to the domain projection that owns it
(`provena.certification` or `provena.tracking`) and is the handler the event listener
runs; events of names no projection knows (a newer contract) are skipped, not fatal.
`rebuild` replays the ledger into emptied projection tables through the same `apply`;
`check` does it inside a transaction it rolls back and reports every row that differs
(`provena projections rebuild [--check]`).
"""

from provena.projections.dispatch import EVENTS, apply
from provena.projections.rebuild import PROJECTION_TABLES, Difference, check, rebuild

__all__ = ["EVENTS", "PROJECTION_TABLES", "Difference", "apply", "check", "rebuild"]
