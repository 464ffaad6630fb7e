"""Two-factor sign-in with TOTP (RFC 6238, through pyotp): the enrolment, the codes accepted
(one step of clock drift either way, never the same step twice) and the recovery codes."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp

# Steps of clock drift accepted either side of now (pyotp's valid_window=1): a code is good
# for about 30 s before and after its own 30 s.
WINDOW_STEPS = 1
RECOVERY_CODE_COUNT = 10
# A recovery code: 10 characters of base32 (50 bits): typed by hand, never guessed (and login
# failures are throttled anyway).
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_RECOVERY_LENGTH = 10


class TwoFactorAlreadyEnabledError(Exception):
    """The account has two-factor sign-in already: disable it before enrolling again."""


class TwoFactorNotStartedError(Exception):
    """No enrolment waits for its first code (or two-factor sign-in is not enabled)."""


class InvalidSecondFactorError(Exception):
    """A wrong code, one used before (the same time step), or an unknown or used recovery
    code: all answer alike."""


@dataclass(frozen=True)
class TwoFactor:
    # base32, as authenticator apps take it; None when the stored secret does not open (sealed
    # with a key no longer held, or for another account): no code passes, recovery codes do.
    secret: str | None
    # None while the enrolment waits for its first code.
    enabled_at: datetime | None = None
    # The newest time step whose code was accepted: that step and older ones are refused.
    last_step: int = -1
    recovery_hashes: tuple[str, ...] = ()

    @property
    def enabled(self) -> bool:
        return self.enabled_at is not None

    def provisioning_uri(self, *, email: str, issuer: str) -> str:
        return self._totp().provisioning_uri(name=email, issuer_name=issuer)

    def step_of(self, code: str, *, now: datetime) -> int:
        """The time step whose code this is (within the window), newer than any accepted
        before; InvalidSecondFactorError otherwise."""
        totp = self._totp()
        typed = "".join(code.split())
        for offset in range(-WINDOW_STEPS, WINDOW_STEPS + 1):
            at = now + timedelta(seconds=offset * totp.interval)
            if totp.verify(typed, for_time=at, valid_window=0):
                step = totp.timecode(at)
                if step > self.last_step:
                    return step
                raise InvalidSecondFactorError("this code was used already")
        raise InvalidSecondFactorError("wrong code")

    def _totp(self) -> pyotp.TOTP:
        if self.secret is None:
            raise InvalidSecondFactorError("the stored secret does not open")
        return pyotp.TOTP(self.secret)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def new_recovery_codes() -> list[str]:
    return [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]


def hash_recovery_code(code: str) -> str:
    """Stored instead of the code. The codes are random and long, so a fast hash suffices
    (as for refresh tokens); typing is forgiven: case, spaces and dashes."""
    normalized = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalized.encode()).hexdigest()


def format_recovery_code(code: str) -> str:
    """As shown to the user: two groups of five."""
    return f"{code[:5]}-{code[5:]}"
