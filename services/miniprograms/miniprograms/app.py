"""The one wiring point of the miniprograms service."""

from collections.abc import AsyncIterator

from aiohttp import web

from miniprograms import consumers
from miniprograms.access_api import ACCESS_SERVICE_KEY
from miniprograms.api import SERVICE_KEY, api
from miniprograms.service import MiniProgramsService
from miniprograms.settings import MiniProgramsSettings
from miniprograms.store import EVENT_SOURCES, INDEXES, LOGOS, MiniProgramStore
from shared.images import LogoStore
from shared.mongo import Clock, utc_now
from shared.runtime import BUS_KEY, DB_KEY, EVENTS_KEY, create_service_app


def create_app(settings: MiniProgramsSettings, *, clock: Clock = utc_now) -> web.Application:
    async def wiring(app: web.Application) -> AsyncIterator[None]:
        db = app[DB_KEY]
        service = MiniProgramsService(
            store=MiniProgramStore(db, events=app[EVENTS_KEY]),
            logos=LogoStore(db[LOGOS]),
            clock=clock,
        )
        app[SERVICE_KEY] = service
        app[ACCESS_SERVICE_KEY] = service
        consumers.subscribe(app[BUS_KEY], service)
        yield

    return create_service_app(
        settings, api=api, indexes=INDEXES, wiring=wiring, event_sources=EVENT_SOURCES
    )
