"""Notifier rules without I/O: what a review-result mail says, and what an SMTP failure means."""

from dataclasses import dataclass
from enum import StrEnum

from aiosmtplib import SMTPRecipientsRefused, SMTPResponseException

from shared.contracts.workspaces import ApplicationReviewedV1, Decision
from shared.events import Envelope

# The right-hand side of every Message-ID we send: ours, so ids never collide with others'.
MESSAGE_ID_DOMAIN = "notifier.mpp"

SUBJECTS: dict[Decision, str] = {
    "approve": "Your workspace application is approved / 您的工作空间申请已通过",
    "reject": "Your workspace application was not approved / 您的工作空间申请未通过",
}

OUTCOME_UNKNOWN_STOPPED = "outcome unknown: the notifier stopped while sending"


class NotificationStatus(StrEnum):
    PENDING = "pending"  # recorded, nobody is sending it
    SENDING = "sending"  # claimed by one replica until its lease ends
    SENT = "sent"  # the SMTP server accepted it
    FAILED = "failed"  # refused, out of retries, or outcome unknown: never resent on its own


class MalformedEventError(ValueError):
    """The event cannot become a mail: retrying it cannot help."""


@dataclass(frozen=True)
class ReviewMail:
    """Everything one review-result mail is made of."""

    event_id: str
    correlation_id: str
    application_id: str
    account_id: str
    to: str
    full_name: str
    company_name: str
    decision: Decision
    reason: str | None

    @property
    def subject(self) -> str:
        return SUBJECTS[self.decision]

    @property
    def message_id(self) -> str:
        """Derived from the event: a resent mail would carry the same id, so a receiving
        system can tell it is the same message."""
        return f"<{self.event_id}@{MESSAGE_ID_DOMAIN}>"

    @property
    def template(self) -> str:
        return "review_approved" if self.decision == "approve" else "review_rejected"


def review_mail(event: Envelope) -> ReviewMail:
    try:
        review = event.payload(ApplicationReviewedV1)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise MalformedEventError(str(exc)) from exc
    return ReviewMail(
        event_id=event.id,
        correlation_id=event.correlation_id,
        application_id=review.application_id,
        account_id=review.account_id,
        to=review.email,
        full_name=review.full_name,
        company_name=review.company_name,
        decision=review.decision,
        reason=review.reason,
    )


# --- SMTP failures -----------------------------------------------------------------------


class SendFailure(StrEnum):
    TEMPORARY = "temporary"  # not delivered; may work later (4xx, network, timeout)
    PERMANENT = "permanent"  # the server refused it for good (5xx)
    UNKNOWN = "unknown"  # cut off after the message was handed over: it may have arrived


class SendError(Exception):
    def __init__(self, failure: SendFailure, detail: str) -> None:
        super().__init__(detail)
        self.failure = failure
        self.detail = detail


def classify_smtp_error(error: Exception, *, data_started: bool) -> SendFailure:
    """An SMTP reply decides (4xx temporary, 5xx permanent); without a reply, the failure is
    temporary unless the message was already being handed over (DATA), when nobody knows."""
    if isinstance(error, SMTPRecipientsRefused):
        codes = [refused.code for refused in error.recipients]
        if codes and all(_permanent(code) for code in codes):
            return SendFailure.PERMANENT
        return SendFailure.TEMPORARY
    if isinstance(error, SMTPResponseException):
        return SendFailure.PERMANENT if _permanent(error.code) else SendFailure.TEMPORARY
    if isinstance(error, ValueError):
        # aiosmtplib refuses an address it cannot send to before talking to the server.
        return SendFailure.PERMANENT
    return SendFailure.UNKNOWN if data_started else SendFailure.TEMPORARY


def describe_smtp_error(error: Exception) -> str:
    if isinstance(error, SMTPRecipientsRefused):
        return "; ".join(describe_smtp_error(refused) for refused in error.recipients)
    if isinstance(error, SMTPResponseException):
        return f"SMTP {error.code}: {error.message}"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _permanent(code: int) -> bool:
    return 500 <= code < 600
