"""Bad input: requests generated from each service's live /openapi.json get no 5xx and only
documented answers (each status declared for its operation: the documents have no catch-all
`default` response); malformed and oversized bodies get a 4xx problem, never a 500.

How the fuzzing reaches the services: they are aiohttp apps on this test's event loop (on real
loopback ports). Schemathesis sends a case with `requests`, which blocks, and Hypothesis'
`@given` is synchronous; blocking the loop would stall the very server being called. So each
operation's whole Hypothesis run happens in a worker thread (`asyncio.to_thread`) while the
loop keeps serving, and each response is checked by `case.validate_response`, which takes the
`requests` response as it is.
"""

import asyncio
import gzip
from collections.abc import AsyncIterator, Iterator
from typing import Any

import hypothesis
import pytest
import pytest_asyncio
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok
from schemathesis.core.transport import Response
from schemathesis.generation.case import Case
from schemathesis.schemas import APIOperation, BaseSchema

from accounts.api import api as accounts_api
from miniprograms.api import api as miniprograms_api
from shared.http import MAX_BODY_KEY, PROBLEM_JSON
from shared.openapi import Api
from tests.support.accounts import bearer
from tests.support.fuzz import HAS_NOTIFIER, Platform, Tenants, running_platform, set_up_tenants
from tests.support.images import image_bytes
from workspaces.api import api as workspaces_api

pytestmark = pytest.mark.asyncio(loop_scope="module")

type Operation = APIOperation[Any, Any, Any, Any]
type GeneratedCase = Case[Any]

APIS: dict[str, Api] = {
    "accounts": accounts_api,
    "workspaces": workspaces_api,
    "miniprograms": miniprograms_api,
}
if HAS_NOTIFIER:
    from notifier.api import api as notifier_api

    APIS["notifier"] = notifier_api

# Per operation: small enough that the ~35 operations take about ten seconds, large enough to
# get past validation (part of the cases aim at real objects, see _cases).
MAX_EXAMPLES = 25
FUZZ_SETTINGS = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,  # the same cases on every run: what fails in CI fails locally
    database=None,
    # No shrinking: it would replay a failure many times; the report has the whole request.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


# --- generated requests ------------------------------------------------------------------


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def platform(mongo_url: str, rabbitmq_url: str) -> AsyncIterator[Platform]:
    async with running_platform(mongo_url=mongo_url, rabbitmq_url=rabbitmq_url) as running:
        yield running


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def tenants(platform: Platform) -> Tenants:
    return await set_up_tenants(platform)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def schemas(platform: Platform) -> dict[str, BaseSchema]:
    """Each service's schema as it serves it (not as the Api object would build it)."""
    loaded: dict[str, BaseSchema] = {}
    for service in APIS:
        response = await platform[service].get("/openapi.json")
        assert response.status == 200, await response.text()
        loaded[service] = schemathesis.openapi.from_dict(await response.json())
    return loaded


def _operations() -> Iterator[Any]:
    for service, api in APIS.items():
        for op in api.operations:
            yield pytest.param(service, op.method, op.path, id=f"{service} {op.method} {op.path}")


def _token(tenants: Tenants, service: str, path: str) -> str:
    if service == "notifier":
        return tenants.admin_token
    if path.startswith("/v1/review/"):
        return tenants.reviewer_token
    if path.startswith("/v1/workspace-applications") and "{id}" not in path:
        # The owner's application is approved (every draft change: 409); the stranger has
        # none yet, so the fuzzed drafts are saved, validated and submitted.
        return tenants.stranger_token
    return tenants.owner_token


def _known_path_parameters(tenants: Tenants, path: str) -> list[dict[str, str]]:
    """Real ids for an operation's path, so generated bodies and queries reach real objects
    (random ids stop at 404)."""
    if "{account_id}" in path:
        return [
            {"id": tenants.workspace_id, "account_id": tenants.developer_id},
            {"id": tenants.workspace_id, "account_id": tenants.owner_id},
        ]
    if path.startswith("/v1/workspaces/{id}"):
        return [{"id": tenants.workspace_id}]
    if path.startswith("/v1/workspace-applications/{id}"):
        return [{"id": tenants.application_id}]
    if path.startswith("/v1/review/applications/{id}"):
        return [{"id": tenants.pending_application_id}, {"id": tenants.application_id}]
    if path.startswith("/v1/mini-programs/{id}"):
        return [{"id": tenants.mini_program_id}]
    return []


def _known_query(tenants: Tenants, service: str, path: str) -> list[dict[str, str]]:
    if (service, path) == ("miniprograms", "/v1/mini-programs"):
        return [{"workspace_id": tenants.workspace_id}]
    if (service, path) == ("notifier", "/v1/notifications"):
        return [{"account_id": tenants.owner_id}]
    return []


def _cases(op: Operation, *, token: str, tenants: Tenants, service: str) -> Any:
    """Valid and invalid requests with the caller's token, valid ones aimed at real objects,
    and valid ones with the made-up token schemathesis puts in Authorization (401)."""
    auth = {"Authorization": f"Bearer {token}"}
    strategies = [
        op.as_strategy(GenerationMode.POSITIVE, headers=auth),
        op.as_strategy(GenerationMode.NEGATIVE, headers=auth),
        op.as_strategy(GenerationMode.POSITIVE),
    ]
    strategies += [
        op.as_strategy(GenerationMode.POSITIVE, headers=auth, path_parameters=known)
        for known in _known_path_parameters(tenants, op.path)
    ]
    strategies += [
        op.as_strategy(GenerationMode.POSITIVE, headers=auth, query=known)
        for known in _known_query(tenants, service, op.path)
    ]
    return st.one_of(strategies)


def a_failure_is_a_whole_problem(ctx: Any, response: Response, case: GeneratedCase) -> None:
    """A 4xx is problem+json saying its own status, with a type and a title (the schema of
    each declared failure is Problem; this also holds the body to the status line)."""
    status = response.status_code
    if status < 400:
        return
    content_type = response.headers.get("content-type", [""])[0].split(";")[0].strip()
    assert content_type == PROBLEM_JSON, f"{status} answered as {content_type!r}"
    problem = response.json()
    assert problem.get("status") == status, f"problem says {problem.get('status')}, not {status}"
    assert problem.get("type"), f"problem without a type: {problem}"
    assert problem.get("title"), f"problem without a title: {problem}"


CHECKS = [
    # A 5xx is never fine here: the database and the broker are up for the whole run.
    not_a_server_error,
    # Every status declared for its operation: a domain error the operation does not name in
    # `raises` (or a problem its handler raises but does not declare) fails here.
    status_code_conformance,
    a_failure_is_a_whole_problem,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,  # invalid input (per the schema) must get a 4xx
]


def _fuzz(strategy: Any, base_url: str) -> list[int]:
    """Run one operation's Hypothesis search; blocking, so call it in a thread. Returns the
    status of every request sent."""
    statuses: list[int] = []
    with requests.Session() as session:

        @FUZZ_SETTINGS
        @given(case=strategy)
        def send(case: GeneratedCase) -> None:
            response = case.call(base_url=base_url, session=session, timeout=15)
            statuses.append(response.status_code)
            case.validate_response(response, checks=CHECKS)

        send()
    return statuses


@pytest.mark.parametrize(("service", "method", "path"), list(_operations()))
async def test_generated_requests_get_no_server_error_and_only_documented_answers(
    platform: Platform,
    tenants: Tenants,
    schemas: dict[str, BaseSchema],
    service: str,
    method: str,
    path: str,
) -> None:
    op: Operation = schemas[service][path][method]
    strategy = _cases(op, token=_token(tenants, service, path), tenants=tenants, service=service)
    base_url = str(platform[service].make_url("")).rstrip("/")

    statuses = await asyncio.to_thread(_fuzz, strategy, base_url)

    # An operation without inputs has few distinct requests; Hypothesis stops when it runs out.
    has_inputs = bool(op.path_parameters or op.query or op.body)
    assert len(statuses) >= (MAX_EXAMPLES // 2 if has_inputs else 1), statuses
    assert any(status != 401 for status in statuses), f"the token never worked: {statuses}"


async def test_every_served_operation_is_fuzzed(schemas: dict[str, BaseSchema]) -> None:
    """The fuzzed operations are listed from the Api objects at collection; the live documents
    must list the same ones, or an operation would escape."""
    for service, api in APIS.items():
        served = set()
        for result in schemas[service].get_all_operations():
            assert isinstance(result, Ok), f"{service}: unreadable operation {result.err()}"
            served.add((result.ok().method.upper(), result.ok().path))
        assert served == {(op.method.upper(), op.path) for op in api.operations}, service


# --- malformed bodies ----------------------------------------------------------------------

BOUNDARY = "fuzzboundary"


def _multipart(*part_headers: bytes) -> bytes:
    """A multipart/form-data body with one part per header block (each part's value "x")."""
    body = b"".join(
        b"--" + BOUNDARY.encode() + b"\r\n" + headers + b"\r\n\r\nx\r\n" for headers in part_headers
    )
    return body + b"--" + BOUNDARY.encode() + b"--\r\n"


_JSON = "application/json"
_MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
_NAME_PART = b'Content-Disposition: form-data; name="name"'
# (id, service, method, path, token, content type, extra headers, body, known bug)
MALFORMED: list[tuple[str, str, str, str, str, str, dict[str, str], bytes, str | None]] = [
    ("unparsable JSON", "accounts", "POST", "/v1/accounts", "", _JSON, {}, b'{"email": ', None),
    ("JSON array", "accounts", "POST", "/v1/sessions", "", _JSON, {}, b"[1, 2]", None),
    ("JSON as text/plain", "accounts", "POST", "/v1/accounts", "", "text/plain", {}, b"{}", None),
    ("JSON not UTF-8", "accounts", "POST", "/v1/sessions", "", _JSON, {}, b'{"\xff": 1}', None),
    (
        "JSON nested 100000 deep",
        "accounts",
        "POST",
        "/v1/accounts",
        "",
        _JSON,
        {},
        b"[" * 100_000,
        None,
    ),
    (
        "JSON nested 100000 deep",
        "workspaces",
        "PUT",
        "/v1/workspace-applications/draft",
        "owner",
        _JSON,
        {},
        b'{"company_name": ' + b"[" * 100_000,
        None,
    ),
    (
        "JSON nested 100000 deep",
        "workspaces",
        "POST",
        "/v1/review/applications/{pending}/decision",
        "reviewer",
        _JSON,
        {},
        b'{"decision": ' + b'{"a": ' * 100_000,
        None,
    ),
    (
        "gzip that is not",
        "accounts",
        "POST",
        "/v1/sessions",
        "",
        _JSON,
        {"Content-Encoding": "gzip"},
        b'{"email": "a@example.com", "password": "x"}',
        None,
    ),
    (
        "gzip that is not",
        "workspaces",
        "PUT",
        "/v1/workspace-applications/draft/logo",
        "stranger",
        "image/png",
        {"Content-Encoding": "gzip"},
        image_bytes("PNG", 16, 16),
        None,
    ),
    (
        "gzip that is not",
        "miniprograms",
        "POST",
        "/v1/mini-programs",
        "owner",
        _MULTIPART,
        {"Content-Encoding": "gzip"},
        _multipart(_NAME_PART),
        None,
    ),
    (
        "real gzip",
        "accounts",
        "POST",
        "/v1/sessions",
        "",
        _JSON,
        {"Content-Encoding": "gzip"},
        gzip.compress(b"[1]"),
        None,
    ),
    ("form as JSON", "miniprograms", "POST", "/v1/mini-programs", "owner", _JSON, {}, b"{}", None),
    (
        "form without boundary",
        "miniprograms",
        "POST",
        "/v1/mini-programs",
        "owner",
        "multipart/form-data",
        {},
        _multipart(_NAME_PART),
        None,
    ),
    (
        "form not multipart",
        "miniprograms",
        "POST",
        "/v1/mini-programs",
        "owner",
        _MULTIPART,
        {},
        b"not a form",
        None,
    ),
    (
        "part name with a control character",
        "miniprograms",
        "POST",
        "/v1/mini-programs",
        "owner",
        _MULTIPART,
        {},
        _multipart(b'Content-Disposition: form-data; name="na\x06me"'),
        None,
    ),
    (
        "part name with a control character",
        "miniprograms",
        "PUT",
        "/v1/mini-programs/{mini_program}",
        "owner",
        _MULTIPART,
        {},
        _multipart(b'Content-Disposition: form-data; name="na\x06me"'),
        None,
    ),
    (
        "part header without a colon",
        "miniprograms",
        "POST",
        "/v1/mini-programs",
        "owner",
        _MULTIPART,
        {},
        f"--{BOUNDARY}\r\nNone--{BOUNDARY}--\r\n".encode(),
        None,
    ),
    (
        "part header over 8190 bytes",
        "miniprograms",
        "POST",
        "/v1/mini-programs",
        "owner",
        _MULTIPART,
        {},
        _multipart(b'Content-Disposition: form-data; name="' + b"n" * 9000 + b'"'),
        None,
    ),
    (
        "part with 200 headers",
        "miniprograms",
        "POST",
        "/v1/mini-programs",
        "owner",
        _MULTIPART,
        {},
        _multipart(b"\r\n".join([_NAME_PART, *[b"X-Filler: 1"] * 200])),
        None,
    ),
    (
        "part in an unknown transfer encoding",
        "miniprograms",
        "POST",
        "/v1/mini-programs",
        "owner",
        _MULTIPART,
        {},
        _multipart(_NAME_PART + b"\r\nContent-Transfer-Encoding: rot13"),
        None,
    ),
    (
        "part in an unknown charset",
        "miniprograms",
        "POST",
        "/v1/mini-programs",
        "owner",
        _MULTIPART,
        {},
        _multipart(_NAME_PART + b"\r\nContent-Type: text/plain; charset=no-such-charset"),
        None,
    ),
]


def _malformed_params() -> Iterator[Any]:
    for row in MALFORMED:
        name, service, method, path, *_, bug = row
        marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
        yield pytest.param(*row[1:-1], id=f"{name}: {service} {method} {path}", marks=marks)


def _caller(tenants: Tenants, who: str) -> dict[str, str]:
    tokens = {
        "owner": tenants.owner_token,
        "stranger": tenants.stranger_token,
        "reviewer": tenants.reviewer_token,
    }
    return bearer(tokens[who]) if who else {}


@pytest.mark.parametrize(
    ("service", "method", "path", "who", "content_type", "headers", "body"),
    list(_malformed_params()),
)
async def test_a_malformed_body_gets_a_4xx_problem_not_a_500(
    platform: Platform,
    tenants: Tenants,
    service: str,
    method: str,
    path: str,
    who: str,
    content_type: str,
    headers: dict[str, str],
    body: bytes,
) -> None:
    url = path.format(pending=tenants.pending_application_id, mini_program=tenants.mini_program_id)
    sent = {**_caller(tenants, who), **headers, "Content-Type": content_type}

    response = await platform[service].request(method, url, data=body, headers=sent)

    assert 400 <= response.status < 500, f"{response.status}: {await response.text()}"
    assert response.content_type == PROBLEM_JSON
    assert (await response.json())["status"] == response.status


@pytest.mark.xfail(
    strict=True,
    reason="minor: aiohttp's HTTP parser refuses a request line over 8190 bytes with a "
    "text/plain 400 before the app (and its problem middleware) sees the request",
)
async def test_a_request_target_over_8_kib_gets_a_400_problem(
    platform: Platform, tenants: Tenants
) -> None:
    response = await platform.workspaces.get(
        "/v1/workspaces/" + "a" * 9000, headers=bearer(tenants.owner_token)
    )

    assert response.status == 400
    assert response.content_type == PROBLEM_JSON


# --- oversized bodies ----------------------------------------------------------------------

# One endpoint per service that reads a body, after authentication where it needs a token.
OVERSIZED: list[tuple[str, str, str, str]] = [
    ("accounts", "POST", "/v1/accounts", "json"),
    ("workspaces", "POST", "/v1/workspaces/{workspace_id}/members", "json"),
    ("workspaces", "PUT", "/v1/workspace-applications/draft/logo", "raw"),
    ("miniprograms", "POST", "/v1/mini-programs", "multipart"),
]


def _oversized_body(kind: str, size: int, workspace_id: str) -> tuple[bytes, str]:
    """A body of more than `size` bytes, and its content type."""
    if kind == "json":
        return b'{"email": "' + b"a" * size + b'@example.com", "role": "developer"}', _JSON
    if kind == "raw":
        return image_bytes("PNG", 16, 16) + b"\0" * size, "image/png"
    boundary = BOUNDARY.encode()
    body = (
        b"--"
        + boundary
        + b'\r\nContent-Disposition: form-data; name="workspace_id"\r\n\r\n'
        + workspace_id.encode()
        + b"\r\n--"
        + boundary
        + b'\r\nContent-Disposition: form-data; name="logo"; filename="logo.png"\r\n'
        + b"Content-Type: image/png\r\n\r\n"
        + b"\0" * size
        + b"\r\n--"
        + boundary
        + b"--\r\n"
    )
    return body, _MULTIPART


async def _chunked(body: bytes) -> AsyncIterator[bytes]:
    """The body in 64 KiB chunks: sent with Transfer-Encoding: chunked, no Content-Length."""
    for start in range(0, len(body), 64 * 1024):
        yield body[start : start + 64 * 1024]


@pytest.mark.parametrize(
    ("service", "method", "path", "kind"),
    [pytest.param(*row, id=f"{row[0]} {row[1]} {row[2]}") for row in OVERSIZED],
)
@pytest.mark.parametrize("framing", ["content-length", "chunked"])
async def test_a_body_over_the_limit_gets_413_problem_json(
    platform: Platform,
    tenants: Tenants,
    service: str,
    method: str,
    path: str,
    kind: str,
    framing: str,
) -> None:
    client = platform[service]
    limit = client.app[MAX_BODY_KEY]
    assert limit == 1024 * 1024  # HTTP_MAX_BODY_BYTES' default
    body, content_type = _oversized_body(kind, limit + 1, tenants.workspace_id)
    headers = {**bearer(tenants.owner_token), "Content-Type": content_type}
    data: Any = body if framing == "content-length" else _chunked(body)

    response = await client.request(
        method, path.format(workspace_id=tenants.workspace_id), data=data, headers=headers
    )

    assert response.status == 413, await response.text()
    assert response.content_type == PROBLEM_JSON
    problem = await response.json()
    assert problem["status"] == 413
    assert str(limit) in problem["detail"]


async def test_every_service_that_takes_a_body_has_an_oversized_body_row() -> None:
    """The notifier takes no body (its resend is a bodiless POST): it has none to refuse. A
    service that starts taking bodies needs a row in OVERSIZED."""
    taking_bodies = {
        service
        for service, api in APIS.items()
        if any(op.body or op.binary_body for op in api.operations)
    }

    assert taking_bodies == {service for service, *_ in OVERSIZED}


async def test_a_body_just_under_the_limit_is_read_not_refused(
    platform: Platform, tenants: Tenants
) -> None:
    """The 413 is about size: the same endpoint reads a body one byte under the limit (and
    answers it on its merits: an email that long is invalid)."""
    client = platform.workspaces
    limit = client.app[MAX_BODY_KEY]
    padding = b" " * (limit - 100)
    body = b'{"email": "x@example.com", "role": "owner"}' + padding

    response = await client.post(
        f"/v1/workspaces/{tenants.workspace_id}/members",
        data=body,
        headers={**bearer(tenants.owner_token), "Content-Type": _JSON},
    )

    assert response.status == 422, await response.text()
    assert {e["field"] for e in (await response.json())["errors"]} == {"role"}
