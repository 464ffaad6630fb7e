"""Routes of per-mini-program access: who is granted a mini program, grant, revoke."""

from aiohttp import web
from pydantic import BaseModel, Field

from miniprograms import examples
from miniprograms.access import (
    DeveloperNotFoundError,
    NotADeveloperError,
    NotAllowedToGrantError,
    NotAllowedToSeeGrantsError,
)
from miniprograms.domain import MiniProgramNotFoundError
from miniprograms.service import MiniProgramsService
from shared.auth import authenticate
from shared.http import ProblemError, ProblemMap, json_response
from shared.openapi import Routes, with_examples

routes = Routes()
# The same service the app wires for the mini program routes (set at create_app).
ACCESS_SERVICE_KEY = web.AppKey("miniprograms_access_service", MiniProgramsService)

ACCESS_PROBLEMS: ProblemMap = {
    NotAllowedToGrantError: ProblemError(
        403, "Forbidden", detail="Only the workspace's owner and masters grant access"
    ),
    NotAllowedToSeeGrantsError: ProblemError(
        403,
        "Forbidden",
        detail="Only the workspace's owner and masters see another member's grants",
    ),
    DeveloperNotFoundError: ProblemError(
        404, "Not found", detail="The account is no member of the mini program's workspace"
    ),
    NotADeveloperError: ProblemError(
        409,
        "Not a developer",
        type_slug="not-a-developer",
        detail="Only developers are granted mini programs; the owner and masters see all",
    ),
}


class DeveloperRead(BaseModel):
    model_config = with_examples({"account_id": examples.DEVELOPER_ID})

    account_id: str = Field(description="A developer of the workspace granted this mini program")


class DeveloperList(BaseModel):
    model_config = with_examples(examples.DEVELOPERS)

    items: list[DeveloperRead]


_WHO = "the workspace's owner and masters"


@routes.route(
    "GET",
    "/v1/mini-programs/{id}/developers",
    summary="The developers granted this mini program",
    responses={200: DeveloperList},
    raises=[MiniProgramNotFoundError],
    secured=True,
    tags=["access"],
)
async def list_developers(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    found = await request.app[ACCESS_SERVICE_KEY].developers(principal, request.match_info["id"])
    return json_response(DeveloperList(items=[DeveloperRead(account_id=a) for a in found]))


@routes.route(
    "PUT",
    "/v1/mini-programs/{id}/developers/{account_id}",
    summary=f"Grant a developer of the workspace this mini program ({_WHO}); granting again "
    "changes nothing",
    responses={200: DeveloperList},
    raises=[
        MiniProgramNotFoundError,
        NotAllowedToGrantError,
        DeveloperNotFoundError,
        NotADeveloperError,
    ],
    secured=True,
    tags=["access"],
)
async def grant_developer(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    service = request.app[ACCESS_SERVICE_KEY]
    mini_program_id = request.match_info["id"]
    await service.grant(
        principal, mini_program_id=mini_program_id, account_id=request.match_info["account_id"]
    )
    found = await service.developers(principal, mini_program_id)
    return json_response(DeveloperList(items=[DeveloperRead(account_id=a) for a in found]))


@routes.route(
    "DELETE",
    "/v1/mini-programs/{id}/developers/{account_id}",
    summary=f"Take a developer's access to this mini program away ({_WHO}); again changes nothing",
    responses={204: None},
    raises=[MiniProgramNotFoundError, NotAllowedToGrantError],
    secured=True,
    tags=["access"],
)
async def revoke_developer(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    await request.app[ACCESS_SERVICE_KEY].revoke(
        principal,
        mini_program_id=request.match_info["id"],
        account_id=request.match_info["account_id"],
    )
    return web.Response(status=204)
