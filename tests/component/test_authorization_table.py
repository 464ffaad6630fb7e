"""Authorization, as a table: every object endpoint is 404 to other tenants (and changes
nothing), members get what their role allows, reviewer and admin endpoints are 403 to
merchants, and no secured endpoint answers without a valid token.

One platform and one set of tenants serve the whole module (see tests.support.fuzz.Tenants);
each row is its own test.
"""

import dataclasses
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import jwt
import pytest
import pytest_asyncio

from accounts.api import api as accounts_api
from accounts.tokens import generate_private_key_pem
from miniprograms.api import api as miniprograms_api
from shared.http import PROBLEM_JSON
from shared.openapi import Api
from tests.support.accounts import bearer
from tests.support.fuzz import HAS_NOTIFIER, Platform, Tenants, running_platform, set_up_tenants
from tests.support.miniprograms import mini_program_form
from workspaces.api import api as workspaces_api

pytestmark = pytest.mark.asyncio(loop_scope="module")

APIS: dict[str, Api] = {
    "accounts": accounts_api,
    "workspaces": workspaces_api,
    "miniprograms": miniprograms_api,
}
if HAS_NOTIFIER:
    from notifier.api import api as notifier_api

    APIS["notifier"] = notifier_api

type Body = Callable[[Tenants], dict[str, Any]]


def _no_body(_: Tenants) -> dict[str, Any]:
    return {}


def _add_developer_again(tenants: Tenants) -> dict[str, Any]:
    # The owner would get 409 already-member: it passes authorization without changing anything.
    return {"json": {"email": tenants.developer_email, "role": "developer"}}


def _invite_the_developer(tenants: Tenants) -> dict[str, Any]:
    # The owner would get 409 already-member: no invitation is made, no mail sent.
    return {"json": {"email": tenants.developer_email, "role": "master"}}


def _same_role(_: Tenants) -> dict[str, Any]:
    return {"json": {"role": "developer"}}


def _mini_program_of_a(tenants: Tenants) -> dict[str, Any]:
    """The form the mini program was created with, in A's workspace: a valid body throughout."""
    return {"data": mini_program_form(tenants.workspace_id)}


def _reject(_: Tenants) -> dict[str, Any]:
    return {"json": {"decision": "reject", "reason": "Fuzzed by the authorization table"}}


@dataclass(frozen=True)
class Row:
    """A request to an object of owner A. `path` is the Api's template; `ids` names the Tenants
    attribute for each of its parameters, `query` likewise."""

    service: str
    method: str
    path: str
    ids: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    body: Body = _no_body
    # What a member with the developer role gets, and what owner A gets (None: not asked,
    # because the owner's request would change the objects the other rows use).
    developer: int | None = None
    owner: int | None = None
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.service} {self.method} {self.path}{self.label}"

    def url(self, tenants: Tenants) -> str:
        path = self.path.format(**{name: getattr(tenants, a) for name, a in self.ids.items()})
        if self.query:
            path += "?" + "&".join(f"{k}={getattr(tenants, a)}" for k, a in self.query.items())
        return path


WORKSPACE = {"id": "workspace_id"}
INVITATION = {"id": "workspace_id", "invitation_id": "invitation_id"}
GRANT = {"id": "mini_program_id", "account_id": "developer_id"}
OBJECT_ROWS = [
    Row("workspaces", "GET", "/v1/workspace-applications/{id}", {"id": "application_id"},
        developer=404, owner=200),
    Row("workspaces", "GET", "/v1/workspaces/{id}", WORKSPACE, developer=200, owner=200),
    Row("workspaces", "GET", "/v1/workspaces/{id}/logo", WORKSPACE, developer=200, owner=200),
    Row("workspaces", "GET", "/v1/workspaces/{id}/members", WORKSPACE, developer=200, owner=200),
    Row("workspaces", "POST", "/v1/workspaces/{id}/members", WORKSPACE,
        body=_add_developer_again, developer=403, owner=409),
    Row("workspaces", "PATCH", "/v1/workspaces/{id}/members/{account_id}",
        {"id": "workspace_id", "account_id": "developer_id"}, body=_same_role,
        developer=403, owner=200),
    Row("workspaces", "DELETE", "/v1/workspaces/{id}/members/{account_id}",
        {"id": "workspace_id", "account_id": "developer_id"}, developer=403,
        label=" (the developer)"),
    Row("workspaces", "DELETE", "/v1/workspaces/{id}/members/{account_id}",
        {"id": "workspace_id", "account_id": "owner_id"}, developer=403, owner=409,
        label=" (the owner)"),
    Row("miniprograms", "GET", "/v1/mini-programs/{id}", {"id": "mini_program_id"},
        developer=404, owner=200),
    Row("miniprograms", "PUT", "/v1/mini-programs/{id}", {"id": "mini_program_id"},
        body=_mini_program_of_a, developer=404, owner=200),
    Row("miniprograms", "GET", "/v1/mini-programs/{id}/logo", {"id": "mini_program_id"},
        developer=404, owner=200),
    Row("miniprograms", "GET", "/v1/mini-programs", query={"workspace_id": "workspace_id"},
        developer=200, owner=200),
    # One member's grants: a developer's own, or (owner and masters) anyone's in the workspace.
    Row("miniprograms", "GET", "/v1/mini-programs",
        query={"workspace_id": "workspace_id", "developer_id": "developer_id"},
        developer=200, owner=200, label=" (the developer's grants)"),
    Row("miniprograms", "GET", "/v1/mini-programs",
        query={"workspace_id": "workspace_id", "developer_id": "owner_id"},
        developer=403, owner=200, label=" (another member's grants)"),
    # Creating in A's workspace; the owner gets 409 name-taken (the same name exists).
    Row("miniprograms", "POST", "/v1/mini-programs", body=_mini_program_of_a,
        developer=403, owner=409),
    # Invitations are the owner's; resending or revoking A's would change what others use.
    Row("workspaces", "GET", "/v1/workspaces/{id}/invitations", WORKSPACE,
        developer=403, owner=200),
    Row("workspaces", "POST", "/v1/workspaces/{id}/invitations", WORKSPACE,
        body=_invite_the_developer, developer=403, owner=409),
    Row("workspaces", "POST", "/v1/workspaces/{id}/invitations/{invitation_id}/resend",
        INVITATION, developer=403),
    Row("workspaces", "DELETE", "/v1/workspaces/{id}/invitations/{invitation_id}",
        INVITATION, developer=403),
    Row("workspaces", "GET", "/v1/workspaces/{id}/activity", WORKSPACE,
        developer=200, owner=200),
    Row("workspaces", "GET", "/v1/workspace-applications/{id}/activity",
        {"id": "application_id"}, developer=404, owner=200),
    # The developer is granted nothing: A's mini program does not exist for them.
    Row("miniprograms", "GET", "/v1/mini-programs/{id}/developers", {"id": "mini_program_id"},
        developer=404, owner=200),
    Row("miniprograms", "PUT", "/v1/mini-programs/{id}/developers/{account_id}",
        GRANT, developer=404),
    Row("miniprograms", "DELETE", "/v1/mini-programs/{id}/developers/{account_id}",
        GRANT, developer=404, owner=204),
    # Ending A's session: not asked of the owner, whose token the other rows use.
    Row("accounts", "DELETE", "/v1/sessions/{session_id}", {"session_id": "owner_session_id"},
        developer=404),
]  # fmt: skip


@dataclass(frozen=True)
class StaffRow:
    service: str
    method: str
    path: str
    role: str  # the role the endpoint needs
    staff: int  # what a holder of that role gets
    ids: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    body: Body = _no_body

    @property
    def id(self) -> str:
        return f"{self.service} {self.method} {self.path}"

    def url(self, tenants: Tenants) -> str:
        return Row(self.service, self.method, self.path, self.ids, self.query).url(tenants)


PENDING = {"id": "pending_application_id"}
STAFF_ROWS = [
    StaffRow("workspaces", "GET", "/v1/review/applications", "reviewer", 200),
    StaffRow("workspaces", "GET", "/v1/review/applications/{id}", "reviewer", 200, PENDING),
    StaffRow("workspaces", "GET", "/v1/review/applications/{id}/logo", "reviewer", 200, PENDING),
    # On A's application, decided already: the reviewer passes authorization and gets 409.
    StaffRow("workspaces", "POST", "/v1/review/applications/{id}/decision", "reviewer", 409,
             {"id": "application_id"}, body=_reject),
    StaffRow("workspaces", "GET", "/v1/review/reason-codes", "reviewer", 200),
    StaffRow("workspaces", "GET", "/v1/review/accounts/{account_id}/applications", "reviewer",
             200, {"account_id": "owner_id"}),
    # The reviewer's own claim on the pending application: taken (again), then released.
    StaffRow("workspaces", "POST", "/v1/review/applications/{id}/claim", "reviewer", 200,
             PENDING, body=lambda _: {"json": {}}),
    StaffRow("workspaces", "DELETE", "/v1/review/applications/{id}/claim", "reviewer", 204,
             PENDING),
    StaffRow("workspaces", "GET", "/v1/review/applications/{id}/notes", "reviewer", 200, PENDING),
    StaffRow("workspaces", "POST", "/v1/review/applications/{id}/notes", "reviewer", 201,
             PENDING, body=lambda _: {"json": {"text": "Checked by the authorization table"}}),
]  # fmt: skip
if HAS_NOTIFIER:
    STAFF_ROWS.append(
        StaffRow("notifier", "GET", "/v1/notifications", "admin", 200,
                 query={"account_id": "owner_id"}),
    )  # fmt: skip
    # No notification has an account's id: the admin passes authorization and gets 404.
    STAFF_ROWS.append(
        StaffRow("notifier", "POST", "/v1/notifications/{id}/resend", "admin", 404,
                 {"id": "owner_id"}),
    )  # fmt: skip


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def platform(mongo_url: str, rabbitmq_url: str) -> AsyncIterator[Platform]:
    async with running_platform(mongo_url=mongo_url, rabbitmq_url=rabbitmq_url) as running:
        yield running


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def tenants(platform: Platform) -> Tenants:
    return await set_up_tenants(platform)


def _token(tenants: Tenants, who: str) -> str:
    return {
        "owner": tenants.owner_token,
        "developer": tenants.developer_token,
        "stranger": tenants.stranger_token,
        "reviewer": tenants.reviewer_token,
        "admin": tenants.admin_token,
    }[who]


async def _send(
    platform: Platform, tenants: Tenants, row: Row | StaffRow, headers: dict[str, str]
) -> aiohttp.ClientResponse:
    response: aiohttp.ClientResponse = await platform[row.service].request(
        row.method, row.url(tenants), headers=headers, **row.body(tenants)
    )
    await response.read()
    return response


async def _problem(response: aiohttp.ClientResponse) -> dict[str, Any]:
    assert response.content_type == PROBLEM_JSON, await response.text()
    problem: dict[str, Any] = await response.json()
    assert problem["status"] == response.status
    return problem


async def _what_a_has(platform: Platform, tenants: Tenants) -> list[Any]:
    """Everything of A the rows could touch, as A sees it."""
    owner = bearer(tenants.owner_token)
    seen = []
    for service, path in [
        ("workspaces", f"/v1/workspaces/{tenants.workspace_id}"),
        ("workspaces", f"/v1/workspaces/{tenants.workspace_id}/members"),
        ("workspaces", f"/v1/workspace-applications/{tenants.application_id}"),
        ("miniprograms", f"/v1/mini-programs?workspace_id={tenants.workspace_id}"),
    ]:
        response = await platform[service].get(path, headers=owner)
        assert response.status == 200, await response.text()
        seen.append(await response.json())
    return seen


def _ids_that_exist_nowhere(tenants: Tenants) -> Tenants:
    return dataclasses.replace(
        tenants,
        **{
            name: str(uuid.uuid4())
            for name in (
                "workspace_id",
                "application_id",
                "pending_application_id",
                "mini_program_id",
                "owner_id",
                "developer_id",
                "invitation_id",
            )
        },
    )


def _sans_request_id(problem: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in problem.items() if k != "request_id"}


@pytest.mark.parametrize("outsider", ["stranger", "reviewer"])
@pytest.mark.parametrize("row", OBJECT_ROWS, ids=lambda row: row.id)
async def test_an_outsider_gets_404_for_an_object_of_another_tenant_and_changes_nothing(
    platform: Platform, tenants: Tenants, row: Row, outsider: str
) -> None:
    """B (a merchant with no workspace) and a reviewer (staff, but of no workspace) are both
    outside A's workspace: A's objects do not exist for them."""
    caller = bearer(_token(tenants, outsider))
    before = await _what_a_has(platform, tenants)

    response = await _send(platform, tenants, row, caller)

    assert response.status == 404, f"{outsider} {row.id}: {await response.text()}"
    assert await _what_a_has(platform, tenants) == before
    # Word for word what an id that exists nowhere gets: the answer tells nothing about A.
    missing = await _send(platform, _ids_that_exist_nowhere(tenants), row, caller)
    assert _sans_request_id(await _problem(response)) == _sans_request_id(await _problem(missing))


@pytest.mark.parametrize(
    "row", [r for r in OBJECT_ROWS if r.developer is not None], ids=lambda row: row.id
)
async def test_a_developer_member_gets_what_the_role_allows(
    platform: Platform, tenants: Tenants, row: Row
) -> None:
    """Members see the workspace; owner actions are 403; unassigned mini programs do not
    exist for a developer, and creating one is 403."""
    response = await _send(platform, tenants, row, bearer(tenants.developer_token))

    assert response.status == row.developer, f"{row.id}: {await response.text()}"
    if response.status >= 400:
        await _problem(response)


@pytest.mark.parametrize(
    "row", [r for r in OBJECT_ROWS if r.owner is not None], ids=lambda row: row.id
)
async def test_the_owner_passes_authorization_on_the_same_requests(
    platform: Platform, tenants: Tenants, row: Row
) -> None:
    """The control: the rows' requests do reach A's objects; only the caller differs."""
    response = await _send(platform, tenants, row, bearer(tenants.owner_token))

    assert response.status == row.owner, f"{row.id}: {await response.text()}"


@pytest.mark.parametrize("merchant", ["owner", "stranger", "developer"])
@pytest.mark.parametrize("row", STAFF_ROWS, ids=lambda row: row.id)
async def test_a_merchant_gets_403_on_reviewer_and_admin_endpoints(
    platform: Platform, tenants: Tenants, row: StaffRow, merchant: str
) -> None:
    response = await _send(platform, tenants, row, bearer(_token(tenants, merchant)))

    assert response.status == 403, f"{merchant} {row.id}: {await response.text()}"
    assert row.role in (await _problem(response))["detail"]


@pytest.mark.parametrize("row", STAFF_ROWS, ids=lambda row: row.id)
async def test_staff_of_the_other_role_gets_403_and_the_right_role_gets_in(
    platform: Platform, tenants: Tenants, row: StaffRow
) -> None:
    other = "admin" if row.role == "reviewer" else "reviewer"

    refused = await _send(platform, tenants, row, bearer(_token(tenants, other)))
    allowed = await _send(platform, tenants, row, bearer(_token(tenants, row.role)))

    assert refused.status == 403, f"{other} {row.id}: {await refused.text()}"
    assert allowed.status == row.staff, f"{row.role} {row.id}: {await allowed.text()}"


# --- no valid token --------------------------------------------------------------------------


def _secured_operations() -> Iterator[Any]:
    for service, api in APIS.items():
        for op in api.operations:
            if op.secured:
                yield pytest.param(
                    service, op.method, op.path, id=f"{service} {op.method} {op.path}"
                )


def _any_url(tenants: Tenants, path: str) -> str:
    """The operation's path with real ids (and its required query), so only the token is
    missing from an otherwise answerable request."""
    ids = {
        "/v1/workspaces/": tenants.workspace_id,
        "/v1/workspace-applications/": tenants.application_id,
        "/v1/review/applications/": tenants.pending_application_id,
        "/v1/mini-programs/": tenants.mini_program_id,
    }
    object_id = next((v for prefix, v in ids.items() if path.startswith(prefix)), "unused")
    url = path.format(
        id=object_id,
        account_id=tenants.developer_id,
        session_id=tenants.owner_session_id,
        invitation_id=tenants.invitation_id,
    )
    if path == "/v1/mini-programs":
        url += f"?workspace_id={tenants.workspace_id}"
    if path == "/v1/notifications":
        url += f"?account_id={tenants.owner_id}"
    return url


def _forged_token(tenants: Tenants) -> str:
    """A's claims and A's key id, signed with a key the accounts service never had."""
    claims = jwt.decode(tenants.owner_token, options={"verify_signature": False})
    kid = jwt.get_unverified_header(tenants.owner_token)["kid"]
    return jwt.encode(claims, generate_private_key_pem(), algorithm="EdDSA", headers={"kid": kid})


def _unsigned_token(tenants: Tenants) -> str:
    claims = jwt.decode(tenants.owner_token, options={"verify_signature": False})
    return jwt.encode(claims, "", algorithm="none")


BAD_CREDENTIALS: dict[str, Callable[[Tenants], dict[str, str]]] = {
    "no Authorization": lambda _: {},
    "not Bearer": lambda t: {"Authorization": f"Basic {t.owner_token}"},
    "empty Bearer": lambda _: {"Authorization": "Bearer "},
    "garbage": lambda _: {"Authorization": "Bearer not-a-jwt"},
    "forged signature": lambda t: {"Authorization": f"Bearer {_forged_token(t)}"},
    "alg none": lambda t: {"Authorization": f"Bearer {_unsigned_token(t)}"},
}


@pytest.mark.parametrize("credentials", list(BAD_CREDENTIALS))
@pytest.mark.parametrize(("service", "method", "path"), list(_secured_operations()))
async def test_a_secured_endpoint_answers_401_without_a_valid_token(
    platform: Platform, tenants: Tenants, service: str, method: str, path: str, credentials: str
) -> None:
    response = await platform[service].request(
        method, _any_url(tenants, path), headers=BAD_CREDENTIALS[credentials](tenants)
    )

    assert response.status == 401, f"{method} {path}: {await response.text()}"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    await _problem(response)


async def test_the_table_covers_every_object_and_staff_endpoint() -> None:
    """Every operation on an object (a path parameter, or a workspace in the query or form)
    and every staff operation is a row: a new endpoint cannot skip the table."""
    object_ops = {
        (service, op.method, op.path)
        for service, api in APIS.items()
        for op in api.operations
        if "{" in op.path or op.path == "/v1/mini-programs"
    }
    staff_ops = {
        (service, op.method, op.path)
        for service, api in APIS.items()
        for op in api.operations
        if op.path.startswith("/v1/review/") or service == "notifier"
    }
    rows = {(r.service, r.method, r.path) for r in OBJECT_ROWS}
    staff_rows = {(r.service, r.method, r.path) for r in STAFF_ROWS}

    assert object_ops - staff_ops == rows
    assert staff_ops == staff_rows
