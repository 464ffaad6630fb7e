"""The OpenAPI document is complete enough for a generated client, and /docs shows it."""

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from pydantic import BaseModel

from shared.auth import PRINCIPAL_KEY, VERIFIER_KEY, Principal, TokenVerifier
from shared.field_errors import SHARED_CODES, FieldCode
from shared.http import (
    PROBLEM_JSON,
    ProblemError,
    ProblemFrom,
    UndeclaredFieldCodeWarning,
    create_base_app,
    json_response,
)
from shared.openapi import Api, Routes, UndeclaredStatusWarning


class NoteCreate(BaseModel):
    text: str


class NoteRead(BaseModel):
    id: str
    text: str


class BoardFullError(Exception):
    pass


class NoteTooLongError(BoardFullError):
    """A subclass: answered as its nearest mapped base class would be, unless mapped itself."""


class BadPictureError(Exception):
    pass


class UnmappedError(Exception):
    pass


PICTURE_FORMAT = FieldCode("picture_format", "is not a PNG")
PROBLEMS = {
    BoardFullError: ProblemError(
        409, "Board full", type_slug="board-full", detail="A board holds 100 notes"
    ),
    BadPictureError: ProblemFrom[BadPictureError](
        422,
        "Validation failed",
        errors=lambda exc: [PICTURE_FORMAT.error("picture")],
        description="`picture` is not a PNG",
    ),
}


def build_api(*, field_codes: Sequence[FieldCode] = (PICTURE_FORMAT,)) -> Api:
    notes = Routes()

    @notes.route(
        "POST",
        "/v1/boards/{id}/notes",
        summary="Add a note",
        body=NoteCreate,
        responses={201: NoteRead},
        raises=[NoteTooLongError],
        problems={409: "The board is archived"},
        secured=True,
        tags=["notes"],
    )
    async def add_note(_: web.Request) -> web.Response:
        return json_response({"id": "n1", "text": "x"}, status=201)

    @notes.route(
        "PUT",
        "/v1/boards/{id}/picture",
        summary="Upload the picture",
        binary_body=["image/png", "image/jpeg"],
        responses={204: None},
        raises=[BadPictureError],
        role="editor",
        tags=["pictures"],
    )
    async def put_picture(_: web.Request) -> web.Response:
        raise BadPictureError("is not a PNG")

    @notes.route("GET", "/v1/boards/{id}/stickers", summary="Stickers", tags=["notes"])
    async def list_stickers(_: web.Request) -> web.Response:
        raise BoardFullError  # a domain error it does not name

    @notes.route(
        "GET",
        "/v1/boards/{id}/picture",
        summary="The picture",
        binary_response=["image/png", "image/jpeg", "image/svg+xml"],
        problems={429: "Slow down"},
        tags=["pictures"],
    )
    async def get_picture(_: web.Request) -> web.Response:
        return web.Response(body=b"png", content_type="image/png")

    return Api(
        title="Boards",
        description="Notes on boards.",
        tags={"notes": "What people write", "pictures": "One per board"},
        problems=PROBLEMS,
        field_codes=field_codes,
        include=[notes],
    )


def test_the_document_has_a_description_and_described_tags() -> None:
    document = build_api().openapi()

    assert document["info"]["description"] == "Notes on boards."
    assert document["tags"] == [
        {"name": "notes", "description": "What people write"},
        {"name": "pictures", "description": "One per board"},
    ]


def test_each_operation_declares_the_problems_its_shape_implies_and_its_own() -> None:
    operation = build_api().openapi()["paths"]["/v1/boards/{id}/notes"]["post"]

    statuses = set(operation["responses"])
    assert {"201", "400", "401", "404", "409", "413", "415", "422", "503"} == statuses
    conflict = operation["responses"]["409"]["description"]
    assert conflict == (
        "- **Board full** (`board-full`): A board holds 100 notes\n- The board is archived"
    )
    schema = operation["responses"]["401"]["content"][PROBLEM_JSON]["schema"]
    assert schema == {"$ref": "#/components/schemas/Problem"}
    assert operation["responses"]["503"]["headers"]["Retry-After"]["schema"]["type"] == "integer"


def test_a_role_a_raw_upload_and_an_error_with_field_errors_declare_their_problems() -> None:
    responses = build_api().openapi()["paths"]["/v1/boards/{id}/picture"]["put"]["responses"]

    # No 415: the bytes decide what a raw upload is, whatever its Content-Type says.
    assert set(responses) == {"204", "400", "401", "403", "404", "413", "422", "503"}
    assert responses["403"]["description"] == "Needs the editor role"
    invalid = responses["422"]["description"]
    assert "**Validation failed** (`validation-failed`): `picture` is not a PNG" in invalid


def test_an_operation_naming_an_error_nothing_answers_is_refused() -> None:
    api = build_api()

    @api.route("GET", "/v1/broken", summary="Broken", raises=[UnmappedError])
    async def broken(_: web.Request) -> web.Response:
        raise UnmappedError

    with pytest.raises(ValueError, match="broken raises UnmappedError"):
        api.openapi()


def test_a_raw_upload_and_a_binary_answer_declare_their_media_types() -> None:
    paths = build_api().openapi()["paths"]["/v1/boards/{id}/picture"]

    upload = paths["put"]["requestBody"]["content"]
    answer = paths["get"]["responses"]
    assert set(upload) == {"image/png", "image/jpeg"}
    assert upload["image/png"]["schema"] == {"type": "string", "format": "binary"}
    assert set(answer["200"]["content"]) == {"image/png", "image/jpeg", "image/svg+xml"}
    assert "ETag" in answer["200"]["headers"]
    assert "304" in answer
    assert "Retry-After" in answer["429"]["headers"]


async def _client(
    serve: Callable[[web.Application], Any],
    *,
    middlewares: list[Any] | None = None,
    field_codes: Sequence[FieldCode] = (PICTURE_FORMAT,),
) -> TestClient[Any, Any]:
    async def no_keys() -> dict[str, Any]:
        return {"keys": []}

    app = create_base_app(max_body_bytes=1024, middlewares=middlewares)
    app[VERIFIER_KEY] = TokenVerifier(issuer="i", audience="a", load_jwks=no_keys)
    build_api(field_codes=field_codes).add_to(app)
    client: TestClient[Any, Any] = await serve(app)
    return client


async def test_docs_serves_swagger_ui_from_the_package(
    serve: Callable[[web.Application], Any],
) -> None:
    client = await _client(serve)

    page = await client.get("/docs")
    script = await client.get("/docs/static/swagger-ui-bundle.js")

    assert page.status == 200
    assert page.content_type == "text/html"
    assert "/openapi.json" in await page.text()
    assert script.status == 200
    assert len(await script.read()) > 100_000


async def test_a_secured_operation_answers_401_before_judging_its_query(
    serve: Callable[[web.Application], Any],
) -> None:
    client = await _client(serve)

    response = await client.post("/v1/boards/b1/notes?unknown=1", json={"text": "x"})

    assert response.status == 401


@web.middleware
async def _signed_in_by_header(request: web.Request, handler: Any) -> web.StreamResponse:
    """A caller with the roles the X-Roles header names (instead of a verified token)."""
    roles = frozenset(request.headers.get("X-Roles", "").split())
    request[PRINCIPAL_KEY] = Principal("a1", "a@example.com", roles)
    return await handler(request)


async def test_an_operation_with_a_role_refuses_a_token_without_it_before_the_handler(
    serve: Callable[[web.Application], Any],
) -> None:
    client = await _client(serve, middlewares=[_signed_in_by_header])

    reader = await client.put("/v1/boards/b1/picture?x=1", headers={"X-Roles": "reader"})
    editor = await client.put("/v1/boards/b1/picture", headers={"X-Roles": "reader editor"})

    assert reader.status == 403  # before the unknown query parameter's 422
    assert reader.content_type == PROBLEM_JSON
    assert editor.status == 422  # the handler ran: its domain error answered
    assert (await editor.json())["errors"] == [
        {"field": "picture", "message": "is not a PNG", "code": "picture_format", "params": {}}
    ]


async def test_an_answer_with_a_status_the_operation_does_not_declare_is_a_warning(
    serve: Callable[[web.Application], Any],
) -> None:
    """The tests turn the warning into an error (pyproject's filterwarnings): a status the
    code answers and the document does not declare fails whichever test meets it."""
    client = await _client(serve)

    with pytest.warns(UndeclaredStatusWarning, match="list_stickers answered 409"):
        response = await client.get("/v1/boards/b1/stickers")

    assert response.status == 409  # answered all the same


async def test_a_field_error_with_a_code_the_document_does_not_declare_is_a_warning(
    serve: Callable[[web.Application], Any],
) -> None:
    """As for statuses, the tests turn it into an error: a client could not translate it."""
    client = await _client(serve, middlewares=[_signed_in_by_header], field_codes=())

    with pytest.warns(UndeclaredFieldCodeWarning, match="'picture_format', undeclared"):
        response = await client.put("/v1/boards/b1/picture", headers={"X-Roles": "editor"})

    assert response.status == 422  # answered all the same


def test_the_document_declares_every_field_error_code_the_api_answers() -> None:
    schemas = build_api().openapi()["components"]["schemas"]

    error = schemas["FieldError"]
    assert schemas["Problem"]["properties"]["errors"]["items"] == {
        "$ref": "#/components/schemas/FieldError"
    }
    assert set(error["required"]) == {"field", "code", "message", "params"}
    assert error["properties"]["code"]["enum"] == [c.code for c in [*SHARED_CODES, PICTURE_FORMAT]]
    assert "- `picture_format`: is not a PNG" in error["properties"]["code"]["description"]
