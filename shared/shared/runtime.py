"""The one place a service's infrastructure is opened and closed: Mongo, bus, relay, tokens."""

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from pymongo import AsyncMongoClient

from shared.auth import VERIFIER_KEY, HttpJwksLoader, JwksLoader, TokenVerifier
from shared.bus import Bus
from shared.health import METRICS_KEY, Metrics, add_health_routes, metrics_middleware
from shared.http import Api, create_base_app
from shared.logging import configure_logging
from shared.mongo import Database, Document, Indexes, create_mongo_client, ensure_indexes
from shared.outbox import OutboxRelay
from shared.settings import ServiceSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Infra:
    settings: ServiceSettings
    mongo: AsyncMongoClient[Document]
    db: Database
    bus: Bus
    relay: OutboxRelay


INFRA_KEY = web.AppKey("infra", Infra)

type Setup = Callable[[web.Application, Infra], Awaitable[None]]


def create_service_app(
    settings: ServiceSettings,
    *,
    api: Api,
    indexes: Indexes,
    setup: Setup | None = None,
    load_jwks: JwksLoader | None = None,
) -> web.Application:
    """The base app of a service. `setup` builds the service's own objects (and subscribes
    its consumers) after the infrastructure is open and before the bus starts consuming."""
    configure_logging(
        service=settings.service_name, level=settings.log_level, json=settings.log_json
    )
    app = create_base_app(
        max_body_bytes=settings.http_max_body_bytes, middlewares=[metrics_middleware]
    )
    app[METRICS_KEY] = Metrics()
    jwks_http = HttpJwksLoader(settings.jwks_url) if load_jwks is None else None
    app[VERIFIER_KEY] = TokenVerifier(
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        load_jwks=load_jwks or jwks_http,  # type: ignore[arg-type]
    )

    async def infrastructure(app: web.Application) -> AsyncIterator[None]:
        mongo = create_mongo_client(settings.mongo_url, timeout_ms=settings.mongo_timeout_ms)
        db = mongo[settings.mongo_database]
        bus = Bus(
            settings.rabbitmq_url,
            name=settings.service_name,
            publish_timeout_s=settings.bus_publish_timeout_s,
            retry_delays_ms=settings.bus_retry_delays_ms,
            prefetch=settings.bus_prefetch,
            queue_suffix=settings.bus_queue_suffix,
        )
        relay = OutboxRelay(
            db,
            bus,
            lease_s=settings.outbox_lease_s,
            poll_interval_s=settings.outbox_poll_interval_s,
        )
        infra = Infra(settings=settings, mongo=mongo, db=db, bus=bus, relay=relay)
        app[INFRA_KEY] = infra
        try:
            await ensure_indexes(db, indexes)
        except Exception:
            # Start anyway and report not ready: the orchestrator must see /healthz alive.
            log.exception("could not apply indexes at start-up")
        if setup is not None:
            await setup(app, infra)
        bus.start()
        relay.start()
        yield
        await relay.stop()
        await bus.close()
        if jwks_http is not None:
            await jwks_http.close()
        await mongo.close()

    app.cleanup_ctx.append(infrastructure)

    async def mongo_ready() -> bool:
        await app[INFRA_KEY].mongo.admin.command("ping")
        return True

    async def bus_ready() -> bool:
        return app[INFRA_KEY].bus.is_connected

    add_health_routes(app, {"mongo": mongo_ready, "rabbitmq": bus_ready})
    api.add_to(app)
    return app


def run_service(app: web.Application, settings: ServiceSettings) -> None:
    web.run_app(
        app,
        host=settings.http_host,
        port=settings.http_port,
        access_log=None,
        print=lambda _: log.info("listening on %s:%s", settings.http_host, settings.http_port),
    )
