"""Two-factor sign-in (TOTP): enrol, confirm with the first code (getting the recovery codes),
turn off."""

from aiohttp import web

from accounts.api.context import identity_of
from accounts.api.models import RecoveryCodesRead, SecondFactor, TotpConfirm, TotpEnrolmentRead
from accounts.domain import (
    AccountNotFoundError,
    InvalidSecondFactorError,
    TwoFactorAlreadyEnabledError,
    TwoFactorNotStartedError,
)
from shared.auth import authenticate
from shared.http import json_response, read_json
from shared.openapi import Routes

routes = Routes()

_ROLE_NOTE = (
    "Reviewers and admins get their staff role in access tokens once it is on: refresh the "
    "session (POST /v1/sessions/refresh) for tokens with it."
)


@routes.route(
    "POST",
    "/v1/accounts/me/totp",
    summary="Start enrolling two-factor sign-in: a new secret, as an otpauth URI and QR code",
    description="Nothing changes at login until the first code confirms it (POST "
    "/v1/accounts/me/totp/confirm); starting again replaces a secret not confirmed yet.",
    responses={201: TotpEnrolmentRead},
    raises=[TwoFactorAlreadyEnabledError, AccountNotFoundError],
    secured=True,
    tags=["two-factor"],
)
async def start_totp(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    enrolment = await identity_of(request).start_two_factor(principal.account_id)
    read = TotpEnrolmentRead(
        secret=enrolment.secret, otpauth_uri=enrolment.otpauth_uri, qr_code=enrolment.qr_code
    )
    response = json_response(read, status=201)
    response.headers["Cache-Control"] = "no-store"
    return response


@routes.route(
    "POST",
    "/v1/accounts/me/totp/confirm",
    summary="Turn two-factor sign-in on with the first code; answers ten recovery codes",
    description=_ROLE_NOTE,
    body=TotpConfirm,
    responses={200: RecoveryCodesRead},
    raises=[TwoFactorNotStartedError, InvalidSecondFactorError, AccountNotFoundError],
    secured=True,
    tags=["two-factor"],
)
async def confirm_totp(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    body = await read_json(request, TotpConfirm)
    codes = await identity_of(request).confirm_two_factor(principal.account_id, body.code)
    response = json_response(RecoveryCodesRead(recovery_codes=codes))
    response.headers["Cache-Control"] = "no-store"
    return response


@routes.route(
    "DELETE",
    "/v1/accounts/me/totp",
    summary="Turn two-factor sign-in off, proved by a current code or a recovery code",
    description="A reviewer's or admin's tokens lose the staff role from the next refresh.",
    body=SecondFactor,
    responses={204: None},
    raises=[TwoFactorNotStartedError, InvalidSecondFactorError, AccountNotFoundError],
    secured=True,
    tags=["two-factor"],
)
async def delete_totp(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    body = await read_json(request, SecondFactor)
    await identity_of(request).disable_two_factor(
        principal.account_id, code=body.code, recovery_code=body.recovery_code
    )
    return web.Response(status=204)
