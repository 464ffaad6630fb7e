"""The one wiring point of the miniprograms service."""

from aiohttp import web

from miniprograms import consumers
from miniprograms.api import SERVICE_KEY, api
from miniprograms.service import MiniProgramsService
from miniprograms.settings import MiniProgramsSettings
from miniprograms.store import EVENT_SOURCES, INDEXES
from shared.runtime import Infra, create_service_app


def create_app(settings: MiniProgramsSettings) -> web.Application:
    async def setup(app: web.Application, infra: Infra) -> None:
        service = MiniProgramsService(
            db=infra.db, producer=settings.service_name, notify_outbox=infra.relay.wake
        )
        app[SERVICE_KEY] = service
        infra.relay.watch(EVENT_SOURCES)
        consumers.subscribe(infra.bus, service)

    return create_service_app(settings, api=api, indexes=INDEXES, setup=setup)
