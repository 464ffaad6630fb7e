"""HTTP handlers of the accounts service and their request/response models."""

from datetime import datetime
from typing import Annotated, Literal

from aiohttp import web
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StrictBool,
    field_validator,
)

from accounts import examples
from accounts.domain import (
    Account,
    EmailTakenError,
    InvalidCredentialsError,
    InvalidRefreshTokenError,
    NextStep,
    Role,
    TooManyAttemptsError,
)
from accounts.passwords import MAX_LENGTH, MIN_LENGTH, password_problem
from accounts.service import AccountsService, SignedIn
from accounts.settings import AccountsSettings
from accounts.tokens import SigningKey
from shared.auth import authenticate
from shared.http import (
    ProblemError,
    ProblemFrom,
    ProblemMap,
    field_problem,
    json_response,
    read_json,
)
from shared.openapi import Api
from shared.text import plain_text

# How each domain error answers (handlers let them propagate; the problem middleware maps them).
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
        headers=lambda exc: {"Retry-After": str(exc.retry_after_s)},
    ),
    InvalidRefreshTokenError: ProblemFrom[InvalidRefreshTokenError](
        401,
        "Invalid refresh token",
        detail=str,
        description="Unknown, expired, revoked or reused (which revokes its session), or its "
        "account is gone",
    ),
}

# The refresh token also travels as this cookie, out of reach of scripts (HttpOnly), sent
# only to the session endpoints (Path) and never by another site's page (SameSite=Strict).
REFRESH_COOKIE = "mpp_refresh"
REFRESH_COOKIE_PATH = "/v1/sessions"
_COOKIE_NOTE = (
    f"The refresh token is read from the body's `refresh_token`, or, when the body leaves it "
    f"out (an empty object or no body at all), from the HttpOnly cookie `{REFRESH_COOKIE}` "
    f"that signup, login and refresh set (Path={REFRESH_COOKIE_PATH}, SameSite=Strict). "
    f"With neither: 422 naming `refresh_token`."
)
api = Api(
    title="Mini Program Platform: accounts",
    description="Merchants sign up (accepting the Terms of Service) and log in. Every service "
    "verifies the short-lived EdDSA access tokens against the keys published here; the refresh "
    "token, rotated on every use, also travels as an HttpOnly cookie that a browser's scripts "
    "never see. Failed logins are throttled per account and per client address (429 with "
    "Retry-After).",
    tags={
        "accounts": "Signup and the caller's own account, with the next step to show",
        "sessions": "Login, token refresh and logout",
        "keys": "The public keys (JWKS) that access tokens are verified with",
    },
    problems=PROBLEMS,
)

SERVICE_KEY = web.AppKey("accounts_service", AccountsService)
SIGNING_KEY = web.AppKey("signing_key", SigningKey)
SETTINGS_KEY = web.AppKey("accounts_settings", AccountsSettings)


def _not_empty(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


FullName = Annotated[
    str,
    # Trimmed, then not empty: at least one character was sent.
    Field(max_length=100, json_schema_extra={"minLength": 1}),
    AfterValidator(plain_text),
    AfterValidator(_not_empty),
]


class AccountCreate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ACCOUNT_CREATE]})

    email: EmailStr = Field(max_length=254)
    # The lengths are checked by password_problem (its messages), stated here for clients.
    password: str = Field(
        description="Not one of the 30,000 most common passwords; no composition rules",
        json_schema_extra={"minLength": MIN_LENGTH, "maxLength": MAX_LENGTH},
    )
    full_name: FullName
    accept_terms: StrictBool = Field(
        description="The Terms of Service accepted", json_schema_extra={"const": True}
    )

    @field_validator("password")
    @classmethod
    def _strong_enough(cls, value: str) -> str:
        if problem := password_problem(value):
            raise ValueError(problem)
        return value

    @field_validator("accept_terms")
    @classmethod
    def _accepted(cls, value: bool) -> bool:
        if value is not True:
            raise ValueError("the Terms of Service must be accepted to sign up")
        return value


class Credentials(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.CREDENTIALS]})

    # Any text: an email no account has is just invalid credentials.
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=MAX_LENGTH)


class RefreshRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": examples.REFRESH_REQUESTS})

    refresh_token: str | None = Field(
        default=None,
        min_length=1,
        max_length=256,
        description=f"Leave it out to use the `{REFRESH_COOKIE}` cookie instead",
    )


class AccountRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ACCOUNT]})

    id: str
    email: str = Field(json_schema_extra={"format": "email"})
    full_name: str
    roles: list[Role]
    created_at: datetime
    terms_version: str
    terms_accepted_at: datetime

    @classmethod
    def of(cls, account: Account) -> "AccountRead":
        return cls(
            id=account.id,
            email=account.email,
            full_name=account.full_name,
            roles=list(account.roles),
            created_at=account.created_at,
            terms_version=account.terms.version,
            terms_accepted_at=account.terms.accepted_at,
        )


class TokenPair(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.TOKENS]})

    access_token: str = Field(description="An EdDSA JWT; send it as `Authorization: Bearer`")
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 (a scheme name, not a secret)
    expires_in: int = Field(description="Seconds the access token is good for")


class SessionRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.SESSION]})

    account: AccountRead
    tokens: TokenPair
    next_step: NextStep

    @classmethod
    def of(cls, signed_in: SignedIn) -> "SessionRead":
        tokens = signed_in.tokens
        return cls(
            account=AccountRead.of(signed_in.account),
            tokens=TokenPair(
                access_token=tokens.access_token,
                refresh_token=tokens.refresh_token,
                expires_in=tokens.expires_in,
            ),
            next_step=signed_in.next_step,
        )


class MeRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ME]})

    account: AccountRead
    next_step: NextStep


class Jwks(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.JWKS]})

    keys: list[dict[str, str]]


def _client_ip(request: web.Request) -> str:
    if request.app[SETTINGS_KEY].trust_forwarded_for:
        # The rightmost entry is the one our proxy added; those left of it the client can forge.
        forwarded = request.headers.get("X-Forwarded-For", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.remote or "unknown"


def _session_response(
    request: web.Request, signed_in: SignedIn, *, status: int = 200
) -> web.Response:
    """The tokens, which no cache may keep (RFC 6749 section 5.1), and the refresh cookie."""
    response = json_response(SessionRead.of(signed_in), status=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"  # for HTTP/1.0 caches
    response.set_cookie(
        REFRESH_COOKIE,
        signed_in.tokens.refresh_token,
        max_age=signed_in.tokens.refresh_expires_in,
        path=REFRESH_COOKIE_PATH,
        secure=request.app[SETTINGS_KEY].refresh_cookie_secure,
        httponly=True,
        samesite="Strict",
    )
    return response


async def _refresh_token(request: web.Request) -> str:
    """The body's refresh token, else the refresh cookie's; 422 naming it with neither."""
    body = await read_json(request, RefreshRequest) if request.body_exists else RefreshRequest()
    token = body.refresh_token or request.cookies.get(REFRESH_COOKIE)
    if not token:
        raise field_problem(
            "refresh_token", f"required, in the body or as the {REFRESH_COOKIE} cookie"
        )
    return token


@api.route(
    "POST",
    "/v1/accounts",
    summary="Sign up (accepting the Terms of Service) and log in; sets the refresh cookie",
    body=AccountCreate,
    responses={201: SessionRead},
    raises=[EmailTakenError],
    tags=["accounts"],
)
async def create_account(request: web.Request) -> web.Response:
    body = await read_json(request, AccountCreate)
    signed_in = await request.app[SERVICE_KEY].register_account(
        email=str(body.email), password=body.password, full_name=body.full_name
    )
    return _session_response(request, signed_in, status=201)


@api.route(
    "POST",
    "/v1/sessions",
    summary="Log in; sets the refresh cookie",
    body=Credentials,
    responses={200: SessionRead},
    raises=[InvalidCredentialsError, TooManyAttemptsError],
    tags=["sessions"],
)
async def create_session(request: web.Request) -> web.Response:
    body = await read_json(request, Credentials)
    signed_in = await request.app[SERVICE_KEY].log_in(
        email=body.email, password=body.password, client_ip=_client_ip(request)
    )
    return _session_response(request, signed_in)


@api.route(
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
    service = request.app[SERVICE_KEY]
    signed_in = await service.refresh_session(await _refresh_token(request))
    return _session_response(request, signed_in)


@api.route(
    "DELETE",
    "/v1/sessions/current",
    summary=f"Log out: revoke the refresh token's session (the token in the body, or the "
    f"{REFRESH_COOKIE} cookie) and clear the cookie",
    description=_COOKIE_NOTE,
    body=RefreshRequest,
    body_required=False,  # the refresh cookie stands in for it
    responses={204: None},
    tags=["sessions"],
)
async def delete_current_session(request: web.Request) -> web.Response:
    await request.app[SERVICE_KEY].log_out(await _refresh_token(request))
    response = web.Response(status=204)
    response.del_cookie(
        REFRESH_COOKIE,
        path=REFRESH_COOKIE_PATH,
        secure=request.app[SETTINGS_KEY].refresh_cookie_secure,
        httponly=True,
        samesite="Strict",
    )
    return response


@api.route(
    "GET",
    "/v1/accounts/me",
    summary="The caller's account",
    responses={200: MeRead},
    problems={404: "The account no longer exists"},
    secured=True,
    tags=["accounts"],
)
async def get_me(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    account = await request.app[SERVICE_KEY].get_account(principal.account_id)
    if account is None:
        raise ProblemError(404, "Not found", detail="The account no longer exists")
    return json_response(MeRead(account=AccountRead.of(account), next_step=account.next_step))


@api.route(
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
