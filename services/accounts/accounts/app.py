"""The one wiring point of the accounts service."""

from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web

from accounts import consumers
from accounts.api import IDENTITY_KEY, SERVICE_KEY, SETTINGS_KEY, SIGNING_KEY, api
from accounts.identity import IdentityService
from accounts.passwords import PasswordHashing
from accounts.service import AccountsService
from accounts.sessions import Sessions
from accounts.settings import AccountsSettings
from accounts.store import EVENT_SOURCES, INDEXES, AccountStore, SessionStore, ThrottleStore
from accounts.store.totp_secrets import TotpSecrets
from accounts.tokens import SigningKey
from shared.mongo import Clock, Database, utc_now
from shared.outbox import EventWriter
from shared.runtime import BUS_KEY, DB_KEY, EVENTS_KEY, create_service_app
from shared.sealing import Sealer


def create_app(settings: AccountsSettings, *, clock: Clock = utc_now) -> web.Application:
    key = SigningKey.from_settings(settings)
    # Refuses to start without TOTP_SECRET_KEY (KeySettingError) outside a developer's machine.
    totp = TotpSecrets.from_settings(settings)

    async def own_jwks() -> dict[str, Any]:
        return key.jwks()  # accounts verifies its own tokens without calling itself

    async def wiring(app: web.Application) -> AsyncIterator[None]:
        service, identity = accounts_service(
            settings, db=app[DB_KEY], events=app[EVENTS_KEY], key=key, totp=totp, clock=clock
        )
        app[SERVICE_KEY] = service
        app[IDENTITY_KEY] = identity
        consumers.subscribe(app[BUS_KEY], service)
        yield
        await identity.drain()
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
    totp: TotpSecrets,
    clock: Clock,
) -> tuple[AccountsService, IdentityService]:
    """The use cases with their collaborators, built here only: for the running service and
    for the operator commands alike. Close the first to stop the hashing threads."""
    passwords = PasswordHashing(
        memory_kib=settings.argon2_memory_kib,
        iterations=settings.argon2_iterations,
        threads=settings.argon2_threads,
    )
    store = AccountStore(db, events=events, totp=totp)
    throttles = ThrottleStore(db)
    sessions = Sessions(
        settings=settings,
        accounts=store,
        sessions=SessionStore(db, events=events),
        key=key,
        clock=clock,
    )
    # Seals the tokens of mailed links for the notifier (MAIL_LINK_KEY, shared with it).
    sealer = Sealer.from_setting(settings.mail_link_key, service=settings.service_name)
    service = AccountsService(
        settings=settings,
        store=store,
        throttles=throttles,
        sessions=sessions,
        passwords=passwords,
        sealer=sealer,
        key=key,
        clock=clock,
    )
    identity = IdentityService(
        settings=settings,
        store=store,
        throttles=throttles,
        sessions=sessions,
        passwords=passwords,
        sealer=sealer,
        clock=clock,
    )
    return service, identity
