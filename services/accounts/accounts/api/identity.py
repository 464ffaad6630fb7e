"""The email proved by a mailed link; the password reset by one, or changed when signed in."""

from aiohttp import web

from accounts.api.accounts import me_read
from accounts.api.context import client_ip, identity_of
from accounts.api.models import (
    EmailVerificationCreate,
    MeRead,
    PasswordChange,
    PasswordResetAccepted,
    PasswordResetConfirm,
    PasswordResetCreate,
    SessionsEnded,
    VerificationMailRead,
)
from accounts.domain import (
    AccountNotFoundError,
    EmailAlreadyVerifiedError,
    InvalidLinkError,
    LinkExpiredError,
    TooManyRequestsError,
    TooSoonError,
    WrongPasswordError,
)
from shared.auth import authenticate
from shared.http import json_response, read_json
from shared.openapi import Routes

routes = Routes()

RESET_ACCEPTED = (
    "If an account has this email, a link to set a new password is on its way; it works once, "
    "for 30 minutes."
)


@routes.route(
    "POST",
    "/v1/email-verifications",
    summary="Verify the email with the token of the mailed link (once, within 24 hours)",
    description="No sign-in needed: the link may be opened in another browser. Answers the "
    "account, now with `email_verified: true`.",
    body=EmailVerificationCreate,
    responses={200: MeRead},
    raises=[InvalidLinkError, LinkExpiredError],
    tags=["identity"],
)
async def create_email_verification(request: web.Request) -> web.Response:
    body = await read_json(request, EmailVerificationCreate)
    account = await identity_of(request).verify_email(body.token)
    return json_response(me_read(request, account))


@routes.route(
    "POST",
    "/v1/accounts/me/email-verification",
    summary="Mail a new verification link (at most once a minute); earlier links stop working",
    responses={202: VerificationMailRead},
    raises=[EmailAlreadyVerifiedError, TooSoonError, AccountNotFoundError],
    secured=True,
    tags=["identity"],
)
async def resend_email_verification(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    expires_at = await identity_of(request).resend_verification(principal.account_id)
    return json_response(VerificationMailRead(expires_at=expires_at), status=202)


@routes.route(
    "POST",
    "/v1/password-resets",
    summary="Mail a link to set a new password, if an account has this email",
    description="The answer is the same whether or not the email has an account (and takes "
    "about as long). Throttled per email and per client address: 429 with Retry-After.",
    body=PasswordResetCreate,
    responses={202: PasswordResetAccepted},
    raises=[TooManyRequestsError],
    tags=["identity"],
)
async def create_password_reset(request: web.Request) -> web.Response:
    body = await read_json(request, PasswordResetCreate)
    await identity_of(request).request_password_reset(
        email=body.email, client_ip=client_ip(request)
    )
    return json_response(PasswordResetAccepted(detail=RESET_ACCEPTED), status=202)


@routes.route(
    "POST",
    "/v1/password-resets/confirm",
    summary="Set a new password with the token of the reset link (once, within 30 minutes)",
    description="The password follows signup's rules. Every session of the account ends (its "
    "access tokens are refused within seconds), and the account is told by mail.",
    body=PasswordResetConfirm,
    responses={204: None},
    raises=[InvalidLinkError, LinkExpiredError],
    tags=["identity"],
)
async def confirm_password_reset(request: web.Request) -> web.Response:
    body = await read_json(request, PasswordResetConfirm)
    await identity_of(request).confirm_password_reset(token=body.token, password=body.password)
    return web.Response(status=204)


@routes.route(
    "POST",
    "/v1/accounts/me/password",
    summary="Change the password (proving the current one); every other session ends",
    description="The session of this request stays; the account is told by mail.",
    body=PasswordChange,
    responses={200: SessionsEnded},
    raises=[WrongPasswordError, AccountNotFoundError],
    secured=True,
    tags=["identity"],
)
async def change_password(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    body = await read_json(request, PasswordChange)
    ended = await identity_of(request).change_password(
        account_id=principal.account_id,
        session_id=principal.session_id,
        current=body.current_password,
        new=body.new_password,
    )
    return json_response(SessionsEnded(ended_sessions=ended))
