"""Where the route modules find the service the app was wired with."""

from aiohttp import web

from workspaces.service import WorkspacesService

SERVICE_KEY = web.AppKey("workspaces_service", WorkspacesService)


def service_of(request: web.Request) -> WorkspacesService:
    return request.app[SERVICE_KEY]
