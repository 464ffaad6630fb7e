"""Signup, the caller's own account, and the keys tokens are verified with."""

from aiohttp import web

from accounts.api.context import SETTINGS_KEY, SIGNING_KEY, client_of, service_of
from accounts.api.models import AccountCreate, AccountRead, Jwks, MeRead, SessionRead
from accounts.api.sessions import session_response
from accounts.domain import Account, AccountNotFoundError, EmailTakenError
from shared.auth import authenticate
from shared.http import json_response, read_json
from shared.openapi import Routes

routes = Routes()


def me_read(request: web.Request, account: Account) -> MeRead:
    """The account with its next step, as this deployment treats staff without two-factor."""
    required = request.app[SETTINGS_KEY].staff_two_factor_required
    return MeRead(
        account=AccountRead.of(account, two_factor_required=required),
        next_step=account.next_step_with(two_factor_required=required),
    )


@routes.route(
    "POST",
    "/v1/accounts",
    summary="Sign up (accepting the Terms of Service) and log in; sets the refresh cookie",
    description="Also mails a link to verify the email (good for 24 hours); the account is "
    "usable at once and shows `email_verified`.",
    body=AccountCreate,
    responses={201: SessionRead},
    raises=[EmailTakenError],
    tags=["accounts"],
)
async def create_account(request: web.Request) -> web.Response:
    body = await read_json(request, AccountCreate)
    signed_in = await service_of(request).register_account(
        email=str(body.email),
        password=body.password,
        full_name=body.full_name,
        client=client_of(request),
    )
    return session_response(request, signed_in, status=201)


@routes.route(
    "GET",
    "/v1/accounts/me",
    summary="The caller's account",
    responses={200: MeRead},
    raises=[AccountNotFoundError],
    secured=True,
    tags=["accounts"],
)
async def get_me(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    account = await service_of(request).get_account(principal.account_id)
    if account is None:
        raise AccountNotFoundError(principal.account_id)
    return json_response(me_read(request, account))


@routes.route(
    "GET",
    "/.well-known/jwks.json",
    summary="Public keys of access tokens",
    responses={200: Jwks},
    tags=["keys"],
)
async def get_jwks(request: web.Request) -> web.Response:
    response = json_response(request.app[SIGNING_KEY].jwks())
    # Verifiers cache the keys; a rotation publishes the new key before signing with it.
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
