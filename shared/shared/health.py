"""/healthz, /readyz and /metrics, and the request metrics behind them."""

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
)
from prometheus_client.exposition import generate_latest
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

from shared.logging import access_log

type ReadinessCheck = Callable[[], Awaitable[bool]]

# A readiness probe must answer well within the orchestrator's probe timeout.
_CHECK_TIMEOUT_S = 2.0


class Metrics:
    """One registry per app, so tests can build many apps in one process. Names are the
    alert-ready ones the README lists."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        # Process (CPU, memory, open files), Python GC and version: what an SRE looks at first.
        ProcessCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        self.requests = self.counter(
            "http_requests", doc="HTTP requests", labels=["method", "route", "status"]
        ).labels
        self.latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=self.registry,
            namespace="mpp",
        ).labels
        self.consumed = self.counter(
            "consumer_messages",
            doc="Messages a consumer took, by outcome: handled, retried or dead_lettered",
            labels=["queue", "outcome"],
        ).labels
        self.handling = Histogram(
            "consumer_handler_duration_seconds",
            "Time a consumer's handler took per message",
            ["queue"],
            registry=self.registry,
            namespace="mpp",
        ).labels
        self.published = self.counter(
            "outbox_events_published", doc="Events the outbox relay published, confirmed", labels=[]
        )
        self.publish_failures = self.counter(
            "outbox_publish_failures", doc="Outbox publishes the broker did not confirm", labels=[]
        )
        self.backlog = self.gauge(
            "outbox_backlog_documents",
            doc="Documents holding events not yet published",
            labels=["collection"],
        ).labels
        self.oldest_due = self.gauge(
            "outbox_oldest_due_age_seconds",
            doc="How long the longest-waiting due event has waited (0: none waits)",
            labels=["collection"],
        ).labels
        self.jwks_failures = self.counter(
            "jwks_refresh_failures", doc="Failed fetches of the token keys (JWKS)", labels=[]
        )

    def counter(self, name: str, *, doc: str, labels: list[str]) -> Counter:
        return Counter(name, doc, labels, registry=self.registry, namespace="mpp")

    def gauge(self, name: str, *, doc: str, labels: list[str]) -> Gauge:
        return Gauge(name, doc, labels, registry=self.registry, namespace="mpp")


METRICS_KEY = web.AppKey("metrics", Metrics)


@web.middleware
async def observe_middleware(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Each request counted and timed by its real status, and one access line for it
    (method, route, status, duration; the request and correlation ids come from the log
    context), so a request can be followed by its X-Request-ID."""
    started = time.perf_counter()
    # The route template, not the raw path, keeps label cardinality bounded.
    info = request.match_info.route.resource
    route = info.canonical if info is not None else "unmatched"
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        elapsed = time.perf_counter() - started
        metrics = request.app[METRICS_KEY]
        metrics.requests(request.method, route, str(status)).inc()
        metrics.latency(request.method, route).observe(elapsed)
        access_log.info(
            "%s %s %s",
            request.method,
            request.path,
            status,
            extra={
                "method": request.method,
                "route": route,
                "status": status,
                "duration_ms": round(elapsed * 1000, 2),
            },
        )


def add_health_routes(app: web.Application, checks: Mapping[str, ReadinessCheck]) -> None:
    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(_: web.Request) -> web.Response:
        names = list(checks)
        results = await asyncio.gather(*(_run(checks[n]) for n in names))
        report = {name: "ok" if ok else "down" for name, ok in zip(names, results, strict=True)}
        ready = all(results)
        return web.json_response(
            {"status": "ready" if ready else "not ready", "checks": report},
            status=200 if ready else 503,
        )

    async def metrics(_: web.Request) -> web.Response:
        body = generate_latest(app[METRICS_KEY].registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)


async def _run(check: ReadinessCheck) -> bool:
    try:
        return await asyncio.wait_for(check(), _CHECK_TIMEOUT_S)
    except Exception:
        return False
