"""The one wiring point of the notifier service."""

from collections.abc import AsyncIterator
from datetime import timedelta

from aiohttp import web

from notifier.api import SERVICE_KEY, api
from notifier.kinds import MAIL_EVENTS, Links
from notifier.mailer import ConnectFailure, MailComposer, SmtpMailer
from notifier.resender import Resender
from notifier.service import RESEND_OUTCOMES, NotifierService, Outcome
from notifier.settings import NotifierSettings
from notifier.store import INDEXES, NotificationStore
from shared.health import METRICS_KEY, Metrics
from shared.mongo import Clock, utc_now
from shared.runtime import BUS_KEY, DB_KEY, create_service_app
from shared.sealing import Sealer


def create_app(settings: NotifierSettings, *, clock: Clock = utc_now) -> web.Application:
    async def wiring(app: web.Application) -> AsyncIterator[None]:
        counters = _Counters(app[METRICS_KEY])
        resender = Resender(sweep_interval_s=settings.resend_sweep_interval_s)
        sealer = Sealer.from_setting(settings.mail_link_key, service=settings.service_name)
        links = Links(console_url=settings.console_url.rstrip("/"), unseal=sealer.unseal)
        service = NotifierService(
            store=NotificationStore(app[DB_KEY]),
            composer=MailComposer(sender=settings.smtp_from, links=links),
            # Half the lease: a live sender always settles its claim before it can look stale.
            mailer=SmtpMailer(
                settings,
                deadline_s=settings.claim_lease_s / 2,
                count_connect_failure=counters.connect_failure,
            ),
            clock=clock,
            lease=timedelta(seconds=settings.claim_lease_s),
            max_attempts=len(settings.bus_retry_delays_ms) + 1,
            count=counters.event,
            count_resend=counters.resend,
            resend_requested=resender.wake,
        )
        app[SERVICE_KEY] = service
        app[BUS_KEY].subscribe(
            settings.mail_events_queue,
            routing_keys=list(MAIL_EVENTS),
            handler=service.on_mail_event,
        )
        resender.start(service.send_due_resends)
        yield
        await resender.stop()

    return create_service_app(settings, api=api, indexes=INDEXES, wiring=wiring)


class _Counters:
    """The notifier's own metrics; every label series exists from the start, at zero."""

    def __init__(self, metrics: Metrics) -> None:
        self._events = metrics.counter(
            "notifier_mail_events",
            doc="Deliveries of mailed events by type and what became of them; alert on "
            "outcome_unknown",
            labels=["event_type", "outcome"],
        )
        self._resends = metrics.counter(
            "notifier_resends",
            doc="Attempts to send the resends admins asked for, by what became of them",
            labels=["outcome"],
        )
        self._connect_failures = metrics.counter(
            "notifier_smtp_connect_failures",
            doc="SMTP connections that reached no server: refused, timed out, TLS, unreachable",
            labels=["reason"],
        )
        for event_type in MAIL_EVENTS:
            for outcome in Outcome:
                self._events.labels(event_type, outcome)
        for outcome in RESEND_OUTCOMES:
            self._resends.labels(outcome)
        for reason in ConnectFailure:
            self._connect_failures.labels(reason)

    def event(self, event_type: str, outcome: Outcome) -> None:
        self._events.labels(event_type, outcome).inc()

    def resend(self, outcome: Outcome) -> None:
        self._resends.labels(outcome).inc()

    def connect_failure(self, reason: ConnectFailure) -> None:
        self._connect_failures.labels(reason).inc()
