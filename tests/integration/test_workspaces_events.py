"""The workspaces service's events reach a real RabbitMQ queue with the documented payloads."""

from typing import Any

from aiohttp.test_utils import TestClient

from tests.support.accounts import bearer, new_email, sign_up, staff_token
from tests.support.bus import events_probe, wait_until
from tests.support.workspaces import active_workspace, apply, decide


async def _ready(client: TestClient[Any, Any]) -> bool:
    return (await client.get("/readyz")).status == 200


async def test_review_provisioning_and_membership_events_carry_the_documented_payloads(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any], rabbitmq_url: str
) -> None:
    await wait_until(lambda: _ready(workspaces))
    async with events_probe(rabbitmq_url, ["workspace.#"]) as probe:
        merchant = await sign_up(accounts, full_name="Ada Merchant")
        token = merchant["tokens"]["access_token"]
        reviewer = await staff_token(accounts, "reviewer")
        application = await apply(workspaces, token, company_name="Acme Apps")
        await decide(workspaces, reviewer, application["id"], "reject", "Missing website")
        events = [await probe.next_event() for _ in range(2)]
        second = await apply(workspaces, token, company_name="Acme Apps")
        await decide(workspaces, reviewer, second["id"], "approve")
        workspace = await active_workspace(workspaces, token)
        events += [await probe.next_event() for _ in range(3)]
        master_email = new_email("master")
        await sign_up(accounts, email=master_email)

        async def added() -> bool:
            response = await workspaces.post(
                f"/v1/workspaces/{workspace['id']}/members",
                json={"email": master_email, "role": "master"},
                headers=bearer(token),
            )
            return response.status == 201

        await wait_until(added, timeout=15)
        events.append(await probe.next_event())

    by_type: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        by_type.setdefault(event["type"], []).append(event)
    submitted = by_type["workspace.application.submitted.v1"][0]["data"]
    assert submitted["application_id"] == application["id"]
    assert submitted["email"] == merchant["account"]["email"]
    assert submitted["full_name"] == "Ada Merchant"
    assert submitted["company_name"] == "Acme Apps"
    assert submitted["expected_decision_by"]

    rejected, approved = (e["data"] for e in by_type["workspace.application.reviewed.v1"])
    assert set(rejected) >= {
        "application_id",
        "account_id",
        "email",
        "full_name",
        "company_name",
        "decision",
        "reason",
        "reviewed_at",
    }
    assert (rejected["decision"], rejected["reason"]) == ("reject", "Missing website")
    assert rejected["account_id"] == merchant["account"]["id"]
    assert rejected["email"] == merchant["account"]["email"]
    assert (approved["decision"], approved["application_id"]) == ("approve", second["id"])

    created = by_type["workspace.created.v1"][0]
    assert created["data"]["workspace_id"] == workspace["id"]
    assert created["data"]["owner_account_id"] == merchant["account"]["id"]
    assert created["data"]["name"] == "Acme Apps"
    approved_event = by_type["workspace.application.reviewed.v1"][1]
    assert created["causation_id"] == approved_event["id"]
    assert created["correlation_id"] == approved_event["correlation_id"]

    added_event = by_type["workspace.member.added.v1"][0]["data"]
    assert (added_event["email"], added_event["role"]) == (master_email, "master")
    assert added_event["workspace_id"] == workspace["id"]
