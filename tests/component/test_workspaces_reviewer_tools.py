"""The reviewers' tools over HTTP: claims (409 for another reviewer's decision or claim until
it expires or an admin takes it over), internal notes (never in any answer the applicant
gets), an account's attempts with their decisions, and the queue's filters."""

import asyncio
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from aiohttp.test_utils import TestClient

from tests.support.accounts import bearer, staff_token
from tests.support.review import get_json, reviewing_admin_token, slug, under_review
from tests.support.workspaces import decide, save_draft, submit
from workspaces.app import create_app
from workspaces.settings import WorkspacesSettings

NOTE = "Internal: called the applicant, licence renewal pending #n0te"


async def _claim(client: TestClient[Any, Any], token: str, app_id: str, **body: Any) -> Any:
    return await client.post(
        f"/v1/review/applications/{app_id}/claim", json=body, headers=bearer(token)
    )


async def test_a_claim_keeps_other_reviewers_from_deciding_until_released(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    first = await staff_token(accounts, "reviewer")
    second = await staff_token(accounts, "reviewer")
    _, application = await under_review(accounts, workspaces)

    claimed = await _claim(workspaces, first, application["id"])
    assert claimed.status == 200
    claim = (await claimed.json())["claim"]
    assert claim["mine"] is True
    seen = await get_json(workspaces, f"/v1/review/applications/{application['id']}", second)
    assert seen["claim"]["mine"] is False
    assert seen["claim"]["reviewer_id"] == claim["reviewer_id"]

    refused = await decide(workspaces, second, application["id"], "approve")
    assert (refused.status, await slug(refused)) == (409, "claimed-by-another")
    stolen = await _claim(workspaces, second, application["id"])
    assert (stolen.status, await slug(stolen)) == (409, "claimed-by-another")
    not_admin = await _claim(workspaces, second, application["id"], take_over=True)
    assert not_admin.status == 403
    not_theirs = await workspaces.delete(
        f"/v1/review/applications/{application['id']}/claim", headers=bearer(second)
    )
    assert not_theirs.status == 409

    released = await workspaces.delete(
        f"/v1/review/applications/{application['id']}/claim", headers=bearer(first)
    )
    assert released.status == 204
    assert (await decide(workspaces, second, application["id"], "approve")).status == 200


async def test_an_admin_who_reviews_takes_over_a_claim(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    reviewer = await staff_token(accounts, "reviewer")
    admin = await reviewing_admin_token(accounts)
    _, application = await under_review(accounts, workspaces)
    assert (await _claim(workspaces, reviewer, application["id"])).status == 200

    taken = await _claim(workspaces, admin, application["id"], take_over=True)
    assert taken.status == 200
    assert (await taken.json())["claim"]["mine"] is True
    late = await decide(workspaces, reviewer, application["id"], "reject", "no")
    assert (late.status, await slug(late)) == (409, "claimed-by-another")
    assert (await decide(workspaces, admin, application["id"], "approve")).status == 200


async def test_a_claim_expires_after_its_time(
    accounts: TestClient[Any, Any],
    make_settings: Callable[..., Any],
    serve: Callable[..., Any],
) -> None:
    settings = make_settings(
        WorkspacesSettings,
        jwks_url=str(accounts.make_url("/.well-known/jwks.json")),
        review_claim_ttl_s=1,
    )
    workspaces: TestClient[Any, Any] = await serve(create_app(settings))
    first = await staff_token(accounts, "reviewer")
    second = await staff_token(accounts, "reviewer")
    _, application = await under_review(accounts, workspaces)
    claimed = await (await _claim(workspaces, first, application["id"])).json()
    expires_at = datetime.fromisoformat(claimed["claim"]["expires_at"])
    assert expires_at - datetime.fromisoformat(claimed["claim"]["claimed_at"]) == timedelta(
        seconds=1
    )
    assert (await _claim(workspaces, second, application["id"])).status == 409

    await asyncio.sleep(1.1)
    unclaimed = await get_json(workspaces, "/v1/review/applications?claimed=unclaimed", second)
    assert application["id"] in [a["id"] for a in unclaimed["items"]]
    assert (await decide(workspaces, second, application["id"], "approve")).status == 200


async def test_the_queue_filters_by_claim_and_submission_time(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    reviewer = await staff_token(accounts, "reviewer")
    _, early = await under_review(accounts, workspaces)
    _, late = await under_review(accounts, workspaces)
    assert (await _claim(workspaces, reviewer, early["id"])).status == 200

    async def ids(query: str) -> list[str]:
        page = await get_json(workspaces, f"/v1/review/applications?limit=100&{query}", reviewer)
        return [a["id"] for a in page["items"]]

    mine = await ids("claimed=mine")
    assert early["id"] in mine
    assert late["id"] not in mine
    unclaimed = await ids("claimed=unclaimed")
    assert late["id"] in unclaimed
    assert early["id"] not in unclaimed
    after = await ids(f"submitted_after={quote(late['submitted_at'])}")
    assert late["id"] in after
    assert early["id"] not in after
    before = await ids(f"submitted_before={quote(late['submitted_at'])}")
    assert early["id"] in before
    assert late["id"] not in before
    bad = await workspaces.get(
        "/v1/review/applications?claimed=theirs&submitted_after=yesterday", headers=bearer(reviewer)
    )
    assert bad.status == 422
    assert {e["field"] for e in (await bad.json())["errors"]} == {"claimed", "submitted_after"}


async def test_an_accounts_history_shows_every_attempt_with_its_decision(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    reviewer = await staff_token(accounts, "reviewer")
    merchant, first = await under_review(accounts, workspaces)
    findings = [{"code": "website.unreachable", "field": "website"}]
    rejected = await workspaces.post(
        f"/v1/review/applications/{first['id']}/decision",
        json={"decision": "reject", "reason": "Website down", "findings": findings},
        headers=bearer(reviewer),
    )
    assert rejected.status == 200
    await save_draft(workspaces, merchant, website="https://up.example")
    second = await submit(workspaces, merchant)
    withdrawn = await workspaces.post(
        "/v1/workspace-applications/current/withdraw", headers=bearer(merchant)
    )
    assert withdrawn.status == 200
    await save_draft(workspaces, merchant, step="review")
    third = await submit(workspaces, merchant)
    account_id = (await get_json(workspaces, "/v1/workspace-applications/current", merchant))[
        "applicant"
    ]["account_id"]

    history = await get_json(workspaces, f"/v1/review/accounts/{account_id}/applications", reviewer)
    assert [(a["id"], a["status"]) for a in history["items"]] == [
        (third["id"], "under_review"),
        (second["id"], "withdrawn"),
        (first["id"], "rejected"),
    ]
    decision = history["items"][2]["decision"]
    assert decision["reviewer_id"] is not None
    assert decision["findings"][0]["code"] == "website.unreachable"
    assert history["items"][1]["previous_findings"][0]["changed"] is True
    nobody = await get_json(workspaces, "/v1/review/accounts/nobody/applications", reviewer)
    assert nobody["items"] == []


async def test_internal_notes_are_kept_for_reviewers_and_never_shown_to_the_applicant(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    reviewer = await staff_token(accounts, "reviewer")
    merchant, application = await under_review(accounts, workspaces)
    path = f"/v1/review/applications/{application['id']}/notes"
    added = await workspaces.post(path, json={"text": NOTE}, headers=bearer(reviewer))
    assert added.status == 201
    second = await workspaces.post(
        path, json={"text": "Line one\nline two"}, headers=bearer(reviewer)
    )
    assert second.status == 201
    empty = await workspaces.post(path, json={"text": "  "}, headers=bearer(reviewer))
    assert empty.status == 422
    notes = await get_json(workspaces, path, reviewer)
    assert [n["text"] for n in notes["items"]] == [NOTE, "Line one\nline two"]
    assert (await workspaces.get(path, headers=bearer(merchant))).status == 403

    answers = [await _merchant_answers(workspaces, merchant, application["id"])]
    assert (await decide(workspaces, reviewer, application["id"], "reject", "Fix it")).status == 200
    answers.append(await _merchant_answers(workspaces, merchant, application["id"]))
    draft = await workspaces.put(
        "/v1/workspace-applications/draft", json={"step": "review"}, headers=bearer(merchant)
    )
    answers.append(await draft.text())
    resubmitted = await workspaces.post(
        "/v1/workspace-applications/draft/submit", headers=bearer(merchant)
    )
    withdrawn = await workspaces.post(
        "/v1/workspace-applications/current/withdraw", headers=bearer(merchant)
    )
    answers += [await resubmitted.text(), await withdrawn.text()]
    answers.append(await _merchant_answers(workspaces, merchant, application["id"]))
    for answer in answers:
        assert "n0te" not in answer
        assert "line two" not in answer


async def _merchant_answers(
    workspaces: TestClient[Any, Any], merchant: str, application_id: str
) -> str:
    """Every answer the applicant can get about their application, as one text."""
    paths = [
        "/v1/workspace-applications/current",
        "/v1/workspace-applications",
        f"/v1/workspace-applications/{application_id}",
        f"/v1/workspace-applications/{application_id}/activity",
        f"/v1/workspace-applications/{application_id}/activity?format=jsonl",
        f"/v1/workspace-applications/{application_id}/activity?format=csv",
    ]
    texts = []
    for path in paths:
        response = await workspaces.get(path, headers=bearer(merchant))
        assert response.status == 200, (path, await response.text())
        texts.append(await response.text())
    return json.dumps(texts)
