"""The one wiring point of the miniprograms service."""

from collections.abc import AsyncIterator

from aiohttp import web

from miniprograms import consumers
from miniprograms.api import SERVICE_KEY, api
from miniprograms.service import MiniProgramsService
from miniprograms.settings import MiniProgramsSettings
from miniprograms.store import EVENT_SOURCES, INDEXES
from shared.runtime import BUS_KEY, DB_KEY, RELAY_KEY, create_service_app


def create_app(settings: MiniProgramsSettings) -> web.Application:
    async def wiring(app: web.Application) -> AsyncIterator[None]:
        service = MiniProgramsService(
            db=app[DB_KEY], producer=settings.service_name, notify_outbox=app[RELAY_KEY].wake
        )
        app[SERVICE_KEY] = service
        app[RELAY_KEY].watch(EVENT_SOURCES)
        consumers.subscribe(app[BUS_KEY], service)
        yield

    return create_service_app(settings, api=api, indexes=INDEXES, wiring=wiring)
