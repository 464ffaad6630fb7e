"""Applications in Mongo: each transition of the domain is one conditional write."""

from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel, ReturnDocument
from pymongo.errors import DuplicateKeyError

from shared.events import EventPayload
from shared.mongo import Database, Document
from shared.outbox import EventWriter, outbox_index
from shared.pagination import Position, after_position
from workspaces.domain import (
    Applicant,
    Application,
    ApplicationDecided,
    ApplicationStatus,
    ApplicationSubmitted,
    DraftLogoSet,
    DraftSaved,
    DraftStep,
    ReviewDecision,
)

APPLICATIONS = "applications"

INDEXES = [
    IndexModel([("account_id", ASCENDING), ("created_at", DESCENDING)]),
    # Set while an application is a draft, under review or approved: at most one per account.
    IndexModel([("open_key", ASCENDING)], unique=True, sparse=True),
    IndexModel([("status", ASCENDING), ("submitted_at", ASCENDING), ("_id", ASCENDING)]),
    outbox_index(),
]


class ApplicationStore:
    def __init__(self, db: Database, *, events: EventWriter) -> None:
        self._applications = db[APPLICATIONS]
        self._events = events

    async def latest_application(self, account_id: str) -> Application | None:
        found = await self._applications.find_one(
            {"account_id": account_id}, sort=[("created_at", DESCENDING)]
        )
        return _application(found) if found else None

    async def applications_of(self, account_id: str) -> list[Application]:
        found = self._applications.find(
            {"account_id": account_id}, sort=[("created_at", DESCENDING)]
        )
        return [_application(doc) async for doc in found]

    async def application(self, application_id: str) -> Application | None:
        found = await self._applications.find_one({"_id": application_id})
        return _application(found) if found else None

    async def insert_draft(self, draft: Application) -> bool:
        """False if the account already has an open application (the unique open_key)."""
        try:
            await self._applications.insert_one(_draft_document(draft))
        except DuplicateKeyError:
            return False
        return True

    async def save_draft(self, application_id: str, change: DraftSaved) -> Application | None:
        """None if it is no draft any more (submitted meanwhile)."""
        fields: Document = {f"form.{name}": value for name, value in change.form.items()}
        if change.step is not None:
            fields["step"] = change.step
        return await self._update_draft(application_id, {**fields, "updated_at": change.updated_at})

    async def set_logo(self, application_id: str, change: DraftLogoSet) -> Application | None:
        """None if it is no draft any more (submitted meanwhile)."""
        return await self._update_draft(
            application_id, {"logo_id": change.logo_id, "updated_at": change.updated_at}
        )

    async def _update_draft(self, application_id: str, fields: Document) -> Application | None:
        saved = await self._applications.find_one_and_update(
            {"_id": application_id, "status": ApplicationStatus.DRAFT},
            {"$set": fields},
            return_document=ReturnDocument.AFTER,
        )
        return _application(saved) if saved else None

    async def submit(
        self, application_id: str, *, change: ApplicationSubmitted, event: EventPayload
    ) -> Application | None:
        """None if it is no draft any more (submitted meanwhile)."""
        fields = {
            "status": ApplicationStatus.UNDER_REVIEW,
            "form": dict(change.form),
            "applicant": {"email": change.applicant.email, "full_name": change.applicant.full_name},
            "submitted_at": change.submitted_at,
            "expected_decision_by": change.expected_decision_by,
            "updated_at": change.updated_at,
        }
        return await self._move(
            application_id,
            from_status=ApplicationStatus.DRAFT,
            update={"$set": fields},
            event=event,
        )

    async def decide(
        self, application_id: str, *, change: ApplicationDecided, event: EventPayload
    ) -> Application | None:
        """None if it is no longer under review (another decision won)."""
        decision = change.decision
        fields: Document = {
            "status": change.status,
            "decision": {
                "decision": decision.decision,
                "reason": decision.reason,
                "reviewer_id": decision.reviewer_id,
                "reviewed_at": decision.reviewed_at,
            },
            "updated_at": change.updated_at,
        }
        if change.workspace_id is not None:
            fields["workspace_id"] = change.workspace_id
        update: Document = {"$set": fields}
        if change.reopens:
            update["$unset"] = {"open_key": ""}  # the unique key of the open application
        return await self._move(
            application_id, from_status=ApplicationStatus.UNDER_REVIEW, update=update, event=event
        )

    async def _move(
        self,
        application_id: str,
        *,
        from_status: ApplicationStatus,
        update: Document,
        event: EventPayload,
    ) -> Application | None:
        """Change the status with its event in one write, if it still is `from_status`."""
        moved = await self._events.update(
            self._applications,
            query={"_id": application_id, "status": from_status},
            update=update,
            events=[event],
        )
        return _application(moved) if moved else None

    async def review_queue(
        self, *, status: ApplicationStatus, limit: int, after: Position | None
    ) -> list[Application]:
        query = {"status": status, **after_position(after, at="submitted_at", descending=False)}
        found = self._applications.find(
            query, sort=[("submitted_at", ASCENDING), ("_id", ASCENDING)], limit=limit
        )
        return [_application(doc) async for doc in found]


def _draft_document(draft: Application) -> Document:
    return {
        "_id": draft.id,
        "account_id": draft.account_id,
        "open_key": draft.account_id,
        "status": draft.status,
        "step": draft.step,
        "form": dict(draft.form),
        "logo_id": draft.logo_id,
        "previous_application_id": draft.previous_application_id,
        "logo_color": draft.logo_color,
        "created_at": draft.created_at,
        "updated_at": draft.updated_at,
    }


def _application(doc: Document) -> Application:
    applicant: dict[str, Any] | None = doc.get("applicant")
    decision: dict[str, Any] | None = doc.get("decision")
    step = doc.get("step")
    return Application(
        id=doc["_id"],
        account_id=doc["account_id"],
        status=ApplicationStatus(doc["status"]),
        step=DraftStep(step) if step else None,
        form=doc.get("form", {}),
        logo_id=doc.get("logo_id"),
        previous_application_id=doc.get("previous_application_id"),
        logo_color=doc.get("logo_color"),
        created_at=doc["created_at"],
        updated_at=doc["updated_at"],
        applicant=Applicant(email=applicant["email"], full_name=applicant["full_name"])
        if applicant
        else None,
        submitted_at=doc.get("submitted_at"),
        expected_decision_by=doc.get("expected_decision_by"),
        decision=ReviewDecision(
            decision=decision["decision"],
            reason=decision.get("reason"),
            reviewer_id=decision["reviewer_id"],
            reviewed_at=decision["reviewed_at"],
        )
        if decision
        else None,
        workspace_id=doc.get("workspace_id"),
    )
