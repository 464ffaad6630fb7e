"""What the identity methods of an account change (each saved by the store in one conditional
write)."""

from dataclasses import dataclass
from datetime import datetime

from accounts.domain.links import Link, LinkPurpose
from accounts.domain.two_factor import TwoFactor


@dataclass(frozen=True)
class LinkRequested:
    account_id: str
    purpose: LinkPurpose
    link: Link
    # When the link it replaces was asked for (None: none pending): saved only if that one is
    # still the pending one, so two requests at once mail one link.
    replaces: datetime | None


@dataclass(frozen=True)
class EmailVerified:
    account_id: str
    token_hash: str  # the link it uses up
    at: datetime


@dataclass(frozen=True)
class PasswordChanged:
    account_id: str
    password_hash: str
    at: datetime
    kept_session_id: str | None
    # The reset link it uses up; None when the signed-in user changed it.
    reset_token_hash: str | None


@dataclass(frozen=True)
class TwoFactorStarted:
    account_id: str
    two_factor: TwoFactor


@dataclass(frozen=True)
class TwoFactorConfirmed:
    account_id: str
    secret: str  # saved only while this is still the pending enrolment
    step: int
    enabled_at: datetime
    recovery_hashes: tuple[str, ...]


@dataclass(frozen=True)
class CodeAccepted:
    account_id: str
    step: int  # saved only if newer than the last accepted: a replay at once loses


@dataclass(frozen=True)
class RecoveryCodeUsed:
    account_id: str
    code_hash: str  # saved only if still unused


@dataclass(frozen=True)
class TwoFactorDisabled:
    account_id: str
