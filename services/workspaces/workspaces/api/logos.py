"""The answers with a logo: an application's uploaded one, or a workspace's (uploaded, else the
default SVG)."""

from aiohttp import web

from shared.http import ProblemError, binary_response
from shared.images import logo_response
from workspaces.api.context import service_of
from workspaces.domain import Application, Workspace, default_logo_svg


async def application_logo(request: web.Request, application: Application | None) -> web.Response:
    logo = await service_of(request).logo(application.logo_id if application else None)
    if logo is None:
        raise ProblemError(404, "Not found", detail="No logo was uploaded")
    return logo_response(request, logo)


async def workspace_logo(request: web.Request, workspace: Workspace) -> web.Response:
    logo = await service_of(request).logo(workspace.logo_id)
    if logo is not None:
        return logo_response(request, logo)
    svg = default_logo_svg(workspace.name, workspace.logo_color).encode()
    return binary_response(request, body=svg, content_type="image/svg+xml")
