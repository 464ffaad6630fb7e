"""Use cases of the accounts service: load, let the domain decide, save."""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from accounts.domain import (
    Account,
    AccountGoneError,
    InvalidCredentialsError,
    LoginWindow,
    NextStep,
    OutdatedNextStepError,
    RefreshSession,
    RefreshTokenReusedError,
    Role,
    UnknownRefreshTokenError,
)
from accounts.passwords import PasswordHashing
from accounts.settings import AccountsSettings
from accounts.store import AccountStore
from accounts.tokens import SigningKey, hash_refresh_token, issue_access_token, new_refresh_token
from shared.events import Envelope
from shared.mongo import Clock
from shared.text import normalize_email

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

    @property
    def next_step(self) -> NextStep:
        return self.account.next_step


class AccountsService:
    def __init__(
        self,
        *,
        settings: AccountsSettings,
        store: AccountStore,
        passwords: PasswordHashing,
        key: SigningKey,
        clock: Clock,
    ) -> None:
        self._settings = settings
        self._store = store
        self._passwords = passwords
        self._key = key
        self._clock = clock

    async def register_account(self, *, email: str, password: str, full_name: str) -> SignedIn:
        account = await self._new_account(
            email=email, password=password, full_name=full_name, roles=[Role.MERCHANT]
        )
        return await self._start_session(account, now=self._clock())

    async def _new_account(
        self, *, email: str, password: str, full_name: str, roles: list[Role]
    ) -> Account:
        account, registered = Account.register(
            account_id=str(uuid.uuid4()),
            email=email,
            full_name=full_name,
            password_hash=await self._passwords.hash(password),
            roles=roles,
            terms_version=self._settings.terms_version,
            now=self._clock(),
        )
        await self._store.insert_account(account, registered)
        return account

    async def log_in(self, *, email: str, password: str, client_ip: str) -> SignedIn:
        now = self._clock()
        window = LoginWindow.at(
            now, email=email, client_ip=client_ip, length_s=self._settings.login_window_s
        )
        window.check(
            await self._store.failure_counts(window.keys),
            max_per_account=self._settings.login_max_failures_per_account,
            max_per_address=self._settings.login_max_failures_per_ip,
        )
        account = await self._store.account_by_email(normalize_email(email))
        stored_hash = account.password_hash if account else None
        if not await self._passwords.verify(stored_hash, password) or account is None:
            window_end = now + timedelta(seconds=window.ends_in_s)
            await self._store.record_failure(window.keys, expires_at=window_end)
            raise InvalidCredentialsError
        if self._passwords.needs_rehash(account.password_hash):
            new_hash = await self._passwords.hash(password)
            await self._store.rehash_password(account.rehash_password(new_hash))
        return await self._start_session(account, now=now)

    async def refresh_session(self, refresh_token: str) -> SignedIn:
        now = self._clock()
        token_hash = hash_refresh_token(refresh_token)
        session = await self._store.session_by_token(token_hash)
        if session is None:
            raise UnknownRefreshTokenError
        new_token = new_refresh_token()
        try:
            rotation = session.rotate(
                presented_hash=token_hash,
                new_hash=hash_refresh_token(new_token),
                now=now,
                ttl=self._refresh_ttl,
            )
            account = await self._store.account_by_id(session.account_id)
            if account is None:
                raise AccountGoneError
            if not await self._store.rotate(rotation):
                # Lost a race with another refresh of the same token: that is reuse too.
                raise RefreshTokenReusedError(session.revoke(now=now))
        except RefreshTokenReusedError as reuse:
            log.warning("refresh token reuse; revoking session %s", session.id)
            await self._store.revoke(reuse.revocation)
            raise
        return SignedIn(account, self._tokens(account, refresh_token=new_token, now=now))

    async def log_out(self, refresh_token: str) -> None:
        """Revoke the token's session; an unknown or already revoked one changes nothing."""
        session = await self._store.session_by_token(hash_refresh_token(refresh_token))
        if session is not None and session.is_active:
            await self._store.revoke(session.revoke(now=self._clock()))

    async def get_account(self, account_id: str) -> Account | None:
        return await self._store.account_by_id(account_id)

    async def learn_application_step(
        self, account_id: str, step: NextStep, *, event: Envelope
    ) -> None:
        """Record the step of the account's own application an event implies, unless a newer
        event set one already (events may arrive out of order after retries) or this event
        was applied before."""
        account = await self._store.account_by_id(account_id)
        if account is None:
            return  # an account this service does not have: nothing to tell
        try:
            change = account.learn_application_step(step, occurred_at=event.occurred_at)
        except OutdatedNextStepError:
            return
        await self._store.learn_application_step(change, event=event)

    async def learn_membership(
        self, account_id: str, *, workspace_id: str, member: bool, event: Envelope
    ) -> None:
        """Record that the account joined or left a workspace (same rules as above)."""
        account = await self._store.account_by_id(account_id)
        if account is None:
            return
        try:
            change = account.learn_membership(
                workspace_id, member=member, occurred_at=event.occurred_at
            )
        except OutdatedNextStepError:
            return
        await self._store.learn_membership(change, event=event)

    async def create_staff(
        self, *, email: str, password: str, full_name: str, role: Role
    ) -> tuple[Account, bool]:
        """Create a reviewer/admin account, or grant the role to an existing one.
        Returns the account and whether it was created."""
        existing = await self._store.account_by_email(normalize_email(email))
        if existing is not None:
            await self._store.grant_roles(existing.grant([role]))
            return existing, False
        account = await self._new_account(
            email=email, password=password, full_name=full_name, roles=[role]
        )
        return account, True

    def close(self) -> None:
        self._passwords.close()

    @property
    def _refresh_ttl(self) -> timedelta:
        return timedelta(seconds=self._settings.refresh_token_ttl_s)

    async def _start_session(self, account: Account, *, now: datetime) -> SignedIn:
        refresh_token = new_refresh_token()
        session = RefreshSession.start(
            session_id=str(uuid.uuid4()),
            account_id=account.id,
            token_hash=hash_refresh_token(refresh_token),
            now=now,
            ttl=self._refresh_ttl,
        )
        await self._store.insert_session(session)
        return SignedIn(account, self._tokens(account, refresh_token=refresh_token, now=now))

    def _tokens(self, account: Account, *, refresh_token: str, now: datetime) -> Tokens:
        access_token = issue_access_token(
            self._key,
            account_id=account.id,
            email=account.email,
            roles=[str(r) for r in account.roles],
            issuer=self._settings.jwt_issuer,
            audience=self._settings.jwt_audience,
            ttl=timedelta(seconds=self._settings.access_token_ttl_s),
            now=now,
        )
        return Tokens(
            access_token=access_token,
            refresh_token=refresh_token,
            expires_in=self._settings.access_token_ttl_s,
            refresh_expires_in=self._settings.refresh_token_ttl_s,
        )
