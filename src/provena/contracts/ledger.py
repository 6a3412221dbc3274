"""The contracts' one view of a transaction: who calls, when, and the world state.

Every record lives under a composite key `(object_type, *ids)`; secondary indexes are
composite keys whose value is a single zero byte, so lists are partial-key range
reads with pagination and never scans of whole records. Records are written as
RFC 8785 JSON, so every endorsing peer writes the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from provena.chaincode import Context
from provena.contracts.errors import AccessDenied, NotFound
from provena.contracts.model import Model

__all__ = ["ROLE_ATTRIBUTE", "Caller", "HistoryEntry", "Ledger", "Page"]

#: The Fabric CA attribute carrying a person's role.
ROLE_ATTRIBUTE = "provena.role"
_INDEX_VALUE = b"\x00"
M = TypeVar("M", bound=Model)


@dataclass(frozen=True, slots=True)
class Caller:
    """The submitting identity: organization, Fabric client id and role attribute."""

    msp_id: str
    id: str
    role: str | None

    def require(self, *roles: str, msp_id: str | None = None, what: str) -> None:
        """Allow only `roles` (and, if given, members of `msp_id`) to do `what`."""
        if msp_id is not None and self.msp_id != msp_id:
            raise AccessDenied(f"only {msp_id} may {what}; the caller is from {self.msp_id}")
        if self.role not in roles:
            wanted = " or ".join(roles)
            raise AccessDenied(f"{what} needs the role {wanted}; the caller has {self.role!r}")


@dataclass(frozen=True, slots=True)
class Page:
    keys: list[list[str]]
    bookmark: str


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    tx_id: str
    timestamp: datetime
    is_delete: bool
    value: dict[str, Any] | None


class Ledger:
    """World state and transaction facts for one contract call."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._stub = ctx.stub

    @property
    def caller(self) -> Caller:
        identity = self._ctx.client_identity
        return Caller(
            msp_id=identity.msp_id,
            id=identity.get_id(),
            role=identity.get_attribute_value(ROLE_ATTRIBUTE),
        )

    @property
    def tx_id(self) -> str:
        return str(self._stub.tx_id)

    @property
    def now(self) -> datetime:
        """The transaction's timestamp: the only clock a contract may read."""
        moment: datetime = self._stub.get_tx_timestamp()
        return moment

    async def get(self, model: type[M], object_type: str, *ids: str) -> M | None:
        raw = await self._stub.get_state(self._stub.create_composite_key(object_type, list(ids)))
        return model.model_validate_json(raw) if raw else None

    async def load(self, model: type[M], object_type: str, id: str, *, what: str) -> M:
        """The record `id`, or `NotFound` naming it as `what` (e.g. "certificate")."""
        record = await self.get(model, object_type, id)
        if record is None:
            raise NotFound(f"{what} {id}")
        return record

    async def exists(self, object_type: str, *ids: str) -> bool:
        key = self._stub.create_composite_key(object_type, list(ids))
        return bool(await self._stub.get_state(key))

    async def put(self, record: Model, object_type: str, *ids: str) -> None:
        key = self._stub.create_composite_key(object_type, list(ids))
        await self._stub.put_state(key, record.canonical())

    async def index(self, object_type: str, *attributes: str) -> None:
        key = self._stub.create_composite_key(object_type, list(attributes))
        await self._stub.put_state(key, _INDEX_VALUE)

    async def unindex(self, object_type: str, *attributes: str) -> None:
        await self._stub.del_state(self._stub.create_composite_key(object_type, list(attributes)))

    async def page(
        self, object_type: str, prefix: list[str], *, page_size: int, bookmark: str
    ) -> Page:
        """One page of index keys under `prefix`, each split back into its attributes."""
        results, metadata = await self._stub.get_state_by_partial_composite_key_with_pagination(
            object_type, prefix, page_size, bookmark
        )
        keys = []
        async for entry in results:
            _, attributes = self._stub.split_composite_key(entry.key)
            keys.append(list(attributes))
        return Page(keys=keys, bookmark=metadata.bookmark)

    async def all(self, object_type: str, prefix: list[str]) -> list[list[str]]:
        """Every index key under `prefix` (for small sets, such as one document's anchors)."""
        keys = []
        async for entry in self._stub.get_state_by_partial_composite_key(object_type, prefix):
            _, attributes = self._stub.split_composite_key(entry.key)
            keys.append(list(attributes))
        return keys

    async def records(self, model: type[M], object_type: str, prefix: list[str]) -> list[M]:
        """Every record under `prefix`, in key order."""
        found = []
        async for entry in self._stub.get_state_by_partial_composite_key(object_type, prefix):
            found.append(model.model_validate_json(entry.value))
        return found

    async def history(self, object_type: str, *ids: str) -> list[HistoryEntry]:
        """Every committed change of the record, oldest first."""
        key = self._stub.create_composite_key(object_type, list(ids))
        entries = []
        async for modification in self._stub.get_history_for_key(key):
            value = None if modification.is_delete else json.loads(modification.value)
            entries.append(
                HistoryEntry(
                    tx_id=modification.tx_id,
                    timestamp=modification.timestamp,
                    is_delete=modification.is_delete,
                    value=value,
                )
            )
        entries.reverse()  # the peer returns newest first
        return entries

    def emit(self, name: str, payload: Model) -> None:
        """Set this transaction's one chaincode event."""
        self._stub.set_event(name, payload.canonical())
