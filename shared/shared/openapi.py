"""Routes that describe themselves: the OpenAPI 3.1 document is generated from the same
pydantic models the handlers read and answer with."""

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from shared.http import PROBLEM_JSON, PROBLEMS_KEY, ProblemMap, refuse_unknown_query

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
                    method=method,
                    path=path,
                    handler=handler,
                    summary=summary,
                    body=body,
                    body_media=body_media,
                    query=query,
                    responses=responses or {200: None},
                    secured=secured,
                    tags=tags or [],
                )
            )
            return handler

        return register


class Api(Routes):
    """A service's routes, how its domain errors answer, and its /openapi.json."""

    def __init__(
        self,
        *,
        title: str,
        version: str = "1.0.0",
        problems: ProblemMap | None = None,
        include: Sequence[Routes] = (),
    ) -> None:
        super().__init__()
        self.title = title
        self.version = version
        self.problems: ProblemMap = problems or {}
        for routes in include:
            self.operations.extend(routes.operations)

    def add_to(self, app: web.Application) -> None:
        app[PROBLEMS_KEY] = self.problems
        for op in self.operations:
            handler = _taking_only_its_query(op)
            app.router.add_route(op.method, op.path, handler, name=op.handler.__name__)
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


def _taking_only_its_query(op: Operation) -> Handler:
    """The handler, behind a check that the request has no query parameter the operation
    does not declare."""
    fields = op.query.model_fields.items() if op.query else ()
    allowed = frozenset(info.alias or name for name, info in fields)

    async def handler(request: web.Request) -> web.StreamResponse:
        refuse_unknown_query(request, allowed)
        return await op.handler(request)

    return handler


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
