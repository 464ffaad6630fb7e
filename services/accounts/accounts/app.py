"""The one wiring point of the accounts service."""

from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web

from accounts import consumers
from accounts.api import SERVICE_KEY, SETTINGS_KEY, SIGNING_KEY, api
from accounts.passwords import PasswordHashing
from accounts.service import AccountsService
from accounts.settings import AccountsSettings
from accounts.store import EVENT_SOURCES, INDEXES, AccountStore
from accounts.tokens import SigningKey
from shared.mongo import Clock, Database, utc_now
from shared.outbox import EventWriter
from shared.runtime import BUS_KEY, DB_KEY, EVENTS_KEY, create_service_app


def create_app(settings: AccountsSettings, *, clock: Clock = utc_now) -> web.Application:
    key = SigningKey.from_settings(settings)

    async def own_jwks() -> dict[str, Any]:
        return key.jwks()  # accounts verifies its own tokens without calling itself

    async def wiring(app: web.Application) -> AsyncIterator[None]:
        service = accounts_service(
            settings, db=app[DB_KEY], events=app[EVENTS_KEY], key=key, clock=clock
        )
        app[SERVICE_KEY] = service
        consumers.subscribe(app[BUS_KEY], service)
        yield
        service.close()

    app = create_service_app(
        settings,
        api=api,
        indexes=INDEXES,
        wiring=wiring,
        event_sources=EVENT_SOURCES,
        load_jwks=own_jwks,
    )
    app[SIGNING_KEY] = key
    app[SETTINGS_KEY] = settings
    return app


def accounts_service(
    settings: AccountsSettings,
    *,
    db: Database,
    events: EventWriter,
    key: SigningKey,
    clock: Clock,
) -> AccountsService:
    """The use cases with their collaborators, built here only: for the running service and
    for the operator commands alike. Close it to stop its hashing threads."""
    passwords = PasswordHashing(
        memory_kib=settings.argon2_memory_kib,
        iterations=settings.argon2_iterations,
        threads=settings.argon2_threads,
    )
    return AccountsService(
        settings=settings,
        store=AccountStore(db, events=events),
        passwords=passwords,
        key=key,
        clock=clock,
    )
