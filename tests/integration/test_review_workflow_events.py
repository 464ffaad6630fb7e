"""The review workflow against the real broker: a withdrawal racing a decision on two
replicas has exactly one winner (409 for the loser, one event), a withdrawal reaches the
activity log and the applicant's next step, the queue's email_verified filter follows
account.email_verified.v1, and no internal note is in any event."""

import asyncio
import json
from collections.abc import Callable
from typing import Any

from aiohttp.test_utils import TestClient

from shared.sealing import Sealer
from tests.conftest import TEST_MAIL_LINK_KEY
from tests.support.accounts import STRONG_PASSWORD, bearer, new_email, sign_up, staff_token
from tests.support.bus import events_probe, wait_until
from tests.support.review import get_json, slug, under_review
from tests.support.workspaces import apply, decide
from workspaces.app import create_app
from workspaces.settings import WorkspacesSettings

RACES = 8
REVIEWED = "workspace.application.reviewed.v1"
WITHDRAWN = "workspace.application.withdrawn.v1"


async def test_a_withdrawal_racing_a_decision_on_two_replicas_has_exactly_one_winner(
    accounts: TestClient[Any, Any],
    workspaces: TestClient[Any, Any],
    make_settings: Callable[..., Any],
    serve: Callable[..., Any],
    rabbitmq_url: str,
) -> None:
    replica: TestClient[Any, Any] = await serve(
        create_app(
            make_settings(
                WorkspacesSettings, jwks_url=str(accounts.make_url("/.well-known/jwks.json"))
            )
        )
    )
    reviewer = await staff_token(accounts, "reviewer")
    contenders = [await under_review(accounts, workspaces) for _ in range(RACES)]

    async with events_probe(rabbitmq_url, [REVIEWED, WITHDRAWN]) as probe:
        for n, (merchant, application) in enumerate(contenders):
            # Each side on its own replica, swapping sides every round.
            withdraw_on, decide_on = (workspaces, replica) if n % 2 else (replica, workspaces)
            withdrawal, decision = await asyncio.gather(
                withdraw_on.post(
                    "/v1/workspace-applications/current/withdraw", headers=bearer(merchant)
                ),
                decide(
                    decide_on, reviewer, application["id"], "reject" if n % 3 else "approve", "r"
                ),
            )
            assert sorted([withdrawal.status, decision.status]) == [200, 409], n
            final = await get_json(
                workspaces, f"/v1/review/applications/{application['id']}", reviewer
            )
            if withdrawal.status == 200:
                assert final["status"] == "withdrawn"
                assert await slug(decision) == "application-withdrawn"
            else:
                assert final["status"] in ("approved", "rejected")
                assert await slug(withdrawal) == "already-decided"
            event = await probe.next_event()
            assert event["data"]["application_id"] == application["id"]
            assert event["type"] == (WITHDRAWN if withdrawal.status == 200 else REVIEWED)
        await probe.assert_empty(wait=1.0)  # one event per application, the winner's


async def _next_step_is(accounts: TestClient[Any, Any], email: str, step: str) -> bool:
    response = await accounts.post(
        "/v1/sessions", json={"email": email, "password": STRONG_PASSWORD}
    )
    return bool((await response.json())["next_step"] == step)


async def test_a_withdrawal_is_in_the_activity_log_and_sends_the_applicant_back_to_apply(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any], rabbitmq_url: str
) -> None:
    merchant = await sign_up(accounts)
    email, token = merchant["account"]["email"], merchant["tokens"]["access_token"]
    reviewer = await staff_token(accounts, "reviewer")
    note = "internal-only-7f3a"
    async with events_probe(rabbitmq_url, ["#"]) as everything:
        application = await apply(workspaces, token)
        await wait_until(lambda: _next_step_is(accounts, email, "application_under_review"))
        added = await workspaces.post(
            f"/v1/review/applications/{application['id']}/notes",
            json={"text": note},
            headers=bearer(reviewer),
        )
        assert added.status == 201
        withdrawn = await workspaces.post(
            "/v1/workspace-applications/current/withdraw", headers=bearer(token)
        )
        assert withdrawn.status == 200
        await wait_until(lambda: _next_step_is(accounts, email, "apply_workspace"))

        async def recorded() -> bool:
            log = await get_json(
                workspaces, f"/v1/workspace-applications/{application['id']}/activity", token
            )
            return "application.withdrawn" in [e["kind"] for e in log["items"]]

        await wait_until(recorded, timeout=15)
        second = await apply(workspaces, token)
        assert second["previous_application_id"] == application["id"]
        rejected = await decide(workspaces, reviewer, second["id"], "reject", "r")
        assert rejected.status == 200
        await wait_until(lambda: _next_step_is(accounts, email, "application_rejected"))
        bodies = []
        while True:
            try:
                bodies.append((await everything.next_message(timeout=0.5)).body.decode())
            except TimeoutError:
                break
    types = {json.loads(body)["type"] for body in bodies}
    assert {WITHDRAWN, REVIEWED, "workspace.application.submitted.v1"} <= types
    assert all(note not in body for body in bodies)  # no note in any event


async def test_the_queue_filters_by_whether_the_applicants_email_is_verified(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any], rabbitmq_url: str
) -> None:
    email = new_email()
    async with events_probe(rabbitmq_url, ["account.email_verification.requested.v1"]) as mails:
        applicant = (await sign_up(accounts, email=email))["tokens"]["access_token"]
        sealed = (await mails.next_event())["data"]["sealed_token"]
    reviewer = await staff_token(accounts, "reviewer")
    application = await apply(workspaces, applicant)

    async def in_queue(verified: str) -> bool:
        page = await get_json(
            workspaces, f"/v1/review/applications?limit=100&email_verified={verified}", reviewer
        )
        return application["id"] in [a["id"] for a in page["items"]]

    assert await in_queue("false")
    assert not await in_queue("true")
    token = Sealer([TEST_MAIL_LINK_KEY]).unseal(sealed)
    assert (await accounts.post("/v1/email-verifications", json={"token": token})).status == 200
    await wait_until(lambda: in_queue("true"), timeout=15)
    assert not await in_queue("false")
