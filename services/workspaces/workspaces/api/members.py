"""Workspaces, their logos and their members."""

from aiohttp import web

from shared.auth import authenticate
from shared.http import json_response, read_json
from shared.openapi import Routes
from workspaces.api.context import service_of
from workspaces.api.logos import workspace_logo
from workspaces.api.models import (
    MemberCreate,
    MemberList,
    MemberRead,
    MemberUpdate,
    WorkspaceList,
    WorkspaceRead,
)
from workspaces.domain import (
    AlreadyMemberError,
    MemberNotFoundError,
    MemberRole,
    NotOwnerError,
    OwnerIsFixedError,
    UnknownAccountError,
    Workspace,
    WorkspaceNotFoundError,
)

routes = Routes()
# What a change of the members may run into, past the workspace of the path (404 for those
# who are not in it).
_MANAGING = [WorkspaceNotFoundError, NotOwnerError]
_CHANGING = [*_MANAGING, MemberNotFoundError, OwnerIsFixedError]


async def _workspace(request: web.Request) -> tuple[Workspace, MemberRole]:
    principal = await authenticate(request)
    return await service_of(request).workspace_for(principal, request.match_info["id"])


@routes.route(
    "GET",
    "/v1/workspaces",
    summary="The workspaces I belong to",
    responses={200: WorkspaceList},
    secured=True,
    tags=["workspaces"],
)
async def list_my_workspaces(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    workspaces = await service_of(request).my_workspaces(principal)
    items = [WorkspaceRead.of(workspace, my_role=role) for workspace, role in workspaces]
    return json_response(WorkspaceList(items=items))


@routes.route(
    "GET",
    "/v1/workspaces/{id}",
    summary="A workspace and my role in it",
    responses={200: WorkspaceRead},
    raises=[WorkspaceNotFoundError],
    secured=True,
    tags=["workspaces"],
)
async def get_workspace(request: web.Request) -> web.Response:
    workspace, role = await _workspace(request)
    return json_response(WorkspaceRead.of(workspace, my_role=role))


@routes.route(
    "GET",
    "/v1/workspaces/{id}/logo",
    summary="The uploaded logo, or the default: the name's initial on a solid colour",
    binary_response=["image/png", "image/jpeg", "image/svg+xml"],
    raises=[WorkspaceNotFoundError],
    secured=True,
    tags=["workspaces"],
)
async def get_workspace_logo(request: web.Request) -> web.Response:
    workspace, _ = await _workspace(request)
    return await workspace_logo(request, workspace)


@routes.route(
    "GET",
    "/v1/workspaces/{id}/members",
    summary="The workspace's members",
    responses={200: MemberList},
    raises=[WorkspaceNotFoundError],
    secured=True,
    tags=["members"],
)
async def list_members(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    members = await service_of(request).members(principal, request.match_info["id"])
    return json_response(MemberList(items=[MemberRead.of(m) for m in members]))


@routes.route(
    "POST",
    "/v1/workspaces/{id}/members",
    summary="Add an account as master or developer (owner)",
    body=MemberCreate,
    responses={201: MemberRead},
    raises=[*_MANAGING, UnknownAccountError, AlreadyMemberError],
    secured=True,
    tags=["members"],
)
async def add_member(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    body = await read_json(request, MemberCreate)
    member = await service_of(request).add_member(
        principal, request.match_info["id"], email=str(body.email), role=MemberRole(body.role)
    )
    return json_response(MemberRead.of(member), status=201)


@routes.route(
    "PATCH",
    "/v1/workspaces/{id}/members/{account_id}",
    summary="Change a member's role (owner)",
    body=MemberUpdate,
    responses={200: MemberRead},
    raises=_CHANGING,
    secured=True,
    tags=["members"],
)
async def change_member_role(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    body = await read_json(request, MemberUpdate)
    member = await service_of(request).change_member_role(
        principal,
        workspace_id=request.match_info["id"],
        account_id=request.match_info["account_id"],
        role=MemberRole(body.role),
    )
    return json_response(MemberRead.of(member))


@routes.route(
    "DELETE",
    "/v1/workspaces/{id}/members/{account_id}",
    summary="Remove a member (owner)",
    responses={204: None},
    raises=_CHANGING,
    secured=True,
    tags=["members"],
)
async def remove_member(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    await service_of(request).remove_member(
        principal,
        workspace_id=request.match_info["id"],
        account_id=request.match_info["account_id"],
    )
    return web.Response(status=204)
