"""/healthz, /readyz and /metrics, and the request metrics behind them."""

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest

type ReadinessCheck = Callable[[], Awaitable[bool]]

# A readiness probe must answer well within the orchestrator's probe timeout.
_CHECK_TIMEOUT_S = 2.0


class Metrics:
    """One registry per app, so tests can build many apps in one process."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
            namespace="mpp",
        ).labels
        self.latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=self.registry,
            namespace="mpp",
        ).labels

    def counter(self, name: str, *, doc: str, labels: list[str]) -> Counter:
        return Counter(name, doc, labels, registry=self.registry, namespace="mpp")


METRICS_KEY = web.AppKey("metrics", Metrics)


@web.middleware
async def metrics_middleware(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
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
        metrics = request.app[METRICS_KEY]
        metrics.requests(request.method, route, str(status)).inc()
        metrics.latency(request.method, route).observe(time.perf_counter() - started)


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
