"""Validation, logos, concurrent decisions and tenant isolation of the workspaces service."""

import asyncio
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from shared.images import MAX_LOGO_BYTES
from tests.support.accounts import bearer, merchant_token, staff_token
from tests.support.images import decompression_bomb, image_bytes, png_of_exact_size
from tests.support.workspaces import COMPLETE_FORM, active_workspace, apply, decide, save_draft
from workspaces.domain import LOGO_COLORS


async def _problem_fields(response: Any) -> set[str]:
    assert response.status == 422, await response.text()
    assert response.content_type == "application/problem+json"
    return {e["field"] for e in (await response.json())["errors"]}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("role", "game_studio"),
        ("company_name", ""),
        ("company_name", "x" * 101),
        ("company_name", "Acme\u0000"),
        ("website", "ftp://acme.example"),
        ("website", "not a url"),
        ("contact_number", "call me"),
        ("contact_email", "not-an-email"),
        ("step", "payment"),
    ],
)
async def test_draft_fields_are_validated_one_by_one(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any], field: str, value: str
) -> None:
    token = await merchant_token(accounts)
    response = await workspaces.put(
        "/v1/workspace-applications/draft", json={field: value}, headers=bearer(token)
    )
    assert await _problem_fields(response) == {field}


async def test_a_contact_number_with_a_trailing_newline_is_refused(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    token = await merchant_token(accounts)
    response = await workspaces.put(
        "/v1/workspace-applications/draft",
        json={"contact_number": "+86 21 5555 0100\n"},
        headers=bearer(token),
    )
    assert await _problem_fields(response) == {"contact_number"}

    trimmed = await save_draft(workspaces, token, contact_number="  +86 21 5555 0100 ")
    assert trimmed["contact_number"] == "+86 21 5555 0100"


async def test_submit_reports_every_missing_field_at_once(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    token = await merchant_token(accounts)
    await save_draft(workspaces, token, website="https://acme.example")

    response = await workspaces.post(
        "/v1/workspace-applications/draft/submit", headers=bearer(token)
    )

    assert await _problem_fields(response) == {"role", "company_name"}


async def test_a_null_clears_an_optional_field_and_absent_fields_stay(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    token = await merchant_token(accounts)
    await save_draft(workspaces, token, **COMPLETE_FORM)

    saved = await save_draft(workspaces, token, website=None)

    assert saved["website"] is None
    assert saved["company_name"] == COMPLETE_FORM["company_name"]


async def _upload(
    workspaces: TestClient[Any, Any], token: str, data: bytes, content_type: str = "image/png"
) -> Any:
    return await workspaces.put(
        "/v1/workspace-applications/draft/logo",
        data=data,
        headers={**bearer(token), "Content-Type": content_type},
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (png_of_exact_size(MAX_LOGO_BYTES + 1), "at most"),
        (image_bytes("PNG", 100, 101), "square"),
        (image_bytes("GIF"), "JPEG or PNG"),
        (b"%PDF-1.7 not an image", "JPEG or PNG"),
        (decompression_bomb(), "too many pixels"),
    ],
    ids=["one-byte-too-big", "not-square", "gif", "pdf", "bomb"],
)
async def test_bad_logos_are_refused_naming_the_logo(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any], data: bytes, reason: str
) -> None:
    token = await merchant_token(accounts)
    response = await _upload(workspaces, token, data)
    assert await _problem_fields(response) == {"logo"}
    assert reason in (await response.json())["errors"][0]["message"]


async def test_a_logo_is_judged_by_its_content_not_its_declared_type(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    token = await merchant_token(accounts)
    png = png_of_exact_size(MAX_LOGO_BYTES)  # exactly 256 KB is allowed

    response = await _upload(workspaces, token, png, content_type="image/jpeg")  # "logo.jpg"

    assert response.status == 200
    logo = await workspaces.get("/v1/workspace-applications/current/logo", headers=bearer(token))
    assert logo.content_type == "image/png"
    assert await logo.read() == png
    jpeg = await _upload(workspaces, token, image_bytes("JPEG"), content_type="image/png")
    assert jpeg.status == 200


async def test_an_uploaded_logo_becomes_the_workspace_logo(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    token = await merchant_token(accounts)
    reviewer = await staff_token(accounts, "reviewer")
    jpeg = image_bytes("JPEG", 128, 128)
    await _upload(workspaces, token, jpeg)
    application = await apply(workspaces, token)
    await decide(workspaces, reviewer, application["id"], "approve")

    workspace = await active_workspace(workspaces, token)
    logo = await workspaces.get(workspace["logo_url"], headers=bearer(token))

    assert logo.content_type == "image/jpeg"
    assert await logo.read() == jpeg
    cached = await workspaces.get(
        workspace["logo_url"], headers={**bearer(token), "If-None-Match": logo.headers["ETag"]}
    )
    assert cached.status == 304


async def test_the_default_logo_colour_previewed_with_the_draft_is_the_workspaces(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    token = await merchant_token(accounts)
    reviewer = await staff_token(accounts, "reviewer")
    draft = await save_draft(workspaces, token, role="technical_merchant")
    application = await apply(workspaces, token)
    await decide(workspaces, reviewer, application["id"], "approve")

    workspace = await active_workspace(workspaces, token)
    logo = await workspaces.get(workspace["logo_url"], headers=bearer(token))

    assert draft["logo_color"] in LOGO_COLORS
    assert application["logo_color"] == draft["logo_color"]
    assert logo.content_type == "image/svg+xml"
    assert f'fill="{draft["logo_color"]}"' in await logo.text()


async def test_concurrent_decisions_on_one_application_let_exactly_one_win(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    token = await merchant_token(accounts)
    reviewers = [await staff_token(accounts, "reviewer") for _ in range(2)]
    application = await apply(workspaces, token)

    responses = await asyncio.gather(
        *(
            decide(workspaces, r, application["id"], d, "not now")
            for r in reviewers
            for d in ("approve", "reject")
        )
    )

    assert sorted(r.status for r in responses) == [200, 409, 409, 409]
    second = await decide(workspaces, reviewers[0], application["id"], "approve")
    assert second.status == 409
    assert (await second.json())["type"].endswith("/already-decided")


async def test_rejecting_needs_a_reason_of_at_most_1000_characters(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    token = await merchant_token(accounts)
    reviewer = await staff_token(accounts, "reviewer")
    application = await apply(workspaces, token)

    for reason in (None, "   ", "x" * 1001):
        response = await decide(workspaces, reviewer, application["id"], "reject", reason)
        assert await _problem_fields(response) == {"reason"}
    bad = await workspaces.post(
        f"/v1/review/applications/{application['id']}/decision",
        json={"decision": "maybe"},
        headers=bearer(reviewer),
    )
    assert await _problem_fields(bad) == {"decision"}


async def test_merchants_get_403_on_every_reviewer_endpoint(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    token = await merchant_token(accounts)
    application = await apply(workspaces, token)
    base = f"/v1/review/applications/{application['id']}"

    for method, path in (
        ("GET", "/v1/review/applications"),
        ("GET", base),
        ("GET", f"{base}/logo"),
        ("POST", f"{base}/decision"),
    ):
        response = await workspaces.request(
            method, path, json={"decision": "approve"}, headers=bearer(token)
        )
        assert response.status == 403, (method, path)


async def test_the_review_queue_pages_oldest_first(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    reviewer = await staff_token(accounts, "reviewer")
    submitted = [await apply(workspaces, await merchant_token(accounts)) for _ in range(3)]

    seen: list[str] = []
    cursor = None
    while True:
        url = "/v1/review/applications?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = await (await workspaces.get(url, headers=bearer(reviewer))).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert seen == [a["id"] for a in submitted]
    bad = await workspaces.get("/v1/review/applications?cursor=%%%", headers=bearer(reviewer))
    assert await _problem_fields(bad) == {"cursor"}


async def test_another_merchants_application_and_workspace_are_404(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    owner = await merchant_token(accounts)
    stranger = await merchant_token(accounts)
    reviewer = await staff_token(accounts, "reviewer")
    application = await apply(workspaces, owner)
    await decide(workspaces, reviewer, application["id"], "approve")
    workspace = await active_workspace(workspaces, owner)
    member = f"/v1/workspaces/{workspace['id']}/members"

    for method, path in (
        ("GET", f"/v1/workspace-applications/{application['id']}"),
        ("GET", f"/v1/workspaces/{workspace['id']}"),
        ("GET", f"/v1/workspaces/{workspace['id']}/logo"),
        ("GET", member),
        ("POST", member),
        ("PATCH", f"{member}/x"),
        ("DELETE", f"{member}/x"),
    ):
        response = await workspaces.request(
            method, path, headers=bearer(stranger), json={"email": "a@b.example", "role": "master"}
        )
        assert response.status == 404, (method, path, await response.text())
    mine = await (await workspaces.get("/v1/workspaces", headers=bearer(stranger))).json()
    assert mine["items"] == []


async def test_only_the_owner_manages_members_and_the_owner_stays_owner(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    from tests.support.accounts import new_email, sign_up
    from tests.support.bus import wait_until

    owner_session = await sign_up(accounts)
    owner = owner_session["tokens"]["access_token"]
    reviewer = await staff_token(accounts, "reviewer")
    application = await apply(workspaces, owner)
    await decide(workspaces, reviewer, application["id"], "approve")
    workspace = await active_workspace(workspaces, owner)
    members = f"/v1/workspaces/{workspace['id']}/members"
    dev_email = new_email("dev")
    dev = await sign_up(accounts, email=dev_email)
    dev_id = dev["account"]["id"]

    async def add_developer() -> bool:
        response = await workspaces.post(
            members, json={"email": dev_email, "role": "developer"}, headers=bearer(owner)
        )
        return response.status == 201

    await wait_until(add_developer, timeout=15)
    dev_token = dev["tokens"]["access_token"]

    again = await workspaces.post(
        members, json={"email": dev_email, "role": "master"}, headers=bearer(owner)
    )
    assert again.status == 409
    unknown = await workspaces.post(
        members, json={"email": new_email(), "role": "master"}, headers=bearer(owner)
    )
    assert await _problem_fields(unknown) == {"email"}
    as_owner_role = await workspaces.post(
        members, json={"email": dev_email, "role": "owner"}, headers=bearer(owner)
    )
    assert await _problem_fields(as_owner_role) == {"role"}
    by_developer = await workspaces.post(
        members, json={"email": dev_email, "role": "master"}, headers=bearer(dev_token)
    )
    assert by_developer.status == 403
    owner_id = owner_session["account"]["id"]
    demote_owner = await workspaces.patch(
        f"{members}/{owner_id}", json={"role": "developer"}, headers=bearer(owner)
    )
    assert demote_owner.status == 409

    promoted = await workspaces.patch(
        f"{members}/{dev_id}", json={"role": "master"}, headers=bearer(owner)
    )
    assert (await promoted.json())["role"] == "master"
    removed = await workspaces.delete(f"{members}/{dev_id}", headers=bearer(owner))
    assert removed.status == 204
    gone = await workspaces.get(f"/v1/workspaces/{workspace['id']}", headers=bearer(dev_token))
    assert gone.status == 404
