"""Events the accounts service publishes."""

from datetime import datetime
from typing import Literal

from shared.events import EventPayload


class AccountRegisteredV1(EventPayload):
    TYPE = "account.registered.v1"

    account_id: str
    email: str
    full_name: str
    roles: list[str]
    registered_at: datetime


class EmailVerificationRequestedV1(EventPayload):
    """Mail the account a link proving the email is theirs. The link's token travels sealed
    (shared.sealing): only the notifier opens it, to put it in the mail; the outbox, the
    broker and the delivery log never hold it in clear."""

    TYPE = "account.email_verification.requested.v1"

    account_id: str
    email: str
    full_name: str
    sealed_token: str
    expires_at: datetime
    requested_at: datetime


class EmailVerifiedV1(EventPayload):
    TYPE = "account.email_verified.v1"

    account_id: str
    email: str
    verified_at: datetime


class PasswordResetRequestedV1(EventPayload):
    """Mail the account a link to set a new password (the token sealed, as above). Only
    for an email that has an account; the API answers the same either way."""

    TYPE = "account.password_reset.requested.v1"

    account_id: str
    email: str
    full_name: str
    sealed_token: str
    expires_at: datetime
    requested_at: datetime


class PasswordChangedV1(EventPayload):
    """Tell the account its password changed: by a reset link (`reset`) or by the signed-in
    user (`change`), so a change they did not make does not go unnoticed."""

    TYPE = "account.password_changed.v1"

    account_id: str
    email: str
    full_name: str
    how: Literal["reset", "change"]
    changed_at: datetime


class SessionRevokedV1(EventPayload):
    """A login ended (logout, revoked by the user, a password reset or change, a reused
    refresh token): every service refuses its access tokens from now on."""

    TYPE = "account.session.revoked.v1"

    account_id: str
    session_id: str
    revoked_at: datetime
    reason: str
