"""Identity use cases: the email verified by a mailed link, the password reset by one (or
changed by the signed-in user), and two-factor sign-in enrolled or turned off."""

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import segno

from accounts.domain import (
    Account,
    AccountNotFoundError,
    InvalidLinkError,
    LinkPurpose,
    RequestWindow,
    RevocationReason,
    TooSoonError,
    TwoFactorAlreadyEnabledError,
    TwoFactorNotStartedError,
    WrongPasswordError,
)
from accounts.domain.two_factor import (
    format_recovery_code,
    hash_recovery_code,
    new_recovery_codes,
    new_totp_secret,
)
from accounts.passwords import PasswordHashing
from accounts.second_factor import check_second_factor
from accounts.sessions import Sessions
from accounts.settings import AccountsSettings
from accounts.store import AccountStore, ThrottleStore
from accounts.tokens import hash_token, new_link_token
from shared.mongo import Clock
from shared.sealing import Sealer
from shared.text import normalize_email

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Enrolment:
    """What an authenticator app needs: the secret, as an otpauth URI and as its QR code."""

    secret: str
    otpauth_uri: str
    qr_code: str  # an SVG data URI


class IdentityService:
    def __init__(
        self,
        *,
        settings: AccountsSettings,
        store: AccountStore,
        throttles: ThrottleStore,
        sessions: Sessions,
        passwords: PasswordHashing,
        sealer: Sealer,
        clock: Clock,
    ) -> None:
        self._settings = settings
        self._store = store
        self._throttles = throttles
        self._sessions = sessions
        self._passwords = passwords
        self._sealer = sealer
        self._clock = clock
        # Reset mails being written after their request was answered (see
        # request_password_reset); awaited on shutdown.
        self._resets: set[asyncio.Task[None]] = set()

    async def drain(self) -> None:
        """Let the reset mails already asked for be written (on shutdown)."""
        await asyncio.gather(*self._resets, return_exceptions=True)

    async def _account(self, account_id: str) -> Account:
        account = await self._store.account_by_id(account_id)
        if account is None:
            raise AccountNotFoundError(account_id)
        return account

    async def _mail_link(self, account: Account, purpose: LinkPurpose) -> datetime:
        """A new link of this purpose, mailed (through the event in the same write); when it
        expires."""
        is_verification = purpose is LinkPurpose.EMAIL_VERIFICATION
        ttl_s = (
            self._settings.email_verification_ttl_s
            if is_verification
            else self._settings.password_reset_ttl_s
        )
        cooldown_s = self._settings.email_verification_resend_cooldown_s if is_verification else 0
        token = new_link_token()
        requested, mail = account.request_link(
            purpose,
            token_hash=hash_token(token),
            sealed_token=self._sealer.seal(token),
            now=self._clock(),
            ttl=timedelta(seconds=ttl_s),
            cooldown=timedelta(seconds=cooldown_s),
        )
        if not await self._store.save_link(requested, mail):
            # Another request replaced the pending link a moment ago.
            raise TooSoonError(max(1, cooldown_s))
        return requested.link.expires_at

    # --- email verification -------------------------------------------------------------

    async def resend_verification(self, account_id: str) -> datetime:
        """Mail a new verification link (the older stops working); when it expires."""
        return await self._mail_link(
            await self._account(account_id), LinkPurpose.EMAIL_VERIFICATION
        )

    async def verify_email(self, token: str) -> Account:
        token_hash = hash_token(token)
        account = await self._store.account_by_link(LinkPurpose.EMAIL_VERIFICATION, token_hash)
        if account is None:
            raise InvalidLinkError
        verified, event = account.verify_email(token_hash=token_hash, now=self._clock())
        if not await self._store.verify_email(verified, event):
            raise InvalidLinkError  # used a moment ago
        return await self._account(account.id)

    # --- password reset and change ------------------------------------------------------

    async def request_password_reset(self, *, email: str, client_ip: str) -> None:
        """Mail a reset link if the email has an account. The caller learns nothing either
        way: the same answer after the same work (the throttle), with the lookup and the
        mail's write done after answering, so their time tells nothing. A crash in between
        loses that one mail; the user asks again."""
        now, settings = self._clock(), self._settings
        window = RequestWindow.at(
            now,
            limits={
                f"reset-email:{normalize_email(email)}": settings.password_reset_max_per_email,
                f"reset-ip:{client_ip}": settings.password_reset_max_per_ip,
            },
            length_s=self._settings.password_reset_window_s,
        )
        window.check(await self._throttles.counts(window.keys))
        await self._throttles.record(
            window.keys, expires_at=now + timedelta(seconds=window.ends_in_s)
        )
        task = asyncio.create_task(self._mail_reset_if_account(email))
        self._resets.add(task)
        task.add_done_callback(self._resets.discard)

    async def _mail_reset_if_account(self, email: str) -> None:
        try:
            account = await self._store.account_by_email(normalize_email(email))
            if account is not None:
                await self._mail_link(account, LinkPurpose.PASSWORD_RESET)
        except Exception:
            log.exception("could not write a password reset mail")

    async def confirm_password_reset(self, *, token: str, password: str) -> None:
        """The new password by the link (once); every session of the account ends."""
        token_hash = hash_token(token)
        account = await self._store.account_by_link(LinkPurpose.PASSWORD_RESET, token_hash)
        if account is None:
            raise InvalidLinkError
        changed, event = account.reset_password(
            token_hash=token_hash,
            password_hash=await self._passwords.hash(password),
            now=self._clock(),
        )
        if not await self._store.change_password(changed, event):
            raise InvalidLinkError  # used a moment ago
        await self._sessions.end_all(account.id, reason=RevocationReason.PASSWORD_RESET)

    async def change_password(
        self, *, account_id: str, session_id: str | None, current: str, new: str
    ) -> int:
        """A new password for the signed-in user, who proves the current one; every other
        session ends (how many did)."""
        account = await self._account(account_id)
        if not await self._passwords.verify(account.password_hash, current):
            raise WrongPasswordError
        changed, event = account.change_password(
            password_hash=await self._passwords.hash(new),
            kept_session_id=session_id,
            now=self._clock(),
        )
        await self._store.change_password(changed, event)
        return await self._sessions.end_all(
            account.id, reason=RevocationReason.PASSWORD_CHANGED, keep=session_id
        )

    # --- two-factor sign-in ---------------------------------------------------------------

    async def start_two_factor(self, account_id: str) -> Enrolment:
        account = await self._account(account_id)
        secret = new_totp_secret()
        started = account.start_two_factor(secret)
        if not await self._store.start_two_factor(started):
            raise TwoFactorAlreadyEnabledError
        uri = started.two_factor.provisioning_uri(
            email=account.email, issuer=self._settings.totp_issuer
        )
        qr = await asyncio.to_thread(_qr_svg_data_uri, uri)
        return Enrolment(secret=secret, otpauth_uri=uri, qr_code=qr)

    async def confirm_two_factor(self, account_id: str, code: str) -> list[str]:
        """Two-factor sign-in on, proved by the first code; the ten recovery codes (shown
        once, stored hashed)."""
        account = await self._account(account_id)
        codes = new_recovery_codes()
        confirmed = account.confirm_two_factor(
            code, recovery_hashes=tuple(hash_recovery_code(c) for c in codes), now=self._clock()
        )
        if not await self._store.confirm_two_factor(confirmed):
            raise TwoFactorNotStartedError  # a new enrolment replaced it meanwhile
        return [format_recovery_code(c) for c in codes]

    async def disable_two_factor(
        self, account_id: str, *, code: str | None, recovery_code: str | None
    ) -> None:
        """Off, proved by a code (or a recovery code)."""
        account = await self._account(account_id)
        change = account.disable_two_factor()
        await check_second_factor(
            self._store, account, code=code, recovery_code=recovery_code, now=self._clock()
        )
        await self._store.disable_two_factor(change)


def _qr_svg_data_uri(uri: str) -> str:
    return str(segno.make(uri, error="m").svg_data_uri(scale=4, border=2))
