"""Account rules without I/O."""

import unicodedata
from enum import StrEnum


class Role(StrEnum):
    MERCHANT = "merchant"
    REVIEWER = "reviewer"
    ADMIN = "admin"


STAFF_ROLES = (Role.REVIEWER, Role.ADMIN)


class NextStep(StrEnum):
    """What the frontend shows after login, learned from the workspace events."""

    APPLY_WORKSPACE = "apply_workspace"
    APPLICATION_UNDER_REVIEW = "application_under_review"
    APPLICATION_REJECTED = "application_rejected"
    WORKSPACE_READY = "workspace_ready"


def normalize_email(email: str) -> str:
    """The key that makes emails unique regardless of case."""
    return email.strip().lower()


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text)


class EmailTakenError(Exception):
    pass


class InvalidCredentialsError(Exception):
    pass


class InvalidRefreshTokenError(Exception):
    pass


class TooManyAttemptsError(Exception):
    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"retry after {retry_after_s}s")
        self.retry_after_s = retry_after_s
