"""What every service answers the same way, proved on a small service built like the real ones
(create_service_app: real Mongo wire server, real RabbitMQ): metrics by the real status, the
access log, common headers, CORS, unknown query parameters, indexes retried until ready."""

import asyncio
import json
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, make_mocked_request
from pydantic import BaseModel, Field
from pymongo import ASCENDING, AsyncMongoClient, IndexModel

from shared.auth import authenticate
from shared.http import (
    PROBLEM_JSON,
    ProblemError,
    binary_response,
    json_response,
    read_query,
    request_context_middleware,
)
from shared.openapi import Api
from shared.runtime import create_service_app
from shared.settings import ServiceSettings

type Client = TestClient[Any, Any]

INDEXES = {"things": [IndexModel([("code", ASCENDING)], unique=True)]}


class ThingQuery(BaseModel):
    status: str = "open"
    limit: int = Field(default=10, ge=1, le=100)


def build_api() -> Api:
    api = Api(title="Conventions")

    @api.route("GET", "/v1/things", summary="List", query=ThingQuery)
    async def list_things(request: web.Request) -> web.Response:
        query = read_query(request, ThingQuery)
        return json_response({"status": query.status, "limit": query.limit})

    @api.route("GET", "/v1/plain", summary="A list without query parameters")
    async def plain(_: web.Request) -> web.Response:
        return json_response({"items": []})

    @api.route("GET", "/v1/secret", summary="Needs a token", secured=True)
    async def secret(request: web.Request) -> web.Response:
        await authenticate(request)
        return json_response({})

    @api.route("GET", "/v1/conflict", summary="Always 409", problems={409: "Always"})
    async def conflict(_: web.Request) -> web.Response:
        raise ProblemError(409, "Conflict")

    @api.route("GET", "/v1/logo.svg", summary="An SVG")
    async def svg(request: web.Request) -> web.Response:
        return binary_response(request, body=b"<svg/>", content_type="image/svg+xml")

    return api


async def _no_wiring(_: web.Application) -> AsyncIterator[None]:
    yield


async def _no_keys() -> dict[str, Any]:
    return {"keys": []}


@pytest.fixture
def build(make_settings: Callable[..., Any], serve: Callable[..., Any]) -> Callable[..., Any]:
    async def start(**overrides: Any) -> Client:
        settings = make_settings(ServiceSettings, service_name="conventions", **overrides)
        app = create_service_app(
            settings, api=build_api(), indexes=INDEXES, wiring=_no_wiring, load_jwks=_no_keys
        )
        client: Client = await serve(app)
        return client

    return start


async def _metric(client: Client, line_start: str) -> float:
    text = await (await client.get("/metrics")).text()
    values = [float(line.split()[-1]) for line in text.splitlines() if line.startswith(line_start)]
    return sum(values)


async def test_error_answers_are_counted_with_their_real_status(
    build: Callable[..., Any],
) -> None:
    client = await build()

    assert (await client.get("/v1/secret")).status == 401
    assert (await client.get("/v1/conflict")).status == 409
    assert (await client.get("/v1/things?limit=0")).status == 422
    assert (await client.get("/v1/things")).status == 200

    name = 'mpp_http_requests_total{method="GET",route='
    assert await _metric(client, name + '"/v1/secret",status="401"}') == 1
    assert await _metric(client, name + '"/v1/conflict",status="409"}') == 1
    assert await _metric(client, name + '"/v1/things",status="422"}') == 1
    assert await _metric(client, name + '"/v1/things",status="200"}') == 1
    assert (
        await _metric(
            client, 'mpp_http_requests_total{method="GET",route="/v1/secret",status="500"}'
        )
        == 0
    )


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("/v1/things?status[$ne]=x", ["status[$ne]"]),
        ("/v1/things?limit=5&sort=asc", ["sort"]),
        ("/v1/things?status=a&status=b", ["status"]),
        ("/v1/plain?page=2", ["page"]),
    ],
)
async def test_unknown_or_repeated_query_parameters_are_a_422_naming_them(
    build: Callable[..., Any], path: str, named: list[str]
) -> None:
    client = await build()

    response = await client.get(path)

    assert response.status == 422
    assert response.content_type == PROBLEM_JSON
    body = await response.json(content_type=PROBLEM_JSON)
    assert [error["field"] for error in body["errors"]] == named


async def test_every_answer_says_nosniff_and_no_server_version(
    build: Callable[..., Any],
) -> None:
    client = await build()

    for path in ("/v1/plain", "/v1/conflict", "/healthz", "/nowhere"):
        response = await client.get(path)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Server"] == "mpp"


async def test_an_svg_is_sandboxed_and_named_inline(build: Callable[..., Any]) -> None:
    client = await build()

    response = await client.get("/v1/logo.svg")

    assert response.headers["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )
    assert response.headers["Content-Disposition"] == 'inline; filename="logo.svg"'


async def test_one_json_access_line_per_request_with_its_ids_in_utc(
    build: Callable[..., Any], capsys: pytest.CaptureFixture[str]
) -> None:
    client = await build(log_json=True)

    await client.get("/v1/conflict", headers={"X-Request-ID": "trace-me-1"})

    lines = [
        json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")
    ]
    access = [line for line in lines if line["logger"] == "mpp.access"]
    assert len(access) == 1
    line = access[0]
    assert (line["method"], line["route"], line["status"]) == ("GET", "/v1/conflict", 409)
    assert line["duration_ms"] >= 0
    assert line["request_id"] == line["correlation_id"] == "trace-me-1"
    assert line["service"] == "conventions"
    # RFC 3339 in UTC, e.g. 2026-12-02T08:15:30.123Z
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"])


async def test_a_configured_origin_gets_its_preflight_and_cors_headers(
    build: Callable[..., Any],
) -> None:
    client = await build(cors_allowed_origins="http://console.example, http://other.example")
    origin = {"Origin": "http://console.example"}

    preflight = await client.options(
        "/v1/things",
        headers={
            **origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )
    actual = await client.get("/v1/things", headers=origin)

    assert preflight.status == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "http://console.example"
    allowed = preflight.headers["Access-Control-Allow-Headers"].upper()
    assert "AUTHORIZATION" in allowed
    assert "CONTENT-TYPE" in allowed
    assert actual.headers["Access-Control-Allow-Origin"] == "http://console.example"
    exposed = {
        h.strip().upper() for h in actual.headers["Access-Control-Expose-Headers"].split(",")
    }
    assert {"ETAG", "RETRY-AFTER", "X-REQUEST-ID"} <= exposed


async def test_no_origin_is_allowed_unless_configured(build: Callable[..., Any]) -> None:
    client = await build()

    preflight = await client.options(
        "/v1/things",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "GET"},
    )
    actual = await client.get("/v1/things", headers={"Origin": "http://evil.example"})

    assert preflight.status == 405
    assert "Access-Control-Allow-Origin" not in actual.headers


async def test_an_unlisted_origin_gets_no_cors_headers(build: Callable[..., Any]) -> None:
    client = await build(cors_allowed_origins="http://console.example")

    preflight = await client.options(
        "/v1/things",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "GET"},
    )
    actual = await client.get("/v1/things", headers={"Origin": "http://evil.example"})

    assert preflight.status == 403
    assert preflight.content_type == PROBLEM_JSON
    assert "Access-Control-Allow-Origin" not in preflight.headers
    assert "Access-Control-Allow-Origin" not in actual.headers


async def test_indexes_that_fail_at_start_are_retried_and_readyz_waits_for_them(
    build: Callable[..., Any], make_settings: Callable[..., Any]
) -> None:
    settings = make_settings(ServiceSettings, service_name="conventions")
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.mongo_url)
    things = mongo[settings.mongo_database]["things"]
    # A non-unique index of the same name: creating the declared unique one fails.
    await things.create_index([("code", ASCENDING)])
    try:
        client = await build(mongo_index_retry_s=0.2)
        before = await client.get("/readyz")
        await things.drop_index("code_1")
        for _ in range(50):
            after = await client.get("/readyz")
            if after.status == 200:
                break
            await asyncio.sleep(0.1)
        indexes = await things.index_information()
    finally:
        await mongo.close()

    assert before.status == 503
    assert (await before.json())["checks"]["indexes"] == "down"
    assert after.status == 200
    assert indexes["code_1"].get("unique") is True


async def test_a_request_id_with_a_trailing_newline_is_not_taken() -> None:
    request = make_mocked_request("GET", "/", headers={"X-Request-ID": "abc\n"})

    async def handler(_: web.Request) -> web.Response:
        return web.Response()

    response = await request_context_middleware(request, handler)

    assert response.headers["X-Request-ID"] != "abc\n"
    assert json.dumps(response.headers["X-Request-ID"]).count("\\n") == 0
