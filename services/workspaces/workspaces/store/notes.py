"""Reviewers' internal notes on applications: a collection of their own, read only by the
review routes, and never carrying an event, so no answer or event for the applicant (nor a
stream fed from the bus) can show one."""

from pymongo import ASCENDING, IndexModel

from shared.mongo import Database, Document
from workspaces.domain import ReviewNote

REVIEW_NOTES = "review_notes"

INDEXES = [IndexModel([("application_id", ASCENDING), ("created_at", ASCENDING)])]


class ReviewNoteStore:
    def __init__(self, db: Database) -> None:
        self._notes = db[REVIEW_NOTES]

    async def add(self, note: ReviewNote) -> None:
        await self._notes.insert_one(
            {
                "_id": note.id,
                "application_id": note.application_id,
                "author_id": note.author_id,
                "text": note.text,
                "created_at": note.created_at,
            }
        )

    async def of_application(self, application_id: str) -> list[ReviewNote]:
        """The application's notes, oldest first."""
        found = self._notes.find(
            {"application_id": application_id}, sort=[("created_at", ASCENDING), ("_id", ASCENDING)]
        )
        return [_note(doc) async for doc in found]


def _note(doc: Document) -> ReviewNote:
    return ReviewNote(
        id=doc["_id"],
        application_id=doc["application_id"],
        author_id=doc["author_id"],
        text=doc["text"],
        created_at=doc["created_at"],
    )
