"""Signing in and out: login (with its second step when two-factor sign-in is on), refresh,
logout, and the sessions the user sees and ends."""

from aiohttp import web

from accounts.api.context import SETTINGS_KEY, client_of, service_of
from accounts.api.models import (
    REFRESH_COOKIE,
    Credentials,
    MfaChallengeRead,
    MfaVerification,
    RefreshRequest,
    SessionItem,
    SessionList,
    SessionRead,
    SessionsEnded,
)
from accounts.domain import (
    InvalidCredentialsError,
    InvalidRefreshTokenError,
    InvalidSecondFactorError,
    RevocationReason,
    SessionNotFoundError,
    TooManyAttemptsError,
)
from accounts.field_codes import REFRESH_TOKEN_REQUIRED
from accounts.service import MfaChallenge
from accounts.sessions import SignedIn
from accounts.tokens import InvalidMfaTokenError
from shared.auth import authenticate
from shared.http import field_problem, json_response, read_json
from shared.openapi import Routes

routes = Routes()

# The refresh token also travels as this cookie, out of reach of scripts (HttpOnly), sent
# only to the session endpoints (Path) and never by another site's page (SameSite=Strict).
REFRESH_COOKIE_PATH = "/v1/sessions"
_COOKIE_NOTE = (
    f"The refresh token is read from the body's `refresh_token`, or, when the body leaves it "
    f"out (an empty object or no body at all), from the HttpOnly cookie `{REFRESH_COOKIE}` "
    f"that signup, login and refresh set (Path={REFRESH_COOKIE_PATH}, SameSite=Strict). "
    f"With neither: 422 naming `refresh_token`."
)
_LOGIN_NOTE = (
    "Without two-factor sign-in: 200 with the tokens. With it: 202 with an `mfa_token` (good "
    "for a few minutes) and no tokens; then POST /v1/sessions/mfa with that token and a code "
    "from the authenticator app (or a recovery code) gives the tokens. Wrong codes count as "
    "failed logins of the account."
)


def session_response(
    request: web.Request, signed_in: SignedIn, *, status: int = 200
) -> web.Response:
    """The tokens, which no cache may keep (RFC 6749 section 5.1), and the refresh cookie."""
    settings = request.app[SETTINGS_KEY]
    read = SessionRead.of(signed_in, two_factor_required=settings.staff_two_factor_required)
    response = _no_store(json_response(read, status=status))
    response.set_cookie(
        REFRESH_COOKIE,
        signed_in.tokens.refresh_token,
        max_age=signed_in.tokens.refresh_expires_in,
        path=REFRESH_COOKIE_PATH,
        secure=settings.refresh_cookie_secure,
        httponly=True,
        samesite="Strict",
    )
    return response


def _no_store(response: web.Response) -> web.Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"  # for HTTP/1.0 caches
    return response


async def _refresh_token(request: web.Request) -> str:
    """The body's refresh token, else the refresh cookie's; 422 naming it with neither."""
    body = await read_json(request, RefreshRequest) if request.body_exists else RefreshRequest()
    token = body.refresh_token or request.cookies.get(REFRESH_COOKIE)
    if not token:
        raise field_problem("refresh_token", REFRESH_TOKEN_REQUIRED, cookie=REFRESH_COOKIE)
    return token


@routes.route(
    "POST",
    "/v1/sessions",
    summary="Log in; sets the refresh cookie (or asks for the second factor)",
    description=_LOGIN_NOTE,
    body=Credentials,
    responses={200: SessionRead, 202: MfaChallengeRead},
    raises=[InvalidCredentialsError, TooManyAttemptsError],
    tags=["sessions"],
)
async def create_session(request: web.Request) -> web.Response:
    body = await read_json(request, Credentials)
    result = await service_of(request).log_in(
        email=body.email, password=body.password, client=client_of(request)
    )
    if isinstance(result, MfaChallenge):
        challenge = MfaChallengeRead(mfa_token=result.mfa_token, expires_in=result.expires_in)
        return _no_store(json_response(challenge, status=202))
    return session_response(request, result)


@routes.route(
    "POST",
    "/v1/sessions/mfa",
    summary="Complete a login with a code (or a recovery code); sets the refresh cookie",
    description=_LOGIN_NOTE,
    body=MfaVerification,
    responses={200: SessionRead},
    raises=[InvalidMfaTokenError, InvalidSecondFactorError, TooManyAttemptsError],
    tags=["sessions"],
)
async def verify_session_mfa(request: web.Request) -> web.Response:
    body = await read_json(request, MfaVerification)
    signed_in = await service_of(request).complete_mfa(
        mfa_token=body.mfa_token,
        code=body.code,
        recovery_code=body.recovery_code,
        client=client_of(request),
    )
    return session_response(request, signed_in)


@routes.route(
    "POST",
    "/v1/sessions/refresh",
    summary=f"Swap a refresh token (in the body, or the {REFRESH_COOKIE} cookie) for new tokens",
    description=_COOKIE_NOTE,
    body=RefreshRequest,
    body_required=False,  # the refresh cookie stands in for it
    responses={200: SessionRead},
    raises=[InvalidRefreshTokenError],
    tags=["sessions"],
)
async def refresh_session(request: web.Request) -> web.Response:
    signed_in = await service_of(request).refresh_session(await _refresh_token(request))
    return session_response(request, signed_in)


@routes.route(
    "DELETE",
    "/v1/sessions/current",
    summary=f"Log out: revoke the refresh token's session (the token in the body, or the "
    f"{REFRESH_COOKIE} cookie) and clear the cookie",
    description=_COOKIE_NOTE + " Its access tokens are refused by every service within seconds.",
    body=RefreshRequest,
    body_required=False,  # the refresh cookie stands in for it
    responses={204: None},
    tags=["sessions"],
)
async def delete_current_session(request: web.Request) -> web.Response:
    await service_of(request).log_out(await _refresh_token(request))
    response = web.Response(status=204)
    response.del_cookie(
        REFRESH_COOKIE,
        path=REFRESH_COOKIE_PATH,
        secure=request.app[SETTINGS_KEY].refresh_cookie_secure,
        httponly=True,
        samesite="Strict",
    )
    return response


@routes.route(
    "GET",
    "/v1/sessions",
    summary="The caller's active sessions (logins), the most recently used first",
    responses={200: SessionList},
    secured=True,
    tags=["sessions"],
)
async def list_sessions(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    sessions = await service_of(request).sessions.active(principal.account_id)
    items = [SessionItem.of(s, current=principal.session_id) for s in sessions]
    return json_response(SessionList(items=items))


@routes.route(
    "DELETE",
    "/v1/sessions/{session_id}",
    summary="End one of the caller's sessions: its refresh token stops working and every "
    "service refuses its access tokens within seconds",
    responses={204: None},
    raises=[SessionNotFoundError],
    secured=True,
    tags=["sessions"],
)
async def delete_session(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    await service_of(request).sessions.end(principal.account_id, request.match_info["session_id"])
    return web.Response(status=204)


@routes.route(
    "DELETE",
    "/v1/sessions",
    summary="End every session of the caller but the current one (log out elsewhere)",
    responses={200: SessionsEnded},
    secured=True,
    tags=["sessions"],
)
async def delete_other_sessions(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    ended = await service_of(request).sessions.end_all(
        principal.account_id, reason=RevocationReason.REVOKED_BY_USER, keep=principal.session_id
    )
    return json_response(SessionsEnded(ended_sessions=ended))
