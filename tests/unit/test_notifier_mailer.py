"""The mailer's reading of aiosmtplib's errors, without a server: what a failure means for
the notification (retry, refuse, or outcome unknown) and why a connection reached no server."""

import socket
import ssl
from datetime import UTC, datetime

import pytest
from aiosmtplib import (
    SMTPAuthenticationError,
    SMTPConnectError,
    SMTPConnectResponseError,
    SMTPConnectTimeoutError,
    SMTPDataError,
    SMTPReadTimeoutError,
    SMTPRecipientRefused,
    SMTPRecipientsRefused,
    SMTPSenderRefused,
    SMTPServerDisconnected,
)

from notifier.domain import Mail, SendFailure
from notifier.kinds import REVIEW_APPROVED, Links
from notifier.mailer import (
    ConnectFailure,
    MailComposer,
    classify_connect_error,
    classify_smtp_error,
    describe_smtp_error,
)

LINKS = Links(console_url="http://console.test", unseal=lambda sealed: sealed)


def _refused(*codes: int) -> SMTPRecipientsRefused:
    return SMTPRecipientsRefused(
        [SMTPRecipientRefused(code, "no", f"r{i}@example.com") for i, code in enumerate(codes)]
    )


@pytest.mark.parametrize(
    ("error", "data_started", "expected"),
    [
        (SMTPDataError(451, "try later"), True, SendFailure.TEMPORARY),
        (SMTPDataError(550, "no such user"), True, SendFailure.PERMANENT),
        (SMTPSenderRefused(553, "bad sender", "a@b"), False, SendFailure.PERMANENT),
        (_refused(550, 551), False, SendFailure.PERMANENT),
        (_refused(550, 450), False, SendFailure.TEMPORARY),
        (ValueError("address with a line break"), False, SendFailure.PERMANENT),
        (SMTPConnectError("refused"), False, SendFailure.TEMPORARY),
        (SMTPServerDisconnected("lost"), False, SendFailure.TEMPORARY),
        (SMTPServerDisconnected("lost"), True, SendFailure.UNKNOWN),
        (SMTPReadTimeoutError("no reply"), True, SendFailure.UNKNOWN),
        (TimeoutError(), False, SendFailure.TEMPORARY),
    ],
)
def test_an_smtp_reply_decides_and_without_one_data_started_means_unknown(
    error: Exception, data_started: bool, expected: SendFailure
) -> None:
    assert classify_smtp_error(error, data_started=data_started) == expected


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (SMTPDataError(550, "5.1.1 no such user"), "SMTP 550: 5.1.1 no such user"),
        (_refused(550, 450), "SMTP 550: no; SMTP 450: no"),
        (SMTPReadTimeoutError("Timed out"), "SMTPReadTimeoutError: Timed out"),
        (TimeoutError(), "TimeoutError"),
    ],
)
def test_an_smtp_error_is_described_for_the_delivery_log(error: Exception, expected: str) -> None:
    assert describe_smtp_error(error) == expected


def _caused_by(error: Exception, cause: BaseException) -> Exception:
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        pytest.param(
            _caused_by(SMTPConnectError("port 25"), ConnectionRefusedError(111, "refused")),
            ConnectFailure.REFUSED,
            id="refused",
        ),
        pytest.param(
            SMTPConnectTimeoutError("Timed out connecting"), ConnectFailure.TIMEOUT, id="timeout"
        ),
        pytest.param(
            _caused_by(SMTPConnectError("port 465"), ssl.SSLError(1, "wrong version number")),
            ConnectFailure.TLS,
            id="implicit TLS",
        ),
        pytest.param(
            ssl.SSLCertVerificationError(1, "certificate verify failed"),
            ConnectFailure.TLS,
            id="STARTTLS certificate",
        ),
        pytest.param(
            _caused_by(SMTPConnectError("no host"), socket.gaierror(-2, "Name not known")),
            ConnectFailure.UNREACHABLE,
            id="no such host",
        ),
        pytest.param(
            _caused_by(SMTPConnectError("cut"), SMTPServerDisconnected("closed")),
            ConnectFailure.UNREACHABLE,
            id="cut before the greeting",
        ),
        pytest.param(SMTPConnectResponseError(554, "go away"), None, id="greeting refused"),
        pytest.param(SMTPAuthenticationError(535, "bad password"), None, id="login refused"),
        pytest.param(ValueError("start_tls and use_tls"), None, id="client settings"),
    ],
)
def test_a_connect_failure_is_told_apart_from_a_server_that_answered(
    error: Exception, expected: ConnectFailure | None
) -> None:
    assert classify_connect_error(error) == expected


def test_the_composed_mail_carries_the_notifications_message_id_and_the_given_date() -> None:
    mail = Mail(
        notification_id="a-resend",
        correlation_id="corr-1",
        kind=REVIEW_APPROVED,
        account_id="account-1",
        to="ada@example.com",
        about={"application_id": "application-1", "decision": "approve"},
        content={"full_name": "Ada", "company_name": "Engines", "reason": None},
    )

    message = MailComposer(sender="MPP <no-reply@mpp.local>", links=LINKS).compose(
        mail, now=datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    )

    assert message["Message-ID"] == "<a-resend@notifier.mpp>"
    assert message["Date"] == "Mon, 02 Nov 2026 09:00:00 +0000"
    assert message["X-Correlation-ID"] == "corr-1"
