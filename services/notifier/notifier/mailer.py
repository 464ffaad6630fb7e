"""Mails of every kind (kinds.py): rendered from Jinja2 templates, sent over SMTP with
aiosmtplib, whose errors are classified here into the domain's send failures."""

import asyncio
import ssl
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from enum import StrEnum
from typing import Any, Literal

import aiosmtplib
from aiosmtplib import SMTPRecipientsRefused, SMTPResponseException
from aiosmtplib.typing import Default
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from opentelemetry.trace import SpanKind

from notifier.domain import Mail, SendError, SendFailure
from notifier.kinds import Links
from notifier.settings import NotifierSettings
from shared.tracing import tracer


class MailComposer:
    """Builds the multipart/alternative message: plain text and HTML, English then Chinese."""

    def __init__(self, *, sender: str, links: Links) -> None:
        self._sender = sender
        self._links = links
        self._templates = Environment(
            loader=PackageLoader("notifier", "templates"),
            # HTML escapes everything it interpolates: a reason or a company name cannot inject
            # markup. Plain text is not HTML, so it is not escaped.
            autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )

    def compose(self, mail: Mail, *, now: datetime) -> EmailMessage:
        """Raises ValueError when the mail cannot be addressed (a header with a line break)
        or what it reveals cannot be (a sealed value that does not open)."""
        revealed = mail.kind.reveal(mail.content, self._links) if mail.kind.reveal else {}
        context = {**mail.content, **revealed, "subject": mail.subject}
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Date"] = format_datetime(now)
        message["Message-ID"] = mail.message_id
        message["X-Correlation-ID"] = mail.correlation_id
        message["Content-Language"] = "en, zh-CN"
        # RFC 3834: out-of-office responders must not answer it.
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(self._render(f"{mail.template}.txt", context))
        message.add_alternative(self._render(f"{mail.template}.html", context), subtype="html")
        return message

    def _render(self, name: str, context: dict[str, Any]) -> str:
        return self._templates.get_template(name).render(context)


# --- SMTP errors -------------------------------------------------------------------------


class ConnectFailure(StrEnum):
    """Why no SMTP conversation began (the label of the connect failures metric)."""

    REFUSED = "refused"  # nothing listens on the port
    TIMEOUT = "timeout"  # no connection or no greeting in time
    TLS = "tls"  # the TLS handshake failed (implicit TLS or STARTTLS), a bad certificate included
    UNREACHABLE = "unreachable"  # no route, no such host, or cut before the greeting


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


def classify_connect_error(error: Exception) -> ConnectFailure | None:
    """Why connecting failed, for an error raised while connecting; None when the server did
    answer (a refused greeting or login is an SMTP reply) or the client refused its own
    settings."""
    causes = list(_causes(error))
    if any(isinstance(cause, ssl.SSLError) for cause in causes):
        return ConnectFailure.TLS  # before ValueError: a certificate error is both
    if isinstance(error, SMTPResponseException | ValueError):
        return None
    if any(isinstance(cause, TimeoutError) for cause in causes):
        return ConnectFailure.TIMEOUT
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes):
        return ConnectFailure.REFUSED
    if any(isinstance(cause, OSError) for cause in causes):
        return ConnectFailure.UNREACHABLE  # aiosmtplib's own errors are ConnectionErrors
    return None


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _permanent(code: int) -> bool:
    return 500 <= code < 600


# --- sending -----------------------------------------------------------------------------


class _TrackedSmtp(aiosmtplib.SMTP):
    """Remembers whether DATA began: from then on a lost connection leaves the outcome unknown.
    `before_data` runs first, so a crash before it is known to have sent nothing."""

    data_started = False
    before_data: Callable[[], Awaitable[None]] | None = None

    async def data(
        self,
        message: str | bytes,
        /,
        *,
        timeout: float | Literal[Default.token] | None = Default.token,
    ) -> aiosmtplib.SMTPResponse:
        if self.before_data is not None:
            await self.before_data()
        self.data_started = True
        return await super().data(message, timeout=timeout)


class SmtpMailer:
    def __init__(
        self,
        settings: NotifierSettings,
        *,
        deadline_s: float,
        count_connect_failure: Callable[[ConnectFailure], None],
    ) -> None:
        self._settings = settings
        self._deadline_s = deadline_s
        self._count_connect_failure = count_connect_failure

    async def send(
        self, message: EmailMessage, *, before_data: Callable[[], Awaitable[None]] | None = None
    ) -> None:
        """One SMTP conversation for one message, within the deadline; raises SendError."""
        client = self._client()
        client.before_data = before_data
        accepted = False
        with tracer.start_as_current_span(
            "smtp send",
            kind=SpanKind.CLIENT,
            attributes={"server.address": client.hostname or "", "server.port": client.port or 0},
        ) as span:
            try:
                async with asyncio.timeout(self._deadline_s):
                    await self._connect(client)
                    async with client:
                        await client.send_message(message)
                        accepted = True
            except Exception as exc:  # every failure must settle the claim, whatever raised it
                if accepted:
                    return  # a failing QUIT does not take back a message the server accepted
                failure = classify_smtp_error(exc, data_started=client.data_started)
                span.set_attribute("mpp.smtp.failure", str(failure))
                raise SendError(failure, describe_smtp_error(exc)) from exc

    def _client(self) -> _TrackedSmtp:
        settings = self._settings
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return _TrackedSmtp(
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            use_tls=settings.smtp_security == "tls",
            # False, not None: "none" must not upgrade opportunistically either.
            start_tls=settings.smtp_security == "starttls",
            username=settings.smtp_username,
            password=password,
            timeout=settings.smtp_timeout_s,
        )

    async def _connect(self, client: _TrackedSmtp) -> None:
        """Connect (TLS and login included), counting the failures that reached no server."""
        try:
            await client.connect()
        except Exception as exc:
            if (failure := classify_connect_error(exc)) is not None:
                self._count_connect_failure(failure)
            raise
