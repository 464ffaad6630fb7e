"""Use cases of signing up and in: load, let the domain decide, save. (The identity use cases,
links, passwords and two-factor enrolment, are in identity.py.)"""

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from accounts.domain import (
    Account,
    Client,
    InvalidCredentialsError,
    InvalidSecondFactorError,
    LinkPurpose,
    LoginWindow,
    NextStep,
    OutdatedNextStepError,
    RevocationReason,
    Role,
)
from accounts.passwords import PasswordHashing
from accounts.second_factor import check_second_factor
from accounts.sessions import Sessions, SignedIn
from accounts.settings import AccountsSettings
from accounts.store import AccountStore, ThrottleStore
from accounts.tokens import (
    SigningKey,
    hash_token,
    issue_mfa_token,
    new_link_token,
    read_mfa_token,
)
from shared.events import Envelope
from shared.mongo import Clock
from shared.sealing import Sealer
from shared.text import normalize_email

log = logging.getLogger(__name__)
__all__ = ["AccountsService", "MfaChallenge", "SignedIn"]


@dataclass(frozen=True)
class MfaChallenge:
    """The password was right; a second factor must follow with this token."""

    mfa_token: str
    expires_in: int


class AccountsService:
    def __init__(
        self,
        *,
        settings: AccountsSettings,
        store: AccountStore,
        throttles: ThrottleStore,
        sessions: Sessions,
        passwords: PasswordHashing,
        sealer: Sealer,
        key: SigningKey,
        clock: Clock,
    ) -> None:
        self._settings = settings
        self._store = store
        self._throttles = throttles
        self.sessions = sessions
        self._passwords = passwords
        self._sealer = sealer
        self._key = key
        self._clock = clock

    async def register_account(
        self, *, email: str, password: str, full_name: str, client: Client
    ) -> SignedIn:
        account = await self._new_account(
            email=email, password=password, full_name=full_name, roles=[Role.MERCHANT]
        )
        return await self.sessions.start(account, client=client, now=self._clock())

    async def _new_account(
        self, *, email: str, password: str, full_name: str, roles: list[Role]
    ) -> Account:
        """The account, with the event announcing it and the mail of its first verification
        link, in one write."""
        now = self._clock()
        account, registered = Account.register(
            account_id=str(uuid.uuid4()),
            email=email,
            full_name=full_name,
            password_hash=await self._passwords.hash(password),
            roles=roles,
            terms_version=self._settings.terms_version,
            now=now,
        )
        token = new_link_token()
        requested, mail = account.request_link(
            LinkPurpose.EMAIL_VERIFICATION,
            token_hash=hash_token(token),
            sealed_token=self._sealer.seal(token),
            now=now,
            ttl=timedelta(seconds=self._settings.email_verification_ttl_s),
        )
        account = account.with_link(requested)
        await self._store.insert_account(account, registered, mail)
        return account

    async def log_in(
        self,
        *,
        email: str,
        password: str,
        client: Client,
    ) -> SignedIn | MfaChallenge:
        """Tokens, or (with two-factor sign-in on) a challenge for the second factor."""
        now = self._clock()
        window = self._login_window(email, client)
        await self._check_window(window)
        account = await self._store.account_by_email(normalize_email(email))
        stored_hash = account.password_hash if account else None
        if not await self._passwords.verify(stored_hash, password) or account is None:
            await self._login_failed(window)
            raise InvalidCredentialsError
        if self._passwords.needs_rehash(account.password_hash):
            new_hash = await self._passwords.hash(password)
            await self._store.rehash_password(account.rehash_password(new_hash))
        if account.two_factor is not None and account.two_factor.enabled:
            ttl = timedelta(seconds=self._settings.mfa_token_ttl_s)
            token = issue_mfa_token(
                self._key,
                account_id=account.id,
                issuer=self._settings.jwt_issuer,
                audience=self._settings.jwt_audience,
                ttl=ttl,
                now=now,
            )
            return MfaChallenge(token, self._settings.mfa_token_ttl_s)
        return await self.sessions.start(account, client=client, now=now)

    async def complete_mfa(
        self, *, mfa_token: str, code: str | None, recovery_code: str | None, client: Client
    ) -> SignedIn:
        """The second step of a login: a code (or a recovery code) for the MFA token. Wrong
        codes count as failed logins of the account."""
        now = self._clock()
        account_id = read_mfa_token(
            self._key,
            mfa_token,
            issuer=self._settings.jwt_issuer,
            audience=self._settings.jwt_audience,
            now=now,
        )
        account = await self._store.account_by_id(account_id)
        if account is None:
            raise InvalidCredentialsError
        window = self._login_window(account.email, client)
        await self._check_window(window)
        try:
            await check_second_factor(
                self._store, account, code=code, recovery_code=recovery_code, now=now
            )
        except InvalidSecondFactorError:
            await self._login_failed(window)
            raise
        return await self.sessions.start(account, client=client, now=now)

    def _login_window(self, email: str, client: Client) -> LoginWindow:
        return LoginWindow.at(
            self._clock(),
            email=email,
            client_ip=client.address,
            length_s=self._settings.login_window_s,
        )

    async def _check_window(self, window: LoginWindow) -> None:
        window.check(
            await self._throttles.counts(window.keys),
            max_per_account=self._settings.login_max_failures_per_account,
            max_per_address=self._settings.login_max_failures_per_ip,
        )

    async def _login_failed(self, window: LoginWindow) -> None:
        window_end = self._clock() + timedelta(seconds=window.ends_in_s)
        await self._throttles.record(window.keys, expires_at=window_end)

    async def refresh_session(self, refresh_token: str) -> SignedIn:
        return await self.sessions.refresh(refresh_token)

    async def log_out(self, refresh_token: str) -> None:
        await self.sessions.end_by_token(refresh_token, reason=RevocationReason.LOGOUT)

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
        self,
        *,
        email: str,
        password: str,
        full_name: str,
        role: Role,
        totp_secret: str | None = None,
    ) -> tuple[Account, bool]:
        """Create a reviewer/admin account, or grant the role to an existing one, with
        two-factor sign-in on with `totp_secret` when one is given. Returns the account and
        whether it was created."""
        account = await self._store.account_by_email(normalize_email(email))
        created = account is None
        if account is None:
            account = await self._new_account(
                email=email, password=password, full_name=full_name, roles=[role]
            )
        else:
            await self._store.grant_roles(account.grant([role]))
        if totp_secret is not None:
            started, enabled = account.provision_two_factor(totp_secret, now=self._clock())
            await self._store.start_two_factor(started, replace=True)
            await self._store.confirm_two_factor(enabled)
        return account, created

    def close(self) -> None:
        self._passwords.close()
