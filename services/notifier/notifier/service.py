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
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from notifier.domain import (
    OUTCOME_UNKNOWN_STOPPED,
    NotificationStatus,
    SendError,
    SendFailure,
    review_mail,
)
from notifier.mailer import MailComposer, SmtpMailer
from notifier.store import Notification, NotificationStore
from shared.bus import PermanentError
from shared.events import Envelope

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
class NotifierService:
    store: NotificationStore
    composer: MailComposer
    mailer: SmtpMailer
    lease: timedelta
    # Attempts after which a temporary failure fails the notification: the bus's last attempt
    # is len(retry delays) + 1, after which it dead-letters the event.
    max_attempts: int
    count: Callable[[Outcome], None]

    async def on_application_reviewed(self, event: Envelope) -> None:
        try:
            mail = review_mail(event)
            message = self.composer.compose(mail)
        except ValueError as exc:  # MalformedEventError, or a header compose() refuses
            self.count(Outcome.MALFORMED)
            raise PermanentError(f"malformed {event.type} event {event.id}: {exc}") from exc
        claim_id, now = str(uuid.uuid4()), datetime.now(UTC)
        claimed = await self.store.claim(
            mail, claim_id=claim_id, now=now, lease_until=now + self.lease
        )
        if claimed is None:
            await self._settle_unclaimed(event.id)
            return

        async def before_data() -> None:
            await self.store.mark_data_started(event.id, claim_id=claim_id)

        try:
            await self.mailer.send(message, before_data=before_data)
        except SendError as exc:
            await self._settle_failure(event.id, claim_id=claim_id, claimed=claimed, error=exc)
            raise  # temporary: the bus retries the event after its next delay
        await self.store.mark_sent(event.id, claim_id=claim_id)
        self.count(Outcome.SENT)
        log.info("sent the %s mail of event %s", mail.decision, event.id)

    async def list_notifications(
        self, account_id: str, *, limit: int, after: tuple[datetime, str] | None
    ) -> list[Notification]:
        return await self.store.page(account_id, limit=limit, after=after)

    async def _settle_unclaimed(self, event_id: str) -> None:
        """Not claimable: done before, being sent, or left by a sender that died after DATA
        began (outcome unknown)."""
        notification = await self.store.get(event_id)
        status = notification["status"] if notification else None
        if status in (NotificationStatus.SENT, NotificationStatus.FAILED):
            log.info("event %s was handled before (%s); not sending again", event_id, status)
            self.count(Outcome.SKIPPED)
            return
        if status == NotificationStatus.SENDING and await self.store.fail_stale(
            event_id, error=OUTCOME_UNKNOWN_STOPPED
        ):
            self.count(Outcome.OUTCOME_UNKNOWN)
            raise PermanentError(OUTCOME_UNKNOWN_STOPPED)
        self.count(Outcome.RETRIED)
        raise NotificationBusyError(f"notification {event_id} is {status}; retrying later")

    async def _settle_failure(
        self, event_id: str, *, claim_id: str, claimed: Notification, error: SendError
    ) -> None:
        """Record the failed attempt; raises PermanentError unless the bus should retry."""
        if error.failure == SendFailure.UNKNOWN:
            reason = f"outcome unknown: {error.detail}"
            await self.store.mark_failed(event_id, claim_id=claim_id, error=reason)
            self.count(Outcome.OUTCOME_UNKNOWN)
            raise PermanentError(reason) from error
        attempts = int(claimed["attempts"])
        if error.failure == SendFailure.PERMANENT or attempts >= self.max_attempts:
            reason = error.detail
            if error.failure == SendFailure.TEMPORARY:
                reason = f"gave up after {attempts} attempts: {error.detail}"
            await self.store.mark_failed(event_id, claim_id=claim_id, error=reason)
            self.count(Outcome.FAILED)
            raise PermanentError(reason) from error
        await self.store.release(event_id, claim_id=claim_id, error=error.detail)
        self.count(Outcome.RETRIED)
