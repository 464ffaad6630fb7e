"""On the real services: every list endpoint refuses query parameters it does not take, and the
answers carry the headers issue 12 asks for (the default SVG logo sandboxed, no version)."""

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from shared.http import PROBLEM_JSON
from tests.support.accounts import bearer, merchant_token, staff_token
from tests.support.workspaces import active_workspace, apply, decide

type Client = TestClient[Any, Any]


@pytest.fixture
async def owner(accounts: Client, workspaces: Client) -> dict[str, Any]:
    """A merchant with an active workspace (default logo), and a reviewer's token."""
    token = await merchant_token(accounts)
    reviewer = await staff_token(accounts, "reviewer")
    application = await apply(workspaces, token)
    await decide(workspaces, reviewer, application["id"], "approve")
    workspace = await active_workspace(workspaces, token)
    return {"token": token, "reviewer": reviewer, "workspace": workspace}


async def _refused(response: Any, *names: str) -> None:
    assert response.status == 422, await response.text()
    assert response.content_type == PROBLEM_JSON
    body = await response.json(content_type=PROBLEM_JSON)
    assert [e["field"] for e in body["errors"]] == list(names)


async def test_the_review_queue_refuses_an_operator_injection_in_its_query(
    workspaces: Client, owner: dict[str, Any]
) -> None:
    response = await workspaces.get(
        "/v1/review/applications?status[$ne]=x", headers=bearer(owner["reviewer"])
    )

    await _refused(response, "status[$ne]")


@pytest.mark.parametrize(
    "path",
    [
        "/v1/workspaces?sort=name",
        "/v1/workspace-applications?sort=name",
        "/v1/workspaces/{workspace}/members?sort=name",
    ],
)
async def test_workspace_lists_refuse_unknown_query_parameters(
    workspaces: Client, owner: dict[str, Any], path: str
) -> None:
    url = path.format(workspace=owner["workspace"]["id"])

    await _refused(await workspaces.get(url, headers=bearer(owner["token"])), "sort")


async def test_mini_program_lists_refuse_unknown_query_parameters(
    miniprograms: Client, owner: dict[str, Any]
) -> None:
    workspace_id = owner["workspace"]["id"]

    listed = await miniprograms.get(
        f"/v1/mini-programs?workspace_id={workspace_id}&sort=name",
        headers=bearer(owner["token"]),
    )
    industries = await miniprograms.get("/v1/industries?q=game&lang=en")

    await _refused(listed, "sort")
    await _refused(industries, "lang")


async def test_the_default_workspace_logo_is_a_sandboxed_inline_svg(
    workspaces: Client, owner: dict[str, Any]
) -> None:
    response = await workspaces.get(owner["workspace"]["logo_url"], headers=bearer(owner["token"]))

    assert response.content_type == "image/svg+xml"
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )
    assert response.headers["Content-Disposition"].startswith("inline; filename=")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Server"] == "mpp"
