"""Fixed windows that count attempts (failed logins, password reset requests) per key."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from shared.text import normalize_email


class TooManyAttemptsError(Exception):
    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"retry after {retry_after_s}s")
        self.retry_after_s = retry_after_s


class TooManyRequestsError(TooManyAttemptsError):
    """Too many requests of a kind (password reset links) in the window, failed or not."""


def _window_start(now: datetime, length_s: int) -> tuple[int, int]:
    epoch_s = int(now.timestamp())
    start = epoch_s - epoch_s % length_s
    return start, start + length_s - epoch_s


@dataclass(frozen=True)
class LoginWindow:
    """The fixed window a login attempt falls in: the keys its failures count under (the
    account and the client address) and how long until it ends."""

    account_key: str
    address_key: str
    ends_in_s: int

    @classmethod
    def at(cls, now: datetime, *, email: str, client_ip: str, length_s: int) -> "LoginWindow":
        start, ends_in_s = _window_start(now, length_s)
        return cls(
            account_key=f"account:{normalize_email(email)}:{start}",
            address_key=f"ip:{client_ip}:{start}",
            ends_in_s=ends_in_s,
        )

    @property
    def keys(self) -> list[str]:
        return [self.account_key, self.address_key]

    def check(
        self, failures: dict[str, int], *, max_per_account: int, max_per_address: int
    ) -> None:
        """Refuse the attempt when either has failed too often in this window."""
        if (
            failures.get(self.account_key, 0) >= max_per_account
            or failures.get(self.address_key, 0) >= max_per_address
        ):
            raise TooManyAttemptsError(self.ends_in_s)


@dataclass(frozen=True)
class RequestWindow:
    """A fixed window counting requests under several keys, each with its own limit (a
    password reset: per email and per client address)."""

    limits: Mapping[str, int]  # the windowed key -> requests allowed in the window
    ends_in_s: int

    @classmethod
    def at(cls, now: datetime, *, limits: Mapping[str, int], length_s: int) -> "RequestWindow":
        start, ends_in_s = _window_start(now, length_s)
        return cls({f"{key}:{start}": limit for key, limit in limits.items()}, ends_in_s)

    @property
    def keys(self) -> list[str]:
        return list(self.limits)

    def check(self, counts: Mapping[str, int]) -> None:
        """Refuse the request when any key has reached its limit (counts before this one)."""
        if any(counts.get(key, 0) >= limit for key, limit in self.limits.items()):
            raise TooManyRequestsError(self.ends_in_s)
