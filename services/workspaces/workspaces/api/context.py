"""Where the route modules find the service the app was wired with."""

from aiohttp import web

from workspaces.activity import ActivityService
from workspaces.invitations import InvitationService
from workspaces.review import ReviewService
from workspaces.service import WorkspacesService

SERVICE_KEY = web.AppKey("workspaces_service", WorkspacesService)
INVITATIONS_KEY = web.AppKey("workspaces_invitations", InvitationService)
ACTIVITY_KEY = web.AppKey("workspaces_activity", ActivityService)
REVIEW_KEY = web.AppKey("workspaces_review", ReviewService)


def service_of(request: web.Request) -> WorkspacesService:
    return request.app[SERVICE_KEY]


def review_of(request: web.Request) -> ReviewService:
    return request.app[REVIEW_KEY]
