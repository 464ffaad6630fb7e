"""The one wiring point of the notifier service."""

from collections.abc import AsyncIterator
from datetime import timedelta

from aiohttp import web

from notifier.api import SERVICE_KEY, api
from notifier.mailer import MailComposer, SmtpMailer
from notifier.service import NotifierService, Outcome
from notifier.settings import NotifierSettings
from notifier.store import INDEXES, NotificationStore
from shared.contracts.workspaces import ApplicationReviewedV1
from shared.health import METRICS_KEY
from shared.runtime import BUS_KEY, DB_KEY, create_service_app


def create_app(settings: NotifierSettings) -> web.Application:
    async def wiring(app: web.Application) -> AsyncIterator[None]:
        events = app[METRICS_KEY].counter(
            "notifier_review_events",
            doc="Deliveries of review events by what became of them; alert on outcome_unknown",
            labels=["outcome"],
        )
        for outcome in Outcome:
            events.labels(outcome)  # every series exists from the start, at zero
        service = NotifierService(
            store=NotificationStore(app[DB_KEY]),
            composer=MailComposer(sender=settings.smtp_from),
            # Half the lease: a live sender always settles its claim before it can look stale.
            mailer=SmtpMailer(settings, deadline_s=settings.claim_lease_s / 2),
            lease=timedelta(seconds=settings.claim_lease_s),
            max_attempts=len(settings.bus_retry_delays_ms) + 1,
            count=lambda outcome: events.labels(outcome).inc(),
        )
        app[SERVICE_KEY] = service
        app[BUS_KEY].subscribe(
            settings.review_results_queue,
            routing_keys=[ApplicationReviewedV1.TYPE],
            handler=service.on_application_reviewed,
        )
        yield

    return create_service_app(settings, api=api, indexes=INDEXES, wiring=wiring)
