"""Accounts and refresh sessions: their rules and state changes, without I/O.

A state change is a method that checks the transition (raising an error named for what
happened) and returns what changed, plus the event where there is one; the store turns the
change into one conditional write. Time comes in as `now`.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from shared.contracts.accounts import AccountRegisteredV1
from shared.text import normalize_email


class Role(StrEnum):
    MERCHANT = "merchant"
    REVIEWER = "reviewer"
    ADMIN = "admin"


STAFF_ROLES = (Role.REVIEWER, Role.ADMIN)


class NextStep(StrEnum):
    """What the frontend shows after login, learned from the workspace events: the console
    for a member of any workspace (owner, master or developer), else where the account's own
    application stands."""

    APPLY_WORKSPACE = "apply_workspace"
    APPLICATION_UNDER_REVIEW = "application_under_review"
    APPLICATION_REJECTED = "application_rejected"
    WORKSPACE_READY = "workspace_ready"


class EmailTakenError(Exception):
    pass


class InvalidCredentialsError(Exception):
    pass


class TooManyAttemptsError(Exception):
    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"retry after {retry_after_s}s")
        self.retry_after_s = retry_after_s


class OutdatedNextStepError(Exception):
    """The event setting the step is older than the one that set the current step (events
    may arrive out of order after retries): the newer step stands."""


# --- accounts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    version: str
    accepted_at: datetime


@dataclass(frozen=True)
class RolesGranted:
    account_id: str
    roles: tuple[Role, ...]


@dataclass(frozen=True)
class PasswordRehashed:
    account_id: str
    password_hash: str


@dataclass(frozen=True)
class ApplicationStepLearned:
    account_id: str
    step: NextStep
    # When the event that told it happened: an older event never overwrites it.
    at: datetime


@dataclass(frozen=True)
class MembershipLearned:
    account_id: str
    workspace_id: str
    member: bool
    # As above, per workspace: a removal never undone by an older "added" delivered late.
    at: datetime


@dataclass(frozen=True)
class Membership:
    member: bool
    at: datetime


@dataclass(frozen=True)
class Account:
    id: str
    email: str
    full_name: str
    password_hash: str
    roles: tuple[Role, ...]
    terms: Terms
    created_at: datetime
    application_step: NextStep = NextStep.APPLY_WORKSPACE
    application_step_at: datetime | None = None
    # The workspaces it belongs to, each with when that was last learned.
    memberships: Mapping[str, Membership] = field(default_factory=dict)

    @property
    def next_step(self) -> NextStep:
        if any(m.member for m in self.memberships.values()):
            return NextStep.WORKSPACE_READY
        return self.application_step

    @property
    def email_normalized(self) -> str:
        """The key that makes emails unique regardless of case."""
        return normalize_email(self.email)

    @classmethod
    def register(
        cls,
        *,
        account_id: str,
        email: str,
        full_name: str,
        password_hash: str,
        roles: Iterable[Role],
        terms_version: str,
        now: datetime,
    ) -> tuple["Account", AccountRegisteredV1]:
        """A new account that accepted the terms now, and the event announcing it."""
        account = cls(
            id=account_id,
            email=email.strip(),
            full_name=full_name,
            password_hash=password_hash,
            roles=tuple(dict.fromkeys(roles)),
            terms=Terms(version=terms_version, accepted_at=now),
            created_at=now,
        )
        event = AccountRegisteredV1(
            account_id=account.id,
            email=account.email,
            full_name=account.full_name,
            roles=[str(r) for r in account.roles],
            registered_at=now,
        )
        return account, event

    def grant(self, roles: Iterable[Role]) -> RolesGranted:
        """The roles it does not hold yet (none: nothing changes)."""
        return RolesGranted(self.id, tuple(r for r in dict.fromkeys(roles) if r not in self.roles))

    def rehash_password(self, password_hash: str) -> PasswordRehashed:
        """The same password hashed with the current cost (the old hash still verified)."""
        return PasswordRehashed(self.id, password_hash)

    def learn_application_step(
        self, step: NextStep, *, occurred_at: datetime
    ) -> ApplicationStepLearned:
        """The step of its own application an event that occurred at `occurred_at` implies;
        refused when a newer event set the current one."""
        known = self.application_step_at
        if known is not None and occurred_at <= known:
            raise OutdatedNextStepError(f"{step} at {occurred_at} <= {known}")
        return ApplicationStepLearned(self.id, step, occurred_at)

    def learn_membership(
        self, workspace_id: str, *, member: bool, occurred_at: datetime
    ) -> MembershipLearned:
        """Joining (or leaving) a workspace at `occurred_at`; refused when a newer event
        about this account in that workspace was learned already."""
        known = self.memberships.get(workspace_id)
        if known is not None and occurred_at <= known.at:
            raise OutdatedNextStepError(f"{workspace_id} at {occurred_at} <= {known.at}")
        return MembershipLearned(self.id, workspace_id, member, occurred_at)


# --- refresh sessions: one per login, a family of rotating tokens ------------------------


class InvalidRefreshTokenError(Exception):
    """Any refresh token that does not give new tokens; the message says why."""


class RefreshSessionRevokedError(InvalidRefreshTokenError):
    def __init__(self) -> None:
        super().__init__("unknown or revoked refresh token")


class UnknownRefreshTokenError(RefreshSessionRevokedError):
    """Said the same as a revoked one: neither helps whoever holds the token."""


class RefreshTokenExpiredError(InvalidRefreshTokenError):
    def __init__(self) -> None:
        super().__init__("refresh token expired")


class AccountGoneError(InvalidRefreshTokenError):
    def __init__(self) -> None:
        super().__init__("account no longer exists")


class SessionStatus(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"


@dataclass(frozen=True)
class SessionRotated:
    session_id: str
    # Saved only while this is still the current token of an active session.
    old_hash: str
    new_hash: str
    expires_at: datetime


@dataclass(frozen=True)
class SessionRevoked:
    session_id: str
    revoked_at: datetime


class RefreshTokenReusedError(InvalidRefreshTokenError):
    """A rotated token came back: it was stolen or replayed. The whole family is revoked
    (`revocation`), so the thief and the user must both log in again."""

    def __init__(self, revocation: SessionRevoked) -> None:
        super().__init__("refresh token reused; session revoked")
        self.revocation = revocation


@dataclass(frozen=True)
class RefreshSession:
    id: str
    account_id: str
    current_hash: str
    used_hashes: tuple[str, ...]
    status: SessionStatus
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None

    @classmethod
    def start(
        cls, *, session_id: str, account_id: str, token_hash: str, now: datetime, ttl: timedelta
    ) -> "RefreshSession":
        """The session of a login, holding the hash of its first refresh token."""
        return cls(
            id=session_id,
            account_id=account_id,
            current_hash=token_hash,
            used_hashes=(),
            status=SessionStatus.ACTIVE,
            created_at=now,
            expires_at=now + ttl,
        )

    @property
    def is_active(self) -> bool:
        return self.status is SessionStatus.ACTIVE

    def rotate(
        self, *, presented_hash: str, new_hash: str, now: datetime, ttl: timedelta
    ) -> SessionRotated:
        """Swap the presented (current) token for a new one, good for `ttl` from now."""
        if not self.is_active:
            raise RefreshSessionRevokedError
        if presented_hash != self.current_hash:
            raise RefreshTokenReusedError(self.revoke(now=now))
        if self.expires_at <= now:
            raise RefreshTokenExpiredError
        return SessionRotated(self.id, presented_hash, new_hash, now + ttl)

    def revoke(self, *, now: datetime) -> SessionRevoked:
        """End the session: none of its tokens refreshes any more (logout, or reuse)."""
        if not self.is_active:
            raise RefreshSessionRevokedError
        return SessionRevoked(self.id, now)


# --- login throttling ------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginWindow:
    """The fixed window a login attempt falls in: the keys its failures count under (the
    account and the client address) and how long until it ends."""

    account_key: str
    address_key: str
    ends_in_s: int

    @classmethod
    def at(cls, now: datetime, *, email: str, client_ip: str, length_s: int) -> "LoginWindow":
        epoch_s = int(now.timestamp())
        start = epoch_s - epoch_s % length_s
        return cls(
            account_key=f"account:{normalize_email(email)}:{start}",
            address_key=f"ip:{client_ip}:{start}",
            ends_in_s=start + length_s - epoch_s,
        )

    @property
    def keys(self) -> list[str]:
        return [self.account_key, self.address_key]

    def check(
        self, failures: dict[str, int], *, max_per_account: int, max_per_address: int
    ) -> None:
        """Refuse the attempt when either has failed too often in this window."""
        if (
            failures.get(self.account_key, 0) >= max_per_account
            or failures.get(self.address_key, 0) >= max_per_address
        ):
            raise TooManyAttemptsError(self.ends_in_s)
