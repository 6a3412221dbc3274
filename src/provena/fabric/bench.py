"""Submit throughput: N transactions, K in flight, each timed from proposal to commit."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from provena.fabric.contract import Contract
from provena.fabric.errors import FabricError

__all__ = ["BenchResult", "run_bench"]


@dataclass(frozen=True, slots=True)
class BenchResult:
    ok: int
    failed: int
    seconds: float
    latencies_ms: tuple[float, ...]

    def as_dict(self) -> dict[str, float | int]:
        ordered = sorted(self.latencies_ms)

        def percentile(p: float) -> float:
            if not ordered:
                return 0.0
            return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 2)

        return {
            "ok": self.ok,
            "failed": self.failed,
            "seconds": round(self.seconds, 3),
            "tps": round(self.ok / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": percentile(0.50),
            "p99_ms": percentile(0.99),
        }


async def run_bench(
    contract: Contract, function: str, args: Sequence[str], *, n: int, concurrency: int
) -> BenchResult:
    """Submit `function(*args)` n times; `{run}` and `{i}` in args become a run id and index."""
    if n < 1 or concurrency < 1:
        raise ValueError("n and concurrency must be at least 1")
    run = uuid.uuid4().hex[:8]
    indices = iter(range(n))
    latencies: list[float] = []
    failed = 0

    async def worker() -> None:
        nonlocal failed
        for i in indices:
            call_args = [a.replace("{run}", run).replace("{i}", str(i)) for a in args]
            started = time.perf_counter()
            try:
                await contract.submit(function, args=call_args)
            except FabricError:
                failed += 1
            else:
                latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    async with asyncio.TaskGroup() as group:
        for _ in range(min(concurrency, n)):
            group.create_task(worker())
    return BenchResult(len(latencies), failed, time.perf_counter() - started, tuple(latencies))
