"""HTTP handlers of the workspaces service and their request/response models."""

import hashlib
from datetime import datetime
from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, EmailStr, Field, ValidationInfo, field_validator

from shared.auth import Principal, authenticate, require_role
from shared.http import (
    Api,
    FieldError,
    ProblemError,
    ProblemMap,
    binary_response,
    field_problem,
    json_response,
    next_page,
    page_after,
    read_json,
    read_query,
    validation_problem,
)
from shared.images import LogoError, validate_logo
from workspaces.domain import (
    AlreadyApprovedError,
    AlreadyMemberError,
    ApplicationAlreadyDecidedError,
    ApplicationNotFoundError,
    ApplicationStatus,
    ApplicationUnderReviewError,
    DraftForm,
    DraftStep,
    MemberNotFoundError,
    MemberRole,
    NoDraftError,
    NotOwnerError,
    OwnerIsFixedError,
    UnknownAccountError,
    WorkspaceNotFoundError,
    WorkspaceStatus,
    default_logo_svg,
)
from workspaces.service import IncompleteApplicationError, WorkspacesService, form_changes


def _not_found(what: str) -> ProblemError:
    return ProblemError(404, "Not found", detail=f"No such {what}")


# How each domain error answers (handlers let them propagate; the problem middleware maps them).
PROBLEMS: ProblemMap = {
    ApplicationNotFoundError: _not_found("application"),
    WorkspaceNotFoundError: _not_found("workspace"),
    MemberNotFoundError: _not_found("member"),
    ApplicationUnderReviewError: ProblemError(
        409,
        "Application under review",
        type_slug="application-under-review",
        detail="An application is under review; wait for the decision",
    ),
    AlreadyApprovedError: ProblemError(
        409,
        "Already approved",
        type_slug="already-approved",
        detail="Your application was approved; you have a workspace",
    ),
    NoDraftError: ProblemError(
        409, "No draft", type_slug="no-draft", detail="There is no draft application to submit"
    ),
    ApplicationAlreadyDecidedError: ProblemError(
        409,
        "Already decided",
        type_slug="already-decided",
        detail="This application has been decided already",
    ),
    IncompleteApplicationError: lambda exc: validation_problem(exc.errors),
    LogoError: lambda exc: field_problem("logo", str(exc)),
    NotOwnerError: ProblemError(403, "Forbidden", detail="Only the owner manages members"),
    UnknownAccountError: validation_problem([FieldError("email", "no account has this email")]),
    AlreadyMemberError: ProblemError(
        409,
        "Already a member",
        type_slug="already-member",
        detail="This account is a member already",
    ),
    OwnerIsFixedError: ProblemError(
        409,
        "Owner is fixed",
        type_slug="owner-is-fixed",
        detail="The owner cannot be removed or given another role",
    ),
}

api = Api(title="Mini Program Platform: workspaces", problems=PROBLEMS)
SERVICE_KEY = web.AppKey("workspaces_service", WorkspacesService)
REVIEWER = "reviewer"

type Doc = dict[str, Any]


# --- models ----------------------------------------------------------------------------


class DraftUpdate(DraftForm):
    """Any subset of the form; a field sent as null is cleared, an absent one is kept."""

    step: DraftStep | None = None


class DecisionRead(BaseModel):
    decision: Literal["approve", "reject"]
    reason: str | None
    reviewed_at: datetime


class ApplicantRead(BaseModel):
    account_id: str
    email: str
    full_name: str


class ApplicationRead(BaseModel):
    id: str
    status: ApplicationStatus
    step: DraftStep | None
    role: str | None
    company_name: str | None
    website: str | None
    contact_number: str | None
    contact_email: str | None
    logo_url: str | None
    previous_application_id: str | None
    submitted_at: datetime | None
    expected_decision_by: datetime | None
    rejection_reason: str | None
    decision: DecisionRead | None
    workspace_id: str | None
    applicant: ApplicantRead | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, doc: Doc, *, logo_url: str | None) -> "ApplicationRead":
        form = doc.get("form", {})
        decision = doc.get("decision")
        applicant = doc.get("applicant")
        return cls(
            id=doc["_id"],
            status=doc["status"],
            step=doc.get("step"),
            role=form.get("role"),
            company_name=form.get("company_name"),
            website=form.get("website"),
            contact_number=form.get("contact_number"),
            contact_email=form.get("contact_email"),
            logo_url=logo_url if doc.get("logo_id") else None,
            previous_application_id=doc.get("previous_application_id"),
            submitted_at=doc.get("submitted_at"),
            expected_decision_by=doc.get("expected_decision_by"),
            rejection_reason=decision["reason"]
            if decision and decision["decision"] == "reject"
            else None,
            decision=DecisionRead(**{k: decision[k] for k in ("decision", "reason", "reviewed_at")})
            if decision
            else None,
            workspace_id=doc.get("workspace_id"),
            applicant=ApplicantRead(account_id=doc["account_id"], **applicant)
            if applicant
            else None,
            created_at=doc["created_at"],
            updated_at=doc["updated_at"],
        )


class ApplicationList(BaseModel):
    items: list[ApplicationRead]


class ApplicationPage(BaseModel):
    items: list[ApplicationRead]
    next_cursor: str | None


class ReviewQuery(BaseModel):
    status: Literal["under_review", "approved", "rejected"] = "under_review"
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = None


class DecisionCreate(BaseModel):
    decision: Literal["approve", "reject"]
    reason: str | None = Field(default=None, max_length=1000, validate_default=True)

    @field_validator("reason")
    @classmethod
    def _required_to_reject(cls, value: str | None, info: ValidationInfo) -> str | None:
        value = value.strip() if value else None
        if info.data.get("decision") == "reject" and not value:
            raise ValueError("is required to reject (1 to 1000 characters)")
        return value


class WorkspaceRead(BaseModel):
    id: str
    name: str
    status: WorkspaceStatus
    my_role: MemberRole
    owner_account_id: str
    logo_url: str
    created_at: datetime


class WorkspaceList(BaseModel):
    items: list[WorkspaceRead]


class MemberRead(BaseModel):
    account_id: str
    email: str
    full_name: str
    role: MemberRole
    added_at: datetime


class MemberList(BaseModel):
    items: list[MemberRead]


class MemberCreate(BaseModel):
    email: EmailStr
    role: Literal["master", "developer"]


class MemberUpdate(BaseModel):
    role: Literal["master", "developer"]


def _service(request: web.Request) -> WorkspacesService:
    return request.app[SERVICE_KEY]


# --- the applicant ---------------------------------------------------------------------


def _my_application(doc: Doc) -> ApplicationRead:
    return ApplicationRead.of(doc, logo_url="/v1/workspace-applications/current/logo")


@api.route(
    "GET",
    "/v1/workspace-applications/current",
    summary="My latest application",
    responses={200: ApplicationRead},
    secured=True,
    tags=["applications"],
)
async def get_current_application(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    application = await _service(request).current_application(principal)
    if application is None:
        raise ProblemError(404, "Not found", detail="You have not applied yet")
    return json_response(_my_application(application))


@api.route(
    "GET",
    "/v1/workspace-applications",
    summary="All my applications, newest first",
    responses={200: ApplicationList},
    secured=True,
    tags=["applications"],
)
async def list_my_applications(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    history = await _service(request).application_history(principal)
    items = [ApplicationRead.of(doc, logo_url=None) for doc in history]
    return json_response(ApplicationList(items=items))


@api.route(
    "GET",
    "/v1/workspace-applications/{id}",
    summary="One of my applications",
    responses={200: ApplicationRead},
    secured=True,
    tags=["applications"],
)
async def get_my_application(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    application = await _service(request).my_application(principal, request.match_info["id"])
    return json_response(ApplicationRead.of(application, logo_url=None))


@api.route(
    "PUT",
    "/v1/workspace-applications/draft",
    summary="Save the application form so far",
    body=DraftUpdate,
    responses={200: ApplicationRead},
    secured=True,
    tags=["applications"],
)
async def save_draft(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    body = await read_json(request, DraftUpdate)
    changes = form_changes(body.model_dump(include=body.model_fields_set))
    draft = await _service(request).save_draft(principal, changes=changes, step=body.step)
    return json_response(_my_application(draft))


@api.route(
    "PUT",
    "/v1/workspace-applications/draft/logo",
    summary="Upload the optional business logo (JPEG/PNG, square, at most 256 KB)",
    responses={200: ApplicationRead},
    secured=True,
    tags=["applications"],
)
async def put_draft_logo(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    logo = validate_logo(await request.read())
    draft = await _service(request).set_draft_logo(principal, logo)
    return json_response(_my_application(draft))


@api.route(
    "DELETE",
    "/v1/workspace-applications/draft/logo",
    summary="Remove the business logo",
    responses={200: ApplicationRead},
    secured=True,
    tags=["applications"],
)
async def delete_draft_logo(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    draft = await _service(request).set_draft_logo(principal, None)
    return json_response(_my_application(draft))


@api.route(
    "GET",
    "/v1/workspace-applications/current/logo",
    summary="My application's logo",
    secured=True,
    tags=["applications"],
)
async def get_my_application_logo(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    application = await _service(request).current_application(principal)
    return await _logo_of(request, application)


async def _logo_of(request: web.Request, application: Doc | None) -> web.Response:
    logo_id = application.get("logo_id") if application else None
    logo = await _service(request).logo(logo_id) if logo_id else None
    if logo is None:
        raise ProblemError(404, "Not found", detail="No logo was uploaded")
    return binary_response(
        request, body=logo["data"], content_type=logo["content_type"], etag=logo["etag"]
    )


@api.route(
    "POST",
    "/v1/workspace-applications/draft/submit",
    summary="Submit the application for review",
    responses={201: ApplicationRead},
    secured=True,
    tags=["applications"],
)
async def submit_application(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    submitted = await _service(request).submit_application(principal)
    return json_response(_my_application(submitted), status=201)


# --- reviewers -------------------------------------------------------------------------


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
        await _service(request).review_queue(
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
    return await _service(request).application_for_review(request.match_info["id"])


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
    return await _logo_of(request, await _application_for_review(request))


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
    decided = await _service(request).decide_application(
        reviewer, request.match_info["id"], decision=body.decision, reason=body.reason
    )
    return json_response(_review_read(decided))


# --- workspaces and members --------------------------------------------------------------


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
    return await _service(request).workspace_for(principal, request.match_info["id"])


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
    workspaces = await _service(request).my_workspaces(principal)
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
    logo = await _service(request).logo(workspace["logo_id"]) if workspace.get("logo_id") else None
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
    members = await _service(request).members(principal, request.match_info["id"])
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
    member = await _service(request).add_member(
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
    member = await _service(request).change_member_role(
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
    await _service(request).remove_member(
        principal, request.match_info["id"], request.match_info["account_id"]
    )
    return web.Response(status=204)
