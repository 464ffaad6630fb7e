"""Email verification and password reset links (single use, expiry on the app's clock, resend
throttled, the same answer for an unknown email, tokens never stored in clear), the password
change, and the sessions the user lists and ends."""

import asyncio
import statistics
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from accounts.api.context import IDENTITY_KEY
from accounts.app import create_app
from accounts.settings import AccountsSettings
from shared.sealing import Sealer, generate_key
from tests.support.accounts import STRONG_PASSWORD, bearer, database_text, new_email, sign_up
from tests.support.bus import Probe, events_probe, wait_until
from tests.support.clock import Clock

KEY = generate_key()
NEW_PASSWORD = "a brand new passphrase"
VERIFICATION = "account.email_verification.requested.v1"
RESET = "account.password_reset.requested.v1"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_accounts(
    make_settings: Callable[..., Any], serve: Callable[..., Any], clock: Clock
) -> Callable[..., Any]:
    async def make(**overrides: Any) -> TestClient[Any, Any]:
        settings = make_settings(AccountsSettings, mail_link_key=KEY, **overrides)
        client: TestClient[Any, Any] = await serve(create_app(settings, clock=clock))
        await wait_until(lambda: _ready(client), timeout=20)
        return client

    return make


async def _ready(client: TestClient[Any, Any]) -> bool:
    return (await client.get("/readyz")).status == 200


@pytest.fixture
async def accounts(make_accounts: Callable[..., Any]) -> TestClient[Any, Any]:
    client: TestClient[Any, Any] = await make_accounts()
    return client


@pytest.fixture
async def mails(rabbitmq_url: str) -> AsyncIterator[Probe]:
    async with events_probe(rabbitmq_url, [VERIFICATION, RESET]) as probe:
        yield probe


async def _link_token(mails: Probe, event_type: str, email: str) -> str:
    """The raw token of the link the event asks to mail, opened as the notifier opens it."""
    while True:
        event = await mails.next_event()
        if event["type"] == event_type and event["data"]["email"] == email:
            sealed: str = event["data"]["sealed_token"]
            return Sealer([KEY]).unseal(sealed)


async def _verify(accounts: TestClient[Any, Any], token: str) -> Any:
    return await accounts.post("/v1/email-verifications", json={"token": token})


async def _problem_type(response: Any) -> str:
    body = await response.json()
    slug: str = body["type"].rsplit("/", 1)[1]
    return slug


# --- email verification ------------------------------------------------------------------


async def test_signup_mails_a_link_that_verifies_the_email_once(
    accounts: TestClient[Any, Any], mails: Probe
) -> None:
    email = new_email()
    session = await sign_up(accounts, email=email)
    token = await _link_token(mails, VERIFICATION, email)

    first = await _verify(accounts, token)
    again = await _verify(accounts, token)

    assert session["account"]["email_verified"] is False
    assert first.status == 200
    assert (await first.json())["account"]["email_verified"] is True
    assert again.status == 400
    assert await _problem_type(again) == "link-invalid"
    me = await accounts.get("/v1/accounts/me", headers=bearer(session["tokens"]["access_token"]))
    assert (await me.json())["account"]["email_verified"] is True


async def test_a_verification_link_expires_after_24_hours_on_the_apps_clock(
    accounts: TestClient[Any, Any], mails: Probe, clock: Clock
) -> None:
    email = new_email()
    await sign_up(accounts, email=email)
    token = await _link_token(mails, VERIFICATION, email)

    clock.advance(hours=24)
    expired = await _verify(accounts, token)

    assert expired.status == 400
    assert await _problem_type(expired) == "link-expired"


async def test_a_resend_is_throttled_then_replaces_the_link(
    accounts: TestClient[Any, Any], mails: Probe, clock: Clock
) -> None:
    email = new_email()
    access = bearer((await sign_up(accounts, email=email))["tokens"]["access_token"])
    first = await _link_token(mails, VERIFICATION, email)

    too_soon = await accounts.post("/v1/accounts/me/email-verification", headers=access)
    clock.advance(seconds=61)
    resent = await accounts.post("/v1/accounts/me/email-verification", headers=access)
    second = await _link_token(mails, VERIFICATION, email)

    assert too_soon.status == 429
    assert int(too_soon.headers["Retry-After"]) >= 1
    assert resent.status == 202
    assert await _problem_type(await _verify(accounts, first)) == "link-invalid"
    assert (await _verify(accounts, second)).status == 200
    done = await accounts.post("/v1/accounts/me/email-verification", headers=access)
    assert done.status == 409


async def test_no_raw_link_token_is_stored_in_the_database(
    accounts: TestClient[Any, Any], mails: Probe
) -> None:
    email = new_email()
    await sign_up(accounts, email=email)
    await accounts.post("/v1/password-resets", json={"email": email})
    verification = await _link_token(mails, VERIFICATION, email)
    reset = await _link_token(mails, RESET, email)

    stored = await database_text(accounts)

    assert email in stored
    assert verification not in stored
    assert reset not in stored


# --- password reset --------------------------------------------------------------------------


async def test_a_reset_answers_the_same_for_an_unknown_email(
    accounts: TestClient[Any, Any], mails: Probe
) -> None:
    email = new_email()
    await sign_up(accounts, email=email)

    known = await accounts.post("/v1/password-resets", json={"email": email.upper()})
    unknown = await accounts.post("/v1/password-resets", json={"email": new_email()})

    assert known.status == unknown.status == 202
    assert await known.json() == await unknown.json()
    await _link_token(mails, RESET, email)
    await mails.assert_empty(wait=0.5)  # nothing for the unknown email


async def test_a_reset_answers_about_as_fast_for_an_unknown_email(
    make_accounts: Callable[..., Any],
) -> None:
    # Loosely: medians of repeated requests within a generous bound (the lookup and the
    # known email's write happen after the answer).
    accounts = await make_accounts(password_reset_max_per_email=100, password_reset_max_per_ip=1000)
    email = new_email()
    await sign_up(accounts, email=email)

    async def timed(address: str) -> float:
        started = time.perf_counter()
        response = await accounts.post("/v1/password-resets", json={"email": address})
        assert response.status == 202
        return time.perf_counter() - started

    known, unknown = [], []
    for _ in range(15):
        known.append(await timed(email))
        unknown.append(await timed(new_email()))

    difference = abs(statistics.median(known) - statistics.median(unknown))
    assert difference < 0.05, (statistics.median(known), statistics.median(unknown))


async def test_a_reset_is_answered_before_the_email_is_even_looked_up(
    accounts: TestClient[Any, Any], mails: Probe
) -> None:
    """What differs between a known and an unknown email (the lookup, the mail's write)
    happens after the answer, so no timing can tell them apart."""
    email = new_email()
    await sign_up(accounts, email=email)
    store = accounts.app[IDENTITY_KEY]._store
    looked_up, go_on = asyncio.Event(), asyncio.Event()
    account_by_email = store.account_by_email

    async def held_lookup(normalized: str) -> Any:
        looked_up.set()
        await go_on.wait()
        return await account_by_email(normalized)

    store.account_by_email = held_lookup  # type: ignore[method-assign]
    answer = await asyncio.wait_for(
        accounts.post("/v1/password-resets", json={"email": email}), timeout=5
    )

    assert answer.status == 202
    await asyncio.wait_for(looked_up.wait(), timeout=5)
    go_on.set()
    assert await _link_token(mails, RESET, email)


async def test_the_reset_link_sets_a_password_once_and_ends_every_session(
    accounts: TestClient[Any, Any], mails: Probe
) -> None:
    email = new_email()
    tokens = (await sign_up(accounts, email=email))["tokens"]
    await accounts.post("/v1/password-resets", json={"email": email})
    token = await _link_token(mails, RESET, email)

    weak = await accounts.post(
        "/v1/password-resets/confirm", json={"token": token, "password": "password1"}
    )
    done = await accounts.post(
        "/v1/password-resets/confirm", json={"token": token, "password": NEW_PASSWORD}
    )
    again = await accounts.post(
        "/v1/password-resets/confirm", json={"token": token, "password": NEW_PASSWORD}
    )

    assert weak.status == 422
    assert (await weak.json())["errors"][0]["field"] == "password"
    assert done.status == 204
    assert await _problem_type(again) == "link-invalid"
    refresh = await accounts.post(
        "/v1/sessions/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refresh.status == 401
    old = await accounts.post("/v1/sessions", json={"email": email, "password": STRONG_PASSWORD})
    new = await accounts.post("/v1/sessions", json={"email": email, "password": NEW_PASSWORD})
    assert (old.status, new.status) == (401, 200)

    async def access_refused() -> bool:
        me = await accounts.get("/v1/accounts/me", headers=bearer(tokens["access_token"]))
        return me.status == 401

    await wait_until(access_refused, timeout=10)


async def test_a_reset_link_expires_after_30_minutes(
    accounts: TestClient[Any, Any], mails: Probe, clock: Clock
) -> None:
    email = new_email()
    await sign_up(accounts, email=email)
    await accounts.post("/v1/password-resets", json={"email": email})
    token = await _link_token(mails, RESET, email)

    clock.advance(minutes=30)
    expired = await accounts.post(
        "/v1/password-resets/confirm", json={"token": token, "password": NEW_PASSWORD}
    )

    assert expired.status == 400
    assert await _problem_type(expired) == "link-expired"


async def test_reset_requests_are_throttled_per_email_and_per_client_address(
    make_accounts: Callable[..., Any],
) -> None:
    accounts = await make_accounts(password_reset_max_per_email=2, password_reset_max_per_ip=3)
    email = new_email()

    per_email = [
        (await accounts.post("/v1/password-resets", json={"email": email})).status for _ in range(3)
    ]
    other = await accounts.post("/v1/password-resets", json={"email": new_email()})
    per_address = await accounts.post("/v1/password-resets", json={"email": new_email()})

    assert per_email == [202, 202, 429]
    assert other.status == 202  # the address's third
    assert per_address.status == 429
    assert int(per_address.headers["Retry-After"]) > 0
