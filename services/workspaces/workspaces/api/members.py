"""Workspaces, their logos and their members."""

import hashlib
from typing import Any

from aiohttp import web

from shared.auth import authenticate
from shared.http import (
    binary_response,
    json_response,
    read_json,
)
from workspaces.api import api, service_of
from workspaces.api.models import (
    MemberCreate,
    MemberList,
    MemberRead,
    MemberUpdate,
    WorkspaceList,
    WorkspaceRead,
)
from workspaces.domain import (
    MemberRole,
    default_logo_svg,
)

type Doc = dict[str, Any]


def _workspace_read(doc: Doc, role: str) -> WorkspaceRead:
    return WorkspaceRead(
        id=doc["_id"],
        name=doc["name"],
        status=doc["status"],
        my_role=role,
        owner_account_id=doc["owner_account_id"],
        logo_url=f"/v1/workspaces/{doc['_id']}/logo",
        created_at=doc["created_at"],
    )


async def _workspace(request: web.Request) -> tuple[Doc, str]:
    principal = await authenticate(request)
    return await service_of(request).workspace_for(principal, request.match_info["id"])


@api.route(
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
    items = [
        _workspace_read(
            w, next(m["role"] for m in w["members"] if m["account_id"] == principal.account_id)
        )
        for w in workspaces
    ]
    return json_response(WorkspaceList(items=items))


@api.route(
    "GET",
    "/v1/workspaces/{id}",
    summary="A workspace and my role in it",
    responses={200: WorkspaceRead},
    secured=True,
    tags=["workspaces"],
)
async def get_workspace(request: web.Request) -> web.Response:
    workspace, role = await _workspace(request)
    return json_response(_workspace_read(workspace, role))


@api.route(
    "GET",
    "/v1/workspaces/{id}/logo",
    summary="The uploaded logo, or the default: the name's initial on a solid colour",
    secured=True,
    tags=["workspaces"],
)
async def get_workspace_logo(request: web.Request) -> web.Response:
    workspace, _ = await _workspace(request)
    logo = (
        await service_of(request).logo(workspace["logo_id"]) if workspace.get("logo_id") else None
    )
    if logo is not None:
        return binary_response(
            request, body=logo["data"], content_type=logo["content_type"], etag=logo["etag"]
        )
    svg = default_logo_svg(workspace["name"], workspace["logo_color"]).encode()
    return binary_response(
        request, body=svg, content_type="image/svg+xml", etag=hashlib.sha256(svg).hexdigest()[:32]
    )


@api.route(
    "GET",
    "/v1/workspaces/{id}/members",
    summary="The workspace's members",
    responses={200: MemberList},
    secured=True,
    tags=["members"],
)
async def list_members(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    members = await service_of(request).members(principal, request.match_info["id"])
    return json_response(MemberList(items=[MemberRead(**m) for m in members]))


@api.route(
    "POST",
    "/v1/workspaces/{id}/members",
    summary="Add an account as master or developer",
    body=MemberCreate,
    responses={201: MemberRead},
    secured=True,
    tags=["members"],
)
async def add_member(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    body = await read_json(request, MemberCreate)
    member = await service_of(request).add_member(
        principal, request.match_info["id"], email=str(body.email), role=MemberRole(body.role)
    )
    return json_response(MemberRead(**member), status=201)


@api.route(
    "PATCH",
    "/v1/workspaces/{id}/members/{account_id}",
    summary="Change a member's role",
    body=MemberUpdate,
    responses={200: MemberRead},
    secured=True,
    tags=["members"],
)
async def change_member_role(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    body = await read_json(request, MemberUpdate)
    member = await service_of(request).change_member_role(
        principal,
        request.match_info["id"],
        request.match_info["account_id"],
        role=MemberRole(body.role),
    )
    return json_response(MemberRead(**member))


@api.route(
    "DELETE",
    "/v1/workspaces/{id}/members/{account_id}",
    summary="Remove a member",
    responses={204: None},
    secured=True,
    tags=["members"],
)
async def remove_member(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    await service_of(request).remove_member(
        principal, request.match_info["id"], request.match_info["account_id"]
    )
    return web.Response(status=204)
