"""HTTP basics: problem+json errors, request ids, reading bodies and queries, binary answers."""

import hashlib
import json
import logging
import re
import uuid
import warnings
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp_cors
from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError
from pydantic import BaseModel, ValidationError
from pymongo.errors import ConnectionFailure, ServerSelectionTimeoutError

from shared.field_errors import (
    GIVEN_TWICE,
    NOT_A_QUERY_PARAMETER,
    NOT_AN_OBJECT,
    FieldCode,
    Param,
    errors_from_pydantic,
)
from shared.field_errors import FieldError as FieldError  # where the services import it from
from shared.logging import correlation_id_var, request_id_var

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")  # used with fullmatch


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
        self.type_slug = type_slug or slug_of(title)
        self.errors = errors or []
        self.headers = headers or {}


def slug_of(title: str) -> str:
    """The last part of a problem's `type` URI, when the problem names none."""
    return title.lower().replace(" ", "-")


def invalid_fields(errors: list[FieldError]) -> str:
    return "Invalid fields: " + ", ".join(sorted({e.field for e in errors}))


def validation_problem(errors: list[FieldError]) -> ProblemError:
    return ProblemError(422, "Validation failed", detail=invalid_fields(errors), errors=errors)


def field_problem(field_name: str, code: FieldCode, **params: Param) -> ProblemError:
    return validation_problem([code.error(field_name, **params)])


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
        body["errors"] = [
            {"field": e.field, "message": e.message, "code": e.code, "params": dict(e.params)}
            for e in problem.errors
        ]
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
    request_id = incoming if _SAFE_REQUEST_ID.fullmatch(incoming) else str(uuid.uuid4())
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


@dataclass(frozen=True)
class ProblemFrom[E: Exception]:
    """How a domain error answers when the answer depends on the error: the status, title and
    type are fixed (so the OpenAPI document states them with no error at hand); the detail,
    the field errors and the headers may be made from the error."""

    status: int
    title: str
    type_slug: str | None = None
    detail: str | Callable[[E], str] | None = None
    errors: Callable[[E], list[FieldError]] | None = None
    headers: Callable[[E], dict[str, str]] | None = None
    # What the OpenAPI document says of it (default: the detail, when it is fixed).
    description: str | None = None

    def __call__(self, error: E) -> ProblemError:
        errors = self.errors(error) if self.errors else []
        detail = self.detail(error) if callable(self.detail) else self.detail
        return ProblemError(
            self.status,
            self.title,
            detail=detail or (invalid_fields(errors) if errors else None),
            type_slug=self.type_slug,
            errors=errors,
            headers=self.headers(error) if self.headers else None,
        )


type ProblemFactory = ProblemError | ProblemFrom[Any]
# A service's domain errors and how each answers; handlers just let them propagate.
type ProblemMap = Mapping[type[Exception], ProblemFactory]


def problem_for(problems: ProblemMap, error: type[Exception]) -> ProblemFactory | None:
    """How `error` answers: its own entry, else its nearest mapped base class's."""
    for cls in error.__mro__:
        if (factory := problems.get(cls)) is not None:
            return factory
    return None


def _mapped_problem(app: web.Application, exc: Exception) -> ProblemError | None:
    factory = problem_for(app.get(PROBLEMS_KEY, {}), type(exc))
    if factory is None:
        return None
    return factory if isinstance(factory, ProblemError) else factory(exc)


@web.middleware
async def problem_middleware(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Turn every failure into problem+json: no HTML error pages, no stack traces out."""
    try:
        return await handler(request)
    except Exception as exc:
        return problem_answer(request, exc)


class UndeclaredFieldCodeWarning(UserWarning):
    """A field error's code is in no catalogue the service's document declares: clients
    cannot know it (the tests turn this warning into an error)."""


def problem_answer(request: web.Request, exc: Exception) -> web.Response:
    """The problem+json answer for a failure (an HTTPException below 400 is raised again)."""
    if isinstance(exc, web.HTTPException) and exc.status < 400:
        raise exc
    problem = _problem_of(request, exc)
    declared = request.app.get(FIELD_CODES_KEY)
    for error in problem.errors:
        if declared is not None and error.code not in declared:
            message = f"{request.path}: `{error.field}` answered code {error.code!r}, undeclared"
            log.error(message)
            warnings.warn(UndeclaredFieldCodeWarning(message), stacklevel=1)
    response = problem_response(problem)
    if isinstance(exc, web.HTTPException) and (allow := exc.headers.get("Allow")):
        response.headers["Allow"] = allow
    return response


def _problem_of(request: web.Request, exc: Exception) -> ProblemError:
    if isinstance(exc, ProblemError):
        return exc
    if isinstance(exc, web.HTTPException):
        title = _HTTP_TITLES.get(exc.status, exc.reason)
        detail = title
        if exc.status == 413:
            detail = f"The body may be at most {request.app[MAX_BODY_KEY]} bytes"
        return ProblemError(exc.status, title, detail=detail)
    if isinstance(exc, HttpProcessingError | RequestPayloadError):
        # A body that cannot be read as sent (bad Content-Encoding, broken multipart headers).
        return ProblemError(400, "Malformed request", detail=str(exc)[:200])
    if isinstance(exc, ServerSelectionTimeoutError | ConnectionFailure):
        log.warning("database unavailable", exc_info=exc)
        return ProblemError(
            503,
            "Service unavailable",
            detail="The database is unreachable",
            headers={"Retry-After": "5"},
        )
    if (mapped := _mapped_problem(request.app, exc)) is not None:
        return mapped
    log.error("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    return ProblemError(500, "Internal error")


MAX_BODY_KEY = web.AppKey("max_body_bytes", int)
PROBLEMS_KEY: web.AppKey["ProblemMap"] = web.AppKey("problems")
# The field error codes the service's document declares.
FIELD_CODES_KEY = web.AppKey("field_codes", frozenset[str])


def create_base_app(
    *, max_body_bytes: int, middlewares: list[Any] | None = None
) -> web.Application:
    """`middlewares` run inside the request id and outside the problem middleware: they see
    every answer as it goes out, errors with their real status included."""
    app = web.Application(
        client_max_size=max_body_bytes,
        middlewares=[request_context_middleware, *(middlewares or []), problem_middleware],
    )
    app[MAX_BODY_KEY] = max_body_bytes
    app.on_response_prepare.append(_common_headers)
    return app


async def _common_headers(_: web.Request, response: web.StreamResponse) -> None:
    # No content sniffing: a browser must take each answer for the type it is declared as.
    response.headers["X-Content-Type-Options"] = "nosniff"
    # aiohttp would announce its and Python's versions; a scanner needs no help.
    response.headers["Server"] = "mpp"


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
        raise field_problem("body", NOT_AN_OBJECT)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_problem(errors_from_pydantic(exc)) from exc


def refuse_unknown_query(request: web.Request, allowed: frozenset[str]) -> None:
    """422 naming every query parameter the operation does not take, or takes once but got
    several times: a typo or an injection attempt (`status[$ne]=x`) is never ignored."""
    errors = [NOT_A_QUERY_PARAMETER.error(name) for name in sorted(set(request.query) - allowed)]
    errors += [
        GIVEN_TWICE.error(name)
        for name in sorted(allowed & set(request.query))
        if len(request.query.getall(name)) > 1
    ]
    if errors:
        raise validation_problem(errors)


def read_query[M: BaseModel](request: web.Request, model: type[M]) -> M:
    try:
        return model.model_validate(dict(request.query))
    except ValidationError as exc:
        raise validation_problem(errors_from_pydantic(exc)) from exc


def binary_response(
    request: web.Request,
    *,
    body: bytes,
    content_type: str,
    etag: str | None = None,
    filename: str = "logo",
) -> web.Response:
    """An image or file with an ETag (by default a hash of the body); 304 when the client
    has it already."""
    quoted = f'"{etag or hashlib.sha256(body).hexdigest()[:32]}"'
    extension = content_type.removeprefix("image/").split("+")[0]
    headers = {
        "ETag": quoted,
        "Cache-Control": "private, max-age=300",
        "Content-Disposition": f'inline; filename="{filename}.{extension}"',
    }
    if content_type == "image/svg+xml":
        # An SVG can carry script: opened on its own it runs sandboxed, with nothing to load.
        headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        )
    if quoted in request.headers.get("If-None-Match", ""):
        return web.Response(status=304, headers=headers)
    return web.Response(body=body, content_type=content_type, headers=headers)


# What a console on another origin may send and read (the browser hides other headers).
_CORS_REQUEST_HEADERS = ("Authorization", "Content-Type", "If-None-Match", "X-Request-ID")
_CORS_EXPOSED_HEADERS = ("ETag", "Retry-After", "X-Request-ID", "Location")
# Browsers cache a preflight answer this long (seconds), sparing one round trip per call.
_CORS_PREFLIGHT_MAX_AGE_S = 600


def allow_cross_origin(app: web.Application, origins: Sequence[str]) -> None:
    """CORS on every route registered so far, for exactly these origins (none: no CORS, the
    browser's same-origin rule stands). Preflights are answered; credentials (the refresh
    cookie) are allowed, which is why origins are listed and never "*"."""
    if not origins:
        return
    options = aiohttp_cors.ResourceOptions(  # type: ignore[no-untyped-call]
        allow_credentials=True,
        allow_headers=_CORS_REQUEST_HEADERS,
        expose_headers=_CORS_EXPOSED_HEADERS,
        allow_methods="*",
        max_age=_CORS_PREFLIGHT_MAX_AGE_S,
    )
    cors = aiohttp_cors.setup(app, defaults=dict.fromkeys(origins, options))
    for route in list(app.router.routes()):
        cors.add(route)
