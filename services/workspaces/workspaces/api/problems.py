"""How each domain error answers (handlers let them propagate; the problem middleware maps
them)."""

from shared.http import FieldError, ProblemError, ProblemFrom, ProblemMap, validation_problem
from shared.images import LogoError
from workspaces.domain import errors
from workspaces.field_codes import UNKNOWN_ACCOUNT


def _not_found(what: str) -> ProblemError:
    return ProblemError(404, "Not found", detail=f"No such {what}")


def _missing_fields(exc: errors.IncompleteApplicationError) -> list[FieldError]:
    return list(exc.errors)


PROBLEMS: ProblemMap = {
    errors.ApplicationNotFoundError: _not_found("application"),
    errors.WorkspaceNotFoundError: _not_found("workspace"),
    errors.MemberNotFoundError: _not_found("member"),
    errors.ApplicationUnderReviewError: ProblemError(
        409,
        "Application under review",
        type_slug="application-under-review",
        detail="An application is under review; wait for the decision",
    ),
    errors.AlreadyApprovedError: ProblemError(
        409,
        "Already approved",
        type_slug="already-approved",
        detail="Your application was approved; you have a workspace",
    ),
    errors.DraftAlreadyOpenError: ProblemError(
        409, "Draft open", type_slug="draft-open", detail="Your draft application is open; edit it"
    ),
    errors.NoDraftError: ProblemError(
        409, "No draft", type_slug="no-draft", detail="There is no draft application to submit"
    ),
    errors.ApplicationAlreadyDecidedError: ProblemError(
        409,
        "Already decided",
        type_slug="already-decided",
        detail="This application has been decided already",
    ),
    errors.ApplicationWithdrawnError: ProblemError(
        409,
        "Application withdrawn",
        type_slug="application-withdrawn",
        detail="The applicant withdrew this application",
    ),
    errors.NotUnderReviewError: ProblemError(
        409,
        "Not under review",
        type_slug="not-under-review",
        detail="Only an application under review can be withdrawn",
    ),
    errors.ClaimedByAnotherError: ProblemFrom[errors.ClaimedByAnotherError](
        409,
        "Claimed by another reviewer",
        type_slug="claimed-by-another",
        detail=lambda exc: (
            f"Another reviewer ({exc.reviewer_id}) claimed this application "
            f"until {exc.expires_at.isoformat()}"
        ),
        description="Another reviewer's claim on the application is active (it expires, or "
        "an admin takes it over)",
    ),
    errors.TakeOverForbiddenError: ProblemError(
        403, "Forbidden", detail="Only an admin takes over another reviewer's claim"
    ),
    errors.IncompleteApplicationError: ProblemFrom(
        422,
        "Validation failed",
        errors=_missing_fields,
        description="The draft lacks what a submission needs: `errors` names each field",
    ),
    LogoError: ProblemFrom[LogoError](
        422,
        "Validation failed",
        errors=lambda exc: [exc.field_error("logo")],
        description="`logo` is not a square JPEG or PNG image of at most 256 KB",
    ),
    errors.NotOwnerError: ProblemError(403, "Forbidden", detail="Only the owner manages members"),
    errors.UnknownAccountError: validation_problem([UNKNOWN_ACCOUNT.error("email")]),
    errors.AlreadyMemberError: ProblemError(
        409,
        "Already a member",
        type_slug="already-member",
        detail="This account is a member already",
    ),
    errors.OwnerIsFixedError: ProblemError(
        409,
        "Owner is fixed",
        type_slug="owner-is-fixed",
        detail="The owner cannot be removed or given another role",
    ),
}
