"""The reviewers' side: the queue, an application, the decision."""

from typing import Any

from aiohttp import web

from shared.auth import Principal, authenticate, require_role
from shared.http import json_response, read_json, read_query
from shared.pagination import next_page, page_after
from workspaces.api import REVIEWER, api, service_of
from workspaces.api.applications import logo_response
from workspaces.api.models import ApplicationPage, ApplicationRead, DecisionCreate, ReviewQuery
from workspaces.domain import (
    ApplicationStatus,
)

type Doc = dict[str, Any]


def _reviewer(principal: Principal) -> Principal:
    require_role(principal, REVIEWER)
    return principal


def _review_read(doc: Doc) -> ApplicationRead:
    return ApplicationRead.of(doc, logo_url=f"/v1/review/applications/{doc['_id']}/logo")


@api.route(
    "GET",
    "/v1/review/applications",
    summary="The review queue, oldest first",
    query=ReviewQuery,
    responses={200: ApplicationPage},
    secured=True,
    tags=["review"],
)
async def list_review_queue(request: web.Request) -> web.Response:
    _reviewer(await authenticate(request))
    query = read_query(request, ReviewQuery)
    page, next_cursor = next_page(
        await service_of(request).review_queue(
            status=ApplicationStatus(query.status),
            limit=query.limit + 1,
            after=page_after(query.cursor),
        ),
        limit=query.limit,
        at="submitted_at",
    )
    return json_response(
        ApplicationPage(items=[_review_read(d) for d in page], next_cursor=next_cursor)
    )


async def _application_for_review(request: web.Request) -> Doc:
    return await service_of(request).application_for_review(request.match_info["id"])


@api.route(
    "GET",
    "/v1/review/applications/{id}",
    summary="One application, for review",
    responses={200: ApplicationRead},
    secured=True,
    tags=["review"],
)
async def get_review_application(request: web.Request) -> web.Response:
    _reviewer(await authenticate(request))
    return json_response(_review_read(await _application_for_review(request)))


@api.route(
    "GET",
    "/v1/review/applications/{id}/logo",
    summary="An application's logo",
    secured=True,
    tags=["review"],
)
async def get_review_application_logo(request: web.Request) -> web.Response:
    _reviewer(await authenticate(request))
    return await logo_response(request, await _application_for_review(request))


@api.route(
    "POST",
    "/v1/review/applications/{id}/decision",
    summary="Approve or reject (with a reason)",
    body=DecisionCreate,
    responses={200: ApplicationRead},
    secured=True,
    tags=["review"],
)
async def decide_application(request: web.Request) -> web.Response:
    reviewer = _reviewer(await authenticate(request))
    body = await read_json(request, DecisionCreate)
    decided = await service_of(request).decide_application(
        reviewer, request.match_info["id"], decision=body.decision, reason=body.reason
    )
    return json_response(_review_read(decided))
