"""Per-process rate limits of API routes: a token of the caller's bucket, or 429.

The buckets of a limit live on the app's state, made on first use from the rate and burst
of the settings, so each app (and each test's app) counts on its own.
"""

from __future__ import annotations

import math

from fastapi import HTTPException, Request

from provena.verification import TokenBuckets

__all__ = ["spend_token"]


def spend_token(
    request: Request,
    *,
    buckets: str,
    key: str,
    rate_per_minute: float,
    burst: int,
    detail: str,
) -> None:
    """Spend one token of `key`'s bucket among the app's `buckets`, or raise 429 with
    `detail` and Retry-After: the seconds until a token is due (an hour if none ever is)."""
    limit: TokenBuckets | None = getattr(request.app.state, buckets, None)
    if limit is None:
        limit = TokenBuckets(rate_per_minute=rate_per_minute, burst=burst)
        setattr(request.app.state, buckets, limit)
    wait = limit.take(key)
    if wait:
        retry = "3600" if math.isinf(wait) else str(max(1, math.ceil(wait)))
        raise HTTPException(429, detail, headers={"Retry-After": retry})
