"""Readiness: every dependency checked concurrently, each with a time limit."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Literal

from pydantic import BaseModel

__all__ = ["Check", "CheckResult", "Readiness", "ReadinessReport"]

#: A check returns an optional detail string, or raises to say the dependency is down.
Check = Callable[[], Awaitable[str | None]]


class CheckResult(BaseModel):
    name: str
    status: Literal["ok", "fail"]
    detail: str | None = None
    latency_ms: float


class ReadinessReport(BaseModel):
    status: Literal["ok", "fail"]
    checks: list[CheckResult]


class Readiness:
    """A named set of dependency checks."""

    def __init__(self, *, timeout_seconds: float = 3.0) -> None:
        self._checks: dict[str, Check] = {}
        self._closers: list[Callable[[], Awaitable[None]]] = []
        self._timeout = timeout_seconds

    def add(self, name: str, check: Check) -> None:
        if name in self._checks:
            raise ValueError(f"readiness check {name!r} is already registered")
        self._checks[name] = check

    def on_close(self, closer: Callable[[], Awaitable[None]]) -> None:
        """Run `closer` at `aclose`: for what a check keeps open between runs."""
        self._closers.append(closer)

    async def aclose(self) -> None:
        for closer in reversed(self._closers):
            await closer()

    async def run(self) -> ReadinessReport:
        results = await asyncio.gather(*(self._run(n, c) for n, c in self._checks.items()))
        status: Literal["ok", "fail"] = "ok" if all(r.status == "ok" for r in results) else "fail"
        return ReadinessReport(status=status, checks=list(results))

    async def _run(self, name: str, check: Check) -> CheckResult:
        started = time.perf_counter()
        try:
            detail = await asyncio.wait_for(check(), self._timeout)
            status: Literal["ok", "fail"] = "ok"
        except TimeoutError:
            status, detail = "fail", f"no answer within {self._timeout:g} s"
        except Exception as exc:  # a check may fail in any way; report it, never raise
            status, detail = "fail", f"{type(exc).__name__}: {exc}"
        elapsed = round((time.perf_counter() - started) * 1000, 2)
        return CheckResult(name=name, status=status, detail=detail, latency_ms=elapsed)
