"""Accounts: their rules and state changes, without I/O.

A state change is a method that checks the transition (raising an error named for what
happened) and returns what changed, plus the event where there is one; the store turns the
change into one conditional write. Time comes in as `now`.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from accounts.domain.changes import (
    CodeAccepted,
    EmailVerified,
    LinkRequested,
    PasswordChanged,
    RecoveryCodeUsed,
    TwoFactorConfirmed,
    TwoFactorDisabled,
    TwoFactorStarted,
)
from accounts.domain.links import (
    EmailAlreadyVerifiedError,
    InvalidLinkError,
    Link,
    LinkPurpose,
    TooSoonError,
)
from accounts.domain.two_factor import (
    InvalidSecondFactorError,
    TwoFactor,
    TwoFactorAlreadyEnabledError,
    TwoFactorNotStartedError,
)
from shared.contracts.accounts import (
    AccountRegisteredV1,
    EmailVerificationRequestedV1,
    EmailVerifiedV1,
    PasswordChangedV1,
    PasswordResetRequestedV1,
)
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
    # A reviewer or admin without two-factor sign-in: their tokens lack the staff role until
    # they enrol (POST /v1/accounts/me/totp).
    ENROL_TWO_FACTOR = "enrol_two_factor"


class EmailTakenError(Exception):
    pass


class InvalidCredentialsError(Exception):
    pass


class WrongPasswordError(Exception):
    """The current password given to change it is not the account's."""


class AccountNotFoundError(Exception):
    """The signed-in account no longer exists."""


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
    email_verified_at: datetime | None = None
    # The pending link of each purpose, if any (only the newest works).
    email_verification: Link | None = None
    password_reset: Link | None = None
    two_factor: TwoFactor | None = None
    # A reset or change of password at this time ended every session started before it but
    # the one kept (the user's own, on a change).
    password_changed_at: datetime | None = None
    password_kept_session: str | None = None

    @property
    def next_step(self) -> NextStep:
        """Where its workspaces and its application stand (see next_step_with)."""
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

    # --- roles and sessions ------------------------------------------------------------------

    def roles_awaiting_two_factor(self, *, required: bool = True) -> tuple[Role, ...]:
        """Staff roles held but left out of its tokens until two-factor sign-in is on (when
        staff must have it: `required`, always but on a developer's machine)."""
        if not required or (self.two_factor is not None and self.two_factor.enabled):
            return ()
        return tuple(r for r in self.roles if r in STAFF_ROLES)

    def token_roles(self, *, two_factor_required: bool = True) -> tuple[Role, ...]:
        """The roles its access tokens carry."""
        awaiting = self.roles_awaiting_two_factor(required=two_factor_required)
        return tuple(r for r in self.roles if r not in awaiting)

    def next_step_with(self, *, two_factor_required: bool = True) -> NextStep:
        """What the frontend shows next: enrolling a second factor, for staff who must, else
        the next step of its workspaces and application."""
        if self.roles_awaiting_two_factor(required=two_factor_required):
            return NextStep.ENROL_TWO_FACTOR
        return self.next_step

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def session_survives(self, session_id: str, *, created_at: datetime) -> bool:
        """Whether a session outlived the last password reset or change (the one kept, or
        one started after it)."""
        changed = self.password_changed_at
        return changed is None or created_at > changed or session_id == self.password_kept_session

    # --- links: email verification, password reset --------------------------------------

    def request_link(
        self,
        purpose: LinkPurpose,
        *,
        token_hash: str,
        sealed_token: str,
        now: datetime,
        ttl: timedelta,
        cooldown: timedelta = timedelta(0),
    ) -> tuple[LinkRequested, EmailVerificationRequestedV1 | PasswordResetRequestedV1]:
        """A new link replacing the pending one (which stops working), and the event that
        mails it; TooSoonError within `cooldown` of the pending one's request."""
        pending = self._link(purpose)
        if purpose is LinkPurpose.EMAIL_VERIFICATION and self.email_verified:
            raise EmailAlreadyVerifiedError
        if pending is not None and pending.requested_at + cooldown > now:
            wait = pending.requested_at + cooldown - now
            raise TooSoonError(max(1, int(wait.total_seconds()) + 1))
        link = Link(token_hash=token_hash, requested_at=now, expires_at=now + ttl)
        event_type = (
            EmailVerificationRequestedV1
            if purpose is LinkPurpose.EMAIL_VERIFICATION
            else PasswordResetRequestedV1
        )
        event = event_type(
            account_id=self.id,
            email=self.email,
            full_name=self.full_name,
            sealed_token=sealed_token,
            expires_at=link.expires_at,
            requested_at=now,
        )
        requested = LinkRequested(
            self.id, purpose, link, None if pending is None else pending.requested_at
        )
        return requested, event

    def with_link(self, requested: LinkRequested) -> "Account":
        """The account with the link pending (a new account mails its first link)."""
        if requested.purpose is LinkPurpose.EMAIL_VERIFICATION:
            return replace(self, email_verification=requested.link)
        return replace(self, password_reset=requested.link)

    def verify_email(
        self, *, token_hash: str, now: datetime
    ) -> tuple[EmailVerified, EmailVerifiedV1]:
        self._pending_link(LinkPurpose.EMAIL_VERIFICATION, token_hash).check_fresh(now=now)
        event = EmailVerifiedV1(account_id=self.id, email=self.email, verified_at=now)
        return EmailVerified(self.id, token_hash, now), event

    def reset_password(
        self, *, token_hash: str, password_hash: str, now: datetime
    ) -> tuple[PasswordChanged, PasswordChangedV1]:
        """A new password by the reset link: every session ends."""
        self._pending_link(LinkPurpose.PASSWORD_RESET, token_hash).check_fresh(now=now)
        change = PasswordChanged(self.id, password_hash, now, None, token_hash)
        return change, self._password_changed_event("reset", now=now)

    def change_password(
        self, *, password_hash: str, kept_session_id: str | None, now: datetime
    ) -> tuple[PasswordChanged, PasswordChangedV1]:
        """A new password set by the signed-in user: every other session ends."""
        change = PasswordChanged(self.id, password_hash, now, kept_session_id, None)
        return change, self._password_changed_event("change", now=now)

    def _password_changed_event(self, how: str, *, now: datetime) -> PasswordChangedV1:
        return PasswordChangedV1.model_validate(
            {
                "account_id": self.id,
                "email": self.email,
                "full_name": self.full_name,
                "how": how,
                "changed_at": now,
            }
        )

    def _link(self, purpose: LinkPurpose) -> Link | None:
        link: Link | None = getattr(self, str(purpose))
        return link

    def _pending_link(self, purpose: LinkPurpose, token_hash: str) -> Link:
        link = self._link(purpose)
        if link is None or link.token_hash != token_hash:
            raise InvalidLinkError
        return link

    # --- two-factor sign-in --------------------------------------------------------------

    def start_two_factor(self, secret: str) -> TwoFactorStarted:
        """An enrolment waiting for its first code (replacing one that waited)."""
        if self.two_factor is not None and self.two_factor.enabled:
            raise TwoFactorAlreadyEnabledError
        return TwoFactorStarted(self.id, TwoFactor(secret=secret))

    def provision_two_factor(
        self, secret: str, *, now: datetime
    ) -> tuple[TwoFactorStarted, TwoFactorConfirmed]:
        """Two-factor sign-in on with a secret an operator hands over (create-staff), with no
        code used yet and no recovery codes; replaces one that was on."""
        started = TwoFactorStarted(self.id, TwoFactor(secret=secret))
        return started, TwoFactorConfirmed(self.id, secret, -1, now, ())

    def confirm_two_factor(
        self, code: str, *, recovery_hashes: tuple[str, ...], now: datetime
    ) -> TwoFactorConfirmed:
        """The first code proves the authenticator has the secret: two-factor sign-in on."""
        pending = self.two_factor
        if pending is None or pending.enabled:
            raise TwoFactorNotStartedError
        step = pending.step_of(code, now=now)
        if pending.secret is None:  # step_of refused it already; for the type
            raise InvalidSecondFactorError("the stored secret does not open")
        return TwoFactorConfirmed(self.id, pending.secret, step, now, recovery_hashes)

    def accept_code(self, code: str, *, now: datetime) -> CodeAccepted:
        return CodeAccepted(self.id, self._enabled_two_factor().step_of(code, now=now))

    def use_recovery_code(self, code_hash: str) -> RecoveryCodeUsed:
        if code_hash not in self._enabled_two_factor().recovery_hashes:
            raise InvalidSecondFactorError("unknown or used recovery code")
        return RecoveryCodeUsed(self.id, code_hash)

    def disable_two_factor(self) -> TwoFactorDisabled:
        self._enabled_two_factor()
        return TwoFactorDisabled(self.id)

    def _enabled_two_factor(self) -> TwoFactor:
        if self.two_factor is None or not self.two_factor.enabled:
            raise TwoFactorNotStartedError
        return self.two_factor
