"""HTTP basics: problem+json errors, request ids, typed routes and the OpenAPI document."""

import base64
import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema
from pymongo.errors import ConnectionFailure, ServerSelectionTimeoutError

from shared.logging import correlation_id_var, request_id_var

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


@dataclass
class FieldError:
    field: str
    message: str


class ProblemError(Exception):
    """An RFC 9457 problem; raise it anywhere in a request to answer with it."""

    def __init__(
        self,
        status: int,
        title: str,
        *,
        detail: str | None = None,
        type_slug: str | None = None,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.type_slug = type_slug or title.lower().replace(" ", "-")
        self.errors = errors or []
        self.headers = headers or {}


def validation_problem(errors: list[FieldError]) -> ProblemError:
    names = ", ".join(sorted({e.field for e in errors}))
    return ProblemError(422, "Validation failed", detail=f"Invalid fields: {names}", errors=errors)


def field_problem(field_name: str, message: str) -> ProblemError:
    return validation_problem([FieldError(field_name, message)])


def errors_from_pydantic(error: ValidationError) -> list[FieldError]:
    found = []
    for item in error.errors(include_url=False):
        name = ".".join(str(part) for part in item["loc"]) or "body"
        message = item["msg"].removeprefix("Value error, ")
        found.append(FieldError(name, message))
    return found


def problem_response(problem: ProblemError) -> web.Response:
    body: dict[str, Any] = {
        "type": f"https://errors.mpp.example/{problem.type_slug}",
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail or problem.title,
    }
    if request_id := request_id_var.get():
        body["request_id"] = request_id
    if problem.errors:
        body["errors"] = [{"field": e.field, "message": e.message} for e in problem.errors]
    return web.Response(
        status=problem.status,
        text=json.dumps(body),
        content_type=PROBLEM_JSON,
        headers=problem.headers,
    )


_HTTP_TITLES = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    413: "Request body too large",
    415: "Unsupported media type",
}


@web.middleware
async def request_context_middleware(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Give every request an id (the caller's X-Request-ID when sane) used as correlation id."""
    incoming = request.headers.get("X-Request-ID", "")
    request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else str(uuid.uuid4())
    request_token = request_id_var.set(request_id)
    correlation_token = correlation_id_var.set(request_id)
    try:
        response = await handler(request)
        response.headers["X-Request-ID"] = request_id
        return response
    except web.HTTPException as exc:
        exc.headers["X-Request-ID"] = request_id
        raise
    finally:
        request_id_var.reset(request_token)
        correlation_id_var.reset(correlation_token)


type ProblemFactory = ProblemError | Callable[[Any], ProblemError]
# A service's domain errors and how each answers; handlers just let them propagate.
type ProblemMap = Mapping[type[Exception], ProblemFactory]


def _mapped_problem(app: web.Application, exc: Exception) -> ProblemError | None:
    problems = app.get(PROBLEMS_KEY, {})
    for cls in type(exc).__mro__:
        if (factory := problems.get(cls)) is not None:
            return factory if isinstance(factory, ProblemError) else factory(exc)
    return None


@web.middleware
async def problem_middleware(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Turn every failure into problem+json: no HTML error pages, no stack traces out."""
    try:
        return await handler(request)
    except ProblemError as problem:
        return problem_response(problem)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        title = _HTTP_TITLES.get(exc.status, exc.reason)
        detail = title
        if exc.status == 413:
            detail = f"The body may be at most {request.app[MAX_BODY_KEY]} bytes"
        response = problem_response(ProblemError(exc.status, title, detail=detail))
        if allow := exc.headers.get("Allow"):
            response.headers["Allow"] = allow
        return response
    except (HttpProcessingError, RequestPayloadError) as exc:
        # A body that cannot be read as sent (bad Content-Encoding, broken multipart headers).
        return problem_response(ProblemError(400, "Malformed request", detail=str(exc)[:200]))
    except (ServerSelectionTimeoutError, ConnectionFailure):
        log.warning("database unavailable", exc_info=True)
        return problem_response(
            ProblemError(
                503,
                "Service unavailable",
                detail="The database is unreachable",
                headers={"Retry-After": "5"},
            )
        )
    except Exception as exc:
        if (mapped := _mapped_problem(request.app, exc)) is not None:
            return problem_response(mapped)
        log.exception("unhandled error on %s %s", request.method, request.path)
        return problem_response(ProblemError(500, "Internal error"))


MAX_BODY_KEY = web.AppKey("max_body_bytes", int)
PROBLEMS_KEY: web.AppKey["ProblemMap"] = web.AppKey("problems")


def create_base_app(
    *, max_body_bytes: int, middlewares: list[Any] | None = None
) -> web.Application:
    app = web.Application(
        client_max_size=max_body_bytes,
        middlewares=[request_context_middleware, problem_middleware, *(middlewares or [])],
    )
    app[MAX_BODY_KEY] = max_body_bytes
    return app


def json_response(model: BaseModel | dict[str, Any], *, status: int = 200) -> web.Response:
    payload = model.model_dump(mode="json") if isinstance(model, BaseModel) else model
    return web.json_response(payload, status=status)


async def read_json[M: BaseModel](request: web.Request, model: type[M]) -> M:
    """The body as `model`: 415 unless JSON, 400 if malformed, 422 naming each bad field."""
    if request.content_type != "application/json" and not request.content_type.endswith("+json"):
        raise ProblemError(415, "Unsupported media type", detail="Send application/json")
    raw = await request.read()
    try:
        data = json.loads(raw or b"null")
    except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
        raise ProblemError(400, "Malformed JSON", detail=str(exc)[:200]) from exc
    if not isinstance(data, dict):
        raise field_problem("body", "must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_problem(errors_from_pydantic(exc)) from exc


def read_query[M: BaseModel](request: web.Request, model: type[M]) -> M:
    try:
        return model.model_validate(dict(request.query))
    except ValidationError as exc:
        raise validation_problem(errors_from_pydantic(exc)) from exc


# --- routes that describe themselves -------------------------------------------------------

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Operation:
    method: str
    path: str
    handler: Handler
    summary: str
    body: type[BaseModel] | None = None
    body_media: str = "application/json"
    query: type[BaseModel] | None = None
    responses: dict[int, type[BaseModel] | None] = field(default_factory=dict)
    secured: bool = False
    tags: list[str] = field(default_factory=list)


class Api:
    """Routes plus the metadata that generates /openapi.json from the same pydantic models."""

    def __init__(
        self, *, title: str, version: str = "1.0.0", problems: ProblemMap | None = None
    ) -> None:
        self.title = title
        self.version = version
        self.operations: list[Operation] = []
        self.problems: ProblemMap = problems or {}

    def route(
        self,
        method: str,
        path: str,
        *,
        summary: str,
        body: type[BaseModel] | None = None,
        body_media: str = "application/json",
        query: type[BaseModel] | None = None,
        responses: dict[int, type[BaseModel] | None] | None = None,
        secured: bool = False,
        tags: list[str] | None = None,
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.operations.append(
                Operation(
                    method,
                    path,
                    handler,
                    summary,
                    body,
                    body_media,
                    query,
                    responses or {200: None},
                    secured,
                    tags or [],
                )
            )
            return handler

        return register

    def add_to(self, app: web.Application) -> None:
        app[PROBLEMS_KEY] = self.problems
        for op in self.operations:
            app.router.add_route(op.method, op.path, op.handler, name=op.handler.__name__)
        document = self.openapi()

        async def openapi_json(_: web.Request) -> web.Response:
            return web.json_response(document)

        app.router.add_get("/openapi.json", openapi_json)

    def openapi(self) -> dict[str, Any]:
        models: list[tuple[type[BaseModel], Any]] = []
        for op in self.operations:
            if op.body:
                models.append((op.body, "validation"))
            models += [(m, "serialization") for m in op.responses.values() if m]
        # pydantic names each schema (Item, Item-Input, mod__Item...): use the refs it gives.
        refs, schemas = models_json_schema(
            list(dict.fromkeys(models)), ref_template="#/components/schemas/{model}"
        )
        paths: dict[str, dict[str, Any]] = {}
        for op in self.operations:
            paths.setdefault(op.path, {})[op.method.lower()] = _operation_doc(op, refs)
        components: dict[str, Any] = {
            "schemas": {**schemas.get("$defs", {}), "Problem": _PROBLEM_SCHEMA},
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        }
        return {
            "openapi": "3.1.0",
            "info": {"title": self.title, "version": self.version},
            "paths": paths,
            "components": components,
        }


type _Refs = Mapping[tuple[Any, Any], dict[str, Any]]


def _operation_doc(op: Operation, refs: _Refs) -> dict[str, Any]:
    doc: dict[str, Any] = {"operationId": op.handler.__name__, "summary": op.summary}
    if op.tags:
        doc["tags"] = op.tags
    params = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{(\w+)}", op.path)
    ]
    if op.query:
        for name, info in op.query.model_fields.items():
            schema = op.query.model_json_schema()["properties"][name]
            params.append(
                {
                    "name": info.alias or name,
                    "in": "query",
                    "required": info.is_required(),
                    "schema": schema,
                }
            )
    if params:
        doc["parameters"] = params
    if op.body:
        doc["requestBody"] = {
            "required": True,
            "content": {op.body_media: {"schema": refs[(op.body, "validation")]}},
        }
    responses: dict[str, Any] = {}
    for status, model in op.responses.items():
        entry: dict[str, Any] = {"description": "OK" if status < 300 else "Problem"}
        if model:
            entry["content"] = {"application/json": {"schema": refs[(model, "serialization")]}}
        responses[str(status)] = entry
    responses["default"] = {
        "description": "Problem",
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    doc["responses"] = responses
    if op.secured:
        doc["security"] = [{"bearer": []}]
    return doc


_PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


# --- pagination --------------------------------------------------------------------------


# Keyset pagination: a page ends at a (time, id) position; the next starts after it.
type Position = tuple[datetime, str]


def page_after(cursor: str | None) -> Position | None:
    """Where the requested page starts (None: the first page); 422 naming `cursor` when it is
    not a cursor this API returned."""
    if not cursor:
        return None
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return datetime.fromisoformat(raw["at"]), str(raw["id"])
    except (ValueError, KeyError, TypeError) as exc:
        raise field_problem("cursor", "is not a cursor this API returned") from exc


def next_page[D: Mapping[str, Any]](
    docs: list[D], *, limit: int, at: str
) -> tuple[list[D], str | None]:
    """`docs` was fetched with limit + 1 to learn whether more follow: the page, and the opaque
    cursor of the next one (None on the last page). `at` names the time field sorted on."""
    if len(docs) <= limit:
        return docs, None
    page = docs[:limit]
    position = {"at": page[-1][at].isoformat(), "id": page[-1]["_id"]}
    raw = json.dumps(position, separators=(",", ":")).encode()
    return page, base64.urlsafe_b64encode(raw).decode().rstrip("=")


def binary_response(
    request: web.Request, *, body: bytes, content_type: str, etag: str
) -> web.Response:
    """An image or file with an ETag; 304 when the client has it already."""
    quoted = f'"{etag}"'
    headers = {"ETag": quoted, "Cache-Control": "private, max-age=300"}
    if quoted in request.headers.get("If-None-Match", ""):
        return web.Response(status=304, headers=headers)
    return web.Response(body=body, content_type=content_type, headers=headers)
