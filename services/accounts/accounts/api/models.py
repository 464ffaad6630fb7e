"""The accounts API's request and answer models (the OpenAPI document is generated from them)."""

import re
from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    field_validator,
    model_validator,
)

from accounts import examples
from accounts.domain import Account, NextStep, RefreshSession, Role
from accounts.field_codes import CODE_OR_RECOVERY_CODE, TERMS_NOT_ACCEPTED, TOTP_CODE_FORMAT
from accounts.passwords import MAX_LENGTH, MIN_LENGTH, password_refusal
from accounts.sessions import SignedIn
from shared.field_errors import BLANK, Email
from shared.text import plain_text

REFRESH_COOKIE = "mpp_refresh"


def _not_empty(value: str) -> str:
    if not value:
        raise BLANK.refusal()
    return value


def _strong_enough(value: str) -> str:
    if refusal := password_refusal(value):
        code, params = refusal
        raise code.refusal(**params)
    return value


FullName = Annotated[
    str,
    # Trimmed, then not empty: at least one character was sent.
    Field(max_length=100, json_schema_extra={"minLength": 1}),
    AfterValidator(plain_text),
    AfterValidator(_not_empty),
]
# A password as signup takes it: the lengths are checked by password_refusal (its codes),
# stated here for clients.
NewPassword = Annotated[
    str,
    Field(
        description="Not one of the 30,000 most common passwords; no composition rules",
        json_schema_extra={"minLength": MIN_LENGTH, "maxLength": MAX_LENGTH},
    ),
    AfterValidator(_strong_enough),
]
LinkToken = Annotated[str, Field(min_length=1, max_length=256, description="From the link")]
# Matched in full: `$` would take a final newline. The document states it anchored.
_TOTP_CODE = re.compile(r"\s*[0-9]{3}\s?[0-9]{3}\s*")


def _totp_code(value: str) -> str:
    if not _TOTP_CODE.fullmatch(value):
        raise TOTP_CODE_FORMAT.refusal()
    return value


TotpCode = Annotated[
    str,
    Field(
        description="Six digits from the authenticator app",
        json_schema_extra={"pattern": r"^\s*[0-9]{3}\s?[0-9]{3}\s*$"},
    ),
    AfterValidator(_totp_code),
]
RecoveryCode = Annotated[
    str, Field(min_length=10, max_length=32, description="One of the ten recovery codes")
]


class AccountCreate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ACCOUNT_CREATE]})

    email: Email = Field(max_length=254)
    password: NewPassword
    full_name: FullName
    accept_terms: StrictBool = Field(
        description="The Terms of Service accepted", json_schema_extra={"const": True}
    )

    @field_validator("accept_terms")
    @classmethod
    def _accepted(cls, value: bool) -> bool:
        if value is not True:
            raise TERMS_NOT_ACCEPTED.refusal()
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
    roles: list[Role] = Field(description="Every role held (see roles_awaiting_two_factor)")
    created_at: datetime
    terms_version: str
    terms_accepted_at: datetime
    email_verified: bool = Field(description="The email proved by its verification link")
    two_factor_enabled: bool
    roles_awaiting_two_factor: list[Role] = Field(
        description="Staff roles held but left out of access tokens until two-factor sign-in "
        "is on (POST /v1/accounts/me/totp)"
    )

    @classmethod
    def of(cls, account: Account, *, two_factor_required: bool) -> "AccountRead":
        return cls(
            id=account.id,
            email=account.email,
            full_name=account.full_name,
            roles=list(account.roles),
            created_at=account.created_at,
            terms_version=account.terms.version,
            terms_accepted_at=account.terms.accepted_at,
            email_verified=account.email_verified,
            two_factor_enabled=account.two_factor is not None and account.two_factor.enabled,
            roles_awaiting_two_factor=list(
                account.roles_awaiting_two_factor(required=two_factor_required)
            ),
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
    session_id: str = Field(description="This login, as GET /v1/sessions lists it")

    @classmethod
    def of(cls, signed_in: SignedIn, *, two_factor_required: bool) -> "SessionRead":
        tokens = signed_in.tokens
        return cls(
            account=AccountRead.of(signed_in.account, two_factor_required=two_factor_required),
            tokens=TokenPair(
                access_token=tokens.access_token,
                refresh_token=tokens.refresh_token,
                expires_in=tokens.expires_in,
            ),
            next_step=signed_in.next_step,
            session_id=signed_in.session_id,
        )


class MfaChallengeRead(BaseModel):
    """The password was right and two-factor sign-in is on: no tokens yet."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.MFA_CHALLENGE]})

    mfa_required: Literal[True] = True
    mfa_token: str = Field(description="Send it to POST /v1/sessions/mfa with a code")
    expires_in: int = Field(description="Seconds the MFA token is good for")
    methods: list[Literal["totp", "recovery_code"]] = ["totp", "recovery_code"]


class SecondFactor(BaseModel):
    """Exactly one of a current code and a recovery code."""

    model_config = ConfigDict(json_schema_extra={"examples": examples.SECOND_FACTORS})

    code: TotpCode | None = None
    recovery_code: RecoveryCode | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.code is None) == (self.recovery_code is None):
            raise CODE_OR_RECOVERY_CODE.refusal()
        return self


class MfaVerification(SecondFactor):
    model_config = ConfigDict(json_schema_extra={"examples": examples.MFA_VERIFICATIONS})

    mfa_token: str = Field(min_length=1, max_length=2048)


class MeRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ME]})

    account: AccountRead
    next_step: NextStep


class Jwks(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.JWKS]})

    keys: list[dict[str, str]]


class SessionItem(BaseModel):
    id: str
    created_at: datetime
    last_used_at: datetime | None = Field(description="The last login or token refresh")
    client_address: str
    user_agent: str
    current: bool = Field(description="The session of the token making this request")

    @classmethod
    def of(cls, session: RefreshSession, *, current: str | None) -> "SessionItem":
        return cls(
            id=session.id,
            created_at=session.created_at,
            last_used_at=session.last_used_at,
            client_address=session.client.address,
            user_agent=session.client.user_agent,
            current=session.id == current,
        )


class SessionList(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.SESSIONS]})

    items: list[SessionItem] = Field(description="Active sessions, the most recently used first")


class SessionsEnded(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.SESSIONS_ENDED]})

    ended_sessions: int = Field(description="How many sessions were revoked")


class EmailVerificationCreate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.EMAIL_VERIFICATION]})

    token: LinkToken


class VerificationMailRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.VERIFICATION_MAIL]})

    expires_at: datetime = Field(description="When the new link stops working")


class PasswordResetCreate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.PASSWORD_RESET]})

    # Any text: the answer is the same whether an account has it.
    email: str = Field(min_length=1, max_length=254)


class PasswordResetAccepted(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.PASSWORD_RESET_ACCEPTED]})

    detail: str = Field(description="The same whether or not the email has an account")


class PasswordResetConfirm(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.PASSWORD_RESET_CONFIRM]})

    token: LinkToken
    password: NewPassword


class PasswordChange(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.PASSWORD_CHANGE]})

    current_password: str = Field(min_length=1, max_length=MAX_LENGTH)
    new_password: NewPassword


class TotpEnrolmentRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.TOTP_ENROLMENT]})

    secret: str = Field(description="Base32, for typing into an authenticator app")
    otpauth_uri: str = Field(description="otpauth://totp/... (RFC 6238, 6 digits, 30 s)")
    qr_code: str = Field(description="The URI as a QR code: an SVG data URI for an <img>")


class TotpConfirm(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.TOTP_CONFIRM]})

    code: TotpCode


class RecoveryCodesRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.RECOVERY_CODES]})

    recovery_codes: list[str] = Field(
        description="Ten single-use codes, shown this once (stored hashed): each signs in "
        "instead of a code"
    )
