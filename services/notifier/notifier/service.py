"""Use cases of the notifier: mail the result of a workspace review, exactly once at most.

A notification is claimed (pending -> sending, with a lease) before SMTP is spoken, so
competing replicas and redeliveries never send one event twice. Whatever cannot be proved
sent or refused (the sender died or was cut off mid-DATA) is failed, counted and
dead-lettered for an operator, never resent on a guess.
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
    NotificationNotStaleError,
    NotificationStatus,
    Released,
    SendError,
    SendFailure,
    review_mail,
)
from notifier.mailer import MailComposer, SmtpMailer
from notifier.store import NotificationStore
from shared.bus import PermanentError
from shared.events import Envelope
from shared.mongo import Clock
from shared.pagination import Position

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    """What became of one delivery of a review event (the label of the events metric)."""

    SENT = "sent"
    SKIPPED = "skipped"  # sent or failed before: acked without sending
    RETRIED = "retried"  # a temporary failure, or another replica is sending it
    FAILED = "failed"  # refused for good, or out of retries
    OUTCOME_UNKNOWN = "outcome_unknown"  # may or may not have arrived: an operator decides
    MALFORMED = "malformed"


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
    # is len(retry delays) + 1, after which it dead-letters the event.
    max_attempts: int
    count: Callable[[Outcome], None]

    async def on_application_reviewed(self, event: Envelope) -> None:
        now = self.clock()
        try:
            mail = review_mail(event)
            message = self.composer.compose(mail, now=now)
        except ValueError as exc:  # MalformedEventError, or a header compose() refuses
            self.count(Outcome.MALFORMED)
            raise PermanentError(f"malformed {event.type} event {event.id}: {exc}") from exc
        # Claimable as first recorded; whether the stored one is, the store's write decides.
        first, claim_id = Notification.first(mail, now=now), str(uuid.uuid4())
        claim = first.claim(claim_id=claim_id, now=now, lease=self.lease)
        claimed = await self.store.claim(first, claim)
        if claimed is None:
            await self._settle_unclaimed(event.id)
            return
        attempt = await self._attempt(claimed, message, claim_id=claim_id)
        self.count(attempt.outcome)
        if attempt.error is None:
            log.info("sent the %s mail of event %s", mail.decision, event.id)
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

    async def _settle_unclaimed(self, notification_id: str) -> None:
        """Not claimable: done before, being sent, or left by a sender that died after DATA
        began (outcome unknown)."""
        notification = await self.store.get(notification_id)
        status = notification.status if notification else None
        if status in (NotificationStatus.SENT, NotificationStatus.FAILED):
            log.info("event %s was handled before (%s); not sending again", notification_id, status)
            self.count(Outcome.SKIPPED)
            return
        if notification is not None and await self._fail_if_stale(notification):
            self.count(Outcome.OUTCOME_UNKNOWN)
            raise PermanentError(OUTCOME_UNKNOWN_STOPPED)
        self.count(Outcome.RETRIED)
        raise NotificationBusyError(f"notification {notification_id} is {status}; retrying later")

    async def _fail_if_stale(self, notification: Notification) -> bool:
        """Fail it as outcome unknown if its sender's lease ran out after DATA began."""
        try:
            change = notification.fail_stale(now=self.clock())
        except NotificationNotStaleError:
            return False
        return await self.store.fail_stale(notification.id, change)
