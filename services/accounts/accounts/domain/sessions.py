"""Refresh sessions: one per login, a family of rotating refresh tokens, which the user can
list and end."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from shared.contracts.accounts import SessionRevokedV1


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


class SessionNotFoundError(Exception):
    """No active session of the caller's has this id (another account's included)."""


class SessionStatus(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"


class RevocationReason(StrEnum):
    LOGOUT = "logout"
    REVOKED_BY_USER = "revoked_by_user"
    REFRESH_TOKEN_REUSED = "refresh_token_reused"  # noqa: S105 (a name, not a secret)
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a name, not a secret)
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 (a name, not a secret)


@dataclass(frozen=True)
class Client:
    """Where a login came from, as the session list shows it."""

    address: str
    user_agent: str


@dataclass(frozen=True)
class SessionRotated:
    session_id: str
    # Saved only while this is still the current token of an active session.
    old_hash: str
    new_hash: str
    expires_at: datetime
    used_at: datetime


@dataclass(frozen=True)
class SessionRevoked:
    session_id: str
    account_id: str
    revoked_at: datetime
    reason: RevocationReason

    @property
    def event(self) -> SessionRevokedV1:
        """Tells every service to refuse the session's access tokens."""
        return SessionRevokedV1(
            account_id=self.account_id,
            session_id=self.session_id,
            revoked_at=self.revoked_at,
            reason=str(self.reason),
        )


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
    client: Client = Client(address="unknown", user_agent="")
    # The last login or refresh: access tokens are verified offline, so their use is not seen.
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    @classmethod
    def start(
        cls,
        *,
        session_id: str,
        account_id: str,
        token_hash: str,
        client: Client,
        now: datetime,
        ttl: timedelta,
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
            client=client,
            last_used_at=now,
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
            raise RefreshTokenReusedError(
                self.revoke(now=now, reason=RevocationReason.REFRESH_TOKEN_REUSED)
            )
        if self.expires_at <= now:
            raise RefreshTokenExpiredError
        return SessionRotated(self.id, presented_hash, new_hash, now + ttl, now)

    def revoke(self, *, now: datetime, reason: RevocationReason) -> SessionRevoked:
        """End the session: none of its tokens refreshes any more, and every service refuses
        its access tokens once the event reaches it."""
        if not self.is_active:
            raise RefreshSessionRevokedError
        return SessionRevoked(self.id, self.account_id, now, reason)
