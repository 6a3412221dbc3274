"""A small in-memory token bucket per client, for the public (signed-out) endpoints.

Each client may make `rate_per_minute` requests a minute on average, in bursts of up to
`burst`. Buckets live in this process only (several API processes each allow the rate), and
idle ones are dropped once the table grows past `capacity`.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable

__all__ = ["TokenBuckets"]


class TokenBuckets:
    def __init__(
        self,
        *,
        rate_per_minute: float,
        burst: int,
        capacity: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rate = rate_per_minute / 60.0
        self._burst = float(burst)
        self._capacity = capacity
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, client: str) -> float:
        """Spend one token of `client`'s bucket: 0 if allowed, else seconds until one is."""
        now = self._clock()
        tokens, last = self._buckets.get(client, (self._burst, now))
        tokens = min(self._burst, tokens + (now - last) * self._rate)
        if tokens >= 1.0:
            self._buckets[client] = (tokens - 1.0, now)
            self._buckets.move_to_end(client)
            while len(self._buckets) > self._capacity:
                self._buckets.popitem(last=False)
            return 0.0
        self._buckets[client] = (tokens, now)
        return math.inf if self._rate <= 0 else (1.0 - tokens) / self._rate
