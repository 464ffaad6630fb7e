"""The one wiring point of the workspaces service."""

from aiohttp import web

from shared.runtime import Infra, create_service_app
from workspaces import consumers
from workspaces.api import SERVICE_KEY, api
from workspaces.service import WorkspacesService
from workspaces.settings import WorkspacesSettings
from workspaces.store import EVENT_SOURCES, INDEXES


def create_app(settings: WorkspacesSettings) -> web.Application:
    async def setup(app: web.Application, infra: Infra) -> None:
        service = WorkspacesService(
            db=infra.db, producer=settings.service_name, notify_outbox=infra.relay.wake
        )
        app[SERVICE_KEY] = service
        infra.relay.watch(EVENT_SOURCES)
        consumers.subscribe(infra.bus, service)

    return create_service_app(settings, api=api, indexes=INDEXES, setup=setup)
