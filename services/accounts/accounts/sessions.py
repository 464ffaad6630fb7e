"""Starting, refreshing and ending sessions, and the tokens they give: what signup, login,
the second factor, a password reset and the session list share."""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from accounts.domain import (
    Account,
    AccountGoneError,
    Client,
    NextStep,
    RefreshSession,
    RefreshSessionRevokedError,
    RefreshTokenReusedError,
    RevocationReason,
    SessionNotFoundError,
    UnknownRefreshTokenError,
)
from accounts.settings import AccountsSettings
from accounts.store import AccountStore, SessionStore
from accounts.tokens import SigningKey, hash_token, issue_access_token, new_refresh_token
from shared.mongo import Clock

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int
    # How long the refresh token stays good (its cookie lasts as long).
    refresh_expires_in: int


@dataclass(frozen=True)
class SignedIn:
    account: Account
    tokens: Tokens
    session_id: str
    next_step: NextStep


class Sessions:
    def __init__(
        self,
        *,
        settings: AccountsSettings,
        accounts: AccountStore,
        sessions: SessionStore,
        key: SigningKey,
        clock: Clock,
    ) -> None:
        self._settings = settings
        self._accounts = accounts
        self._sessions = sessions
        self._key = key
        self._clock = clock

    @property
    def _refresh_ttl(self) -> timedelta:
        return timedelta(seconds=self._settings.refresh_token_ttl_s)

    async def start(self, account: Account, *, client: Client, now: datetime) -> SignedIn:
        refresh_token = new_refresh_token()
        session = RefreshSession.start(
            session_id=str(uuid.uuid4()),
            account_id=account.id,
            token_hash=hash_token(refresh_token),
            client=client,
            now=now,
            ttl=self._refresh_ttl,
        )
        await self._sessions.insert_session(session)
        tokens = self._tokens(account, refresh_token=refresh_token, session_id=session.id, now=now)
        return self._signed_in(account, tokens=tokens, session_id=session.id)

    async def refresh(self, refresh_token: str) -> SignedIn:
        now = self._clock()
        token_hash = hash_token(refresh_token)
        session = await self._sessions.session_by_token(token_hash)
        if session is None:
            raise UnknownRefreshTokenError
        new_token = new_refresh_token()
        try:
            rotation = session.rotate(
                presented_hash=token_hash,
                new_hash=hash_token(new_token),
                now=now,
                ttl=self._refresh_ttl,
            )
            account = await self._account_of(session, now=now)
            if not await self._sessions.rotate(rotation):
                # Lost a race with another refresh of the same token: that is reuse too.
                raise RefreshTokenReusedError(
                    session.revoke(now=now, reason=RevocationReason.REFRESH_TOKEN_REUSED)
                )
        except RefreshTokenReusedError as reuse:
            log.warning("refresh token reuse; revoking session %s", session.id)
            await self._sessions.revoke(reuse.revocation)
            raise
        tokens = self._tokens(account, refresh_token=new_token, session_id=session.id, now=now)
        return self._signed_in(account, tokens=tokens, session_id=session.id)

    def _signed_in(self, account: Account, *, tokens: Tokens, session_id: str) -> SignedIn:
        return SignedIn(account, tokens, session_id, self.next_step_of(account))

    def next_step_of(self, account: Account) -> NextStep:
        return account.next_step_with(two_factor_required=self._settings.staff_two_factor_required)

    async def _account_of(self, session: RefreshSession, *, now: datetime) -> Account:
        account = await self._accounts.account_by_id(session.account_id)
        if account is None:
            raise AccountGoneError
        if not account.session_survives(session.id, created_at=session.created_at):
            # A password reset or change ended it (and the eager revocation did not happen).
            reason = RevocationReason.PASSWORD_CHANGED
            await self._sessions.revoke(session.revoke(now=now, reason=reason))
            raise RefreshSessionRevokedError
        return account

    async def end_by_token(self, refresh_token: str, *, reason: RevocationReason) -> None:
        """Revoke the token's session; an unknown or already revoked one changes nothing."""
        session = await self._sessions.session_by_token(hash_token(refresh_token))
        if session is not None and session.is_active:
            await self._sessions.revoke(session.revoke(now=self._clock(), reason=reason))

    async def active(self, account_id: str) -> list[RefreshSession]:
        return await self._sessions.active_sessions(account_id, now=self._clock())

    async def end(self, account_id: str, session_id: str) -> None:
        """End one of the account's sessions; SessionNotFoundError if it has no such active
        one (another account's session looks the same)."""
        session = await self._sessions.session_by_id(session_id)
        if session is None or session.account_id != account_id or not session.is_active:
            raise SessionNotFoundError(session_id)
        revocation = session.revoke(now=self._clock(), reason=RevocationReason.REVOKED_BY_USER)
        await self._sessions.revoke(revocation)

    async def end_all(
        self, account_id: str, *, reason: RevocationReason, keep: str | None = None
    ) -> int:
        """End every active session of the account but `keep`; how many were ended."""
        now = self._clock()
        ended = 0
        for session in await self._sessions.active_sessions(account_id, now=now):
            if session.id != keep:
                ended += await self._sessions.revoke(session.revoke(now=now, reason=reason))
        return ended

    def _tokens(
        self, account: Account, *, refresh_token: str, session_id: str, now: datetime
    ) -> Tokens:
        access_token = issue_access_token(
            self._key,
            account_id=account.id,
            email=account.email,
            # A reviewer or admin without two-factor sign-in gets no staff role in tokens.
            roles=[
                str(r)
                for r in account.token_roles(
                    two_factor_required=self._settings.staff_two_factor_required
                )
            ],
            issuer=self._settings.jwt_issuer,
            audience=self._settings.jwt_audience,
            ttl=timedelta(seconds=self._settings.access_token_ttl_s),
            session_id=session_id,
            now=now,
        )
        return Tokens(
            access_token=access_token,
            refresh_token=refresh_token,
            expires_in=self._settings.access_token_ttl_s,
            refresh_expires_in=self._settings.refresh_token_ttl_s,
        )
