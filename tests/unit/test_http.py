"""problem+json errors, request ids, read_json and the OpenAPI document of shared.http."""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from pydantic import BaseModel, Field, computed_field

from shared.http import (
    PROBLEM_JSON,
    ProblemError,
    ProblemFrom,
    create_base_app,
    json_response,
    read_json,
)
from shared.openapi import Api

type Client = TestClient[Any, Any]


class Address(BaseModel):
    city: str = Field(min_length=1)


class SignupCreate(BaseModel):
    email: str
    age: int = Field(ge=18)
    address: Address


class ShelfEmptyError(Exception):
    pass


class TooLateError(Exception):
    def __init__(self, minutes: int) -> None:
        self.minutes = minutes


class WayTooLateError(TooLateError):
    pass


def build_api() -> Api:
    problems = {
        ShelfEmptyError: ProblemError(409, "Shelf empty", type_slug="shelf-empty"),
        TooLateError: ProblemFrom[TooLateError](
            410, "Too late", detail=lambda exc: f"{exc.minutes} min late"
        ),
    }
    api = Api(title="Test API", version="2.0.0", problems=problems)

    @api.route("GET", "/shelf", summary="Raise a mapped error", raises=[ShelfEmptyError])
    async def shelf(_: web.Request) -> web.Response:
        raise ShelfEmptyError

    @api.route(
        "GET", "/late", summary="Raise a subclass of a mapped error", raises=[WayTooLateError]
    )
    async def late(_: web.Request) -> web.Response:
        raise WayTooLateError(12)

    @api.route("POST", "/signups", summary="Sign up", body=SignupCreate, responses={201: None})
    async def create_signup(request: web.Request) -> web.Response:
        signup = await read_json(request, SignupCreate)
        return json_response(signup, status=201)

    @api.route("GET", "/ping", summary="Ping")
    async def ping(_: web.Request) -> web.Response:
        return json_response({"pong": True})

    @api.route("GET", "/boom", summary="Fail")
    async def boom(_: web.Request) -> web.Response:
        raise RuntimeError("secret internals at /srv/app/db.py")

    @api.route("GET", "/limited", summary="Rate limited", problems={429: "Slow down"})
    async def limited(_: web.Request) -> web.Response:
        raise ProblemError(429, "Too many requests", headers={"Retry-After": "7"})

    return api


@pytest.fixture
async def client(serve: Callable[[web.Application], Any]) -> Client:
    app = create_base_app(max_body_bytes=1024)
    build_api().add_to(app)
    started: Client = await serve(app)
    return started


async def _problem(response: Any, status: int) -> dict[str, Any]:
    """The problem+json body, after checking the status and media type."""
    assert response.status == status
    assert response.content_type == PROBLEM_JSON
    body: dict[str, Any] = await response.json(content_type=PROBLEM_JSON)
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    return body


async def test_valid_body_reaches_the_handler(client: Client) -> None:
    body = {"email": "a@example.com", "age": 30, "address": {"city": "Lima"}}

    response = await client.post("/signups", json=body)

    assert response.status == 201
    assert await response.json() == body


async def test_unknown_path_is_a_404_problem(client: Client) -> None:
    response = await client.get("/nowhere")

    body = await _problem(response, 404)
    assert body["title"] == "Not found"
    assert body["type"].startswith("https://")


async def test_wrong_method_is_a_405_problem_with_allow_header(client: Client) -> None:
    response = await client.delete("/signups")

    await _problem(response, 405)
    assert "POST" in response.headers["Allow"]


async def test_non_json_content_type_is_a_415_problem(client: Client) -> None:
    response = await client.post(
        "/signups", data="email=a@example.com", headers={"Content-Type": "text/plain"}
    )

    await _problem(response, 415)


async def test_malformed_json_is_a_400_problem(client: Client) -> None:
    response = await client.post(
        "/signups", data='{"email": ', headers={"Content-Type": "application/json"}
    )

    body = await _problem(response, 400)
    assert body["title"] == "Malformed JSON"


async def test_json_array_body_is_a_422_naming_the_body(client: Client) -> None:
    response = await client.post("/signups", json=[{"email": "a@example.com"}])

    body = await _problem(response, 422)
    assert [error["field"] for error in body["errors"]] == ["body"]


async def test_invalid_fields_are_a_422_naming_every_bad_field(client: Client) -> None:
    response = await client.post("/signups", json={"age": 12, "address": {"city": ""}})

    body = await _problem(response, 422)
    assert {error["field"] for error in body["errors"]} == {"email", "age", "address.city"}
    assert all(error["message"] for error in body["errors"])
    assert "address.city" in body["detail"]


async def test_body_over_the_limit_is_a_413_problem(client: Client) -> None:
    oversized = {"email": "a" * 2000, "age": 30, "address": {"city": "Lima"}}

    response = await client.post("/signups", json=oversized)

    body = await _problem(response, 413)
    assert "1024" in body["detail"]


async def test_unhandled_error_is_a_500_problem_without_internals(client: Client) -> None:
    response = await client.get("/boom")

    body = await _problem(response, 500)
    text = await response.text()
    assert body["title"] == "Internal error"
    assert "Traceback" not in text
    assert "RuntimeError" not in text
    assert "secret internals" not in text


async def test_problem_error_headers_are_passed_through(client: Client) -> None:
    response = await client.get("/limited")

    await _problem(response, 429)
    assert response.headers["Retry-After"] == "7"


async def test_sane_request_id_is_echoed_in_header_and_problem(client: Client) -> None:
    response = await client.get("/nowhere", headers={"X-Request-ID": "req-42.a:b_c"})

    body = await _problem(response, 404)
    assert response.headers["X-Request-ID"] == "req-42.a:b_c"
    assert body["request_id"] == "req-42.a:b_c"


async def test_request_id_is_generated_when_absent(client: Client) -> None:
    response = await client.get("/ping")

    assert response.status == 200
    uuid.UUID(response.headers["X-Request-ID"])


@pytest.mark.parametrize(
    "unsafe", ["has spaces in it", "x" * 129, "<script>alert(1)</script>", "a/b"]
)
async def test_unsafe_request_id_is_replaced_by_a_generated_one(
    client: Client, unsafe: str
) -> None:
    response = await client.get("/ping", headers={"X-Request-ID": unsafe})

    echoed = response.headers["X-Request-ID"]
    assert echoed != unsafe
    uuid.UUID(echoed)


def test_openapi_document_describes_the_routes() -> None:
    document = build_api().openapi()

    assert document["openapi"] == "3.1.0"
    assert document["info"] == {"title": "Test API", "version": "2.0.0"}
    assert set(document["paths"]) == {"/signups", "/ping", "/boom", "/limited", "/shelf", "/late"}
    assert set(document["paths"]["/signups"]) == {"post"}
    assert document["paths"]["/signups"]["post"]["operationId"] == "create_signup"


def _resolve(document: dict[str, Any], ref: str) -> dict[str, Any]:
    prefix = "#/components/schemas/"
    assert ref.startswith(prefix)
    schema: dict[str, Any] = document["components"]["schemas"][ref.removeprefix(prefix)]
    return schema


def test_openapi_request_body_ref_resolves_to_the_model_schema() -> None:
    document = build_api().openapi()

    request_body = document["paths"]["/signups"]["post"]["requestBody"]
    schema = _resolve(document, request_body["content"]["application/json"]["schema"]["$ref"])
    assert set(schema["properties"]) == {"email", "age", "address"}
    nested = _resolve(document, schema["properties"]["address"]["$ref"])
    assert set(nested["properties"]) == {"city"}


def test_openapi_every_operation_answers_problems_with_the_problem_schema() -> None:
    document = build_api().openapi()

    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status"}
    for path in document["paths"].values():
        for operation in path.values():
            failures = {s: r for s, r in operation["responses"].items() if int(s) >= 400}
            assert failures, operation["operationId"]
            for response in failures.values():
                content = response["content"][PROBLEM_JSON]
                assert _resolve(document, content["schema"]["$ref"]) is problem


def test_openapi_states_the_status_of_each_raised_domain_error() -> None:
    paths = build_api().openapi()["paths"]

    assert "409" in paths["/shelf"]["get"]["responses"]
    assert "410" in paths["/late"]["get"]["responses"]  # found through its base class
    assert "Retry-After" in paths["/limited"]["get"]["responses"]["429"]["headers"]


class ItemWithComputed(BaseModel):
    name: str

    @computed_field  # type: ignore[prop-decorator]
    @property
    def slug(self) -> str:
        return self.name.lower()


def test_openapi_ref_resolves_when_a_model_is_both_body_and_response() -> None:
    api = Api(title="Items")

    @api.route("POST", "/items", summary="Add", body=ItemWithComputed, responses={201: None})
    async def add_item(_: web.Request) -> web.Response:
        raise NotImplementedError

    @api.route("GET", "/item", summary="Read", responses={200: ItemWithComputed})
    async def read_item(_: web.Request) -> web.Response:
        raise NotImplementedError

    document = api.openapi()

    body_ref = document["paths"]["/items"]["post"]["requestBody"]["content"]["application/json"]
    _resolve(document, body_ref["schema"]["$ref"])


async def test_openapi_json_is_served_by_the_app(client: Client) -> None:
    response = await client.get("/openapi.json")

    assert response.status == 200
    assert await response.json() == build_api().openapi()


async def test_a_mapped_domain_error_answers_with_its_problem(client: Client) -> None:
    problem = await _problem(await client.get("/shelf"), 409)
    assert problem["type"].endswith("/shelf-empty")


async def test_a_subclass_of_a_mapped_error_answers_with_the_problem_built_from_it(
    client: Client,
) -> None:
    problem = await _problem(await client.get("/late"), 410)
    assert problem["detail"] == "12 min late"
