"""The whole application journey over HTTP, with a real reviewer token."""

from datetime import datetime
from typing import Any

from aiohttp.test_utils import TestClient

from tests.support.accounts import bearer, merchant_token, new_email, sign_up, staff_token
from tests.support.bus import wait_until
from tests.support.workspaces import active_workspace, decide, save_draft, submit


async def test_apply_reject_resubmit_approve_then_the_owner_adds_a_master(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    merchant = await sign_up(accounts, full_name="Ada Merchant")
    token = merchant["tokens"]["access_token"]
    reviewer = await staff_token(accounts, "reviewer")

    # Step 1: the role. Step 2: business details. Step 3: review. Then back to step 2.
    draft = await save_draft(workspaces, token, role="technical_merchant", step="business_details")
    assert draft["status"] == "draft"
    await save_draft(
        workspaces,
        token,
        company_name="acme apps",
        website="https://acme.example",
        contact_email="ops@acme.example",
        step="review",
    )
    back = await save_draft(workspaces, token, step="business_details", company_name="Acme Apps")
    assert back["step"] == "business_details"
    assert back["website"] == "https://acme.example"  # kept while going back
    current = await (
        await workspaces.get("/v1/workspace-applications/current", headers=bearer(token))
    ).json()
    assert current["company_name"] == "Acme Apps"

    first = await submit(workspaces, token)
    assert first["status"] == "under_review"
    submitted_at = datetime.fromisoformat(first["submitted_at"])
    decide_by = datetime.fromisoformat(first["expected_decision_by"])
    assert 2 <= (decide_by - submitted_at).days <= 4

    queue = await (
        await workspaces.get(
            "/v1/review/applications?status=under_review", headers=bearer(reviewer)
        )
    ).json()
    assert first["id"] in [item["id"] for item in queue["items"]]
    detail = await (
        await workspaces.get(f"/v1/review/applications/{first['id']}", headers=bearer(reviewer))
    ).json()
    assert detail["applicant"]["email"] == merchant["account"]["email"]
    rejected = await decide(
        workspaces,
        reviewer,
        first["id"],
        "reject",
        "Please add the company website of the legal entity",
    )
    assert rejected.status == 200

    current = await (
        await workspaces.get("/v1/workspace-applications/current", headers=bearer(token))
    ).json()
    assert current["status"] == "rejected"
    assert current["rejection_reason"] == "Please add the company website of the legal entity"

    # Resubmission starts prefilled from the rejected application and links to it.
    second_draft = await save_draft(workspaces, token, step="review")
    assert second_draft["id"] != first["id"]
    assert second_draft["previous_application_id"] == first["id"]
    assert second_draft["company_name"] == "Acme Apps"
    assert second_draft["contact_email"] == "ops@acme.example"
    second = await submit(workspaces, token)
    assert (await decide(workspaces, reviewer, second["id"], "approve")).status == 200

    workspace = await active_workspace(workspaces, token)
    assert workspace["name"] == "Acme Apps"
    assert workspace["my_role"] == "owner"
    logo = await workspaces.get(workspace["logo_url"], headers=bearer(token))
    assert logo.status == 200
    assert logo.content_type == "image/svg+xml"
    svg = await logo.text()
    assert ">A</text>" in svg
    assert 'fill="#' in svg
    again = await workspaces.get(workspace["logo_url"], headers=bearer(token))
    assert await again.text() == svg  # the colour was picked once and stored

    history = await (
        await workspaces.get("/v1/workspace-applications", headers=bearer(token))
    ).json()
    assert [a["status"] for a in history["items"]] == ["approved", "rejected"]

    master_email = new_email("master")
    master = await sign_up(accounts, email=master_email, full_name="Grace Master")

    async def added() -> bool:  # the directory learns the account from account.registered.v1
        response = await workspaces.post(
            f"/v1/workspaces/{workspace['id']}/members",
            json={"email": master_email, "role": "master"},
            headers=bearer(token),
        )
        return response.status == 201

    await wait_until(added, timeout=15)
    members = await (
        await workspaces.get(f"/v1/workspaces/{workspace['id']}/members", headers=bearer(token))
    ).json()
    assert {(m["email"], m["role"]) for m in members["items"]} == {
        (merchant["account"]["email"], "owner"),
        (master_email, "master"),
    }
    seen_by_master = await workspaces.get(
        f"/v1/workspaces/{workspace['id']}", headers=bearer(master["tokens"]["access_token"])
    )
    assert (await seen_by_master.json())["my_role"] == "master"


async def test_no_new_application_while_one_is_under_review_or_after_approval(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    token = await merchant_token(accounts)
    reviewer = await staff_token(accounts, "reviewer")
    await save_draft(workspaces, token, role="technical_merchant", company_name="Solo")
    application = await submit(workspaces, token)

    during = await workspaces.put(
        "/v1/workspace-applications/draft", json={"company_name": "X"}, headers=bearer(token)
    )
    assert during.status == 409
    assert (await during.json())["type"].endswith("/application-under-review")
    resubmit = await workspaces.post(
        "/v1/workspace-applications/draft/submit", headers=bearer(token)
    )
    assert resubmit.status == 409

    await decide(workspaces, reviewer, application["id"], "approve")
    after = await workspaces.put(
        "/v1/workspace-applications/draft", json={"company_name": "Y"}, headers=bearer(token)
    )
    assert after.status == 409
    assert (await after.json())["type"].endswith("/already-approved")
