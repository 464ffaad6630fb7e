"""The review workflow over HTTP: structured rejections (findings from the reason-code
catalogue, shown next to their fields in the resubmission with what changed), approval with
a note, withdrawal, the queue position and expected decision date, and the reviewers' tools
(claims, internal notes, an account's history, the queue's filters)."""

from datetime import datetime
from typing import Any

from aiohttp.test_utils import TestClient

from tests.support.accounts import bearer, staff_token
from tests.support.review import get_json, slug, under_review
from tests.support.workspaces import decide, save_draft, submit
from workspaces.domain import expected_decision_by

FINDINGS = [
    {"code": "company_name.mismatch", "field": "company_name", "message": "Licence: Acme Ltd"},
    {"code": "website.unreachable", "field": "website"},
    {"code": "contact.unverifiable", "field": "contact_number"},
]


async def _reject(
    workspaces: TestClient[Any, Any], reviewer: str, application_id: str, findings: Any
) -> Any:
    return await workspaces.post(
        f"/v1/review/applications/{application_id}/decision",
        json={"decision": "reject", "reason": "See the findings", "findings": findings},
        headers=bearer(reviewer),
    )


async def test_the_reason_codes_come_from_the_catalogue_in_both_languages(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    reviewer = await staff_token(accounts, "reviewer")
    codes = {
        c["code"]: c
        for c in (await get_json(workspaces, "/v1/review/reason-codes", reviewer))["items"]
    }
    assert {"company_name.mismatch", "website.unreachable", "logo.unclear"} <= set(codes)
    assert codes["contact.unverifiable"]["fields"] == ["contact_number", "contact_email"]
    assert codes["logo.unclear"]["texts"]["en"]
    assert codes["logo.unclear"]["texts"]["zh-CN"]
    merchant, _ = await under_review(accounts, workspaces)
    assert (await workspaces.get("/v1/review/reason-codes", headers=bearer(merchant))).status == 403


async def test_findings_must_use_known_codes_on_their_fields_and_only_to_reject(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    reviewer = await staff_token(accounts, "reviewer")
    _, application = await under_review(accounts, workspaces)
    bad = [
        {"code": "company_name.wrong", "field": "company_name"},
        {"code": "website.unreachable", "field": "company_name"},
        {"code": "website.unreachable", "field": "password"},
        {"code": "other", "field": "logo"},
    ]
    response = await _reject(workspaces, reviewer, application["id"], bad)
    assert response.status == 422
    fields = {e["field"] for e in (await response.json())["errors"]}
    assert fields == {
        "findings.0.code",
        "findings.1.field",
        "findings.2.field",
        "findings.3.message",
    }

    approve = await workspaces.post(
        f"/v1/review/applications/{application['id']}/decision",
        json={"decision": "approve", "findings": FINDINGS[:1]},
        headers=bearer(reviewer),
    )
    assert approve.status == 422
    assert [e["field"] for e in (await approve.json())["errors"]] == ["findings"]


async def test_a_rejections_findings_show_by_field_and_the_resubmission_tells_what_changed(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    reviewer = await staff_token(accounts, "reviewer")
    merchant, first = await under_review(accounts, workspaces)
    assert (await _reject(workspaces, reviewer, first["id"], FINDINGS)).status == 200

    rejected = await get_json(workspaces, "/v1/workspace-applications/current", merchant)
    findings = rejected["decision"]["findings"]
    assert [(f["field"], f["code"]) for f in findings] == [
        (f["field"], f["code"]) for f in FINDINGS
    ]
    assert findings[0]["message"] == "Licence: Acme Ltd"
    assert findings[1]["texts"] == {"zh-CN": "网站无法访问", "en": "The website cannot be reached"}
    assert rejected["decision"]["reviewer_id"] is None  # reviewers' views only

    draft = await save_draft(workspaces, merchant, step="review")
    assert draft["previous_application_id"] == first["id"]
    assert [f["changed"] for f in draft["previous_findings"]] == [False, False, False]
    assert draft["changed_since_rejection"] == []

    edited = await save_draft(
        workspaces, merchant, company_name="Acme Ltd", website="https://acme-ltd.example"
    )
    assert edited["changed_since_rejection"] == ["company_name", "website"]
    assert [f["changed"] for f in edited["previous_findings"]] == [True, True, False]
    resubmitted = await submit(workspaces, merchant)
    assert resubmitted["changed_since_rejection"] == ["company_name", "website"]
    seen = await get_json(workspaces, f"/v1/review/applications/{resubmitted['id']}", reviewer)
    assert seen["changed_since_rejection"] == ["company_name", "website"]
    assert seen["previous_findings"][2]["code"] == "contact.unverifiable"


async def test_an_approval_carries_the_reviewers_note(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    reviewer = await staff_token(accounts, "reviewer")
    merchant, application = await under_review(accounts, workspaces)
    approved = await decide(workspaces, reviewer, application["id"], "approve", "Welcome!")
    assert approved.status == 200
    mine = await get_json(workspaces, "/v1/workspace-applications/current", merchant)
    assert mine["decision"]["reason"] == "Welcome!"
    assert mine["rejection_reason"] is None


async def test_the_applicant_sees_the_queue_position_and_a_business_day_decision_date(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    reviewer = await staff_token(accounts, "reviewer")
    queued = [await under_review(accounts, workspaces) for _ in range(3)]
    positions = [
        (await get_json(workspaces, "/v1/workspace-applications/current", token))["queue_position"]
        for token, _ in queued
    ]
    assert positions[1] == positions[0] + 1
    assert positions[2] == positions[0] + 2
    first_token, first = queued[0]
    submitted_at = datetime.fromisoformat(first["submitted_at"])
    assert datetime.fromisoformat(first["expected_decision_by"]) == expected_decision_by(
        submitted_at
    )

    assert (await decide(workspaces, reviewer, first["id"], "approve")).status == 200
    after = await get_json(workspaces, "/v1/workspace-applications/current", queued[1][0])
    assert after["queue_position"] == positions[1] - 1
    decided = await get_json(workspaces, "/v1/workspace-applications/current", first_token)
    assert decided["queue_position"] is None
    reviewed = await get_json(workspaces, f"/v1/review/applications/{queued[2][1]['id']}", reviewer)
    assert reviewed["queue_position"] == positions[2] - 1


async def test_a_queue_page_shows_each_application_at_the_place_its_applicant_sees(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    reviewer = await staff_token(accounts, "reviewer")
    queued = [await under_review(accounts, workspaces) for _ in range(4)]
    seen_by_applicants = {
        application["id"]: (
            await get_json(workspaces, "/v1/workspace-applications/current", token)
        )["queue_position"]
        for token, application in queued
    }
    # Claimed by this reviewer: every other one, so the filtered page skips places.
    for _, application in queued[1::2]:
        claimed = await workspaces.post(
            f"/v1/review/applications/{application['id']}/claim", headers=bearer(reviewer)
        )
        assert claimed.status == 200, await claimed.text()

    for query in ("limit=100", "claimed=mine&limit=100"):
        page = await get_json(workspaces, f"/v1/review/applications?{query}", reviewer)
        shown = {
            item["id"]: item["queue_position"]
            for item in page["items"]
            if item["id"] in seen_by_applicants
        }
        expected = (
            seen_by_applicants
            if query == "limit=100"
            else {
                application["id"]: seen_by_applicants[application["id"]]
                for _, application in queued[1::2]
            }
        )
        assert shown == expected, query


async def test_a_withdrawn_application_leaves_the_queue_and_the_next_draft_starts_from_it(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    reviewer = await staff_token(accounts, "reviewer")
    merchant, application = await under_review(accounts, workspaces, company_name="Withdrawn Co")
    behind, later = await under_review(accounts, workspaces)
    position = (await get_json(workspaces, "/v1/workspace-applications/current", behind))[
        "queue_position"
    ]

    response = await workspaces.post(
        "/v1/workspace-applications/current/withdraw", headers=bearer(merchant)
    )
    assert response.status == 200, await response.text()
    withdrawn = await response.json()
    assert (withdrawn["status"], withdrawn["queue_position"]) == ("withdrawn", None)
    assert withdrawn["withdrawn_at"] is not None
    queue = await get_json(workspaces, "/v1/review/applications?limit=100", reviewer)
    assert application["id"] not in [a["id"] for a in queue["items"]]
    behind_now = await get_json(workspaces, "/v1/workspace-applications/current", behind)
    assert behind_now["queue_position"] == position - 1
    listed = await get_json(workspaces, "/v1/review/applications?status=withdrawn", reviewer)
    assert application["id"] in [a["id"] for a in listed["items"]]

    again = await workspaces.post(
        "/v1/workspace-applications/current/withdraw", headers=bearer(merchant)
    )
    assert (again.status, await slug(again)) == (409, "application-withdrawn")
    late = await decide(workspaces, reviewer, application["id"], "approve")
    assert (late.status, await slug(late)) == (409, "application-withdrawn")

    draft = await save_draft(workspaces, merchant, website="https://withdrawn.example")
    assert draft["status"] == "draft"
    assert draft["previous_application_id"] == application["id"]
    assert draft["company_name"] == "Withdrawn Co"
    not_yet = await workspaces.post(
        "/v1/workspace-applications/current/withdraw", headers=bearer(merchant)
    )
    assert (not_yet.status, await slug(not_yet)) == (409, "not-under-review")
    assert (await submit(workspaces, merchant))["status"] == "under_review"
    assert (await decide(workspaces, reviewer, later["id"], "approve")).status == 200
    decided = await workspaces.post(
        "/v1/workspace-applications/current/withdraw", headers=bearer(behind)
    )
    assert (decided.status, await slug(decided)) == (409, "already-decided")
