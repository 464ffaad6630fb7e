"""Use cases of the notifier: mail what an event of a mailed type asks for (kinds.py), exactly
once at most, and send a failed mail again when an admin asks.

A notification is claimed (pending -> sending, with a lease) before SMTP is spoken, so
competing replicas and redeliveries never send one twice. Whatever cannot be proved sent or
refused (the sender died or was cut off mid-DATA) is failed, counted and dead-lettered for an
operator, never resent on a guess. A resend is a new notification (its own id and Message-ID)
sent through the same claim by the resender (see resender.py), not through the bus.
"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from enum import StrEnum

from notifier.domain import (
    OUTCOME_UNKNOWN_STOPPED,
    Notification,
    NotificationAlreadyResentError,
    NotificationNotClaimableError,
    NotificationNotFoundError,
    NotificationNotStaleError,
    NotificationStatus,
    Released,
    SendError,
    SendFailure,
    mail_of,
)
from notifier.mailer import MailComposer, SmtpMailer
from notifier.store import NotificationStore
from shared.bus import PermanentError
from shared.events import Envelope
from shared.mongo import Clock
from shared.pagination import Position

log = logging.getLogger(__name__)

# Resends taken per pass of the resender; a full batch is followed by the next at once.
RESEND_BATCH = 20


class Outcome(StrEnum):
    """What became of one delivery of a mailed event, or one resend attempt (the label of the
    events and resends metrics)."""

    SENT = "sent"
    SKIPPED = "skipped"  # sent or failed before: acked without sending
    RETRIED = "retried"  # a temporary failure, or another replica is sending it
    FAILED = "failed"  # refused for good, or out of retries
    OUTCOME_UNKNOWN = "outcome_unknown"  # may or may not have arrived: an operator decides
    MALFORMED = "malformed"


# The outcomes a resend attempt can have (it has no event to skip or find malformed).
RESEND_OUTCOMES = (Outcome.SENT, Outcome.RETRIED, Outcome.FAILED, Outcome.OUTCOME_UNKNOWN)


class NotificationBusyError(Exception):
    """Another replica is sending this notification now; the bus retries the event later."""


@dataclass(frozen=True)
class Attempt:
    """One SMTP attempt, settled: its outcome, and the failure when it was not sent."""

    outcome: Outcome
    error: SendError | None = None
    reason: str | None = None  # what the notification records as its last error


@dataclass(frozen=True)
class NotifierService:
    store: NotificationStore
    composer: MailComposer
    mailer: SmtpMailer
    clock: Clock
    lease: timedelta
    # Attempts after which a temporary failure fails the notification: the bus's last attempt
    # is len(retry delays) + 1, after which it dead-letters the event. Resends get as many.
    max_attempts: int
    count: Callable[[str, Outcome], None]  # (event type, outcome)
    count_resend: Callable[[Outcome], None]
    # Tells the resender a resend waits (it sends it at once rather than at its next sweep).
    resend_requested: Callable[[], None]

    async def on_mail_event(self, event: Envelope) -> None:
        now = self.clock()
        try:
            mail = mail_of(event)
            message = self.composer.compose(mail, now=now)
        except ValueError as exc:  # MalformedEventError, or a header compose() refuses
            self.count(event.type, Outcome.MALFORMED)
            raise PermanentError(f"malformed {event.type} event {event.id}: {exc}") from exc
        # Claimable as first recorded; whether the stored one is, the store's write decides.
        first, claim_id = Notification.first(mail, now=now), str(uuid.uuid4())
        claim = first.claim(claim_id=claim_id, now=now, lease=self.lease)
        claimed = await self.store.claim(first, claim)
        if claimed is None:
            await self._settle_unclaimed(event)
            return
        attempt = await self._attempt(claimed, message, claim_id=claim_id)
        self.count(event.type, attempt.outcome)
        if attempt.error is None:
            log.info("sent the %s mail of event %s", mail.kind.name, event.id)
        elif attempt.outcome == Outcome.RETRIED:
            raise attempt.error  # temporary: the bus retries the event after its next delay
        else:
            raise PermanentError(str(attempt.reason)) from attempt.error

    async def list_notifications(
        self,
        *,
        account_id: str | None,
        status: NotificationStatus | None,
        limit: int,
        after: Position | None,
    ) -> list[Notification]:
        return await self.store.page(account_id=account_id, status=status, limit=limit, after=after)

    async def resend(self, notification_id: str, *, correlation_id: str) -> Notification:
        """Record a new notification sending a failed one's mail again; the resender sends it.
        Raises NotificationNotFoundError, and the errors of Notification.resend."""
        original = await self.store.get(notification_id)
        if original is None:
            raise NotificationNotFoundError(notification_id)
        resent, again = original.resend(now=self.clock(), correlation_id=correlation_id)
        try:
            await self.store.insert_resend(again)
        except NotificationAlreadyResentError:
            # A request that stopped between the two writes left the link unwritten.
            await self.store.mark_resent(original.id, resent)
            raise
        await self.store.mark_resent(original.id, resent)
        self.resend_requested()
        log.info("notification %s is resent as %s", original.id, again.id)
        return again

    async def send_due_resends(self) -> bool:
        """Send the resends waiting for a sender; True when more may be waiting."""
        due = await self.store.due_resends(now=self.clock(), limit=RESEND_BATCH)
        for notification in due:
            await self._send_resend(notification)
        return len(due) == RESEND_BATCH

    async def _send_resend(self, notification: Notification) -> None:
        now, claim_id = self.clock(), str(uuid.uuid4())
        try:
            claim = notification.claim(claim_id=claim_id, now=now, lease=self.lease)
        except NotificationNotClaimableError:
            if await self._fail_if_stale(notification):
                self.count_resend(Outcome.OUTCOME_UNKNOWN)
            return
        claimed = await self.store.claim(notification, claim)
        if claimed is None:
            return  # another replica took it first
        try:
            message = self.composer.compose(claimed.mail(), now=now)
        except ValueError as exc:  # a header compose() refuses: no attempt can send it
            error = f"cannot be composed: {exc}"
            await self.store.settle(
                claimed.id, claimed.fail(claim_id=claim_id, error=error, now=self.clock())
            )
            self.count_resend(Outcome.FAILED)
            return
        attempt = await self._attempt(claimed, message, claim_id=claim_id)
        self.count_resend(attempt.outcome)
        log.info("resend %s: %s", notification.id, attempt.reason or attempt.outcome)

    async def _attempt(
        self, claimed: Notification, message: EmailMessage, *, claim_id: str
    ) -> Attempt:
        """Send a claimed notification once and settle the claim with what happened."""

        async def before_data() -> None:
            started = claimed.start_data(claim_id=claim_id, now=self.clock())
            await self.store.mark_data_started(claimed.id, started)

        try:
            await self.mailer.send(message, before_data=before_data)
        except SendError as exc:
            change = claimed.after_send_error(
                exc, claim_id=claim_id, max_attempts=self.max_attempts, now=self.clock()
            )
            await self.store.settle(claimed.id, change)
            if isinstance(change, Released):
                return Attempt(Outcome.RETRIED, error=exc, reason=change.error)
            unknown = exc.failure == SendFailure.UNKNOWN
            outcome = Outcome.OUTCOME_UNKNOWN if unknown else Outcome.FAILED
            return Attempt(outcome, error=exc, reason=change.error)
        await self.store.settle(claimed.id, claimed.sent(claim_id=claim_id, now=self.clock()))
        return Attempt(Outcome.SENT)

    async def _settle_unclaimed(self, event: Envelope) -> None:
        """Not claimable: done before, being sent, or left by a sender that died after DATA
        began (outcome unknown)."""
        notification = await self.store.get(event.id)
        status = notification.status if notification else None
        if status in (NotificationStatus.SENT, NotificationStatus.FAILED):
            log.info("event %s was handled before (%s); not sending again", event.id, status)
            self.count(event.type, Outcome.SKIPPED)
            return
        if notification is not None and await self._fail_if_stale(notification):
            self.count(event.type, Outcome.OUTCOME_UNKNOWN)
            raise PermanentError(OUTCOME_UNKNOWN_STOPPED)
        self.count(event.type, Outcome.RETRIED)
        raise NotificationBusyError(f"notification {event.id} is {status}; retrying later")

    async def _fail_if_stale(self, notification: Notification) -> bool:
        """Fail it as outcome unknown if its sender's lease ran out after DATA began."""
        try:
            change = notification.fail_stale(now=self.clock())
        except NotificationNotStaleError:
            return False
        return await self.store.fail_stale(notification.id, change)
