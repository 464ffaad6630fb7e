"""Links mailed to the account: to verify its email (24 h) and to reset its password (30 min).
Each carries a random token; only its hash is stored, and it works once."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class LinkPurpose(StrEnum):
    EMAIL_VERIFICATION = "email_verification"
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a name, not a secret)


class InvalidLinkError(Exception):
    """No pending link has this token: never issued, used already, or replaced by a newer
    one."""


class LinkExpiredError(Exception):
    """The link is past its lifetime: ask for a new one."""


class EmailAlreadyVerifiedError(Exception):
    pass


class TooSoonError(Exception):
    """A link was mailed a moment ago: wait before asking for another."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"retry after {retry_after_s}s")
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Link:
    """The pending link of one purpose (a newer request replaces it, voiding the older)."""

    token_hash: str
    requested_at: datetime
    expires_at: datetime

    def check_fresh(self, *, now: datetime) -> None:
        if self.expires_at <= now:
            raise LinkExpiredError
