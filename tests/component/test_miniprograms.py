"""Mini programs: the platform's exact rules, the limit under concurrency, roles and logos."""

import asyncio
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from pydantic import ValidationError

from miniprograms.api import api
from miniprograms.app import create_app
from miniprograms.domain import MiniProgramForm
from miniprograms.settings import MiniProgramsSettings
from shared.images import MAX_LOGO_BYTES
from tests.support.accounts import bearer, sign_up
from tests.support.images import decompression_bomb, image_bytes, png_of_exact_size
from tests.support.miniprograms import VALID, create, grant, mini_program_form


@pytest.fixture
async def owner(
    accounts: TestClient[Any, Any], miniprograms: TestClient[Any, Any]
) -> dict[str, str]:
    """A merchant who owns a fresh workspace."""
    session = await sign_up(accounts)
    workspace_id = str(uuid.uuid4())
    await grant(miniprograms, workspace_id, session["account"]["id"], "owner")
    return {
        "token": session["tokens"]["access_token"],
        "workspace_id": workspace_id,
        "account_id": session["account"]["id"],
    }


async def _errors(response: Any) -> dict[str, str]:
    assert response.status == 422, await response.text()
    assert response.content_type == "application/problem+json"
    return {e["field"]: e["message"] for e in (await response.json())["errors"]}


async def test_an_owner_creates_a_mini_program_for_alipay_in_chinese(
    miniprograms: TestClient[Any, Any], owner: dict[str, str]
) -> None:
    response = await create(miniprograms, owner["token"], owner["workspace_id"])

    assert response.status == 201, await response.text()
    body = await response.json()
    assert body["language"] == "zh-CN"
    assert body["target"] == "alipay_cn"
    assert body["name"] == "Acme 点餐"
    assert body["quota"] == {"used": 1, "limit": 10}
    got = await miniprograms.get(f"/v1/mini-programs/{body['id']}", headers=bearer(owner["token"]))
    assert (await got.json())["tagline"] == "Order lunch in two taps"
    listed = await miniprograms.get(
        f"/v1/mini-programs?workspace_id={owner['workspace_id']}", headers=bearer(owner["token"])
    )
    assert [m["id"] for m in (await listed.json())["items"]] == [body["id"]]


@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [
        ("name", "ab", False),
        ("name", "abc", True),
        ("name", "a" * 30, True),
        ("name", "a" * 31, False),
        ("name", "中" * 15, True),
        ("name", "中" * 15 + "a", False),
        ("name", "中a", True),
        ("name", "  abc  ", True),
        ("name", "中", False),
        ("name", "ab\u0007c", False),
        ("name", "ab\u202ec", False),
        ("name", "点" * 14 + "，", True),
        ("name", "点" * 14 + "，a", False),
        ("tagline", "a" * 9, False),
        ("tagline", "a" * 10, True),
        ("tagline", "好" * 5, True),
        ("tagline", "a" * 30, True),
        ("tagline", "a" * 31, False),
        ("tagline", "a" * 5 + "\u200b" + "a" * 5, False),
        ("description", "a" * 19, False),
        ("description", "a" * 20, True),
        ("description", "描" * 100, True),
        ("description", "描" * 100 + "a", False),
        ("description", "a" * 201, False),
        ("description", "a" * 10 + "\u202e" + "a" * 10, False),
        ("service_phone", "0571-8888888", True),
        ("service_phone", "571-8888888", False),
        ("service_phone", "0571-888888", False),
        ("service_phone", "0571 8888888", False),
        ("service_phone", "05718888888", False),
        ("service_phone", "0571-88888888", False),
        ("service_phone", "٠٥٧١-٨٨٨٨٨٨٨", False),
        ("service_phone", "0571-8888888\n", False),
        ("service_email", "not-an-email", False),
        ("industry", "space.tourism", False),
        ("target", "wechat", False),
    ],
)
async def test_each_field_follows_the_platform_rules(
    miniprograms: TestClient[Any, Any], owner: dict[str, str], field: str, value: str, ok: bool
) -> None:
    fields = {"name": f"n{uuid.uuid4().hex[:6]}", field: value}
    response = await create(miniprograms, owner["token"], owner["workspace_id"], **fields)
    if ok:
        assert response.status == 201, await response.text()
        assert (await response.json())[field] == value.strip()
    else:
        assert set(await _errors(response)) == {field}


async def test_every_bad_field_is_reported_at_once(
    miniprograms: TestClient[Any, Any], owner: dict[str, str]
) -> None:
    response = await create(
        miniprograms,
        owner["token"],
        owner["workspace_id"],
        name="x",
        tagline=None,
        service_phone="1",
        logo=image_bytes("GIF"),
    )
    assert set(await _errors(response)) == {"name", "tagline", "service_phone", "logo"}


@pytest.mark.parametrize(
    ("logo", "name", "ok"),
    [
        (png_of_exact_size(MAX_LOGO_BYTES), "logo.png", True),
        (png_of_exact_size(MAX_LOGO_BYTES + 1), "logo.png", False),
        (image_bytes("PNG", 100, 101), "logo.png", False),
        (image_bytes("GIF"), "logo.gif", False),
        (image_bytes("PNG"), "logo.jpg", True),
        (image_bytes("JPEG"), "logo.png", True),
        (decompression_bomb(), "logo.png", False),
    ],
    ids=["256KB", "256KB+1", "100x101", "gif", "png-named-jpg", "jpeg", "bomb"],
)
async def test_logo_rules(
    miniprograms: TestClient[Any, Any], owner: dict[str, str], logo: bytes, name: str, ok: bool
) -> None:
    response = await create(
        miniprograms, owner["token"], owner["workspace_id"], logo=logo, logo_name=name
    )
    if not ok:
        assert set(await _errors(response)) == {"logo"}
        return
    assert response.status == 201
    url = (await response.json())["logo_url"]
    download = await miniprograms.get(url, headers=bearer(owner["token"]))
    assert await download.read() == logo
    assert download.content_type == ("image/jpeg" if logo.startswith(b"\xff\xd8") else "image/png")
    cached = await miniprograms.get(
        url, headers={**bearer(owner["token"]), "If-None-Match": download.headers["ETag"]}
    )
    assert cached.status == 304


async def test_thirty_concurrent_creates_leave_exactly_ten(
    miniprograms: TestClient[Any, Any], owner: dict[str, str]
) -> None:
    responses = await asyncio.gather(
        *(
            create(miniprograms, owner["token"], owner["workspace_id"], name=f"Program {i:02}")
            for i in range(30)
        )
    )

    statuses = [r.status for r in responses]
    assert statuses.count(201) == 10
    assert statuses.count(409) == 20
    refused = next(r for r in responses if r.status == 409)
    assert (await refused.json())["type"].endswith("/mini-program-limit-reached")
    listed = await miniprograms.get(
        f"/v1/mini-programs?workspace_id={owner['workspace_id']}", headers=bearer(owner["token"])
    )
    page = await listed.json()
    assert len(page["items"]) == 10
    assert page["quota"] == {"used": 10, "limit": 10}


async def test_names_are_unique_within_a_workspace_only(
    miniprograms: TestClient[Any, Any], accounts: TestClient[Any, Any], owner: dict[str, str]
) -> None:
    assert (
        await create(miniprograms, owner["token"], owner["workspace_id"], name="Lunch Box")
    ).status == 201
    again = await create(miniprograms, owner["token"], owner["workspace_id"], name="LUNCH BOX")
    assert again.status == 409
    assert (await again.json())["type"].endswith("/name-taken")
    other = await sign_up(accounts)
    other_workspace = str(uuid.uuid4())
    await grant(miniprograms, other_workspace, other["account"]["id"], "owner")
    elsewhere = await create(
        miniprograms, other["tokens"]["access_token"], other_workspace, name="Lunch Box"
    )
    assert elsewhere.status == 201


async def test_owner_and_master_create_developer_gets_403_and_outsiders_404(
    miniprograms: TestClient[Any, Any], accounts: TestClient[Any, Any], owner: dict[str, str]
) -> None:
    members = {}
    for role in ("master", "developer"):
        session = await sign_up(accounts)
        await grant(miniprograms, owner["workspace_id"], session["account"]["id"], role)
        members[role] = session["tokens"]["access_token"]
    outsider = (await sign_up(accounts))["tokens"]["access_token"]
    workspace = owner["workspace_id"]

    assert (await create(miniprograms, owner["token"], workspace, name="By owner")).status == 201
    by_master = await create(miniprograms, members["master"], workspace, name="By master")
    assert by_master.status == 201
    assert (
        await create(miniprograms, members["developer"], workspace, name="By dev")
    ).status == 403
    assert (await create(miniprograms, outsider, workspace, name="By outsider")).status == 404
    program = (await by_master.json())["id"]
    for token, status in ((outsider, 404), (members["developer"], 404), (owner["token"], 200)):
        assert (
            await miniprograms.get(f"/v1/mini-programs/{program}", headers=bearer(token))
        ).status == status
    listed = await miniprograms.get(
        f"/v1/mini-programs?workspace_id={workspace}", headers=bearer(outsider)
    )
    assert listed.status == 404


async def test_modify_validates_every_field_again(
    miniprograms: TestClient[Any, Any], owner: dict[str, str]
) -> None:
    created = await (await create(miniprograms, owner["token"], owner["workspace_id"])).json()
    url = f"/v1/mini-programs/{created['id']}"
    headers = bearer(owner["token"])

    missing = await miniprograms.put(
        url, data=mini_program_form(owner["workspace_id"], description=None), headers=headers
    )
    assert set(await _errors(missing)) == {"description"}
    bad = await miniprograms.put(
        url, data=mini_program_form(owner["workspace_id"], name="中" * 16), headers=headers
    )
    assert set(await _errors(bad)) == {"name"}
    ok = await miniprograms.put(
        url,
        data=mini_program_form(owner["workspace_id"], name="Acme 午餐", tagline="午餐两下就点好"),
        headers=headers,
    )
    assert ok.status == 200, await ok.text()
    body = await ok.json()
    assert (body["name"], body["tagline"], body["language"]) == (
        "Acme 午餐",
        "午餐两下就点好",
        "zh-CN",
    )
    assert body["created_at"] == created["created_at"]


async def test_a_json_body_is_415(
    miniprograms: TestClient[Any, Any], owner: dict[str, str]
) -> None:
    response = await miniprograms.post(
        "/v1/mini-programs", json={"name": "x"}, headers=bearer(owner["token"])
    )
    assert response.status == 415


@pytest.mark.parametrize(
    ("query", "code"),
    [("餐饮", "food.restaurant"), ("HOTEL", "travel.hotel"), ("logistics", "logistics.express")],
)
async def test_the_industry_catalogue_is_searchable_in_both_languages(
    miniprograms: TestClient[Any, Any], query: str, code: str
) -> None:
    found = await (await miniprograms.get("/v1/industries", params={"q": query})).json()
    assert code in [i["code"] for i in found["items"]]
    everything = await (await miniprograms.get("/v1/industries")).json()
    assert len(everything["items"]) >= 40
    assert all(i["name_zh"] and i["name_en"] for i in everything["items"])


async def test_a_right_to_left_override_in_a_name_is_refused(
    miniprograms: TestClient[Any, Any], owner: dict[str, str]
) -> None:
    # U+202E is a format character (Cf): shown, it reverses what follows it.
    response = await create(
        miniprograms, owner["token"], owner["workspace_id"], name="Acme\u202e点餐"
    )
    errors = await _errors(response)
    assert set(errors) == {"name"}
    assert "control characters" in errors["name"]


async def test_a_service_phone_with_a_trailing_newline_is_refused_on_create_and_modify(
    miniprograms: TestClient[Any, Any], owner: dict[str, str]
) -> None:
    workspace = owner["workspace_id"]
    headers = bearer(owner["token"])
    refused = await create(miniprograms, owner["token"], workspace, service_phone="0571-1234567\n")
    assert set(await _errors(refused)) == {"service_phone"}
    created = await (await create(miniprograms, owner["token"], workspace)).json()

    modified = await miniprograms.put(
        f"/v1/mini-programs/{created['id']}",
        data=mini_program_form(workspace, service_phone="0571-1234567\n"),
        headers=headers,
    )

    assert set(await _errors(modified)) == {"service_phone"}
    got = await miniprograms.get(f"/v1/mini-programs/{created['id']}", headers=headers)
    assert (await got.json())["service_phone"] == created["service_phone"] == "0571-8888888"


@pytest.mark.parametrize(
    "phone",
    ["0571-1234567", "0571-1234567\n", "\n0571-1234567", "571-1234567", "0571-12345678", "x"],
)
def test_the_documented_service_phone_pattern_is_the_one_the_server_applies(phone: str) -> None:
    """A generated client checks the pattern of /openapi.json as JSON Schema does (ECMA-262,
    where `^...$` spans the whole value); it must accept exactly what the server accepts."""
    schemas = api.openapi()["components"]["schemas"]
    pattern = schemas["MiniProgramFormFields"]["properties"]["service_phone"]["pattern"]
    assert pattern[0] + pattern[-1] == "^$"
    documented = re.fullmatch(pattern[1:-1], phone) is not None
    form = {**VALID, "workspace_id": "ws", "service_phone": phone}
    try:
        MiniProgramForm.model_validate(form)
    except ValidationError:
        assert not documented
    else:
        assert documented


async def test_created_and_updated_times_come_from_the_clock_given_to_create_app(
    make_settings: Callable[..., Any],
    serve: Callable[..., Any],
    accounts: TestClient[Any, Any],
) -> None:
    times = iter(datetime(2025, 1, 1, tzinfo=UTC) + timedelta(hours=h) for h in range(10))
    settings = make_settings(
        MiniProgramsSettings, jwks_url=str(accounts.make_url("/.well-known/jwks.json"))
    )
    client: TestClient[Any, Any] = await serve(create_app(settings, clock=lambda: next(times)))
    session = await sign_up(accounts)
    workspace = str(uuid.uuid4())
    await grant(client, workspace, session["account"]["id"], "owner")
    token = session["tokens"]["access_token"]

    created = await (await create(client, token, workspace)).json()
    modified = await client.put(
        f"/v1/mini-programs/{created['id']}",
        data=mini_program_form(workspace, name="Acme 午餐"),
        headers=bearer(token),
    )

    body = await modified.json()
    assert (created["created_at"], created["updated_at"]) == ("2025-01-01T00:00:00Z",) * 2
    assert (body["created_at"], body["updated_at"]) == (
        "2025-01-01T00:00:00Z",
        "2025-01-01T01:00:00Z",
    )
