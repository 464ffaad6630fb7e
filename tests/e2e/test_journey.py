"""A new merchant and a reviewer through every step, against the four services as processes."""

import asyncio
from typing import Any

import aiohttp
import pytest

from tests.support.accounts import STRONG_PASSWORD, new_email
from tests.support.bus import wait_until
from tests.support.smtp import SmtpServer
from tests.support.stack import PlatformClient, Stack

pytestmark = pytest.mark.slow


def _mail_to(smtp: SmtpServer, email: str) -> list[Any]:
    """The review mails to this email (a signup is mailed a verification link too)."""
    return [
        m
        for m in smtp.mails
        if email in m.rcpt_tos and "workspace application" in m.message["Subject"]
    ]


async def test_a_merchant_goes_from_signup_to_ten_mini_programs(
    stack: Stack, smtp: SmtpServer
) -> None:
    reviewer_email = new_email("reviewer")
    await stack.create_staff(reviewer_email, "reviewer", "review the merchants")
    async with aiohttp.ClientSession() as http:
        merchant, reviewer = PlatformClient(stack, http), PlatformClient(stack, http)
        await reviewer.log_in(reviewer_email, "review the merchants")

        # Sign up with the Terms of Service: logged in at once.
        email = new_email("merchant")
        status, signup = await merchant.call(
            "accounts",
            "POST",
            "/v1/accounts",
            json={
                "email": email,
                "password": STRONG_PASSWORD,
                "full_name": "Ada Merchant",
                "accept_terms": True,
            },
        )
        assert status == 201
        assert signup["next_step"] == "apply_workspace"
        merchant.token = signup["tokens"]["access_token"]

        # Apply: role, business details, review, submit.
        for step in (
            {"role": "technical_merchant", "step": "business_details"},
            {"company_name": "Acme Mini Apps", "website": "https://acme.example", "step": "review"},
        ):
            status, _ = await merchant.call(
                "workspaces", "PUT", "/v1/workspace-applications/draft", json=step
            )
            assert status == 200
        status, first = await merchant.call(
            "workspaces", "POST", "/v1/workspace-applications/draft/submit"
        )
        assert status == 201
        status, current = await merchant.call(
            "workspaces", "GET", "/v1/workspace-applications/current"
        )
        assert current["status"] == "under_review"

        # The reviewer rejects with a reason; the rejection mail arrives.
        status, _ = await reviewer.call(
            "workspaces",
            "POST",
            f"/v1/review/applications/{first['id']}/decision",
            json={"decision": "reject", "reason": "Add the website of the legal entity"},
        )
        assert status == 200
        await wait_until(lambda: _mail_to(smtp, email), timeout=20)
        rejection = _mail_to(smtp, email)[0].message
        assert "Add the website of the legal entity" in rejection.get_body(("plain",)).get_content()

        # Resubmit (prefilled), approve; the approval mail arrives.
        status, draft = await merchant.call(
            "workspaces", "PUT", "/v1/workspace-applications/draft", json={"step": "review"}
        )
        assert draft["company_name"] == "Acme Mini Apps"
        status, second = await merchant.call(
            "workspaces", "POST", "/v1/workspace-applications/draft/submit"
        )
        assert status == 201
        status, _ = await reviewer.call(
            "workspaces",
            "POST",
            f"/v1/review/applications/{second['id']}/decision",
            json={"decision": "approve"},
        )
        assert status == 200
        await wait_until(lambda: len(_mail_to(smtp, email)) == 2, timeout=20)
        assert len({m.message_id for m in _mail_to(smtp, email)}) == 2

        # Log in again: the workspace is ready and active.
        async def ready() -> bool:
            return (await merchant.log_in(email))["next_step"] == "workspace_ready"

        await wait_until(ready, timeout=20)
        status, workspaces = await merchant.call("workspaces", "GET", "/v1/workspaces")
        workspace = workspaces["items"][0]
        assert (workspace["status"], workspace["my_role"]) == ("active", "owner")

        # The owner creates a mini program once miniprograms has learned the workspace.
        async def owner_created() -> bool:
            status, _ = await merchant.create_mini_program(workspace["id"], "Owner 程序 1")
            return status == 201

        await wait_until(owner_created, timeout=20)

        # A master, added by the owner, creates another.
        master_email = new_email("master")
        master = PlatformClient(stack, http)
        status, _ = await master.call(
            "accounts",
            "POST",
            "/v1/accounts",
            json={
                "email": master_email,
                "password": STRONG_PASSWORD,
                "full_name": "Grace Master",
                "accept_terms": True,
            },
        )
        assert status == 201
        await master.log_in(master_email)

        async def added() -> bool:
            status, _ = await merchant.call(
                "workspaces",
                "POST",
                f"/v1/workspaces/{workspace['id']}/members",
                json={"email": master_email, "role": "master"},
            )
            return status == 201

        await wait_until(added, timeout=20)

        async def master_created() -> bool:
            status, _ = await master.create_mini_program(workspace["id"], "Master 程序 2")
            return status == 201

        await wait_until(master_created, timeout=20)

        # Up to ten; the eleventh is refused.
        results = await asyncio.gather(
            *(merchant.create_mini_program(workspace["id"], f"Program {i:02}") for i in range(9))
        )
        statuses = sorted(status for status, _ in results)
        assert statuses == [201] * 8 + [409]
        refused = next(body for status, body in results if status == 409)
        assert refused["type"].endswith("/mini-program-limit-reached")
        status, page = await merchant.call(
            "miniprograms", "GET", f"/v1/mini-programs?workspace_id={workspace['id']}"
        )
        assert page["quota"] == {"used": 10, "limit": 10}
