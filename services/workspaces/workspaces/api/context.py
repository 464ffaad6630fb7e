"""Where the route modules find the service the app was wired with."""

from aiohttp import web

from workspaces.activity import ActivityService
from workspaces.invitations import InvitationService
from workspaces.service import WorkspacesService

SERVICE_KEY = web.AppKey("workspaces_service", WorkspacesService)
INVITATIONS_KEY = web.AppKey("workspaces_invitations", InvitationService)
ACTIVITY_KEY = web.AppKey("workspaces_activity", ActivityService)


def service_of(request: web.Request) -> WorkspacesService:
    return request.app[SERVICE_KEY]
