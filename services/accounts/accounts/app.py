"""The one wiring point of the accounts service."""

from typing import Any

from aiohttp import web

from accounts import consumers
from accounts.api import SERVICE_KEY, SETTINGS_KEY, SIGNING_KEY, api
from accounts.passwords import PasswordHashing
from accounts.service import AccountsService
from accounts.settings import AccountsSettings
from accounts.store import EVENT_SOURCES, INDEXES
from accounts.tokens import SigningKey
from shared.runtime import Infra, create_service_app


def build_service(infra: Infra, settings: AccountsSettings, key: SigningKey) -> AccountsService:
    passwords = PasswordHashing(
        memory_kib=settings.argon2_memory_kib,
        iterations=settings.argon2_iterations,
        threads=settings.argon2_threads,
    )
    return AccountsService(
        settings=settings,
        db=infra.db,
        notify_outbox=infra.relay.wake,
        key=key,
        passwords=passwords,
    )


def create_app(settings: AccountsSettings) -> web.Application:
    key = SigningKey.from_settings(settings)

    async def own_jwks() -> dict[str, Any]:
        return key.jwks()  # accounts verifies its own tokens without calling itself

    async def setup(app: web.Application, infra: Infra) -> None:
        service = build_service(infra, settings, key)
        app[SERVICE_KEY] = service
        infra.relay.watch(EVENT_SOURCES)
        consumers.subscribe(infra.bus, service)

        async def close_pool(_: web.Application) -> None:
            service.close()

        app.on_cleanup.append(close_pool)

    app = create_service_app(settings, api=api, indexes=INDEXES, setup=setup, load_jwks=own_jwks)
    app[SIGNING_KEY] = key
    app[SETTINGS_KEY] = settings
    return app
