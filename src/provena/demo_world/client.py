"""The demo world's writer: the API's own HTTP endpoints, called as each demo person.

Every write carries `Prefer: wait=30`, so it answers once the ledger committed it, and an
`Idempotency-Key` named after the step, so a run that starts again after a crash gets the
first run's transaction back instead of making a second one. Uploads need no key: the same
bytes have the same CID, and uploading them again answers with the stored document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

__all__ = ["KEY_PREFIX", "LedgerNotEmpty", "SeedError", "StepRefused", "WorldClient"]

#: The prefix of every Idempotency-Key the seed sends (its rows are found by it).
KEY_PREFIX = "demo-world:"

_WRITE_HEADERS = {"Prefer": "wait=30"}


class SeedError(RuntimeError):
    """The demo world could not be seeded."""


class StepRefused(SeedError):
    """The API refused a step of the story, or did not see it commit."""

    def __init__(self, step: str, status: int, answer: str) -> None:
        super().__init__(f"{step} answered {status}: {answer}")
        self.step = step
        self.status = status


class LedgerNotEmpty(SeedError):
    """Someone other than the seed bootstrapped the registry: the ledger is not the seed's."""


class WorldClient:
    """HTTP requests to the running API, each signed in as the person who acts."""

    def __init__(self, http: httpx.AsyncClient, token_for: Callable[[str], str]) -> None:
        self._http = http
        self._token_for = token_for
        self._tokens: dict[str, str] = {}
        self.writes = 0

    def _auth(self, username: str) -> dict[str, str]:
        if username not in self._tokens:
            self._tokens[username] = self._token_for(username)
        return {"Authorization": f"Bearer {self._tokens[username]}"}

    async def upload(self, username: str, name: str, media_type: str, data: bytes) -> str:
        """Upload a document; returns its CID."""
        answer = await self._http.post(
            "/api/v1/documents",
            params={"name": name},
            content=data,
            headers={**self._auth(username), "Content-Type": media_type},
        )
        if answer.status_code not in (200, 201):
            raise SeedError(f"upload of {name} answered {answer.status_code}: {answer.text}")
        cid: str = answer.json()["cid"]
        return cid

    async def write(
        self, username: str, step: str, path: str, body: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """POST a write as `username`, keyed by `step`; returns the committed transaction."""
        headers = {**self._auth(username), **_WRITE_HEADERS, "Idempotency-Key": KEY_PREFIX + step}
        answer = await self._http.post(path, json=body or {}, headers=headers)
        if answer.status_code != 200:
            raise StepRefused(step, answer.status_code, answer.text)
        settled: dict[str, Any] = answer.json()
        self.writes += 1
        return settled
