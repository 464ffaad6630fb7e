"""Sends the resends admins ask for, in the background of every replica.

A resend is recorded first (pending, in the delivery log) and sent afterwards through the
same claim as a review event, so it is exactly-once in effect like the original: a replica
that stops before DATA leaves it to be taken over at a later sweep, one that stops during
DATA leaves it failed as outcome unknown, never sent twice on a guess. Woken by a resend
request, it sends at once; every sweep interval it also takes what was left behind (a
temporary failure released for its next attempt, a replica that stopped).
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

# Sends the resends due now; True when more may be due (a full batch was taken).
type SendDue = Callable[[], Awaitable[bool]]


class Resender:
    def __init__(self, *, sweep_interval_s: float) -> None:
        self._sweep_interval_s = sweep_interval_s
        self._woken = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._woken.set()

    def start(self, send_due: SendDue) -> None:
        self._woken.set()  # a first sweep at start: what a stopped replica left behind
        self._task = asyncio.create_task(self._run(send_due), name="notifier-resender")

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _run(self, send_due: SendDue) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), self._sweep_interval_s)
            self._woken.clear()
            try:
                while await send_due():
                    pass
            except Exception:
                # The database or the mail server is away: the next sweep tries again.
                log.exception("sending the due resends failed")
