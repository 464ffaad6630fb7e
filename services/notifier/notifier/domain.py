"""Notifier rules without I/O: the mail an event asks for (kinds.py lists them), and the life
of a notification.

A notification is created and claimed at once (pending -> sending), then settled by the
claim's holder: sent, failed, or released back to pending after a temporary failure. One whose
sender's lease ran out after DATA began is failed as outcome unknown ("stale-failed"), never
resent on a guess; an admin may resend a failed one, which makes a new notification.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from notifier.kinds import KINDS, MAIL_EVENTS, Content, MailKind
from shared.events import Envelope

# The right-hand side of every Message-ID we send: ours, so ids never collide with others'.
MESSAGE_ID_DOMAIN = "notifier.mpp"
# The ids of resends are derived from the resent notification's id: one resend each, at most.
RESEND_NAMESPACE = uuid.UUID("5b0f3c7e-4f0e-4d7c-9a51-7a1e8e0f6d21")

OUTCOME_UNKNOWN_STOPPED = "outcome unknown: the notifier stopped while sending"


class NotificationStatus(StrEnum):
    PENDING = "pending"  # recorded, nobody is sending it
    SENDING = "sending"  # claimed by one replica until its lease ends
    SENT = "sent"  # the SMTP server accepted it
    FAILED = "failed"  # refused, out of retries, or outcome unknown: never resent on its own


class MalformedEventError(ValueError):
    """The event cannot become a mail: retrying it cannot help."""


# --- the mail ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mail:
    """Everything one mail is made of: a letter of a kind, addressed for one notification."""

    notification_id: str  # the event's id, or a resend's own id
    correlation_id: str
    kind: MailKind
    to: str
    account_id: str | None
    about: Mapping[str, str]
    content: Content

    @property
    def subject(self) -> str:
        return self.kind.subject

    @property
    def message_id(self) -> str:
        """Derived from the notification: a redelivered event yields the same id, so a
        receiving system can tell it is the same message; a resend has an id of its own."""
        return f"<{self.notification_id}@{MESSAGE_ID_DOMAIN}>"

    @property
    def template(self) -> str:
        return self.kind.name


def mail_of(event: Envelope) -> Mail:
    """The mail an event of a registered type asks for (see kinds.MAIL_EVENTS)."""
    entry = MAIL_EVENTS.get(event.type)
    if entry is None:
        raise MalformedEventError(f"no mail is sent for {event.type} events")
    try:
        letter = entry.letter_of(event)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise MalformedEventError(str(exc)) from exc
    return Mail(
        notification_id=event.id,
        correlation_id=event.correlation_id,
        kind=letter.kind,
        to=letter.to,
        account_id=letter.account_id,
        about=dict(letter.about),
        content=dict(letter.content),
    )


# --- SMTP outcomes (the mailer classifies its client's errors into these) -----------------


class SendFailure(StrEnum):
    TEMPORARY = "temporary"  # not delivered; may work later (4xx, network, timeout)
    PERMANENT = "permanent"  # the server refused it for good (5xx)
    UNKNOWN = "unknown"  # cut off after the message was handed over: it may have arrived


class SendError(Exception):
    def __init__(self, failure: SendFailure, detail: str) -> None:
        super().__init__(detail)
        self.failure = failure
        self.detail = detail


# --- what a transition changes ----------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    """pending (or abandoned before DATA) -> sending, one attempt more."""

    claim_id: str
    lease_until: datetime
    at: datetime


@dataclass(frozen=True)
class DataStarted:
    """The message is about to be handed over: from here on a crash leaves the outcome unknown."""

    claim_id: str
    at: datetime


@dataclass(frozen=True)
class Sent:
    claim_id: str
    at: datetime


@dataclass(frozen=True)
class Failed:
    claim_id: str
    error: str
    at: datetime


@dataclass(frozen=True)
class Released:
    """sending -> pending after a temporary failure, for the next attempt."""

    claim_id: str
    error: str
    at: datetime


type Settled = Sent | Failed | Released


@dataclass(frozen=True)
class StaleFailed:
    """sending -> failed for a sender whose lease ran out after DATA began."""

    error: str
    at: datetime


@dataclass(frozen=True)
class Resent:
    """A failed notification now points at the notification that sends it again."""

    resent_as: str
    at: datetime


# --- refused transitions ------------------------------------------------------------------


class NotificationNotFoundError(Exception):
    def __init__(self, notification_id: str) -> None:
        super().__init__(f"no notification {notification_id}")
        self.notification_id = notification_id


class NotificationNotClaimableError(Exception):
    """Sent, failed, or being sent by a live claim (or one that died after DATA began)."""


class NotificationNotHeldError(Exception):
    """The claim given does not hold the notification (it is not sending under that claim)."""


class NotificationNotStaleError(Exception):
    """Not a sending notification whose lease ran out after DATA began."""


class NotificationNotFailedError(Exception):
    """Only a failed notification can be resent."""

    def __init__(self, notification_id: str, status: NotificationStatus) -> None:
        super().__init__(f"notification {notification_id} is {status}, not failed")
        self.notification_id = notification_id
        self.status = status


class NotificationAlreadyResentError(Exception):
    def __init__(self, notification_id: str, resent_as: str) -> None:
        super().__init__(f"notification {notification_id} was resent as {resent_as}")
        self.notification_id = notification_id
        self.resent_as = resent_as


class NotificationNotResendableError(Exception):
    """Recorded before notifications kept their mail's content (or of a kind no longer sent):
    it cannot be rendered again."""

    def __init__(self, notification_id: str) -> None:
        super().__init__(f"notification {notification_id} did not record its mail's content")
        self.notification_id = notification_id


# --- the notification ---------------------------------------------------------------------


@dataclass(frozen=True)
class Notification:
    """One mail and its delivery. Its methods check a transition and return what it changes;
    the store writes each change conditionally, so a stale copy cannot win."""

    id: str
    account_id: str | None
    email: str
    kind: str  # a name of kinds.KINDS
    correlation_id: str
    status: NotificationStatus
    attempts: int
    last_error: str | None
    created_at: datetime
    updated_at: datetime
    about: Mapping[str, str] = field(default_factory=dict)
    sent_at: datetime | None = None
    content: Content | None = None  # None: recorded before the content was kept
    claim_id: str | None = None
    lease_until: datetime | None = None
    data_started_at: datetime | None = None
    resend_of: str | None = None
    resent_as: str | None = None

    @classmethod
    def first(cls, mail: Mail, *, now: datetime) -> "Notification":
        """The notification of a mail as first recorded: pending, never attempted."""
        return cls(
            id=mail.notification_id,
            account_id=mail.account_id,
            email=mail.to,
            kind=mail.kind.name,
            about=mail.about,
            correlation_id=mail.correlation_id,
            status=NotificationStatus.PENDING,
            attempts=0,
            last_error=None,
            created_at=now,
            updated_at=now,
            content=mail.content,
        )

    def mail(self) -> Mail:
        kind = KINDS.get(self.kind)
        if self.content is None or kind is None:
            raise NotificationNotResendableError(self.id)
        return Mail(
            notification_id=self.id,
            correlation_id=self.correlation_id,
            kind=kind,
            to=self.email,
            account_id=self.account_id,
            about=self.about,
            content=self.content,
        )

    def claimable(self, *, now: datetime) -> bool:
        """Pending, or left sending by a sender that died before DATA began (the server
        cannot have it)."""
        if self.status == NotificationStatus.PENDING:
            return True
        return self._abandoned(now=now) and self.data_started_at is None

    def claim(self, *, claim_id: str, now: datetime, lease: timedelta) -> Claimed:
        if not self.claimable(now=now):
            raise NotificationNotClaimableError(f"notification {self.id} is {self.status}")
        return Claimed(claim_id=claim_id, lease_until=now + lease, at=now)

    def start_data(self, *, claim_id: str, now: datetime) -> DataStarted:
        self._check_held(claim_id)
        return DataStarted(claim_id=claim_id, at=now)

    def sent(self, *, claim_id: str, now: datetime) -> Sent:
        self._check_held(claim_id)
        return Sent(claim_id=claim_id, at=now)

    def fail(self, *, claim_id: str, error: str, now: datetime) -> Failed:
        self._check_held(claim_id)
        return Failed(claim_id=claim_id, error=error, at=now)

    def release(self, *, claim_id: str, error: str, now: datetime) -> Released:
        self._check_held(claim_id)
        return Released(claim_id=claim_id, error=error, at=now)

    def after_send_error(
        self, error: SendError, *, claim_id: str, max_attempts: int, now: datetime
    ) -> Failed | Released:
        """A temporary failure is retried until the attempts run out; a refusal, the last
        attempt and an unknown outcome fail the notification."""
        if error.failure == SendFailure.UNKNOWN:
            return self.fail(claim_id=claim_id, error=f"outcome unknown: {error.detail}", now=now)
        if error.failure == SendFailure.PERMANENT:
            return self.fail(claim_id=claim_id, error=error.detail, now=now)
        if self.attempts >= max_attempts:
            reason = f"gave up after {self.attempts} attempts: {error.detail}"
            return self.fail(claim_id=claim_id, error=reason, now=now)
        return self.release(claim_id=claim_id, error=error.detail, now=now)

    def fail_stale(self, *, now: datetime, error: str = OUTCOME_UNKNOWN_STOPPED) -> StaleFailed:
        if not (self._abandoned(now=now) and self.data_started_at is not None):
            raise NotificationNotStaleError(f"notification {self.id} is not a stale send")
        return StaleFailed(error=error, at=now)

    def resend(self, *, now: datetime, correlation_id: str) -> tuple[Resent, "Notification"]:
        """A failed notification, sent again as a new one with the same content and an id
        (so a Message-ID) of its own: what changes on this one, and the new one."""
        if self.status != NotificationStatus.FAILED:
            raise NotificationNotFailedError(self.id, self.status)
        if self.resent_as is not None:
            raise NotificationAlreadyResentError(self.id, self.resent_as)
        mail = self.mail()
        resend_id = resend_id_of(self.id)
        again = replace(mail, notification_id=resend_id, correlation_id=correlation_id)
        new = replace(Notification.first(again, now=now), resend_of=self.id)
        return Resent(resent_as=resend_id, at=now), new

    def _abandoned(self, *, now: datetime) -> bool:
        return (
            self.status == NotificationStatus.SENDING
            and self.lease_until is not None
            and self.lease_until <= now
        )

    def _check_held(self, claim_id: str) -> None:
        if self.status != NotificationStatus.SENDING or self.claim_id != claim_id:
            raise NotificationNotHeldError(f"notification {self.id} is not held by {claim_id}")


def resend_id_of(notification_id: str) -> str:
    """The id of the one resend a notification may have: the same on every try, so a second
    resend (or a retried request) cannot create a second notification."""
    return str(uuid.uuid5(RESEND_NAMESPACE, notification_id))
