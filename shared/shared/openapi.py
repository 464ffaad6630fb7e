"""Routes that describe themselves: the OpenAPI 3.1 document is generated from the same
pydantic models the handlers read and answer with, complete enough for a generated client
(request and response media types, every problem an operation answers, its headers), and
shown at /docs (Swagger UI, served from the swagger-ui-bundle package: no CDN).

The problems an operation answers are listed, each status once, and nothing else: there is no
`default` response, so an answer whose status the operation does not declare is a contract
violation a conformance check catches (a 500 is a bug, never part of the contract). They come
from three places: what the operation's shape implies (see `Operation.problem_statuses`), the
domain errors it names (`raises`: the Api's ProblemMap says how each answers, so the
document and the answer cannot drift apart) and what the handler raises itself (`problems`).
"""

import logging
import re
import warnings
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from aiohttp import web
from pydantic import BaseModel, ConfigDict
from pydantic.config import JsonValue
from pydantic.json_schema import models_json_schema
from swagger_ui_bundle import swagger_ui_path

from shared.auth import authenticate, require_role
from shared.field_errors import SHARED_CODES, FieldCode, problem_schemas
from shared.http import (
    FIELD_CODES_KEY,
    PROBLEM_JSON,
    PROBLEMS_KEY,
    ProblemError,
    ProblemFactory,
    ProblemMap,
    problem_answer,
    problem_for,
    refuse_unknown_query,
    slug_of,
)

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
log = logging.getLogger(__name__)


class UndeclaredStatusWarning(UserWarning):
    """An operation answered with a status its document does not declare: the contract and
    the code drifted apart (the tests turn this warning into an error)."""


# What each problem status means, as the documents say it (RFC 9457 bodies).
_PROBLEM_MEANINGS = {
    400: "Malformed request",
    401: "No access token, or an invalid or expired one",
    403: "Not allowed for the caller",
    404: "Not found (objects of other tenants included)",
    409: "Conflict with the current state",
    413: "Body too large",
    415: "Unsupported media type",
    422: "Validation failed: `errors` names each field",
    429: "Too many requests: wait for Retry-After seconds",
    503: "A dependency is down: retry after Retry-After seconds",
}
_RETRY_AFTER = {"description": "Seconds to wait", "schema": {"type": "integer"}}
_ETAG = {"description": "Entity tag; send it as If-None-Match", "schema": {"type": "string"}}
_BINARY = {"schema": {"type": "string", "format": "binary"}}


def with_examples(*examples: JsonValue) -> ConfigDict:
    """A model's config that shows these examples in the document (JSON Schema `examples`)."""
    return ConfigDict(json_schema_extra={"examples": list(examples)})


@dataclass
class Operation:
    method: str
    path: str
    handler: Handler
    summary: str
    description: str | None = None
    body: type[BaseModel] | None = None
    body_media: str = "application/json"
    body_required: bool = True
    # Media types of a raw body (an image upload), instead of a JSON or form model.
    binary_body: Sequence[str] = ()
    query: type[BaseModel] | None = None
    responses: dict[int, type[BaseModel] | None] = field(default_factory=dict)
    # Media types of a binary 200 answer (an image with an ETag; 304 when unchanged).
    binary_response: Sequence[str] = ()
    # The domain errors the handler lets out; the Api's ProblemMap says how each answers.
    raises: Sequence[type[Exception]] = ()
    # Problems the handler raises itself, beyond its domain errors and what the shape implies.
    problems: Mapping[int, str] = field(default_factory=dict)
    secured: bool = False
    # The role the token must carry (403 without it), checked before the handler runs.
    role: str | None = None
    tags: list[str] = field(default_factory=list)

    def problem_statuses(self, answers: ProblemMap) -> dict[int, str]:
        """Each problem status the operation answers, with what it means here."""
        found = self._implied_problems()
        for error in self.raises:
            if (answer := problem_for(answers, error)) is None:
                name = self.handler.__name__
                raise ValueError(f"{name} raises {error.__name__}, which nothing answers")
            found.append(_documented(answer))
        meanings: dict[int, list[str]] = defaultdict(list)
        for status, meaning in [*found, *self.problems.items()]:
            meanings[status].append(meaning)
        return {status: _joined(meanings[status]) for status in sorted(meanings)}

    def _implied_problems(self) -> list[tuple[int, str]]:
        implied = []
        if self.secured:
            implied.append(401)
        if self.role:
            implied.append(403)
        if "{" in self.path:
            implied.append(404)
        if self.body or self.binary_body:
            implied += [400, 413]
        if self.body:
            # Not for a raw upload: its type is decided by the bytes (a 422 when they are not
            # an accepted image), whatever Content-Type says.
            implied.append(415)
        # 422: an unknown query parameter, at least. 503: the database or the token keys are
        # out of reach (the few operations that need neither, such as the JWKS, never say it;
        # the shape cannot tell them apart, and a declared status never met breaks no client).
        implied += [422, 503]
        meanings = {**_PROBLEM_MEANINGS, 403: f"Needs the {self.role} role"}
        return [(status, meanings[status]) for status in dict.fromkeys(implied)]


class Routes:
    """Operations declared with `@routes.route(...)`; an Api collects them."""

    def __init__(self) -> None:
        self.operations: list[Operation] = []

    def route(
        self,
        method: str,
        path: str,
        *,
        summary: str,
        description: str | None = None,
        body: type[BaseModel] | None = None,
        body_media: str = "application/json",
        body_required: bool = True,
        binary_body: Sequence[str] = (),
        query: type[BaseModel] | None = None,
        responses: dict[int, type[BaseModel] | None] | None = None,
        binary_response: Sequence[str] = (),
        raises: Sequence[type[Exception]] = (),
        problems: Mapping[int, str] | None = None,
        secured: bool = False,
        role: str | None = None,
        tags: list[str] | None = None,
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            operation = Operation(
                method=method,
                path=path,
                handler=handler,
                summary=summary,
                description=description,
                body=body,
                body_media=body_media,
                body_required=body_required,
                binary_body=binary_body,
                query=query,
                responses=responses or {200: None},
                binary_response=binary_response,
                raises=raises,
                problems=problems or {},
                secured=secured or role is not None,  # a role is in the token
                role=role,
                tags=tags or [],
            )
            self.operations.append(operation)
            return handler

        return register


class Api(Routes):
    """A service's routes, how its domain errors answer, /openapi.json and /docs."""

    def __init__(
        self,
        *,
        title: str,
        description: str = "",
        version: str = "1.0.0",
        tags: Mapping[str, str] | None = None,
        problems: ProblemMap | None = None,
        field_codes: Sequence[FieldCode] = (),
        include: Sequence[Routes] = (),
    ) -> None:
        """`field_codes`: the service's own catalogue of field error codes (the shared ones
        are every service's)."""
        super().__init__()
        self.title = title
        self.description = description
        self.version = version
        self.tags = dict(tags or {})
        self.problems: ProblemMap = problems or {}
        self.field_codes = list({c.code: c for c in [*SHARED_CODES, *field_codes]}.values())
        for routes in include:
            self.operations.extend(routes.operations)

    def add_to(self, app: web.Application) -> None:
        app[PROBLEMS_KEY] = self.problems
        app[FIELD_CODES_KEY] = frozenset(c.code for c in self.field_codes)
        document = self.openapi()
        for op in self.operations:
            responses = document["paths"][op.path][op.method.lower()]["responses"]
            handler = _guarded(op, declared=frozenset(int(status) for status in responses))
            app.router.add_route(op.method, op.path, handler, name=op.handler.__name__)

        async def openapi_json(_: web.Request) -> web.Response:
            return web.json_response(document)

        async def docs(_: web.Request) -> web.Response:
            return web.Response(text=_docs_page(self.title), content_type="text/html")

        app.router.add_get("/openapi.json", openapi_json)
        app.router.add_get("/docs", docs)
        app.router.add_static("/docs/static", swagger_ui_path)

    def openapi(self) -> dict[str, Any]:
        models: list[tuple[type[BaseModel], Any]] = []
        for op in self.operations:
            if op.body:
                models.append((op.body, "validation"))
            if op.query:  # for the enums and models its fields refer to
                models.append((op.query, "validation"))
            models += [(m, "serialization") for m in op.responses.values() if m]
        # pydantic names each schema (Item, Item-Input, mod__Item...): use the refs it gives.
        refs, schemas = models_json_schema(
            list(dict.fromkeys(models)), ref_template="#/components/schemas/{model}"
        )
        paths: dict[str, dict[str, Any]] = {}
        for op in self.operations:
            doc = _operation_doc(op, refs, problems=op.problem_statuses(self.problems))
            paths.setdefault(op.path, {})[op.method.lower()] = doc
        used_tags = dict.fromkeys(tag for op in self.operations for tag in op.tags)
        return {
            "openapi": "3.1.0",
            "info": {
                "title": self.title,
                "version": self.version,
                **({"description": self.description} if self.description else {}),
            },
            "tags": [
                {"name": t, **({"description": self.tags[t]} if t in self.tags else {})}
                for t in used_tags
            ],
            "paths": paths,
            "components": {
                "schemas": {**schemas.get("$defs", {}), **problem_schemas(self.field_codes)},
                "securitySchemes": {
                    "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
                },
            },
        }


def _guarded(op: Operation, *, declared: frozenset[int]) -> Handler:
    """The handler, behind the token (and role) of a secured operation and a check that the
    request has no query parameter the operation does not take; its answer is checked
    against the statuses the document declares for it (a 500 is a bug, logged already)."""
    fields = op.query.model_fields.items() if op.query else ()
    allowed = frozenset(info.alias or name for name, info in fields)

    async def handler(request: web.Request) -> web.StreamResponse:
        try:
            if op.secured:
                principal = await authenticate(request)  # who asks first: 401 before any 422
                if op.role:
                    require_role(principal, op.role)
            refuse_unknown_query(request, allowed)
            response = await op.handler(request)
        except Exception as exc:
            response = problem_answer(request, exc)  # here, to see the status it answers
        if response.status != 500 and response.status not in declared:
            message = f"{op.handler.__name__} answered {response.status}, which it does not declare"
            log.error(message)
            warnings.warn(UndeclaredStatusWarning(message), stacklevel=1)
        return response

    return handler


type _Refs = Mapping[tuple[Any, Any], dict[str, Any]]


def _documented(answer: ProblemFactory) -> tuple[int, str]:
    """A domain error's status, and what the document says of it: the title, the problem's
    type (what clients tell problems of one status apart by) and the detail."""
    if isinstance(answer, ProblemError):
        fields = "; ".join(f"`{e.field}` {e.message}" for e in answer.errors)
        detail = fields or answer.detail
    else:
        detail = answer.description or (answer.detail if isinstance(answer.detail, str) else None)
    slug = answer.type_slug or slug_of(answer.title)
    named = f"**{answer.title}** (`{slug}`)"
    return answer.status, f"{named}: {detail}" if detail else named


def _joined(meanings: list[str]) -> str:
    unique = list(dict.fromkeys(meanings))
    return unique[0] if len(unique) == 1 else "\n".join(f"- {m}" for m in unique)


def _operation_doc(op: Operation, refs: _Refs, *, problems: Mapping[int, str]) -> dict[str, Any]:
    doc: dict[str, Any] = {"operationId": op.handler.__name__, "summary": op.summary}
    if op.description:
        doc["description"] = op.description
    if op.tags:
        doc["tags"] = op.tags
    if params := _parameters(op):
        doc["parameters"] = params
    if op.body:
        doc["requestBody"] = {
            "required": op.body_required,
            "content": {op.body_media: {"schema": refs[(op.body, "validation")]}},
        }
    elif op.binary_body:
        doc["requestBody"] = {"required": True, "content": dict.fromkeys(op.binary_body, _BINARY)}
    doc["responses"] = _responses(op, refs, problems=problems)
    if op.secured:
        doc["security"] = [{"bearer": []}]
    return doc


def _parameters(op: Operation) -> list[dict[str, Any]]:
    params = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{(\w+)}", op.path)
    ]
    if op.query:
        schema = op.query.model_json_schema(ref_template="#/components/schemas/{model}")
        properties = schema["properties"]
        for name, info in op.query.model_fields.items():
            params.append(
                {
                    "name": info.alias or name,
                    "in": "query",
                    "required": info.is_required(),
                    "schema": properties[info.alias or name],
                }
            )
    return params


def _responses(op: Operation, refs: _Refs, *, problems: Mapping[int, str]) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for status, model in op.responses.items():
        entry: dict[str, Any] = {"description": HTTPStatus(status).phrase}
        if model:
            entry["content"] = {"application/json": {"schema": refs[(model, "serialization")]}}
        elif op.binary_response and status == 200:
            entry["content"] = dict.fromkeys(op.binary_response, _BINARY)
            entry["headers"] = {"ETag": _ETAG}
        responses[str(status)] = entry
    if op.binary_response:
        responses["304"] = {
            "description": "Not modified (If-None-Match)",
            "headers": {"ETag": _ETAG},
        }
    for status, meaning in problems.items():
        problem: dict[str, Any] = {
            "description": meaning,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        if status in (429, 503):
            problem["headers"] = {"Retry-After": _RETRY_AFTER}
        responses[str(status)] = problem
    return responses


def _docs_page(title: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="/docs/static/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/docs/static/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({{url: "/openapi.json", dom_id: "#docs"}});</script>
</body></html>"""
