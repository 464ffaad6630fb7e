"""The activity log: a workspace's, for its members, and an application's, for its applicant;
paged JSON newest first, or the whole log (from the cursor on) streamed as JSON Lines or CSV.
Read only: no route edits or deletes an entry."""

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from shared.auth import authenticate
from shared.http import json_response, read_query
from shared.openapi import Routes, with_examples
from shared.pagination import next_page, page_after
from workspaces.api import examples
from workspaces.api.context import ACTIVITY_KEY
from workspaces.domain import ApplicationNotFoundError, WorkspaceNotFoundError
from workspaces.domain.activity import ActivityEntry, ActivityKind

routes = Routes()

# The export media types (the JSON page is application/json).
JSON_LINES = "application/x-ndjson"
CSV = "text/csv"
EXPORT_MEDIA = {"jsonl": JSON_LINES, "csv": CSV}
_CSV_COLUMNS = [
    "id",
    "occurred_at",
    "kind",
    "actor_id",
    "actor_kind",
    "actor_name",
    "actor_email",
    "workspace_id",
    "application_id",
    "mini_program_id",
    "subject",
    "changes",
]


class ChangeRead(BaseModel):
    field: str
    before: str | None
    after: str | None


class ActivityEntryRead(BaseModel):
    model_config = with_examples(examples.ACTIVITY_ENTRY)

    id: str = Field(description="The id of the event it records (each is recorded once)")
    kind: ActivityKind
    occurred_at: datetime
    actor_id: str | None = Field(description="Who did it (None: the platform itself)")
    actor_kind: Literal["person", "reviewer", "platform"] = Field(
        description="person: a merchant (a member, or the applicant); reviewer: the "
        "platform's staff, never named; platform: no one (provisioning, a departure's grants)"
    )
    actor_name: str | None = Field(
        description="The actor's full name when it was recorded: still true after they leave "
        "(None for a reviewer, the platform, and entries recorded before names were kept)"
    )
    actor_email: str | None = Field(
        json_schema_extra={"format": "email"}, description="The actor's email, likewise"
    )
    workspace_id: str | None
    application_id: str | None
    mini_program_id: str | None
    subject: dict[str, str] = Field(
        description="What it is about: the member (account_id, full_name and email as "
        "recorded), the mini program (name), the invitation, the decision..."
    )
    changes: list[ChangeRead] = Field(description="The changed fields, before and after")

    @classmethod
    def of(cls, entry: ActivityEntry) -> "ActivityEntryRead":
        return cls(
            id=entry.id,
            kind=entry.kind,
            occurred_at=entry.occurred_at,
            actor_id=entry.actor_id,
            actor_kind=entry.actor_kind,
            actor_name=entry.actor_name,
            actor_email=entry.actor_email,
            workspace_id=entry.workspace_id,
            application_id=entry.application_id,
            mini_program_id=entry.mini_program_id,
            subject=dict(entry.subject),
            changes=[
                ChangeRead(field=c.field, before=c.before, after=c.after) for c in entry.changes
            ],
        )


class ActivityPage(BaseModel):
    model_config = with_examples(examples.ACTIVITY)

    items: list[ActivityEntryRead]
    next_cursor: str | None


class ApplicationActivityQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ActivityKind | None = Field(default=None, description="Only entries of this kind")
    cursor: str | None = None
    limit: int = Field(default=50, ge=1, le=100, description="Entries per page (json)")
    format: Literal["json", "jsonl", "csv"] = Field(
        default="json",
        description="json: one page; jsonl (application/x-ndjson) or csv (text/csv): every "
        "entry from the cursor on, streamed as a download",
    )


class ActivityQuery(ApplicationActivityQuery):
    mini_program_id: str | None = Field(
        default=None, max_length=100, description="Only entries about this mini program"
    )


_DESCRIPTION = (
    "Newest first. With format=jsonl the answer is application/x-ndjson (one entry per line, "
    "as in `items`); with format=csv it is text/csv with the columns "
    + ", ".join(_CSV_COLUMNS)
    + " (subject and changes as JSON). Entries are never edited or deleted."
)


@routes.route(
    "GET",
    "/v1/workspaces/{id}/activity",
    summary="The workspace's activity log (any member): who changed what, when, before and "
    "after; filter by kind and mini program; export as JSON Lines or CSV",
    description=_DESCRIPTION,
    query=ActivityQuery,
    responses={200: ActivityPage},
    raises=[WorkspaceNotFoundError],
    secured=True,
    tags=["activity"],
)
async def workspace_activity(request: web.Request) -> web.StreamResponse:
    principal = await authenticate(request)
    query = read_query(request, ActivityQuery)
    entries = await request.app[ACTIVITY_KEY].of_workspace(
        principal,
        request.match_info["id"],
        kind=query.kind,
        mini_program_id=query.mini_program_id,
        after=page_after(query.cursor),
        limit=_reads(query),
    )
    name = f"workspace-{request.match_info['id']}"
    return await _answer(request, entries, query=query, name=name)


@routes.route(
    "GET",
    "/v1/workspace-applications/{id}/activity",
    summary="The history of my application: submitted, decided (the applicant's own)",
    description=_DESCRIPTION,
    query=ApplicationActivityQuery,
    responses={200: ActivityPage},
    raises=[ApplicationNotFoundError],
    secured=True,
    tags=["activity"],
)
async def application_activity(request: web.Request) -> web.StreamResponse:
    principal = await authenticate(request)
    query = read_query(request, ApplicationActivityQuery)
    entries = await request.app[ACTIVITY_KEY].of_application(
        principal,
        request.match_info["id"],
        kind=query.kind,
        after=page_after(query.cursor),
        limit=_reads(query),
    )
    name = f"application-{request.match_info['id']}"
    return await _answer(request, entries, query=query, name=name)


def _reads(query: ApplicationActivityQuery) -> int:
    """How many entries to read: one past the page (so `next_page` knows whether another
    follows), or every one (0) for an export."""
    return query.limit + 1 if query.format == "json" else 0


async def _answer(
    request: web.Request,
    entries: AsyncIterator[ActivityEntry],
    *,
    query: ApplicationActivityQuery,
    name: str,
) -> web.StreamResponse:
    if query.format == "json":
        found = [entry async for entry in entries]
        positions = [{"_id": e.id, "occurred_at": e.occurred_at} for e in found]
        shown, next_cursor = next_page(positions, limit=query.limit, at="occurred_at")
        items = [ActivityEntryRead.of(e) for e in found[: len(shown)]]
        return json_response(ActivityPage(items=items, next_cursor=next_cursor))
    return await _stream(request, entries, fmt=query.format, name=name)


async def _stream(
    request: web.Request, entries: AsyncIterator[ActivityEntry], *, fmt: str, name: str
) -> web.StreamResponse:
    """The export, written as the database returns it: memory stays flat however long."""
    response = web.StreamResponse(
        headers={
            "Content-Type": f"{EXPORT_MEDIA[fmt]}; charset=utf-8",
            "Content-Disposition": f'attachment; filename="activity-{name}.{fmt}"',
            "Cache-Control": "no-store",
        }
    )
    await response.prepare(request)
    if fmt == "csv":
        await response.write(_csv_row(_CSV_COLUMNS))
    async for entry in entries:
        read = ActivityEntryRead.of(entry)
        if fmt == "jsonl":
            await response.write(read.model_dump_json().encode() + b"\n")
        else:
            await response.write(_csv_row(_csv_values(read)))
    await response.write_eof()
    return response


def _csv_values(read: ActivityEntryRead) -> list[str]:
    data = read.model_dump(mode="json")
    return [
        *(data[column] or "" for column in _CSV_COLUMNS[:-2]),
        json.dumps(data["subject"], ensure_ascii=False),
        json.dumps(data["changes"], ensure_ascii=False),
    ]


def _csv_row(values: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([_defused(v) for v in values])
    return buffer.getvalue().encode()


def _defused(value: str) -> str:
    """A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is quoted with a
    leading apostrophe (OWASP CSV injection): names and emails come from users."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def document_exports(document: dict[str, Any]) -> dict[str, Any]:
    """Add the export media types to the activity operations' 200 answers (the shared
    OpenAPI builder knows one JSON model per status)."""
    for path in ("/v1/workspaces/{id}/activity", "/v1/workspace-applications/{id}/activity"):
        content = document["paths"][path]["get"]["responses"]["200"]["content"]
        content[JSON_LINES] = {
            "schema": {"type": "string", "description": "One ActivityEntryRead per line"}
        }
        content[CSV] = {"schema": {"type": "string", "description": "A header, then a row each"}}
    return document
