"""Use cases of the accounts service."""

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pymongo.errors import DuplicateKeyError

from accounts.domain import (
    EmailTakenError,
    InvalidCredentialsError,
    InvalidRefreshTokenError,
    NextStep,
    Role,
    TooManyAttemptsError,
    normalize_email,
)
from accounts.passwords import PasswordHashing
from accounts.settings import AccountsSettings
from accounts.store import ACCOUNTS, AccountStore
from accounts.tokens import SigningKey, hash_refresh_token, issue_access_token, new_refresh_token
from shared.contracts.accounts import AccountRegisteredV1
from shared.events import Envelope, new_event
from shared.logging import correlation_id_var
from shared.mongo import Database, utc_now
from shared.outbox import EventsSaved

log = logging.getLogger(__name__)

type Account = dict[str, Any]


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int


@dataclass(frozen=True)
class SignedIn:
    account: Account
    tokens: Tokens
    next_step: NextStep


class AccountsService:
    def __init__(
        self,
        *,
        settings: AccountsSettings,
        db: Database,
        notify_outbox: EventsSaved,
        key: SigningKey,
        passwords: PasswordHashing,
    ) -> None:
        self._settings = settings
        self._store = AccountStore(db)
        # Called after a commit that saved events, so the relay publishes them at once.
        self._notify_outbox = notify_outbox
        self._key = key
        self._passwords = passwords

    async def register_account(
        self, *, email: str, password: str, full_name: str, roles: list[Role] | None = None
    ) -> SignedIn:
        account = await self._new_account(
            email=email, password=password, full_name=full_name, roles=roles or [Role.MERCHANT]
        )
        return self._signed_in(account, await self._start_session(account))

    async def _new_account(
        self, *, email: str, password: str, full_name: str, roles: list[Role]
    ) -> Account:
        now = utc_now()
        account: Account = {
            "_id": str(uuid.uuid4()),
            "email": email.strip(),
            "email_normalized": normalize_email(email),
            "full_name": full_name,
            "password_hash": await self._passwords.hash(password),
            "roles": [str(r) for r in roles],
            "terms": {"version": self._settings.terms_version, "accepted_at": now},
            "created_at": now,
        }
        event = new_event(
            AccountRegisteredV1(
                account_id=account["_id"],
                email=account["email"],
                full_name=full_name,
                roles=account["roles"],
                registered_at=now,
            ),
            producer=self._settings.service_name,
            correlation_id=correlation_id_var.get(),
        )

        try:
            await self._store.insert_account(account, event)
        except DuplicateKeyError as exc:
            raise EmailTakenError(account["email"]) from exc
        self._notify_outbox(ACCOUNTS, account["_id"])
        return account

    async def log_in(self, *, email: str, password: str, client_ip: str) -> SignedIn:
        email_key = normalize_email(email)
        keys, retry_after = self._throttle_keys(email_key, client_ip)
        counts = await self._store.failure_counts(keys)
        if (
            counts.get(keys[0], 0) >= self._settings.login_max_failures_per_account
            or counts.get(keys[1], 0) >= self._settings.login_max_failures_per_ip
        ):
            raise TooManyAttemptsError(retry_after)
        account = await self._store.account_by_email(email_key)
        stored_hash = account["password_hash"] if account else None
        if not await self._passwords.verify(stored_hash, password) or account is None:
            window_end = utc_now() + timedelta(seconds=retry_after)
            await self._store.record_failure(keys, expires_at=window_end)
            raise InvalidCredentialsError
        if self._passwords.needs_rehash(account["password_hash"]):
            await self._store.set_password_hash(
                account["_id"], await self._passwords.hash(password)
            )
        return self._signed_in(account, await self._start_session(account))

    def _throttle_keys(self, email_key: str, client_ip: str) -> tuple[list[str], int]:
        """Keys of the current fixed window for the account and the address, and its end."""
        window = self._settings.login_window_s
        now = int(time.time())
        start = now - now % window
        return [f"account:{email_key}:{start}", f"ip:{client_ip}:{start}"], start + window - now

    async def refresh_session(self, refresh_token: str) -> SignedIn:
        token_hash = hash_refresh_token(refresh_token)
        stored = await self._store.session_by_token(token_hash)
        if stored is None or stored["status"] != "active":
            raise InvalidRefreshTokenError("unknown or revoked refresh token")
        if stored["current_hash"] != token_hash:
            # A rotated token came back: it was stolen or replayed. End the whole session.
            log.warning("refresh token reuse; revoking session %s", stored["_id"])
            await self._store.revoke_session(stored["_id"])
            raise InvalidRefreshTokenError("refresh token reused; session revoked")
        if stored["expires_at"] <= utc_now():
            raise InvalidRefreshTokenError("refresh token expired")
        account = await self._store.account_by_id(stored["account_id"])
        if account is None:
            raise InvalidRefreshTokenError("account no longer exists")
        new_token = new_refresh_token()
        rotated = await self._store.rotate(
            stored["_id"],
            old_hash=token_hash,
            new_hash=hash_refresh_token(new_token),
            ttl=self._refresh_ttl,
        )
        if not rotated:
            # Lost a race with another refresh of the same token: that is reuse too.
            await self._store.revoke_session(stored["_id"])
            raise InvalidRefreshTokenError("refresh token reused; session revoked")
        tokens = Tokens(self._access_token(account), new_token, self._settings.access_token_ttl_s)
        return self._signed_in(account, tokens)

    async def log_out(self, refresh_token: str) -> None:
        stored = await self._store.session_by_token(hash_refresh_token(refresh_token))
        if stored is not None:
            await self._store.revoke_session(stored["_id"])

    async def get_account(self, account_id: str) -> Account | None:
        return await self._store.account_by_id(account_id)

    async def set_next_step(self, account_id: str, step: NextStep, *, event: Envelope) -> None:
        """Record the step an event implies, unless a newer event set one already (events
        may arrive out of order after retries) or this event was applied before."""
        await self._store.set_next_step(account_id, step, event=event)

    @staticmethod
    def next_step(account: Account) -> NextStep:
        return NextStep(account.get("next_step", NextStep.APPLY_WORKSPACE))

    def _signed_in(self, account: Account, tokens: Tokens) -> SignedIn:
        return SignedIn(account, tokens, self.next_step(account))

    async def create_staff(
        self, *, email: str, password: str, full_name: str, role: Role
    ) -> tuple[Account, bool]:
        """Create a reviewer/admin account, or grant the role to an existing one.
        Returns the account and whether it was created."""
        existing = await self._store.account_by_email(normalize_email(email))
        if existing is not None:
            await self._store.add_roles(existing["_id"], [str(role)])
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

    def _access_token(self, account: Account) -> str:
        return issue_access_token(
            self._key,
            account_id=account["_id"],
            email=account["email"],
            roles=account["roles"],
            issuer=self._settings.jwt_issuer,
            audience=self._settings.jwt_audience,
            ttl=timedelta(seconds=self._settings.access_token_ttl_s),
        )

    async def _start_session(self, account: Account) -> Tokens:
        refresh = new_refresh_token()
        await self._store.insert_session(
            session_id=str(uuid.uuid4()),
            account_id=account["_id"],
            token_hash=hash_refresh_token(refresh),
            expires_at=utc_now() + self._refresh_ttl,
        )
        return Tokens(self._access_token(account), refresh, self._settings.access_token_ttl_s)
