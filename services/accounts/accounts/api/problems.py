"""How each domain error answers (handlers let them propagate; the problem middleware maps
them, and the OpenAPI document states them)."""

from accounts.domain import (
    AccountNotFoundError,
    EmailAlreadyVerifiedError,
    EmailTakenError,
    InvalidCredentialsError,
    InvalidLinkError,
    InvalidRefreshTokenError,
    InvalidSecondFactorError,
    LinkExpiredError,
    SessionNotFoundError,
    TooManyAttemptsError,
    TooManyRequestsError,
    TooSoonError,
    TwoFactorAlreadyEnabledError,
    TwoFactorNotStartedError,
    WrongPasswordError,
)
from accounts.field_codes import PASSWORD_WRONG, SECOND_FACTOR_WRONG
from accounts.tokens import InvalidMfaTokenError
from shared.http import ProblemError, ProblemFrom, ProblemMap


def _retry_after(error: TooManyAttemptsError | TooSoonError) -> dict[str, str]:
    return {"Retry-After": str(error.retry_after_s)}


PROBLEMS: ProblemMap = {
    EmailTakenError: ProblemError(
        409,
        "Email taken",
        type_slug="email-taken",
        detail="An account with this email already exists",
    ),
    # One answer for a wrong password and an unknown email: neither tells which it was.
    InvalidCredentialsError: ProblemError(
        401, "Invalid credentials", detail="Invalid email or password"
    ),
    TooManyAttemptsError: ProblemFrom[TooManyAttemptsError](
        429,
        "Too many attempts",
        detail="Too many failed logins; try again later",
        headers=_retry_after,
    ),
    TooManyRequestsError: ProblemFrom[TooManyRequestsError](
        429,
        "Too many requests",
        detail="Too many password reset requests for this email or from this address; "
        "try again later",
        headers=_retry_after,
    ),
    TooSoonError: ProblemFrom[TooSoonError](
        429,
        "Too soon",
        type_slug="too-soon",
        detail="A link was mailed a moment ago; wait before asking for another",
        headers=_retry_after,
    ),
    InvalidRefreshTokenError: ProblemFrom[InvalidRefreshTokenError](
        401,
        "Invalid refresh token",
        detail=str,
        description="Unknown, expired, revoked or reused (which revokes its session), or its "
        "account is gone",
    ),
    InvalidLinkError: ProblemError(
        400,
        "Invalid link",
        type_slug="link-invalid",
        detail="This link does not work: it was used already, replaced by a newer one, or "
        "never issued",
    ),
    LinkExpiredError: ProblemError(
        400,
        "Link expired",
        type_slug="link-expired",
        detail="This link has expired; ask for a new one",
    ),
    EmailAlreadyVerifiedError: ProblemError(
        409,
        "Email already verified",
        type_slug="email-already-verified",
        detail="The email of this account is verified already",
    ),
    InvalidMfaTokenError: ProblemError(
        401,
        "Invalid MFA token",
        type_slug="mfa-token-invalid",
        detail="The sign-in was not started, or too long ago: log in again",
    ),
    InvalidSecondFactorError: ProblemFrom[InvalidSecondFactorError](
        422,
        "Invalid code",
        type_slug="invalid-second-factor",
        detail="The code is wrong or was used already",
        errors=lambda _: [SECOND_FACTOR_WRONG.error("code")],
    ),
    TwoFactorAlreadyEnabledError: ProblemError(
        409,
        "Two-factor sign-in already on",
        type_slug="two-factor-enabled",
        detail="Two-factor sign-in is on already: turn it off before enrolling again",
    ),
    TwoFactorNotStartedError: ProblemError(
        409,
        "Two-factor sign-in not started",
        type_slug="two-factor-not-started",
        detail="No enrolment waits for its first code, or two-factor sign-in is off",
    ),
    WrongPasswordError: ProblemFrom[WrongPasswordError](
        422,
        "Wrong password",
        type_slug="wrong-password",
        detail="The current password is wrong",
        errors=lambda _: [PASSWORD_WRONG.error("current_password")],
    ),
    SessionNotFoundError: ProblemError(
        404, "Not found", detail="No active session of yours has this id"
    ),
    AccountNotFoundError: ProblemError(404, "Not found", detail="The account no longer exists"),
}
