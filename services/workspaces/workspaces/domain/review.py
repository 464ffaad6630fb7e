"""What reviewers work with beside the decision: findings (a reason code on a field), claims
(one reviewer works on an application at a time, until the claim expires) and internal
notes (never shown to the applicant, never in an event)."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from shared.contracts.workspaces import ReviewFindingV1
from workspaces.domain.reasons import REASON_CODES


@dataclass(frozen=True)
class Finding:
    """One thing a rejection found wrong: a catalogue code on a field of the form, with the
    reviewer's own words if they add any."""

    field: str
    code: str
    message: str | None = None

    @property
    def texts(self) -> dict[str, str]:
        """The catalogue's texts (a code removed since keeps its code as its text)."""
        reason = REASON_CODES.get(self.code)
        return reason.texts if reason else {"zh-CN": self.code, "en": self.code}

    def contract(self) -> ReviewFindingV1:
        return ReviewFindingV1(
            field=self.field, code=self.code, message=self.message, texts=self.texts
        )


@dataclass(frozen=True)
class Claim:
    reviewer_id: str
    claimed_at: datetime
    expires_at: datetime

    def active(self, now: datetime) -> bool:
        return now < self.expires_at


@dataclass(frozen=True)
class ClaimTaken:
    claim: Claim
    # Whose active claim this one replaces (an admin's take-over), else None.
    taken_from: str | None


@dataclass(frozen=True)
class ClaimReleased:
    reviewer_id: str  # whose claim goes


@dataclass(frozen=True)
class ReviewNote:
    id: str
    application_id: str
    author_id: str
    text: str
    created_at: datetime

    @classmethod
    def new(cls, *, application_id: str, author_id: str, text: str, now: datetime) -> "ReviewNote":
        return cls(
            id=str(uuid.uuid4()),
            application_id=application_id,
            author_id=author_id,
            text=text,
            created_at=now,
        )


@dataclass(frozen=True)
class QueueFilter:
    """Which applications a reviewer's queue shows (None: any)."""

    status: str = "under_review"
    claimed: str | None = None  # "mine" (my active claim) or "unclaimed" (none active)
    reviewer_id: str | None = None  # who "mine" is
    submitted_after: datetime | None = None
    submitted_before: datetime | None = None
    email_verified: bool | None = None
    account_id: str | None = None
