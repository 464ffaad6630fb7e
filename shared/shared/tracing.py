"""OpenTelemetry traces, W3C `traceparent` from the HTTP request through the events to their
consumers, so one trace shows e.g. a decision, the provisioning and the mail it causes.

Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: then spans go over OTLP/HTTP. The kept
instrumentations make the spans: aiohttp-server (requests, incoming `traceparent`), PyMongo
(commands) and aio-pika (publish and consume, `traceparent` in the message headers). What
they cannot see is the outbox: an event is published later, by the relay, outside the
request. So the writer keeps the request's trace context in the envelope, and the relay
publishes each event inside the context it was saved in.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from opentelemetry import context, propagate, trace
from opentelemetry.instrumentation.aio_pika import AioPikaInstrumentor
from opentelemetry.instrumentation.aiohttp_server import AioHttpServerInstrumentor
from opentelemetry.instrumentation.instrumentor import BaseInstrumentor  # type: ignore[attr-defined]
from opentelemetry.instrumentation.pymongo import PymongoInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter

tracer = trace.get_tracer("mpp")


def enable_tracing(*, service: str, exporter: SpanExporter) -> None:
    """Install the tracer provider (once per process) and the instrumentations."""
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        provider = TracerProvider(resource=Resource.create({"service.name": service}))
        provider.add_span_processor(BatchSpanProcessor(exporter))
        trace.set_tracer_provider(provider)
    for instrumentor in _instrumentors():
        if not instrumentor.is_instrumented_by_opentelemetry:
            instrumentor.instrument()


def enable_otlp_tracing(*, service: str, endpoint: str) -> None:
    # Imported here: the exporter pulls in protobuf, which a service without tracing skips.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    enable_tracing(
        service=service, exporter=OTLPSpanExporter(endpoint=f"{endpoint.rstrip('/')}/v1/traces")
    )


def tracing_enabled() -> bool:
    return bool(AioPikaInstrumentor().is_instrumented_by_opentelemetry)


def disable_tracing() -> None:
    """Remove the instrumentations again (a test that traced leaves the process as it was;
    the provider, once set, stays, but nothing makes spans for it)."""
    for instrumentor in _instrumentors():
        if instrumentor.is_instrumented_by_opentelemetry:
            instrumentor.uninstrument()


def _instrumentors() -> list[BaseInstrumentor]:
    # aiohttp-server adds its middleware (a server span per request, continuing an incoming
    # `traceparent`) to every Application created after it is instrumented.
    return [AioHttpServerInstrumentor(), AioPikaInstrumentor(), PymongoInstrumentor()]


def current_trace_context() -> dict[str, str]:
    """The active trace as W3C headers (`traceparent`, `tracestate`); {} when not tracing."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


@contextmanager
def within_trace(carrier: Mapping[str, str]) -> Iterator[None]:
    """Run the block as part of the trace the carrier names (a saved event's)."""
    token = context.attach(propagate.extract(carrier))
    try:
        yield
    finally:
        context.detach(token)
