"""The applicant's side: the draft, its logo, submission and history."""

from aiohttp import web

from shared.auth import authenticate
from shared.http import ProblemError, json_response, read_json
from shared.images import LogoError, validate_logo
from shared.openapi import Routes
from workspaces.api.context import service_of
from workspaces.api.logos import application_logo
from workspaces.api.models import ApplicationList, ApplicationRead, DraftUpdate
from workspaces.domain import (
    AlreadyApprovedError,
    Application,
    ApplicationAlreadyDecidedError,
    ApplicationNotFoundError,
    ApplicationUnderReviewError,
    ApplicationWithdrawnError,
    IncompleteApplicationError,
    NoDraftError,
    NotUnderReviewError,
    form_changes,
)

routes = Routes()
# A draft is changed while the latest application is one: not under review, not approved.
_DRAFT_CLOSED = [ApplicationUnderReviewError, AlreadyApprovedError]


async def _my_read(
    request: web.Request, application: Application, *, logo_url: str | None
) -> ApplicationRead:
    """The application as its applicant sees it: with its place in the queue while under
    review; never a claim, a reviewer or an internal note."""
    position = await service_of(request).queue_position(application)
    return ApplicationRead.of(application, logo_url=logo_url, queue_position=position)


async def _my_application(request: web.Request, application: Application) -> ApplicationRead:
    return await _my_read(request, application, logo_url="/v1/workspace-applications/current/logo")


@routes.route(
    "GET",
    "/v1/workspace-applications/current",
    summary="My latest application",
    responses={200: ApplicationRead},
    problems={404: "I have not applied yet"},
    secured=True,
    tags=["applications"],
)
async def get_current_application(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    application = await service_of(request).current_application(principal)
    if application is None:
        raise ProblemError(404, "Not found", detail="You have not applied yet")
    return json_response(await _my_application(request, application))


@routes.route(
    "GET",
    "/v1/workspace-applications",
    summary="All my applications, newest first",
    responses={200: ApplicationList},
    secured=True,
    tags=["applications"],
)
async def list_my_applications(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    history = await service_of(request).application_history(principal)
    items = [await _my_read(request, application, logo_url=None) for application in history]
    return json_response(ApplicationList(items=items))


@routes.route(
    "GET",
    "/v1/workspace-applications/{id}",
    summary="One of my applications",
    responses={200: ApplicationRead},
    raises=[ApplicationNotFoundError],
    secured=True,
    tags=["applications"],
)
async def get_my_application(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    application = await service_of(request).my_application(principal, request.match_info["id"])
    return json_response(await _my_read(request, application, logo_url=None))


@routes.route(
    "PUT",
    "/v1/workspace-applications/draft",
    summary="Save the application form so far",
    description="Starts the draft when there is none (after a rejection, prefilled from the "
    "rejected application).",
    body=DraftUpdate,
    responses={200: ApplicationRead},
    raises=_DRAFT_CLOSED,
    secured=True,
    tags=["applications"],
)
async def save_draft(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    body = await read_json(request, DraftUpdate)
    changes = form_changes(body.model_dump(include=body.model_fields_set))
    draft = await service_of(request).save_draft(principal, changes=changes, step=body.step)
    return json_response(await _my_application(request, draft))


@routes.route(
    "PUT",
    "/v1/workspace-applications/draft/logo",
    summary="Upload the optional business logo (JPEG/PNG, square, at most 256 KB)",
    # The type is decided by the bytes, whatever the request says it is.
    binary_body=["image/png", "image/jpeg", "application/octet-stream"],
    responses={200: ApplicationRead},
    raises=[LogoError, *_DRAFT_CLOSED],
    secured=True,
    tags=["applications"],
)
async def put_draft_logo(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    logo = validate_logo(await request.read())
    draft = await service_of(request).set_draft_logo(principal, logo)
    return json_response(await _my_application(request, draft))


@routes.route(
    "DELETE",
    "/v1/workspace-applications/draft/logo",
    summary="Remove the business logo",
    responses={200: ApplicationRead},
    raises=_DRAFT_CLOSED,
    secured=True,
    tags=["applications"],
)
async def delete_draft_logo(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    draft = await service_of(request).set_draft_logo(principal, None)
    return json_response(await _my_application(request, draft))


@routes.route(
    "GET",
    "/v1/workspace-applications/current/logo",
    summary="My application's logo",
    binary_response=["image/png", "image/jpeg"],
    problems={404: "I have not applied yet, or uploaded no logo"},
    secured=True,
    tags=["applications"],
)
async def get_my_application_logo(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    application = await service_of(request).current_application(principal)
    return await application_logo(request, application)


@routes.route(
    "POST",
    "/v1/workspace-applications/draft/submit",
    summary="Submit the application for review",
    responses={201: ApplicationRead},
    raises=[NoDraftError, IncompleteApplicationError],
    secured=True,
    tags=["applications"],
)
async def submit_application(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    submitted = await service_of(request).submit_application(principal)
    return json_response(await _my_application(request, submitted), status=201)


@routes.route(
    "POST",
    "/v1/workspace-applications/current/withdraw",
    summary="Withdraw my application under review",
    description="It becomes `withdrawn` and leaves the review queue; the next draft save "
    "starts a new draft prefilled from it. Against a decision at the same moment exactly "
    "one wins: the other gets 409.",
    responses={200: ApplicationRead},
    raises=[
        ApplicationNotFoundError,
        NotUnderReviewError,
        ApplicationAlreadyDecidedError,
        ApplicationWithdrawnError,
    ],
    secured=True,
    tags=["applications"],
)
async def withdraw_application(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    withdrawn = await service_of(request).withdraw_application(principal)
    return json_response(await _my_application(request, withdrawn))
