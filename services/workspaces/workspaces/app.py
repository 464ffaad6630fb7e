"""The one wiring point of the workspaces service."""

from collections.abc import AsyncIterator

from aiohttp import web

from shared.runtime import BUS_KEY, DB_KEY, RELAY_KEY, create_service_app
from workspaces import consumers
from workspaces.api import SERVICE_KEY, api
from workspaces.service import WorkspacesService
from workspaces.settings import WorkspacesSettings
from workspaces.store import EVENT_SOURCES, INDEXES


def create_app(settings: WorkspacesSettings) -> web.Application:
    async def wiring(app: web.Application) -> AsyncIterator[None]:
        service = WorkspacesService(
            db=app[DB_KEY], producer=settings.service_name, notify_outbox=app[RELAY_KEY].wake
        )
        app[SERVICE_KEY] = service
        app[RELAY_KEY].watch(EVENT_SOURCES)
        consumers.subscribe(app[BUS_KEY], service)
        yield

    return create_service_app(settings, api=api, indexes=INDEXES, wiring=wiring)
