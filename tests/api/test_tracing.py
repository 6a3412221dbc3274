"""Traces: a write through the API is one trace, from the HTTP request to the commit of its
transaction, and the OTLP exporter delivers spans to a real OTLP/HTTP receiver."""

# ruff: noqa: F811 (the fixtures imported from tests.api.devnetapi are parameters here)

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from provena.api.tracing import configure_tracing
from provena.settings import Settings
from tests.api.conftest import RunningApi
from tests.api.devnetapi import (  # noqa: F401 (fixtures)
    WAIT,
    api,
    api_settings,
    auth,
    certificate,
    http,
    ledger,
    new_id,
    registry,
)


@pytest.fixture(scope="module")
def backend() -> str:
    return "sqlite"  # what is traced does not depend on the database


@pytest.fixture(scope="module")
def spans() -> Iterator[InMemorySpanExporter]:
    """This process's tracer provider, keeping spans in memory (it can be set only once)."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    yield exporter
    provider.shutdown()  # later tests' spans go nowhere


async def test_a_write_is_one_trace_from_the_request_to_its_commit(
    spans: InMemorySpanExporter, http: httpx.AsyncClient, api: RunningApi, registry: None
) -> None:
    headers = auth(api, "david.okafor", **WAIT) | {"X-Request-ID": "trace-one-write"}
    answer = await http.post("/api/v1/certificates", json=certificate(new_id()), headers=headers)
    assert answer.status_code == 200, answer.text
    tx_id = answer.json()["tx_id"]
    finished = spans.get_finished_spans()
    (request,) = [
        s for s in finished if (s.attributes or {}).get("provena.request_id") == "trace-one-write"
    ]
    assert request.name == "POST /api/v1/certificates"
    assert (request.attributes or {})["http.response.status_code"] == 200
    assert request.context is not None
    in_trace = [
        s
        for s in finished
        if s.context is not None and s.context.trace_id == request.context.trace_id
    ]
    by_id = {s.context.span_id: s for s in in_trace if s.context is not None}
    by_name = {s.name: s for s in in_trace}

    def ancestors(span: ReadableSpan) -> Iterator[int]:
        while span.parent is not None and span.parent.span_id in by_id:
            yield span.parent.span_id
            span = by_id[span.parent.span_id]

    for name in ("ledger.endorse", "ledger.record", "ledger.submit", "ledger.commit"):
        span = by_name[name]
        assert request.context.span_id in ancestors(span), f"{name} is not within the request"
        assert (span.attributes or {})["provena.tx_id"] == tx_id, name
    assert (by_name["ledger.commit"].attributes or {})["provena.validation_code"] == "VALID"


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[ExportTraceServiceRequest]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path == "/v1/traces" and self.headers["Authorization"] == "dataKey secret":
            self.received.append(ExportTraceServiceRequest.FromString(body))
            self.send_response(200)
        else:
            self.send_response(401)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_spans_are_exported_over_otlp_with_the_configured_headers() -> None:
    assert configure_tracing(Settings()) is None  # no endpoint, nothing installed
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_address[1]}/v1/traces"
        settings = Settings(
            otlp_endpoint=endpoint, otlp_headers={"Authorization": "dataKey secret"}
        )
        provider = configure_tracing(settings)
        assert provider is not None
        with provider.get_tracer("test").start_as_current_span("exported"):
            pass
        assert provider.force_flush(10_000)
        provider.shutdown()
    finally:
        server.shutdown()
        server.server_close()
    (request,) = _Receiver.received
    (resource,) = request.resource_spans
    service = {a.key: a.value.string_value for a in resource.resource.attributes}
    assert service["service.name"] == "provena-api"
    assert [s.name for scope in resource.scope_spans for s in scope.spans] == ["exported"]
