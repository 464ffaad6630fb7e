"""Invitations over HTTP: invite, list, accept (signing up first), resend, revoke, expiry on
the app's clock, the distinct problems of a bad token, and other tenants' invitations 404."""

import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from shared.runtime import DB_KEY
from tests.conftest import TEST_MAIL_LINK_KEY
from tests.support.accounts import bearer, new_email, sign_up
from tests.support.bus import Probe, events_probe
from tests.support.teams import (
    INVITATION_CREATED,
    accept,
    become_member,
    invite,
    next_invitation,
    owner_with_workspace,
)
from workspaces.app import create_app
from workspaces.settings import WorkspacesSettings


class Clock:
    """The workspaces app's clock, moved by the test."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def workspaces(
    make_settings: Callable[..., Any],
    serve: Callable[..., Any],
    accounts: TestClient[Any, Any],
    clock: Clock,
) -> TestClient[Any, Any]:
    settings = make_settings(
        WorkspacesSettings, jwks_url=str(accounts.make_url("/.well-known/jwks.json"))
    )
    client: TestClient[Any, Any] = await serve(create_app(settings, clock=clock))
    return client


@pytest.fixture
async def probe(rabbitmq_url: str) -> AsyncIterator[Probe]:
    async with events_probe(rabbitmq_url, [INVITATION_CREATED]) as probe:
        yield probe


async def _problem(response: Any) -> tuple[int, str]:
    body = await response.json()
    return response.status, body["type"].rsplit("/", 1)[-1]


async def test_the_owner_invites_an_email_and_the_invitee_signs_up_then_accepts_once(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any], probe: Probe
) -> None:
    owner_signup, workspace = await owner_with_workspace(accounts, workspaces)
    owner = owner_signup["tokens"]["access_token"]
    email = new_email("invitee")

    created = await invite(workspaces, owner, workspace["id"], email.upper(), "developer")
    assert created.status == 201, await created.text()
    invitation = await created.json()
    assert (invitation["status"], invitation["role"]) == ("pending", "developer")
    expires = datetime.fromisoformat(invitation["expires_at"])
    sent = datetime.fromisoformat(invitation["created_at"])
    assert expires - sent == timedelta(days=3)
    event, token = await next_invitation(probe, TEST_MAIL_LINK_KEY)
    assert event["data"]["invitation_id"] == invitation["id"]
    assert event["data"]["workspace_name"] == workspace["name"]
    # The raw token is nowhere durable: not in the event, not in the workspace's document.
    assert token not in json.dumps(event)
    stored = await workspaces.app[DB_KEY]["workspaces"].find_one({"_id": workspace["id"]})
    assert token not in json.dumps(stored, default=str)

    # The invitee has no account yet: they sign up with the invited email, then accept.
    invitee = await sign_up(accounts, email=email)
    joined = await accept(workspaces, invitee["tokens"]["access_token"], token)
    assert joined.status == 200, await joined.text()
    body = await joined.json()
    assert body["workspace"]["id"] == workspace["id"]
    assert body["workspace"]["my_role"] == "developer"
    assert body["invitation"]["status"] == "accepted"
    assert body["invitation"]["accepted_by"] == invitee["account"]["id"]
    members = await (
        await workspaces.get(f"/v1/workspaces/{workspace['id']}/members", headers=bearer(owner))
    ).json()
    assert invitee["account"]["id"] in [m["account_id"] for m in members["items"]]

    again = await accept(workspaces, invitee["tokens"]["access_token"], token)
    assert await _problem(again) == (409, "invitation-already-accepted")
    listed = await (
        await workspaces.get(f"/v1/workspaces/{workspace['id']}/invitations", headers=bearer(owner))
    ).json()
    assert [(i["id"], i["status"]) for i in listed["items"]] == [(invitation["id"], "accepted")]


async def test_a_bad_token_gets_a_problem_saying_why(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any], probe: Probe
) -> None:
    owner_signup, workspace = await owner_with_workspace(accounts, workspaces)
    owner = owner_signup["tokens"]["access_token"]
    email = new_email("invitee")
    await invite(workspaces, owner, workspace["id"], email, "master")
    _, token = await next_invitation(probe, TEST_MAIL_LINK_KEY)
    someone_else = (await sign_up(accounts))["tokens"]["access_token"]

    assert await _problem(await accept(workspaces, someone_else, token)) == (
        403,
        "invitation-email-mismatch",
    )
    assert await _problem(await accept(workspaces, someone_else, "not-a-token")) == (
        404,
        "invitation-not-found",
    )
    empty = await accept(workspaces, someone_else, "")
    assert empty.status == 422
    assert [e["field"] for e in (await empty.json())["errors"]] == ["token"]


async def test_a_resend_replaces_the_link_and_a_revoke_ends_it(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any], probe: Probe
) -> None:
    owner_signup, workspace = await owner_with_workspace(accounts, workspaces)
    owner = owner_signup["tokens"]["access_token"]
    email = new_email("invitee")
    invitation = await (await invite(workspaces, owner, workspace["id"], email, "master")).json()
    _, first_token = await next_invitation(probe, TEST_MAIL_LINK_KEY)
    path = f"/v1/workspaces/{workspace['id']}/invitations/{invitation['id']}"
    invitee = (await sign_up(accounts, email=email))["tokens"]["access_token"]

    resent = await workspaces.post(f"{path}/resend", headers=bearer(owner))
    assert resent.status == 200, await resent.text()
    assert (await resent.json())["sent_count"] == 2
    event, second_token = await next_invitation(probe, TEST_MAIL_LINK_KEY)
    assert event["data"]["resent"] is True
    assert second_token != first_token
    assert await _problem(await accept(workspaces, invitee, first_token)) == (
        410,
        "invitation-link-replaced",
    )

    revoked = await workspaces.delete(path, headers=bearer(owner))
    assert revoked.status == 204
    assert (await workspaces.delete(path, headers=bearer(owner))).status == 204  # idempotent
    assert await _problem(await accept(workspaces, invitee, second_token)) == (
        410,
        "invitation-revoked",
    )
    assert await _problem(await workspaces.post(f"{path}/resend", headers=bearer(owner))) == (
        410,
        "invitation-revoked",
    )


async def test_an_invitation_expires_after_three_days_on_the_apps_clock_and_a_resend_revives_it(
    accounts: TestClient[Any, Any],
    workspaces: TestClient[Any, Any],
    probe: Probe,
    clock: Clock,
) -> None:
    owner_signup, workspace = await owner_with_workspace(accounts, workspaces)
    owner = owner_signup["tokens"]["access_token"]
    email = new_email("invitee")
    invitation = await (await invite(workspaces, owner, workspace["id"], email, "developer")).json()
    _, token = await next_invitation(probe, TEST_MAIL_LINK_KEY)
    invitee = (await sign_up(accounts, email=email))["tokens"]["access_token"]
    listing = f"/v1/workspaces/{workspace['id']}/invitations"

    clock.offset = timedelta(days=3, seconds=-5)
    listed = await (await workspaces.get(listing, headers=bearer(owner))).json()
    assert listed["items"][0]["status"] == "pending"  # not yet

    clock.offset = timedelta(days=3, seconds=1)
    listed = await (await workspaces.get(listing, headers=bearer(owner))).json()
    assert listed["items"][0]["status"] == "expired"
    assert await _problem(await accept(workspaces, invitee, token)) == (410, "invitation-expired")
    # An expired email may be invited again only by resending (it is not pending any more,
    # so a new invitation is allowed too).
    resent = await workspaces.post(f"{listing}/{invitation['id']}/resend", headers=bearer(owner))
    assert (await resent.json())["status"] == "pending"
    _, fresh = await next_invitation(probe, TEST_MAIL_LINK_KEY)
    joined = await accept(workspaces, invitee, fresh)
    assert joined.status == 200, await joined.text()


async def test_inviting_a_member_or_an_email_already_pending_conflicts(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    owner_signup, workspace = await owner_with_workspace(accounts, workspaces)
    owner = owner_signup["tokens"]["access_token"]
    email = new_email("invitee")
    assert (await invite(workspaces, owner, workspace["id"], email, "master")).status == 201

    pending = await invite(workspaces, owner, workspace["id"], f" {email.upper()} ", "developer")
    assert await _problem(pending) == (409, "invitation-pending")
    owner_email = owner_signup["account"]["email"]
    member = await invite(workspaces, owner, workspace["id"], owner_email, "master")
    assert await _problem(member) == (409, "already-member")
    as_owner = await invite(workspaces, owner, workspace["id"], new_email(), "owner")
    assert as_owner.status == 422


async def test_other_tenants_invitations_are_404_and_members_get_403(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    owner_signup, workspace = await owner_with_workspace(accounts, workspaces)
    owner = owner_signup["tokens"]["access_token"]
    other_signup, other_workspace = await owner_with_workspace(accounts, workspaces)
    other = other_signup["tokens"]["access_token"]
    theirs = await (
        await invite(workspaces, other, other_workspace["id"], new_email(), "master")
    ).json()
    developer = await become_member(
        accounts, workspaces, owner=owner, workspace_id=workspace["id"], role="developer"
    )
    mine = f"/v1/workspaces/{workspace['id']}/invitations"
    their_path = f"/v1/workspaces/{other_workspace['id']}/invitations"
    body = {"email": new_email(), "role": "master"}

    for method, path in (
        ("GET", their_path),
        ("POST", their_path),
        ("POST", f"{their_path}/{theirs['id']}/resend"),
        ("DELETE", f"{their_path}/{theirs['id']}"),
        # Their invitation through my own workspace is no invitation of mine either.
        ("POST", f"{mine}/{theirs['id']}/resend"),
        ("DELETE", f"{mine}/{theirs['id']}"),
    ):
        response = await workspaces.request(method, path, headers=bearer(owner), json=body)
        assert response.status == 404, (method, path, await response.text())
    as_developer = developer["tokens"]["access_token"]
    for method, path in (("GET", mine), ("POST", mine)):
        response = await workspaces.request(method, path, headers=bearer(as_developer), json=body)
        assert response.status == 403, (method, path, await response.text())
    still = await (await workspaces.get(their_path, headers=bearer(other))).json()
    assert [i["status"] for i in still["items"]] == ["pending"]


# --- the preview of a link, before signing up or in ----------------------------------------


async def _preview(workspaces: TestClient[Any, Any], token: str) -> Any:
    return await workspaces.post("/v1/invitations/preview", json={"token": token})


async def test_a_link_tells_anyone_holding_it_the_workspace_role_inviter_email_and_expiry(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any], probe: Probe
) -> None:
    owner_signup, workspace = await owner_with_workspace(accounts, workspaces)
    owner = owner_signup["tokens"]["access_token"]
    email = new_email("invitee")
    invitation = await (await invite(workspaces, owner, workspace["id"], email, "master")).json()
    _, token = await next_invitation(probe, TEST_MAIL_LINK_KEY)

    members = f"/v1/workspaces/{workspace['id']}/members"
    listed = await (await workspaces.get(members, headers=bearer(owner))).json()
    owner_name = next(m["full_name"] for m in listed["items"] if m["role"] == "owner")

    response = await _preview(workspaces, token)  # no Authorization: the invitee has no account

    assert response.status == 200, await response.text()
    assert response.headers["Cache-Control"] == "no-store"
    preview = await response.json()
    expires_at = datetime.fromisoformat(preview.pop("expires_at"))
    assert preview == {
        "workspace_name": workspace["name"],
        "inviter_name": owner_name,  # as the invitation mail names them
        "email": email,
        "role": "master",
        "status": "pending",
    }
    # As stored: Mongo keeps milliseconds.
    assert abs(expires_at - datetime.fromisoformat(invitation["expires_at"])) < timedelta(
        milliseconds=1
    )


async def test_a_dead_link_says_why_before_any_signup(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any], probe: Probe, clock: Clock
) -> None:
    owner_signup, workspace = await owner_with_workspace(accounts, workspaces)
    owner = owner_signup["tokens"]["access_token"]
    listing = f"/v1/workspaces/{workspace['id']}/invitations"

    async def invited() -> tuple[str, str]:
        created = await invite(workspaces, owner, workspace["id"], new_email(), "developer")
        _, token = await next_invitation(probe, TEST_MAIL_LINK_KEY)
        return (await created.json())["id"], token

    async def status(token: str) -> str:
        response = await _preview(workspaces, token)
        assert response.status == 200, await response.text()
        return str((await response.json())["status"])

    revoked_id, revoked = await invited()
    assert (await workspaces.delete(f"{listing}/{revoked_id}", headers=bearer(owner))).status == 204
    resent_id, replaced = await invited()
    await workspaces.post(f"{listing}/{resent_id}/resend", headers=bearer(owner))
    _, newest = await next_invitation(probe, TEST_MAIL_LINK_KEY)
    _, expiring = await invited()
    assert [await status(t) for t in (revoked, replaced, newest)] == [
        "revoked",
        "replaced",
        "pending",
    ]

    clock.offset = timedelta(days=3, seconds=1)
    assert await status(expiring) == "expired"
    assert await status(replaced) == "replaced"  # an open invitation: use the newest mail
    # Revoked after a resend, the old link says revoked: what happened wins over which mail.
    assert (await workspaces.delete(f"{listing}/{resent_id}", headers=bearer(owner))).status == 204
    assert await status(replaced) == "revoked"


async def test_an_accepted_link_says_accepted_and_an_unknown_token_reveals_nothing(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any], probe: Probe
) -> None:
    owner_signup, workspace = await owner_with_workspace(accounts, workspaces)
    owner = owner_signup["tokens"]["access_token"]
    email = new_email("invitee")
    await invite(workspaces, owner, workspace["id"], email, "developer")
    _, token = await next_invitation(probe, TEST_MAIL_LINK_KEY)
    invitee = (await sign_up(accounts, email=email))["tokens"]["access_token"]
    assert (await accept(workspaces, invitee, token)).status == 200

    assert (await (await _preview(workspaces, token)).json())["status"] == "accepted"
    # An unknown token, or one a letter or the case off: the same 404, word for word.
    one_off = token[:-1] + ("B" if token.endswith("A") else "A")
    answers = [await _preview(workspaces, t) for t in ("x" * 43, one_off, token.swapcase())]
    bodies = [{k: v for k, v in (await a.json()).items() if k != "request_id"} for a in answers]
    assert [a.status for a in answers] == [404, 404, 404]
    assert bodies[0]["type"].endswith("/invitation-not-found")
    assert bodies == [bodies[0]] * 3
    empty = await _preview(workspaces, "")
    assert empty.status == 422
    assert [e["field"] for e in (await empty.json())["errors"]] == ["token"]
