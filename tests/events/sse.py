"""A minimal Server-Sent Events reader for tests: frames off a real HTTP stream."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class Frame:
    id: int | None
    event: str | None
    data: dict[str, Any] | None
    comment: str | None = None


class Reader:
    """Frames of one response's stream, read across calls."""

    def __init__(self, response: httpx.Response) -> None:
        self._lines = response.aiter_lines()

    async def frame(self) -> Frame:
        """The next event or comment."""
        fields: dict[str, str] = {}
        async for line in self._lines:
            if line.startswith(":"):
                return Frame(None, None, None, comment=line[1:].strip())
            if line:
                name, _, value = line.partition(": ")
                fields[name] = value
            elif fields:
                return Frame(int(fields["id"]), fields["event"], json.loads(fields["data"]))
        raise EOFError("the stream ended")

    async def take(self, count: int, *, seconds: float = 10.0) -> list[Frame]:
        """The next `count` events (comments skipped)."""

        async def collect() -> list[Frame]:
            got: list[Frame] = []
            while len(got) < count:
                frame = await self.frame()
                if frame.comment is None:
                    got.append(frame)
            return got

        return await asyncio.wait_for(collect(), seconds)
