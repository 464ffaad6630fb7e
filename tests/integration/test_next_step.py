"""accounts learns the applicant's next step from the workspace events."""

from typing import Any

from aiohttp.test_utils import TestClient

from tests.support.accounts import STRONG_PASSWORD, bearer, new_email, sign_up, staff_token
from tests.support.bus import wait_until
from tests.support.workspaces import active_workspace, apply, decide


async def _next_step_is(accounts: TestClient[Any, Any], email: str, step: str) -> bool:
    response = await accounts.post(
        "/v1/sessions", json={"email": email, "password": STRONG_PASSWORD}
    )
    return bool((await response.json())["next_step"] == step)


async def test_login_tells_the_next_step_as_the_application_moves(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    merchant = await sign_up(accounts)
    email, token = merchant["account"]["email"], merchant["tokens"]["access_token"]
    reviewer = await staff_token(accounts, "reviewer")
    assert merchant["next_step"] == "apply_workspace"

    first = await apply(workspaces, token)
    await wait_until(lambda: _next_step_is(accounts, email, "application_under_review"))
    await decide(workspaces, reviewer, first["id"], "reject", "Incomplete")
    await wait_until(lambda: _next_step_is(accounts, email, "application_rejected"))
    second = await apply(workspaces, token)
    await wait_until(lambda: _next_step_is(accounts, email, "application_under_review"))
    await decide(workspaces, reviewer, second["id"], "approve")
    await wait_until(lambda: _next_step_is(accounts, email, "workspace_ready"))


async def test_a_member_added_to_a_workspace_is_sent_to_the_console_until_removed(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    owner = (await sign_up(accounts))["tokens"]["access_token"]
    reviewer = await staff_token(accounts, "reviewer")
    await decide(workspaces, reviewer, (await apply(workspaces, owner))["id"], "approve")
    workspace = (await active_workspace(workspaces, owner))["id"]
    developer_email = new_email("developer")
    developer = (await sign_up(accounts, email=developer_email))["account"]["id"]

    async def added() -> bool:  # once workspaces has learned the account from its event
        response = await workspaces.post(
            f"/v1/workspaces/{workspace}/members",
            json={"email": developer_email, "role": "developer"},
            headers=bearer(owner),
        )
        return response.status == 201

    await wait_until(added, timeout=15)
    await wait_until(lambda: _next_step_is(accounts, developer_email, "workspace_ready"))
    removed = await workspaces.delete(
        f"/v1/workspaces/{workspace}/members/{developer}", headers=bearer(owner)
    )
    assert removed.status == 204
    await wait_until(lambda: _next_step_is(accounts, developer_email, "apply_workspace"))


async def test_an_older_event_arriving_late_does_not_undo_a_newer_step(
    accounts: TestClient[Any, Any],
) -> None:
    from datetime import timedelta

    from accounts.api import SERVICE_KEY
    from accounts.domain import NextStep
    from shared.contracts.workspaces import ApplicationSubmittedV1
    from shared.events import new_event

    merchant = await sign_up(accounts)
    account_id = merchant["account"]["id"]
    service = accounts.app[SERVICE_KEY]
    submitted = new_event(
        ApplicationSubmittedV1(
            application_id="a",
            account_id=account_id,
            email="x@y.example",
            full_name="X",
            company_name="C",
            submitted_at=merchant["account"]["created_at"],
            expected_decision_by=merchant["account"]["created_at"],
        ),
        producer="workspaces",
    )
    newer = submitted.model_copy(
        update={"id": "newer", "occurred_at": submitted.occurred_at + timedelta(1)}
    )

    await service.learn_application_step(account_id, NextStep.APPLICATION_REJECTED, event=newer)
    await service.learn_application_step(
        account_id, NextStep.APPLICATION_UNDER_REVIEW, event=submitted
    )

    me = await service.get_account(account_id)
    assert me is not None
    assert me.next_step == NextStep.APPLICATION_REJECTED
