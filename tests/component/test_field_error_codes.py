"""Every service names what is wrong with a field by a stable `code` (and the values its text
needs as `params`), besides the English `message`: what a client translates."""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from notifier.app import create_app as create_notifier_app
from notifier.settings import NotifierSettings
from shared.images import MAX_LOGO_BYTES
from tests.support.accounts import (
    STRONG_PASSWORD,
    bearer,
    merchant_token,
    sign_up,
    signup_body,
    staff_token,
)
from tests.support.images import image_bytes, png_of_exact_size
from tests.support.infra import free_port
from tests.support.miniprograms import create, grant
from tests.support.workspaces import active_workspace, apply, decide, save_draft


async def _codes(response: Any, *, status: int = 422) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each field error as field -> (code, params), after checking every one has a message."""
    assert response.status == status, await response.text()
    assert response.content_type == "application/problem+json"
    errors = (await response.json())["errors"]
    assert all(e["message"] for e in errors)
    return {e["field"]: (e["code"], e["params"]) for e in errors}


@pytest.mark.parametrize(
    ("overrides", "field", "code", "params"),
    [
        ({"password": "Zq7!mP2"}, "password", "password_too_short", {"min": 8}),
        ({"password": "Zq7!mP2x" * 16 + "y"}, "password", "password_too_long", {"max": 128}),
        ({"password": "password1"}, "password", "password_common", {}),
        ({"email": "not-an-email"}, "email", "email_format", None),
        ({"full_name": "   "}, "full_name", "blank", {}),
        ({"full_name": "Ada\u202e"}, "full_name", "control_characters", {}),
        ({"full_name": "A" * 101}, "full_name", "string_too_long", {"max_length": 100}),
        ({"accept_terms": False}, "accept_terms", "terms_not_accepted", {}),
        ({"accept_terms": None}, "accept_terms", "bool_type", {}),
    ],
)
async def test_signup_names_each_broken_rule_by_its_code(
    accounts: TestClient[Any, Any],
    overrides: dict[str, Any],
    field: str,
    code: str,
    params: dict[str, Any] | None,
) -> None:
    response = await accounts.post("/v1/accounts", json=signup_body(**overrides))

    errors = await _codes(response)
    assert errors[field][0] == code
    if params is not None:
        assert errors[field][1] == params


async def test_signup_without_a_field_answers_missing(accounts: TestClient[Any, Any]) -> None:
    body = signup_body()
    del body["full_name"]

    assert await _codes(await accounts.post("/v1/accounts", json=body)) == {
        "full_name": ("missing", {})
    }


async def test_identity_answers_the_codes_of_its_own_rules(accounts: TestClient[Any, Any]) -> None:
    session = await sign_up(accounts)
    token = session["tokens"]["access_token"]

    refresh = await accounts.post("/v1/sessions/refresh", json={})
    both = await accounts.post(
        "/v1/sessions/mfa", json={"mfa_token": "t", "code": "123456", "recovery_code": "a" * 10}
    )
    letters = await accounts.post("/v1/sessions/mfa", json={"mfa_token": "t", "code": "12ab56"})
    change = await accounts.post(
        "/v1/accounts/me/password",
        json={"current_password": "not " + STRONG_PASSWORD, "new_password": STRONG_PASSWORD},
        headers=bearer(token),
    )
    unknown = await accounts.get("/v1/sessions?status=active", headers=bearer(token))

    assert await _codes(refresh) == {
        "refresh_token": ("refresh_token_required", {"cookie": "mpp_refresh"})
    }
    assert await _codes(both) == {"body": ("code_or_recovery_code", {})}
    assert await _codes(letters) == {"code": ("totp_code_format", {})}
    assert await _codes(change) == {"current_password": ("password_wrong", {})}
    assert await _codes(unknown) == {"status": ("not_a_query_parameter", {})}


@pytest.mark.parametrize(
    ("field", "value", "code", "params"),
    [
        ("role", "game_studio", "applicant_role_only", {"role": "technical_merchant"}),
        ("company_name", "", "blank", {}),
        ("company_name", "x" * 101, "string_too_long", {"max_length": 100}),
        ("company_name", "Acme\u0000", "control_characters", {}),
        ("website", "ftp://acme.example", "url_scheme", {"expected_schemes": "'http' or 'https'"}),
        ("contact_number", "call me", "phone_format", {}),
        ("contact_email", "not-an-email", "email_format", None),
    ],
)
async def test_the_application_form_names_each_broken_rule_by_its_code(
    accounts: TestClient[Any, Any],
    workspaces: TestClient[Any, Any],
    field: str,
    value: str,
    code: str,
    params: dict[str, Any] | None,
) -> None:
    token = await merchant_token(accounts)

    response = await workspaces.put(
        "/v1/workspace-applications/draft", json={field: value}, headers=bearer(token)
    )

    errors = await _codes(response)
    assert errors[field][0] == code
    if params is not None:
        assert errors[field][1] == params


@pytest.mark.parametrize(
    ("logo", "code", "params"),
    [
        (image_bytes("PNG", 64, 32), "logo_not_square", {"width": 64, "height": 32}),
        (
            png_of_exact_size(MAX_LOGO_BYTES + 1),
            "logo_too_large",
            {"max_bytes": MAX_LOGO_BYTES, "size": MAX_LOGO_BYTES + 1},
        ),
        (image_bytes("GIF", 32, 32), "logo_type", {}),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "logo_unreadable", {}),
    ],
)
async def test_an_application_logo_names_what_is_wrong_by_its_code(
    accounts: TestClient[Any, Any],
    workspaces: TestClient[Any, Any],
    logo: bytes,
    code: str,
    params: dict[str, Any],
) -> None:
    token = await merchant_token(accounts)
    await save_draft(workspaces, token, role="technical_merchant")

    response = await workspaces.put(
        "/v1/workspace-applications/draft/logo",
        data=logo,
        headers={**bearer(token), "Content-Type": "image/png"},
    )

    assert await _codes(response) == {"logo": (code, params)}


async def test_a_submission_names_what_the_draft_lacks_and_a_rejection_its_reason(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    token = await merchant_token(accounts)
    await save_draft(workspaces, token, role="technical_merchant")
    incomplete = await workspaces.post(
        "/v1/workspace-applications/draft/submit", headers=bearer(token)
    )
    assert await _codes(incomplete) == {"company_name": ("missing", {})}

    application = await apply(workspaces, await merchant_token(accounts))
    reviewer = await staff_token(accounts, "reviewer")
    rejected = await decide(workspaces, reviewer, application["id"], "reject", reason="  ")
    assert (await _codes(rejected))["reason"] == ("reason_required", {"max": 1000})


async def test_a_rejections_findings_name_each_broken_rule_by_its_code(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    application = await apply(workspaces, await merchant_token(accounts))
    reviewer = await staff_token(accounts, "reviewer")
    findings = [
        {"code": "company_name.wrong", "field": "company_name"},
        {"code": "website.unreachable", "field": "company_name"},
        {"code": "website.unreachable", "field": "password"},
        {"code": "other", "field": "logo"},
    ]
    good = [{"code": "website.unreachable", "field": "website"}]
    decision = f"/v1/review/applications/{application['id']}/decision"

    rejected = await workspaces.post(
        decision,
        json={"decision": "reject", "reason": "No", "findings": findings},
        headers=bearer(reviewer),
    )
    approved = await workspaces.post(
        decision, json={"decision": "approve", "findings": good}, headers=bearer(reviewer)
    )

    errors = await _codes(rejected)
    assert errors["findings.0.code"] == ("unknown_reason_code", {})
    assert errors["findings.1.field"] == (
        "reason_not_for_field",
        {"code": "website.unreachable", "fields": "website"},
    )
    assert errors["findings.2.field"][0] == "not_a_form_field"
    assert errors["findings.3.message"] == ("message_required_for_other", {})
    assert await _codes(approved) == {"findings": ("findings_only_on_reject", {})}


async def test_adding_a_member_names_an_unknown_email_and_an_invitation_a_bad_one(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any]
) -> None:
    token = await merchant_token(accounts)
    application = await apply(workspaces, token)
    await decide(workspaces, await staff_token(accounts, "reviewer"), application["id"], "approve")
    workspace = await active_workspace(workspaces, token)

    member = await workspaces.post(
        f"/v1/workspaces/{workspace['id']}/members",
        json={"email": f"nobody-{uuid.uuid4().hex}@example.com", "role": "developer"},
        headers=bearer(token),
    )
    invitation = await workspaces.post(
        f"/v1/workspaces/{workspace['id']}/invitations",
        json={"email": "nobody at example", "role": "boss"},
        headers=bearer(token),
    )

    assert await _codes(member) == {"email": ("unknown_account", {})}
    errors = await _codes(invitation)
    assert errors["email"][0] == "email_format"
    assert errors["role"] == ("literal_error", {"expected": "'master' or 'developer'"})


@pytest.fixture
async def owner(
    accounts: TestClient[Any, Any], miniprograms: TestClient[Any, Any]
) -> dict[str, str]:
    session = await sign_up(accounts)
    workspace_id = str(uuid.uuid4())
    await grant(miniprograms, workspace_id, session["account"]["id"], "owner")
    return {"token": session["tokens"]["access_token"], "workspace_id": workspace_id}


async def test_a_mini_program_form_names_each_broken_rule_by_its_code(
    miniprograms: TestClient[Any, Any], owner: dict[str, str]
) -> None:
    response = await create(
        miniprograms,
        owner["token"],
        owner["workspace_id"],
        name="中" * 15 + "a",
        tagline="短",
        service_phone="0571-888888",
        industry="food.nothing",
        service_email="service at acme",
        logo=image_bytes("JPEG", 100, 80),
    )

    errors = await _codes(response)
    assert errors["name"] == ("weighted_length", {"min": 3, "max": 30, "length": 31})
    assert errors["tagline"] == ("weighted_length", {"min": 10, "max": 30, "length": 2})
    assert errors["service_phone"] == ("service_phone_format", {})
    assert errors["industry"] == ("unknown_industry", {})
    assert errors["service_email"][0] == "email_format"
    assert errors["logo"] == ("logo_not_square", {"width": 100, "height": 80})


async def test_a_name_taken_in_the_workspace_is_named_beside_the_name(
    miniprograms: TestClient[Any, Any], owner: dict[str, str]
) -> None:
    first = await create(miniprograms, owner["token"], owner["workspace_id"])
    assert first.status == 201, await first.text()

    again = await create(miniprograms, owner["token"], owner["workspace_id"])

    assert await _codes(again, status=409) == {"name": ("name_taken", {})}


@pytest.fixture
async def notifier(
    make_settings: Callable[..., Any],
    serve: Callable[..., Any],
    accounts: TestClient[Any, Any],
) -> TestClient[Any, Any]:
    settings = make_settings(
        NotifierSettings,
        jwks_url=str(accounts.make_url("/.well-known/jwks.json")),
        smtp_port=free_port(),
    )
    client: TestClient[Any, Any] = await serve(create_notifier_app(settings))
    return client


async def test_the_delivery_log_names_a_bad_query_parameter_by_its_code(
    accounts: TestClient[Any, Any], notifier: TestClient[Any, Any]
) -> None:
    admin = await staff_token(accounts, "admin")

    response = await notifier.get(
        "/v1/notifications?limit=0&cursor=nonsense&limit=2", headers=bearer(admin)
    )
    repeated = await _codes(response)
    too_few = await notifier.get("/v1/notifications?limit=0", headers=bearer(admin))
    cursor = await notifier.get("/v1/notifications?cursor=nonsense", headers=bearer(admin))

    assert repeated == {"limit": ("given_twice", {})}
    assert await _codes(too_few) == {"limit": ("greater_than_equal", {"ge": 1})}
    assert await _codes(cursor) == {"cursor": ("unknown_cursor", {})}
