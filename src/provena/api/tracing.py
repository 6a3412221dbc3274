"""OpenTelemetry traces: FastAPI's span per HTTP request (with Provena's request id), and
child spans for the ledger steps of a write (endorse, record, submit, commit), exported
over OTLP/HTTP when `PROVENA_OTLP_ENDPOINT` is set. OCI APM takes OTLP: its endpoint is
the APM domain's `/20200101/opentelemetry/private/v1/traces`, with `PROVENA_OTLP_HEADERS`
carrying `{"Authorization": "dataKey <private data key>"}`. Without an endpoint no tracer
provider is installed and every span is OpenTelemetry's no-op.
"""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from provena import __version__
from provena.settings import Settings

__all__ = ["configure_tracing"]


def configure_tracing(settings: Settings) -> TracerProvider | None:
    """Install the process's tracer provider, exporting to the configured OTLP endpoint;
    None (and nothing installed) when there is none."""
    if settings.otlp_endpoint is None:
        return None
    resource = Resource.create({"service.name": "provena-api", "service.version": __version__})
    provider = TracerProvider(resource=resource)
    exporter = OTLPSpanExporter(endpoint=settings.otlp_endpoint, headers=settings.otlp_headers)
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return provider
