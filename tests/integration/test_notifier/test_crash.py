"""A notifier process killed mid-send: its successor must not mail the event again."""

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest
from pymongo.asynchronous.collection import AsyncCollection

from notifier.domain import OUTCOME_UNKNOWN_STOPPED
from notifier.settings import NotifierSettings
from shared.mongo import Document
from tests.support.bus import wait_until
from tests.support.infra import ROOT, free_port
from tests.support.smtp import ReceivedMail, SmtpServer

from .conftest import DeadQueue, MakeNotifierSettings, NewReview, Publish

# The claim lease, and retry delays that outlast it: the redelivered event finds the dead
# process's claim stale within the retries.
LEASE_S = 2
RETRY_DELAYS_MS = [500, 1000, 2000]


class NotifierProcess:
    def __init__(self, process: asyncio.subprocess.Process, *, port: int, log: Path) -> None:
        self.process = process
        self.url = f"http://127.0.0.1:{port}"
        self.log = log

    async def wait_ready(self, timeout: float = 30) -> None:
        async def ready() -> bool:
            assert self.process.returncode is None, self.log.read_text()
            try:
                async with (
                    aiohttp.ClientSession() as session,
                    session.get(f"{self.url}/readyz") as response,
                ):
                    return response.status == 200
            except aiohttp.ClientError:
                return False

        await wait_until(ready, timeout=timeout, interval=0.2)

    async def metrics(self) -> str:
        async with aiohttp.ClientSession() as session, session.get(f"{self.url}/metrics") as r:
            return await r.text()


@asynccontextmanager
async def notifier_process(
    settings: NotifierSettings, *, log: Path
) -> AsyncIterator[NotifierProcess]:
    """`python -m notifier` configured from the environment, as in a deployment."""
    port = free_port()
    env = {
        **os.environ,
        "MONGO_URL": settings.mongo_url,
        "MONGO_DATABASE": settings.mongo_database,
        "RABBITMQ_URL": settings.rabbitmq_url,
        "BUS_QUEUE_SUFFIX": settings.bus_queue_suffix,
        "BUS_RETRY_DELAYS_MS": json.dumps(settings.bus_retry_delays_ms),
        "CLAIM_LEASE_S": str(settings.claim_lease_s),
        "SMTP_HOST": settings.smtp_host,
        "SMTP_PORT": str(settings.smtp_port),
        "HTTP_PORT": str(port),
        "LOG_JSON": "false",
    }
    with log.open("w") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "notifier", env=env, cwd=ROOT, stdout=output, stderr=output
        )
    try:
        yield NotifierProcess(process, port=port, log=log)
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()


@pytest.mark.slow
async def test_a_notifier_killed_after_sending_does_not_mail_again_after_restart(
    make_notifier_settings: MakeNotifierSettings,
    publish: Publish,
    new_review: NewReview,
    smtp: SmtpServer,
    notifications: AsyncCollection[Document],
    dead_queue: DeadQueue,
    tmp_path: Path,
) -> None:
    settings = make_notifier_settings(claim_lease_s=LEASE_S, bus_retry_delays_ms=RETRY_DELAYS_MS)
    event = new_review("approve")
    message_id = f"<{event.id}@notifier.mpp>"

    async with notifier_process(settings, log=tmp_path / "first.log") as first:
        await first.wait_ready()

        def kill_the_sender(_: ReceivedMail) -> None:
            # The server has the mail; the sender dies before it hears 250 or acks the event.
            os.kill(first.process.pid, signal.SIGKILL)

        smtp.on_message = kill_the_sender
        await publish(event)
        assert await asyncio.wait_for(first.process.wait(), 20) == -signal.SIGKILL
    smtp.on_message = None
    assert len(smtp.mails_with_id(message_id)) == 1
    left = await notifications.find_one({"_id": event.id})
    assert left is not None
    assert left["status"] == "sending"  # the outcome is unknown to the notifier

    async with notifier_process(settings, log=tmp_path / "second.log") as second:
        await second.wait_ready()
        async with dead_queue() as dead:
            message = await dead.next_message(timeout=20)
        metrics = await second.metrics()

    assert message.message_id == event.id
    doc = await notifications.find_one({"_id": event.id})
    assert doc is not None
    assert doc["status"] == "failed"
    assert doc["last_error"] == OUTCOME_UNKNOWN_STOPPED
    assert (
        'mpp_notifier_mail_events_total{event_type="workspace.application.reviewed.v1",'
        'outcome="outcome_unknown"} 1.0'
    ) in metrics
    assert len(smtp.attempts) == 1
    assert len(smtp.mails_with_id(message_id)) == 1
