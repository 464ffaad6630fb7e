"""The reviewers' side: the queue and its filters, an application, its claim and internal
notes, an account's attempts, the reason codes, and the decision."""

from aiohttp import web

from shared.auth import Principal, authenticate
from shared.http import json_response, read_json, read_query
from shared.openapi import Routes
from shared.pagination import next_page, page_after
from workspaces.api.context import review_of
from workspaces.api.logos import application_logo
from workspaces.api.models import ApplicationList, ApplicationPage, ApplicationRead, DecisionCreate
from workspaces.api.review_models import (
    ClaimCreate,
    ClaimRead,
    NoteCreate,
    NoteList,
    NoteRead,
    ReasonCodeList,
    ReasonCodeRead,
    ReviewQuery,
)
from workspaces.domain import (
    REASON_CODES,
    Application,
    ApplicationAlreadyDecidedError,
    ApplicationNotFoundError,
    ApplicationWithdrawnError,
    ClaimedByAnotherError,
    QueueFilter,
    TakeOverForbiddenError,
)

routes = Routes()
# The role the token must carry for every route here (the route checks it before the handler).
REVIEWER = "reviewer"
# What a claim or a decision meets on an application that is not open to review.
_CLOSED = [ApplicationNotFoundError, ApplicationAlreadyDecidedError, ApplicationWithdrawnError]


async def _review_reads(
    request: web.Request, applications: list[Application], *, reader: Principal
) -> list[ApplicationRead]:
    """The applications as reviewers see them: whether each applicant's email is verified
    (as the accounts directory learned it), the active claim, who decided, the place in the
    queue."""
    review = review_of(request)
    verified = await review.verified_applicants([a.account_id for a in applications])
    positions = await review.queue_positions(applications)
    now = review.now()
    reads = []
    for application in applications:
        read = ApplicationRead.of(
            application,
            logo_url=f"/v1/review/applications/{application.id}/logo",
            queue_position=positions.get(application.id),
        )
        claim = application.active_claim(now)
        update: dict[str, object] = {
            "claim": ClaimRead.of(claim, reader_id=reader.account_id) if claim else None
        }
        if read.applicant is not None:
            update["applicant"] = read.applicant.model_copy(
                update={"email_verified": application.account_id in verified}
            )
        if read.decision is not None and application.decision is not None:
            update["decision"] = read.decision.model_copy(
                update={"reviewer_id": application.decision.reviewer_id}
            )
        reads.append(read.model_copy(update=update))
    return reads


async def _review_read(request: web.Request, application: Application) -> ApplicationRead:
    reader = await authenticate(request)
    return (await _review_reads(request, [application], reader=reader))[0]


@routes.route(
    "GET",
    "/v1/review/applications",
    summary="The review queue, oldest first, filtered",
    query=ReviewQuery,
    responses={200: ApplicationPage},
    role=REVIEWER,
    tags=["review"],
)
async def list_review_queue(request: web.Request) -> web.Response:
    reviewer = await authenticate(request)
    query = read_query(request, ReviewQuery)
    queue = await review_of(request).review_queue(
        QueueFilter(
            status=query.status,
            claimed=query.claimed,
            reviewer_id=reviewer.account_id,
            submitted_after=query.submitted_after,
            submitted_before=query.submitted_before,
            email_verified=query.email_verified,
        ),
        limit=query.limit + 1,  # one more tells whether a next page follows
        after=page_after(query.cursor),
    )
    # The cursor is the last one's position in the queue's order: (submitted_at, id).
    positions = [{"_id": a.id, "submitted_at": a.submitted_at} for a in queue]
    page, next_cursor = next_page(positions, limit=query.limit, at="submitted_at")
    items = await _review_reads(request, queue[: len(page)], reader=reviewer)
    return json_response(ApplicationPage(items=items, next_cursor=next_cursor))


@routes.route(
    "GET",
    "/v1/review/reason-codes",
    summary="The reason codes a rejection's findings use, in zh-CN and en",
    responses={200: ReasonCodeList},
    role=REVIEWER,
    tags=["review"],
)
async def list_reason_codes(request: web.Request) -> web.Response:
    items = [
        ReasonCodeRead(code=r.code, fields=list(r.fields), texts=r.texts)
        for r in REASON_CODES.values()
    ]
    return json_response(ReasonCodeList(items=items))


@routes.route(
    "GET",
    "/v1/review/accounts/{account_id}/applications",
    summary="Every application an account submitted, newest first, with its decision",
    responses={200: ApplicationList},
    role=REVIEWER,
    tags=["review"],
)
async def list_account_applications(request: web.Request) -> web.Response:
    reviewer = await authenticate(request)
    history = await review_of(request).account_history(request.match_info["account_id"])
    items = await _review_reads(request, history, reader=reviewer)
    return json_response(ApplicationList(items=items))


async def _application_for_review(request: web.Request) -> Application:
    return await review_of(request).application_for_review(request.match_info["id"])


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
    "/v1/review/applications/{id}/claim",
    summary="Claim an application to review it (until the claim expires)",
    description="Claiming it again extends the claim. Another reviewer's active claim "
    "answers 409 `claimed-by-another`; an admin who reviews takes it over with "
    "`take_over: true`.",
    body=ClaimCreate,
    body_required=False,  # {} unless taking over
    responses={200: ApplicationRead},
    raises=[*_CLOSED, ClaimedByAnotherError, TakeOverForbiddenError],
    role=REVIEWER,
    tags=["review"],
)
async def claim_application(request: web.Request) -> web.Response:
    reviewer = await authenticate(request)
    body = await read_json(request, ClaimCreate) if request.body_exists else ClaimCreate()
    claimed = await review_of(request).claim(
        reviewer, request.match_info["id"], take_over=body.take_over
    )
    return json_response(await _review_read(request, claimed))


@routes.route(
    "DELETE",
    "/v1/review/applications/{id}/claim",
    summary="Release my claim (an admin: anyone's, with take_over=true)",
    query=ClaimCreate,
    responses={204: None},
    raises=[ApplicationNotFoundError, ClaimedByAnotherError, TakeOverForbiddenError],
    role=REVIEWER,
    tags=["review"],
)
async def release_claim(request: web.Request) -> web.Response:
    reviewer = await authenticate(request)
    query = read_query(request, ClaimCreate)
    await review_of(request).release(reviewer, request.match_info["id"], take_over=query.take_over)
    return web.Response(status=204)


@routes.route(
    "POST",
    "/v1/review/applications/{id}/notes",
    summary="Add an internal note (reviewers only; never shown to the applicant)",
    body=NoteCreate,
    responses={201: NoteRead},
    raises=[ApplicationNotFoundError],
    role=REVIEWER,
    tags=["review"],
)
async def add_note(request: web.Request) -> web.Response:
    reviewer = await authenticate(request)
    body = await read_json(request, NoteCreate)
    note = await review_of(request).add_note(reviewer, request.match_info["id"], text=body.text)
    return json_response(NoteRead.of(note), status=201)


@routes.route(
    "GET",
    "/v1/review/applications/{id}/notes",
    summary="An application's internal notes, oldest first",
    responses={200: NoteList},
    raises=[ApplicationNotFoundError],
    role=REVIEWER,
    tags=["review"],
)
async def list_notes(request: web.Request) -> web.Response:
    notes = await review_of(request).notes(request.match_info["id"])
    return json_response(NoteList(items=[NoteRead.of(n) for n in notes]))


@routes.route(
    "POST",
    "/v1/review/applications/{id}/decision",
    summary="Approve (with a note) or reject (with a reason and findings)",
    body=DecisionCreate,
    responses={200: ApplicationRead},
    raises=[*_CLOSED, ClaimedByAnotherError],
    role=REVIEWER,
    tags=["review"],
)
async def decide_application(request: web.Request) -> web.Response:
    reviewer = await authenticate(request)  # a reviewer: the route checked the role
    body = await read_json(request, DecisionCreate)
    decided = await review_of(request).decide_application(
        reviewer,
        request.match_info["id"],
        decision=body.decision,
        reason=body.reason,
        findings=tuple(f.finding() for f in body.findings),
    )
    return json_response(await _review_read(request, decided))
