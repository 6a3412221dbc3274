"""Request ids, JSON logs and Prometheus metrics.

`RequestContext` is a pure ASGI middleware: it takes the caller's `X-Request-ID`
(or makes one), echoes it on the response, puts it on every log record made while
the request runs, logs one access line, and records request counts and latencies
by route template (never by raw path, which would let clients create series).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from provena.db import LedgerTransaction
from provena.fabric import ChaincodeEvent

__all__ = ["JsonFormatter", "Metrics", "RequestContext", "configure_logging", "request_id"]

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_STANDARD_ATTRS = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "color_message"}
access_log = logging.getLogger("provena.access")


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request id and any `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = request_id.get()
        if rid:
            entry["request_id"] = rid
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD_ATTRS})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(level: str = "INFO", *, json_lines: bool = True) -> None:
    """Send all logs (ours and the server's) to stderr, as JSON lines by default."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter() if json_lines else logging.Formatter("%(levelname)s %(name)s %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True
    logging.getLogger("httpx").setLevel(logging.WARNING)


class Metrics:
    """The metrics of one app, in a registry of its own: HTTP requests, ledger outcomes,
    the event listener's progress and the live feed's clients (the alert rules in
    `deploy/monitoring` are written against these names)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "provena_http_requests",
            "HTTP requests served",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "provena_http_request_duration_seconds",
            "Time to serve an HTTP request",
            ["method", "route"],
            registry=self.registry,
        )
        self.commits = Histogram(
            "provena_ledger_commit_seconds",
            "From a write's submission to its commit status, by validation code",
            ["validation_code"],
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
            registry=self.registry,
        )
        self.events_applied = Counter(
            "provena_listener_events",
            "Chaincode events the listener applied to the projections",
            registry=self.registry,
        )
        self.listener_block = Gauge(
            "provena_listener_block",
            "The block of the last chaincode event the listener applied",
            registry=self.registry,
        )
        self.sse_clients = Gauge(
            "provena_sse_clients", "Live feed (SSE) streams open", registry=self.registry
        )

    def settled(self, row: LedgerTransaction) -> None:
        """Count a write's outcome and how long it took to commit."""
        if row.committed_at is not None:
            seconds = (row.committed_at - row.submitted_at).total_seconds()
            self.commits.labels(row.validation_code or "UNKNOWN").observe(max(seconds, 0.0))

    def applied(self, events: Sequence[ChaincodeEvent]) -> None:
        """Count the events of a batch the listener committed."""
        if events:
            self.events_applied.inc(len(events))
            self.listener_block.set(events[-1].block_number)


class RequestContext:
    """ASGI middleware for request ids, access logs and metrics."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500
        # FastAPI's own telemetry makes the request's server span: it only needs our id.
        trace.get_current_span().set_attribute("provena.request_id", rid)

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = _route_template(scope)
            method = scope["method"]
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(elapsed)
            access_log.info(
                "%s %s %d",
                method,
                scope["path"],
                status,
                extra={"status": status, "route": route, "duration_ms": round(elapsed * 1000, 2)},
            )
            request_id.reset(token)


def _route_template(scope: Scope) -> str:
    path = getattr(scope.get("route"), "path", None)
    if isinstance(path, str):
        return path
    if isinstance(scope.get("endpoint"), StaticFiles):
        return "static"  # the web app's files
    return "unmatched"
