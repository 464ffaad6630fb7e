"""Applications in Mongo: each transition of the domain is one conditional write."""

from collections.abc import Sequence
from datetime import datetime
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
    ApplicationWithdrawn,
    Claim,
    ClaimReleased,
    ClaimTaken,
    DraftLogoSet,
    DraftSaved,
    DraftStep,
    Finding,
    QueueFilter,
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
        self,
        application_id: str,
        *,
        change: ApplicationSubmitted,
        event: EventPayload,
        email_verified: bool,
    ) -> Application | None:
        """None if it is no draft any more (submitted meanwhile). `email_verified` is what
        the directory says now; $max keeps a True that account.email_verified.v1 set
        meanwhile (mark_email_verified), so the queue's filter never loses it."""
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
            update={"$set": fields, "$max": {"applicant_email_verified": email_verified}},
            event=event,
        )

    async def mark_email_verified(self, account_id: str) -> None:
        """The account proved its email: its applications say so to the queue's filter."""
        await self._applications.update_many(
            {"account_id": account_id}, {"$set": {"applicant_email_verified": True}}
        )

    async def decide(
        self, application_id: str, *, change: ApplicationDecided, event: EventPayload
    ) -> Application | None:
        """None if it is no longer under review (another decision or a withdrawal won), or
        another reviewer's claim became active meanwhile."""
        decision = change.decision
        fields: Document = {
            "status": change.status,
            "decision": {
                "decision": decision.decision,
                "reason": decision.reason,
                "reviewer_id": decision.reviewer_id,
                "reviewed_at": decision.reviewed_at,
                "findings": [_finding_document(f) for f in decision.findings],
            },
            "updated_at": change.updated_at,
        }
        if change.workspace_id is not None:
            fields["workspace_id"] = change.workspace_id
        update: Document = {"$set": fields}
        if change.reopens:
            update["$unset"] = {"open_key": ""}  # the unique key of the open application
        return await self._move(
            application_id,
            from_status=ApplicationStatus.UNDER_REVIEW,
            update=update,
            event=event,
            also=_claim_allows(decision.reviewer_id, at=decision.reviewed_at),
        )

    async def withdraw(
        self, application_id: str, *, change: ApplicationWithdrawn, event: EventPayload
    ) -> Application | None:
        """None if it is no longer under review (a decision won)."""
        update: Document = {
            "$set": {
                "status": ApplicationStatus.WITHDRAWN,
                "withdrawn_at": change.withdrawn_at,
                "updated_at": change.updated_at,
            },
            "$unset": {"open_key": "", "claim": ""},  # free to apply again; out of the queue
        }
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
        also: Document | None = None,
    ) -> Application | None:
        """Change the status with its event in one write, if it still is `from_status` (and
        the document matches `also`)."""
        moved = await self._events.update(
            self._applications,
            query={"_id": application_id, "status": from_status, **(also or {})},
            update=update,
            events=[event],
        )
        return _application(moved) if moved else None

    async def claim(
        self, application_id: str, taken: ClaimTaken, *, take_over: bool
    ) -> Application | None:
        """None if it is no longer under review, or another's claim is active (unless this
        is a take-over)."""
        claim = taken.claim
        query: Document = {"_id": application_id, "status": ApplicationStatus.UNDER_REVIEW}
        if not take_over:
            query.update(_claim_allows(claim.reviewer_id, at=claim.claimed_at))
        claimed = await self._applications.find_one_and_update(
            query,
            {"$set": {"claim": _claim_document(claim)}},
            return_document=ReturnDocument.AFTER,
        )
        return _application(claimed) if claimed else None

    async def release(self, application_id: str, released: ClaimReleased) -> None:
        """The claim of that reviewer goes (if it is still theirs)."""
        await self._applications.update_one(
            {"_id": application_id, "claim.reviewer_id": released.reviewer_id},
            {"$unset": {"claim": ""}},
        )

    async def queue_positions(self, applications: Sequence[Application]) -> dict[str, int]:
        """Each waiting application's place in the queue (1: the next one it shows, oldest
        submitted first), by id; the others have none. One count of those ahead of the
        earliest and one scan of the span the applications cover, whatever their number (a
        page of the review queue)."""
        waiting = sorted(
            (a.submitted_at, a.id)
            for a in applications
            if a.status == ApplicationStatus.UNDER_REVIEW and a.submitted_at
        )
        if not waiting:
            return {}
        first, last = waiting[0], waiting[-1]
        at = "submitted_at"
        ahead = await self._applications.count_documents(
            {
                "status": ApplicationStatus.UNDER_REVIEW,
                **after_position(first, at=at, descending=True),
            }
        )
        span = self._applications.find(
            {
                "$and": [
                    {"status": ApplicationStatus.UNDER_REVIEW},
                    {"$or": [after_position(first, at=at, descending=False), {"_id": first[1]}]},
                    {"$or": [after_position(last, at=at, descending=True), {"_id": last[1]}]},
                ]
            },
            projection={"_id": 1},
        ).sort([(at, ASCENDING), ("_id", ASCENDING)])
        wanted = {application_id for _, application_id in waiting}
        in_order = [document["_id"] async for document in span]
        return {
            application_id: ahead + place
            for place, application_id in enumerate(in_order, start=1)
            if application_id in wanted
        }

    async def review_queue(
        self, where: QueueFilter, *, now: datetime, limit: int, after: Position | None
    ) -> list[Application]:
        conditions = [*_queue_conditions(where, now=now)]
        if after is not None:
            conditions.append(after_position(after, at="submitted_at", descending=False))
        found = self._applications.find(
            {"$and": conditions},
            sort=[("submitted_at", ASCENDING), ("_id", ASCENDING)],
            limit=limit,
        )
        return [_application(doc) async for doc in found]

    async def submitted_of(self, account_id: str) -> list[Application]:
        """Every application the account submitted, newest first (drafts left out)."""
        found = self._applications.find(
            {"account_id": account_id, "status": {"$ne": ApplicationStatus.DRAFT}},
            sort=[("created_at", DESCENDING)],
        )
        return [_application(doc) async for doc in found]


def _queue_conditions(where: QueueFilter, *, now: datetime) -> list[Document]:
    conditions: list[Document] = [{"status": where.status}]
    if where.account_id is not None:
        conditions.append({"account_id": where.account_id})
    if where.claimed == "mine":
        conditions.append(
            {"claim.reviewer_id": where.reviewer_id, "claim.expires_at": {"$gt": now}}
        )
    elif where.claimed == "unclaimed":
        conditions.append({"$or": [{"claim": None}, {"claim.expires_at": {"$lte": now}}]})
    if where.submitted_after is not None:
        conditions.append({"submitted_at": {"$gte": where.submitted_after}})
    if where.submitted_before is not None:
        conditions.append({"submitted_at": {"$lt": where.submitted_before}})
    if where.email_verified is not None:
        verified = {"applicant_email_verified": True}
        conditions.append(verified if where.email_verified else {"$nor": [verified]})
    return conditions


def _claim_allows(reviewer_id: str, *, at: datetime) -> Document:
    """No active claim of another reviewer at `at`."""
    return {
        "$or": [
            {"claim": None},
            {"claim.reviewer_id": reviewer_id},
            {"claim.expires_at": {"$lte": at}},
        ]
    }


def _claim_document(claim: Claim) -> Document:
    return {
        "reviewer_id": claim.reviewer_id,
        "claimed_at": claim.claimed_at,
        "expires_at": claim.expires_at,
    }


def _finding_document(finding: Finding) -> Document:
    return {"field": finding.field, "code": finding.code, "message": finding.message}


def _findings(docs: list[Document] | None) -> tuple[Finding, ...]:
    return tuple(Finding(d["field"], d["code"], d.get("message")) for d in docs or ())


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
        "previous_findings": [_finding_document(f) for f in draft.previous_findings],
        "flagged_values": dict(draft.flagged_values),
        "created_at": draft.created_at,
        "updated_at": draft.updated_at,
    }


def _application(doc: Document) -> Application:
    applicant: dict[str, Any] | None = doc.get("applicant")
    decision: dict[str, Any] | None = doc.get("decision")
    claim: dict[str, Any] | None = doc.get("claim")
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
            findings=_findings(decision.get("findings")),
        )
        if decision
        else None,
        workspace_id=doc.get("workspace_id"),
        withdrawn_at=doc.get("withdrawn_at"),
        claim=Claim(claim["reviewer_id"], claim["claimed_at"], claim["expires_at"])
        if claim
        else None,
        previous_findings=_findings(doc.get("previous_findings")),
        flagged_values=doc.get("flagged_values") or {},
    )
