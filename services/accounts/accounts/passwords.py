"""Password hashing (argon2id, off the event loop) and the policy every password meets."""

import asyncio
import contextlib
import os
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from accounts.field_codes import PASSWORD_COMMON, PASSWORD_TOO_LONG, PASSWORD_TOO_SHORT
from shared.field_errors import FieldCode, Param

MIN_LENGTH = 8
MAX_LENGTH = 128
# How much lower the hashing threads' scheduling priority is than the event loop's (nice).
HASHING_NICENESS = 10


@cache
def _common_passwords() -> frozenset[str]:
    # zxcvbn's list of the 30,000 most used passwords, well past ASVS's "top 3,000".
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_refusal(password: str) -> tuple[FieldCode, dict[str, Param]] | None:
    """Why the password is refused (a field error's code and params), or None. No
    composition rules, only length and commonness."""
    if len(password) < MIN_LENGTH:
        return PASSWORD_TOO_SHORT, {"min": MIN_LENGTH}
    if len(password) > MAX_LENGTH:
        return PASSWORD_TOO_LONG, {"max": MAX_LENGTH}
    if password.lower() in _common_passwords():
        return PASSWORD_COMMON, {}
    return None


def password_problem(password: str) -> str | None:
    """Why the password is refused, in English, or None."""
    if refusal := password_refusal(password):
        code, params = refusal
        return code.message.format(**params)
    return None


def lower_thread_priority() -> None:
    """Make the calling thread nicer. argon2 keeps its threads busy on purpose: at a lower
    priority they leave the cores to the event loop whenever it has work, so other requests
    stay fast during a burst of signups (measured by bench/scenarios/signup.py). Linux
    schedules each thread on its own; where that fails, the thread keeps its priority."""
    with contextlib.suppress(OSError):
        thread = threading.get_native_id()
        niceness = os.getpriority(os.PRIO_PROCESS, thread) + HASHING_NICENESS
        os.setpriority(os.PRIO_PROCESS, thread, niceness)


class PasswordHashing:
    """argon2id in a bounded pool of low-priority threads: hashing never blocks the event
    loop, nor starves it of CPU."""

    def __init__(self, *, memory_kib: int, iterations: int, threads: int) -> None:
        self._hasher = PasswordHasher(time_cost=iterations, memory_cost=memory_kib, parallelism=1)
        self._pool = ThreadPoolExecutor(
            max_workers=threads, thread_name_prefix="argon2", initializer=lower_thread_priority
        )
        self._dummy_hash: str | None = None

    async def hash(self, password: str) -> str:
        return await asyncio.get_running_loop().run_in_executor(
            self._pool, self._hasher.hash, password
        )

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """True if it matches. With no hash (unknown account) a dummy hash is verified
        anyway, so the answer takes as long whether the account exists or not; it is False."""
        if password_hash is None:
            if self._dummy_hash is None:
                self._dummy_hash = await self.hash(secrets.token_urlsafe(16))
            await asyncio.get_running_loop().run_in_executor(
                self._pool, self._verify, self._dummy_hash, password
            )
            return False
        return await asyncio.get_running_loop().run_in_executor(
            self._pool, self._verify, password_hash, password
        )

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
