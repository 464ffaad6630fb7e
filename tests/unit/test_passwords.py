"""Password policy (length and commonness only) and argon2id hashing off the loop."""

import asyncio
import os
import threading
from collections.abc import Iterator

import pytest

from accounts.passwords import HASHING_NICENESS, PasswordHashing, password_problem


@pytest.fixture
def hashing() -> Iterator[PasswordHashing]:
    hashing = PasswordHashing(memory_kib=19456, iterations=2, threads=1)
    yield hashing
    hashing.close()


def test_seven_characters_are_too_short() -> None:
    assert password_problem("Zq7!mP2") == "must be at least 8 characters"


def test_eight_uncommon_characters_are_accepted() -> None:
    assert password_problem("Zq7!mP2x") is None


def test_128_characters_are_accepted() -> None:
    assert password_problem("Zq7!mP2x" * 16) is None


def test_129_characters_are_too_long() -> None:
    assert password_problem("Zq7!mP2x" * 16 + "y") == "must be at most 128 characters"


@pytest.mark.parametrize("password", ["password123", "Password123", "PASSWORD123", "iloveyou"])
def test_common_passwords_are_refused_whatever_their_case(password: str) -> None:
    problem = password_problem(password)

    assert problem is not None
    assert "common" in problem


def test_long_passphrase_without_digits_or_symbols_is_accepted() -> None:
    assert password_problem("tundra lantern orchid velvet") is None


async def test_hashed_password_verifies(hashing: PasswordHashing) -> None:
    password_hash = await hashing.hash("tundra lantern orchid velvet")

    assert await hashing.verify(password_hash, "tundra lantern orchid velvet") is True


async def test_wrong_password_does_not_verify(hashing: PasswordHashing) -> None:
    password_hash = await hashing.hash("tundra lantern orchid velvet")

    assert await hashing.verify(password_hash, "tundra lantern orchid velvee") is False


async def test_verify_without_a_hash_is_false(hashing: PasswordHashing) -> None:
    assert await hashing.verify(None, "tundra lantern orchid velvet") is False


async def test_verify_without_a_hash_is_false_even_for_the_dummy_password(
    hashing: PasswordHashing,
) -> None:
    assert await hashing.verify(None, "dummy password for timing") is False


async def test_malformed_hash_does_not_verify(hashing: PasswordHashing) -> None:
    assert await hashing.verify("not-an-argon2-hash", "tundra lantern orchid velvet") is False


async def test_hash_is_argon2id_with_the_configured_cost(hashing: PasswordHashing) -> None:
    password_hash = await hashing.hash("tundra lantern orchid velvet")

    assert password_hash.startswith("$argon2id$")
    assert "$m=19456,t=2,p=1$" in password_hash


async def test_hashes_of_the_same_password_are_salted(hashing: PasswordHashing) -> None:
    first = await hashing.hash("tundra lantern orchid velvet")
    second = await hashing.hash("tundra lantern orchid velvet")

    assert first != second


async def test_hash_with_weaker_cost_needs_rehash(hashing: PasswordHashing) -> None:
    weaker = PasswordHashing(memory_kib=1024, iterations=1, threads=1)
    try:
        old_hash = await weaker.hash("tundra lantern orchid velvet")
    finally:
        weaker.close()

    assert hashing.needs_rehash(old_hash) is True
    assert hashing.needs_rehash(await hashing.hash("tundra lantern orchid velvet")) is False


async def test_hashing_threads_run_at_a_lower_priority_than_the_event_loop(
    hashing: PasswordHashing,
) -> None:
    def own_niceness() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    await hashing.hash("tundra lantern orchid velvet")  # the pool's thread now exists
    in_pool = await asyncio.get_running_loop().run_in_executor(hashing._pool, own_niceness)

    assert in_pool == own_niceness() + HASHING_NICENESS
