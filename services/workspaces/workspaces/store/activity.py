"""The activity log in Mongo: one insert per event, keyed by the event's id (a redelivery
collides and changes nothing); read newest first, never updated or deleted."""

from collections.abc import AsyncIterator

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from shared.mongo import Database, Document
from shared.pagination import Position, after_position
from workspaces.domain.activity import ActivityEntry, ActivityKind, Change

ACTIVITY = "activity"

_NEWEST_FIRST = [("occurred_at", DESCENDING), ("_id", DESCENDING)]

INDEXES = [
    IndexModel([("workspace_id", ASCENDING), *_NEWEST_FIRST], name="workspace_newest_first"),
    IndexModel(
        [("workspace_id", ASCENDING), ("kind", ASCENDING), *_NEWEST_FIRST],
        name="workspace_kind_newest_first",
    ),
    IndexModel([("mini_program_id", ASCENDING), *_NEWEST_FIRST], name="mini_program_newest_first"),
    IndexModel([("application_id", ASCENDING), *_NEWEST_FIRST], name="application_newest_first"),
]


class ActivityStore:
    def __init__(self, db: Database) -> None:
        self._activity = db[ACTIVITY]

    async def record(self, entry: ActivityEntry) -> bool:
        """False when the event was recorded before."""
        try:
            await self._activity.insert_one(_document(entry))
        except DuplicateKeyError:
            return False
        return True

    def entries(
        self,
        *,
        workspace_id: str | None = None,
        application_id: str | None = None,
        kind: ActivityKind | None = None,
        mini_program_id: str | None = None,
        after: Position | None = None,
        limit: int = 0,
    ) -> AsyncIterator[ActivityEntry]:
        """A workspace's entries (with those of the application it came from), or one
        application's, newest first from `after`; limit 0 is all of them, streamed."""
        scope: list[Document] = []
        if workspace_id is not None:
            scope.append({"workspace_id": workspace_id})
        if application_id is not None:
            scope.append({"application_id": application_id})
        query: Document = {"$or": scope} if len(scope) > 1 else scope[0]
        filters: list[Document] = [query]
        if kind is not None:
            filters.append({"kind": kind})
        if mini_program_id is not None:
            filters.append({"mini_program_id": mini_program_id})
        if beyond := after_position(after, at="occurred_at", descending=True):
            filters.append(beyond)
        found = self._activity.find({"$and": filters}, sort=_NEWEST_FIRST, limit=limit)
        return (_entry(doc) async for doc in found)


def _document(entry: ActivityEntry) -> Document:
    return {
        "_id": entry.id,
        "kind": entry.kind,
        "event_type": entry.event_type,
        "occurred_at": entry.occurred_at,
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "actor_email": entry.actor_email,
        "workspace_id": entry.workspace_id,
        "application_id": entry.application_id,
        "mini_program_id": entry.mini_program_id,
        "subject": dict(entry.subject),
        "changes": [
            {"field": c.field, "before": c.before, "after": c.after} for c in entry.changes
        ],
    }


def _entry(doc: Document) -> ActivityEntry:
    return ActivityEntry(
        id=doc["_id"],
        kind=ActivityKind(doc["kind"]),
        event_type=doc.get("event_type", ""),
        occurred_at=doc["occurred_at"],
        actor_id=doc.get("actor_id"),
        # Entries recorded before names were kept have none.
        actor_name=doc.get("actor_name"),
        actor_email=doc.get("actor_email"),
        workspace_id=doc.get("workspace_id"),
        application_id=doc.get("application_id"),
        mini_program_id=doc.get("mini_program_id"),
        subject=dict(doc.get("subject") or {}),
        changes=tuple(Change(**c) for c in doc.get("changes") or ()),
    )
