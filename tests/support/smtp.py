"""A real SMTP server on loopback (aiosmtpd) that records what it receives and answers as told."""

import asyncio
import email
import email.policy
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.support.infra import free_port

ACCEPT = "250 2.0.0 OK: queued"


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


class SmtpServer:
    """Records every message that reaches DATA (`attempts`) and the ones it accepted (`mails`).

    `answer(...)` scripts the replies to the next messages, in order: a reply line such as
    "451 4.3.0 try later", or None to accept; once the script runs out every message is
    accepted. `on_message` runs (in the server's thread) after a message is recorded and before
    the reply; `stall_s` delays every reply.
    """

    def __init__(self) -> None:
        self.port = free_port()
        self.on_message: Callable[[ReceivedMail], None] | None = None
        self.stall_s = 0.0
        self._replies: deque[str | None] = deque()
        self._attempts: list[ReceivedMail] = []
        self._mails: list[ReceivedMail] = []
        self._lock = threading.Lock()
        # server_hostname: skip the FQDN lookup aiosmtpd would do (slow without DNS).
        self._controller = Controller(
            self, hostname="127.0.0.1", port=self.port, server_hostname="smtp.test"
        )

    def answer(self, *replies: str | None) -> None:
        with self._lock:
            self._replies.extend(replies)

    @property
    def attempts(self) -> list[ReceivedMail]:
        with self._lock:
            return list(self._attempts)

    @property
    def mails(self) -> list[ReceivedMail]:
        with self._lock:
            return list(self._mails)

    def mails_with_id(self, message_id: str) -> list[ReceivedMail]:
        return [m for m in self.mails if m.message_id == message_id]

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        # With the default policy the parser builds EmailMessage (get_body, get_content).
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        mail = ReceivedMail(
            mail_from=envelope.mail_from,
            rcpt_tos=list(envelope.rcpt_tos),
            message=message,
        )
        with self._lock:
            reply = self._replies.popleft() if self._replies else None
            self._attempts.append(mail)
            if reply is None:
                self._mails.append(mail)
        if self.on_message is not None:
            self.on_message(mail)
        if self.stall_s:
            await asyncio.sleep(self.stall_s)
        return reply or ACCEPT

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()


@contextmanager
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
