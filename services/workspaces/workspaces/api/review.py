"""The reviewers' side: the queue, an application, the decision."""

from aiohttp import web

from shared.auth import authenticate
from shared.http import json_response, read_json, read_query
from shared.openapi import Routes
from shared.pagination import next_page, page_after
from workspaces.api.context import service_of
from workspaces.api.logos import application_logo
from workspaces.api.models import ApplicationPage, ApplicationRead, DecisionCreate, ReviewQuery
from workspaces.domain import (
    Application,
    ApplicationAlreadyDecidedError,
    ApplicationNotFoundError,
    ApplicationStatus,
)

routes = Routes()
# The role the token must carry for every route here (the route checks it before the handler).
REVIEWER = "reviewer"


async def _review_reads(
    request: web.Request, applications: list[Application]
) -> list[ApplicationRead]:
    """The applications as reviewers see them: with whether each applicant's email is
    verified (as the accounts directory learned it)."""
    verified = await service_of(request).verified_applicants(a.account_id for a in applications)
    reads = []
    for application in applications:
        read = ApplicationRead.of(
            application, logo_url=f"/v1/review/applications/{application.id}/logo"
        )
        if read.applicant is not None:
            applicant = read.applicant.model_copy(
                update={"email_verified": application.account_id in verified}
            )
            read = read.model_copy(update={"applicant": applicant})
        reads.append(read)
    return reads


async def _review_read(request: web.Request, application: Application) -> ApplicationRead:
    return (await _review_reads(request, [application]))[0]


@routes.route(
    "GET",
    "/v1/review/applications",
    summary="The review queue, oldest first",
    query=ReviewQuery,
    responses={200: ApplicationPage},
    role=REVIEWER,
    tags=["review"],
)
async def list_review_queue(request: web.Request) -> web.Response:
    query = read_query(request, ReviewQuery)
    queue = await service_of(request).review_queue(
        status=ApplicationStatus(query.status),
        limit=query.limit + 1,  # one more tells whether a next page follows
        after=page_after(query.cursor),
    )
    # The cursor is the last one's position in the queue's order: (submitted_at, id).
    positions = [{"_id": a.id, "submitted_at": a.submitted_at} for a in queue]
    page, next_cursor = next_page(positions, limit=query.limit, at="submitted_at")
    items = await _review_reads(request, queue[: len(page)])
    return json_response(ApplicationPage(items=items, next_cursor=next_cursor))


async def _application_for_review(request: web.Request) -> Application:
    return await service_of(request).application_for_review(request.match_info["id"])


@routes.route(
    "GET",
    "/v1/review/applications/{id}",
    summary="One application, for review",
    responses={200: ApplicationRead},
    raises=[ApplicationNotFoundError],
    role=REVIEWER,
    tags=["review"],
)
async def get_review_application(request: web.Request) -> web.Response:
    return json_response(await _review_read(request, await _application_for_review(request)))


@routes.route(
    "GET",
    "/v1/review/applications/{id}/logo",
    summary="An application's logo",
    binary_response=["image/png", "image/jpeg"],
    raises=[ApplicationNotFoundError],
    problems={404: "The applicant uploaded no logo"},
    role=REVIEWER,
    tags=["review"],
)
async def get_review_application_logo(request: web.Request) -> web.Response:
    return await application_logo(request, await _application_for_review(request))


@routes.route(
    "POST",
    "/v1/review/applications/{id}/decision",
    summary="Approve or reject (with a reason)",
    body=DecisionCreate,
    responses={200: ApplicationRead},
    raises=[ApplicationNotFoundError, ApplicationAlreadyDecidedError],
    role=REVIEWER,
    tags=["review"],
)
async def decide_application(request: web.Request) -> web.Response:
    reviewer = await authenticate(request)  # a reviewer: the route checked the role
    body = await read_json(request, DecisionCreate)
    decided = await service_of(request).decide_application(
        reviewer, request.match_info["id"], decision=body.decision, reason=body.reason
    )
    return json_response(await _review_read(request, decided))
