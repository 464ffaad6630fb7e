"""Keyset pagination: a page ends at a (time, id) position and the next starts after it, so
pages stay stable and cheap however deep they go. The cursor is opaque to clients."""

import base64
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shared.field_errors import UNKNOWN_CURSOR
from shared.http import field_problem

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
        raise field_problem("cursor", UNKNOWN_CURSOR) from exc


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


def after_position(position: Position | None, *, at: str, descending: bool) -> dict[str, Any]:
    """The query condition for the documents after `position` in (`at`, _id) order, ties on
    the time broken by _id; {} for the first page. Sort the query the same way."""
    if position is None:
        return {}
    moment, last_id = position
    beyond = "$lt" if descending else "$gt"
    return {"$or": [{at: {beyond: moment}}, {at: moment, "_id": {beyond: last_id}}]}
