"""HTTP API of the workspaces service: the Api, how domain errors answer, and the routes
(registered by importing the modules below)."""

from aiohttp import web

from shared.http import FieldError, ProblemError, ProblemMap, field_problem, validation_problem
from shared.images import LogoError
from shared.openapi import Api
from workspaces.domain import (
    AlreadyApprovedError,
    AlreadyMemberError,
    ApplicationAlreadyDecidedError,
    ApplicationNotFoundError,
    ApplicationUnderReviewError,
    MemberNotFoundError,
    NoDraftError,
    NotOwnerError,
    OwnerIsFixedError,
    UnknownAccountError,
    WorkspaceNotFoundError,
)
from workspaces.service import IncompleteApplicationError, WorkspacesService


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


def service_of(request: web.Request) -> WorkspacesService:
    return request.app[SERVICE_KEY]


# Imported for their routes, after `api` exists.
from workspaces.api import applications, members, review  # noqa: E402, F401
