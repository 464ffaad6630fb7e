"""How a service's resources are opened and closed: one aiohttp cleanup context per resource.

aiohttp runs the contexts in order at start-up and unwinds them in reverse at shutdown, so
the database closes last, after the bus has drained its handlers and the relay has stopped:

    jwks -> mongo -> bus -> relay (and the event writer) -> the service's wiring -> running

The service's own wiring (its stores, use cases and consumers, built from the open
resources) is a context too, passed in by its `create_app`: the one wiring point.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import timedelta

from aiohttp import web
from pymongo import AsyncMongoClient

from shared.auth import VERIFIER_KEY, HttpJwksLoader, JwksLoader, TokenVerifier
from shared.bus import Bus
from shared.contracts.accounts import SessionRevokedV1
from shared.events import Envelope
from shared.health import (
    METRICS_KEY,
    Metrics,
    ReadinessCheck,
    add_health_routes,
    observe_middleware,
)
from shared.http import allow_cross_origin, create_base_app
from shared.logging import configure_logging
from shared.mongo import (
    Database,
    Document,
    Indexes,
    create_mongo_client,
    ensure_indexes,
    utc_now,
)
from shared.openapi import Api
from shared.outbox import EventWriter, OutboxRelay
from shared.settings import ServiceSettings
from shared.tracing import enable_otlp_tracing

log = logging.getLogger(__name__)

# Every replica of every service reads the revoked sessions from this stream (not a share of a
# queue: each must refuse the tokens), starting an access-token lifetime back, so a replica
# that starts or reconnects knows every revocation whose tokens could still be presented.
SESSION_REVOCATIONS_STREAM = "mpp.session-revocations"

MONGO_KEY: web.AppKey[AsyncMongoClient[Document]] = web.AppKey("mongo")
DB_KEY: web.AppKey[Database] = web.AppKey("db")
BUS_KEY = web.AppKey("bus", Bus)
RELAY_KEY = web.AppKey("relay", OutboxRelay)
EVENTS_KEY = web.AppKey("events", EventWriter)
INDEXED_KEY = web.AppKey("indexed", asyncio.Event)  # set once every declared index exists

# An aiohttp cleanup context: set up before `yield`, torn down after it.
type Resource = Callable[[web.Application], AsyncIterator[None]]


def create_service_app(
    settings: ServiceSettings,
    *,
    api: Api,
    indexes: Indexes,
    wiring: Resource,
    event_sources: Sequence[str] = (),
    load_jwks: JwksLoader | None = None,
) -> web.Application:
    """The app of a service: its resources, `wiring` (the service's own objects, built once
    they are open), health routes and the API. `event_sources`: the collections whose
    documents carry outbox events, which the relay watches. Without `load_jwks`, tokens are
    verified with the JWKS fetched from `settings.jwks_url`."""
    configure_logging(
        service=settings.service_name, level=settings.log_level, json=settings.log_json
    )
    if settings.otel_exporter_otlp_endpoint:
        enable_otlp_tracing(
            service=settings.service_name, endpoint=settings.otel_exporter_otlp_endpoint
        )
    app = create_base_app(
        max_body_bytes=settings.http_max_body_bytes,
        middlewares=[observe_middleware],
    )
    app[METRICS_KEY] = Metrics()
    _verify_tokens(app, settings=settings, load_jwks=load_jwks)
    app.cleanup_ctx.extend(
        [
            mongo_context(settings, indexes=indexes),
            bus_context(settings),
            relay_context(settings, event_sources=event_sources),
            wiring,
            running_context,
        ]
    )
    add_health_routes(app, _readiness_checks(app))
    api.add_to(app)
    allow_cross_origin(app, settings.cors_allowed_origins)
    return app


def jwks_context(jwks: HttpJwksLoader) -> Resource:
    async def jwks_session(_: web.Application) -> AsyncIterator[None]:
        yield
        await jwks.close()

    return jwks_session


def mongo_context(settings: ServiceSettings, *, indexes: Indexes) -> Resource:
    async def mongo(app: web.Application) -> AsyncIterator[None]:
        client = create_mongo_client(settings.mongo_url, timeout_ms=settings.mongo_timeout_ms)
        app[MONGO_KEY] = client
        app[DB_KEY] = client[settings.mongo_database]
        app[INDEXED_KEY] = asyncio.Event()
        # The unique indexes enforce rules (one account per email, ten mini programs per
        # workspace): until they exist the service says it is not ready, and keeps trying.
        retrying = None
        if not await _apply_indexes(app, indexes):
            retrying = asyncio.create_task(
                _retry_indexes(app, indexes=indexes, every_s=settings.mongo_index_retry_s)
            )
        yield
        if retrying is not None:
            retrying.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await retrying
        await client.close()

    return mongo


async def _apply_indexes(app: web.Application, indexes: Indexes) -> bool:
    try:
        await ensure_indexes(app[DB_KEY], indexes)
    except Exception:
        # The service runs on and reports not ready: the orchestrator sees /healthz alive.
        log.exception("could not apply the indexes")
        return False
    app[INDEXED_KEY].set()
    return True


async def _retry_indexes(app: web.Application, *, indexes: Indexes, every_s: float) -> None:
    while True:
        await asyncio.sleep(every_s)
        if await _apply_indexes(app, indexes):
            return


def bus_context(settings: ServiceSettings) -> Resource:
    async def bus(app: web.Application) -> AsyncIterator[None]:
        app[BUS_KEY] = Bus(
            settings.rabbitmq_url,
            name=settings.service_name,
            publish_timeout_s=settings.bus_publish_timeout_s,
            retry_delays_ms=settings.bus_retry_delays_ms,
            prefetch=settings.bus_prefetch,
            queue_suffix=settings.bus_queue_suffix,
            metrics=app[METRICS_KEY],
        )
        follow_revocations(app[BUS_KEY], app[VERIFIER_KEY], settings=settings)
        yield
        await app[BUS_KEY].close()  # drains the running handlers first

    return bus


def follow_revocations(bus: Bus, verifier: TokenVerifier, *, settings: ServiceSettings) -> None:
    """Feed the verifier's revoked sessions from the bus (see SESSION_REVOCATIONS_STREAM)."""
    lifetime = timedelta(seconds=settings.access_token_ttl_s)

    async def on_session_revoked(event: Envelope) -> None:
        revoked = event.payload(SessionRevokedV1)
        verifier.revoked.revoke(revoked.session_id, until=revoked.revoked_at + lifetime)

    bus.follow_stream(
        SESSION_REVOCATIONS_STREAM,
        routing_keys=[SessionRevokedV1.TYPE],
        since=lambda: utc_now() - lifetime,
        handler=on_session_revoked,
    )


def relay_context(settings: ServiceSettings, *, event_sources: Sequence[str]) -> Resource:
    async def relay(app: web.Application) -> AsyncIterator[None]:
        outbox_relay = OutboxRelay(
            app[DB_KEY],
            app[BUS_KEY],
            lease_s=settings.outbox_lease_s,
            poll_interval_s=settings.outbox_poll_interval_s,
            metrics=app[METRICS_KEY],
        )
        outbox_relay.watch(event_sources)
        app[RELAY_KEY] = outbox_relay
        app[EVENTS_KEY] = EventWriter(producer=settings.service_name, saved=outbox_relay.wake)
        yield
        await outbox_relay.stop()

    return relay


async def running_context(app: web.Application) -> AsyncIterator[None]:
    """Consuming and relaying begin once the service is wired (its consumers subscribed);
    they end in the bus's and the relay's own contexts."""
    app[BUS_KEY].start()
    app[RELAY_KEY].start()
    yield


def _verify_tokens(
    app: web.Application, *, settings: ServiceSettings, load_jwks: JwksLoader | None
) -> None:
    if load_jwks is None:
        jwks = HttpJwksLoader(settings.jwks_url)
        app.cleanup_ctx.append(jwks_context(jwks))
        load_jwks = jwks
    app[VERIFIER_KEY] = TokenVerifier(
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        load_jwks=load_jwks,
        on_refresh_failure=app[METRICS_KEY].jwks_failures.inc,
    )


def _readiness_checks(app: web.Application) -> dict[str, ReadinessCheck]:
    """What /readyz asks: the database answers, its indexes exist, the broker is connected."""

    async def mongo() -> bool:
        await app[MONGO_KEY].admin.command("ping")
        return True

    async def indexes() -> bool:
        return app[INDEXED_KEY].is_set()

    async def rabbitmq() -> bool:
        return app[BUS_KEY].is_connected

    return {"mongo": mongo, "indexes": indexes, "rabbitmq": rabbitmq}


def run_service(app: web.Application, settings: ServiceSettings) -> None:
    web.run_app(
        app,
        host=settings.http_host,
        port=settings.http_port,
        access_log=None,
        print=lambda _: log.info("listening on %s:%s", settings.http_host, settings.http_port),
    )
