"""A team against the four services as processes: the owner invites by email, the invitee
takes the link from the mailbox, signs up and accepts; a grant lets them work on one mini
program; and the workspace's activity log holds every step once, newest first."""

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from tests.support.accounts import STRONG_PASSWORD, new_email
from tests.support.bus import wait_until
from tests.support.images import image_bytes
from tests.support.miniprograms import VALID
from tests.support.smtp import SmtpServer
from tests.support.stack import PlatformClient, Stack

pytestmark = pytest.mark.slow

# Oldest first: every change of the scenario, as the log must record it.
SCENARIO = [
    "application.submitted",
    "application.decided",
    "workspace.created",
    "member.invited",
    "member.joined",
    "member.role_changed",
    "mini_program.created",
    "access.granted",
    "mini_program.modified",
    "access.revoked",
    "member.removed",
]


async def _sign_up(client: PlatformClient, email: str) -> str:
    status, body = await client.call(
        "accounts",
        "POST",
        "/v1/accounts",
        json={
            "email": email,
            "password": STRONG_PASSWORD,
            "full_name": "Team Member",
            "accept_terms": True,
        },
    )
    assert status == 201, body
    client.token = body["tokens"]["access_token"]
    account_id: str = body["account"]["id"]
    return account_id


def _invitation_token(smtp: SmtpServer, email: str) -> str | None:
    for mail in smtp.mails:
        if mail.rcpt_tos == [email]:
            text = mail.message.get_body(("plain",)).get_content()
            link = re.search(r"\S+/invitations/accept\?token=\S+", text)
            if link:
                return parse_qs(urlsplit(link.group(0)).query)["token"][0]
    return None


async def _owner_with_workspace(stack: Stack, http: aiohttp.ClientSession) -> tuple[Any, str]:
    reviewer_email = new_email("reviewer")
    await stack.create_staff(reviewer_email, "reviewer", "review the merchants")
    reviewer, owner = PlatformClient(stack, http), PlatformClient(stack, http)
    await reviewer.log_in(reviewer_email, "review the merchants")
    await _sign_up(owner, new_email("owner"))
    form = {"role": "technical_merchant", "company_name": "Acme Team", "step": "review"}
    status, _ = await owner.call("workspaces", "PUT", "/v1/workspace-applications/draft", json=form)
    assert status == 200
    status, application = await owner.call(
        "workspaces", "POST", "/v1/workspace-applications/draft/submit"
    )
    assert status == 201
    status, _ = await reviewer.call(
        "workspaces",
        "POST",
        f"/v1/review/applications/{application['id']}/decision",
        json={"decision": "approve"},
    )
    assert status == 200
    found: dict[str, Any] = {}

    async def active() -> bool:
        _, mine = await owner.call("workspaces", "GET", "/v1/workspaces")
        if mine["items"] and mine["items"][0]["status"] == "active":
            found.update(mine["items"][0])
        return bool(found)

    await wait_until(active, timeout=20)
    return owner, found["id"]


async def test_an_invited_developer_works_on_a_granted_mini_program_and_the_log_has_it_all(
    stack: Stack, smtp: SmtpServer
) -> None:
    async with aiohttp.ClientSession() as http:
        owner, ws = await _owner_with_workspace(stack, http)
        email = new_email("invitee")
        status, _ = await owner.call(
            "workspaces",
            "POST",
            f"/v1/workspaces/{ws}/invitations",
            json={"email": email, "role": "master"},
        )
        assert status == 201
        await wait_until(lambda: _invitation_token(smtp, email) is not None, timeout=20)
        token = _invitation_token(smtp, email)

        invitee = PlatformClient(stack, http)
        invitee_id = await _sign_up(invitee, email)
        status, joined = await invitee.call(
            "workspaces", "POST", "/v1/invitations/accept", json={"token": token}
        )
        assert status == 200, joined
        status, _ = await owner.call(
            "workspaces",
            "PATCH",
            f"/v1/workspaces/{ws}/members/{invitee_id}",
            json={"role": "developer"},
        )
        assert status == 200
        program: dict[str, Any] = {}

        async def created() -> bool:
            status, body = await owner.create_mini_program(ws, "Team 程序")
            if status == 201:
                program.update(body)
            return bool(program)

        await wait_until(created, timeout=20)
        grant = f"/v1/mini-programs/{program['id']}/developers/{invitee_id}"

        async def granted() -> bool:  # once miniprograms knows the developer
            return (await owner.call("miniprograms", "PUT", grant))[0] == 200

        await wait_until(granted, timeout=20)
        _, visible = await invitee.call(
            "miniprograms", "GET", f"/v1/mini-programs?workspace_id={ws}"
        )
        assert [p["id"] for p in visible["items"]] == [program["id"]]
        status, _ = await invitee.create_mini_program(ws, "Not Mine")
        assert status == 403
        status, _ = await invitee.call(
            "miniprograms",
            "PUT",
            f"/v1/mini-programs/{program['id']}",
            data=_form(ws, tagline="Lunch ordered in two taps"),
        )
        assert status == 200
        assert (await owner.call("miniprograms", "DELETE", grant))[0] == 204
        status, _ = await owner.call(
            "workspaces", "DELETE", f"/v1/workspaces/{ws}/members/{invitee_id}"
        )
        assert status == 204

        log: list[dict[str, Any]] = []

        async def complete() -> bool:
            _, page = await owner.call(
                "workspaces", "GET", f"/v1/workspaces/{ws}/activity?limit=100"
            )
            log[:] = page["items"]
            return len(log) >= len(SCENARIO)

        await wait_until(complete, timeout=30)
        assert [entry["kind"] for entry in reversed(log)] == SCENARIO
        assert len({entry["id"] for entry in log}) == len(log)
        modified = next(e for e in log if e["kind"] == "mini_program.modified")
        assert (modified["actor_id"], modified["changes"][0]["field"]) == (invitee_id, "tagline")
        invitations = [
            m
            for m in smtp.mails
            if m.rcpt_tos == [email] and "/invitations/accept" in m.message.as_string()
        ]
        assert len(invitations) == 1  # one invitation mail, whatever else they were sent


def _form(workspace_id: str, **fields: str) -> aiohttp.FormData:
    form = aiohttp.FormData()
    for key, value in {
        **VALID,
        "workspace_id": workspace_id,
        "name": "Team 程序",
        **fields,
    }.items():
        form.add_field(key, value)
    form.add_field(
        "logo", image_bytes("PNG", 96, 96), filename="logo.png", content_type="image/png"
    )
    return form
