"""HTTP handlers of the notifier and their request/response models."""

import uuid
from datetime import datetime
from typing import Annotated

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from notifier import examples
from notifier.domain import (
    Notification,
    NotificationAlreadyResentError,
    NotificationNotFailedError,
    NotificationNotFoundError,
    NotificationNotResendableError,
    NotificationStatus,
)
from notifier.kinds import KINDS
from notifier.service import NotifierService
from shared.contracts.workspaces import Decision
from shared.http import ProblemError, ProblemFrom, ProblemMap, json_response, read_query
from shared.logging import correlation_id_var
from shared.openapi import Api, with_examples
from shared.pagination import next_page, page_after

PROBLEMS: ProblemMap = {
    NotificationNotFoundError: ProblemError(404, "Not found", detail="No such notification"),
    NotificationNotFailedError: ProblemFrom[NotificationNotFailedError](
        409,
        "Notification not failed",
        type_slug="notification-not-failed",
        detail=lambda e: f"Only a failed notification can be resent; this one is {e.status}",
        description="Only a failed one can be resent, not a sent, pending or sending one",
    ),
    NotificationAlreadyResentError: ProblemFrom[NotificationAlreadyResentError](
        409,
        "Notification already resent",
        type_slug="notification-already-resent",
        detail=lambda e: f"This notification was resent already, as {e.resent_as}",
        description="This notification was resent already (`resent_as` names the resend)",
    ),
    NotificationNotResendableError: ProblemError(
        409,
        "Notification not resendable",
        type_slug="notification-not-resendable",
        detail="This notification was recorded without its mail's content",
    ),
}

api = Api(
    title="Mini Program Platform: notifier",
    description="Mails what the platform's events ask for (review results, workspace "
    "invitations; English and Chinese, text and HTML) exactly once at most, and keeps the "
    "delivery log, which admins read and from which they resend a failed mail.",
    tags={"notifications": "The delivery log of every mail, and resends (admins)"},
    problems=PROBLEMS,
)

SERVICE_KEY = web.AppKey("notifier_service", NotifierService)
# The role every route here needs (each route checks it before its handler runs).
ADMIN = "admin"


# Inlined: a query parameter's schema stands alone in the document (no $ref to resolve).
StatusFilter = Annotated[
    NotificationStatus,
    WithJsonSchema({"type": "string", "enum": [status.value for status in NotificationStatus]}),
]


class NotificationQuery(BaseModel):
    # Unknown parameters are refused by name, not ignored (a typo or `status[$ne]=x`).
    model_config = ConfigDict(extra="forbid")

    account_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="Only this account's mails",
        examples=[examples.ACCOUNT_ID],
    )
    status: StatusFilter | None = Field(
        default=None, description="Only mails in this state (failed: refused or outcome unknown)"
    )
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = None


class NotificationRead(BaseModel):
    model_config = with_examples(examples.FAILED, examples.RESEND)

    id: str = Field(description="The event's id, or a resend's own id")
    kind: str = Field(
        description="What mail it is: review_approved, review_rejected, workspace_invitation, ..."
    )
    subject: str | None = Field(description="The mail's subject (None: a kind no longer sent)")
    account_id: str | None = Field(
        description="The recipient's account (None: an address without one, e.g. an invitee)"
    )
    email: str = Field(json_schema_extra={"format": "email"})  # a validated recipient
    about: dict[str, str] = Field(
        description="The ids the mail is about (application_id, invitation_id, workspace_id, "
        "...) and, for review mails, the decision"
    )
    application_id: str | None = Field(description="The application a review mail is about")
    decision: Decision | None = Field(description="The decision a review mail tells")
    status: NotificationStatus
    attempts: int
    last_error: str | None
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    resend_of: str | None = Field(description="The failed notification this one sends again")
    resent_as: str | None = Field(description="The notification that sent this one again")

    @classmethod
    def of(cls, notification: Notification) -> "NotificationRead":
        n = notification
        kind = KINDS.get(n.kind)
        decision = n.about.get("decision")
        return cls(
            id=n.id,
            kind=n.kind,
            subject=kind.subject if kind else None,
            account_id=n.account_id,
            email=n.email,
            about=dict(n.about),
            application_id=n.about.get("application_id"),
            decision="approve" if decision == "approve" else "reject" if decision else None,
            status=n.status,
            attempts=n.attempts,
            last_error=n.last_error,
            created_at=n.created_at,
            updated_at=n.updated_at,
            sent_at=n.sent_at,
            resend_of=n.resend_of,
            resent_as=n.resent_as,
        )


class NotificationPage(BaseModel):
    model_config = with_examples(examples.PAGE)

    items: list[NotificationRead]
    next_cursor: str | None


@api.route(
    "GET",
    "/v1/notifications",
    summary="Mails and their delivery, newest first: all, one account's, or "
    "those in one state such as failed (admins)",
    query=NotificationQuery,
    responses={200: NotificationPage},
    role=ADMIN,
    tags=["notifications"],
)
async def list_notifications(request: web.Request) -> web.Response:
    query = read_query(request, NotificationQuery)
    found = await request.app[SERVICE_KEY].list_notifications(
        account_id=query.account_id,
        status=query.status,
        limit=query.limit + 1,
        after=page_after(query.cursor),
    )
    positions = [{"_id": n.id, "created_at": n.created_at} for n in found]
    shown, next_cursor = next_page(positions, limit=query.limit, at="created_at")
    items = [NotificationRead.of(n) for n in found[: len(shown)]]
    return json_response(NotificationPage(items=items, next_cursor=next_cursor))


@api.route(
    "POST",
    "/v1/notifications/{id}/resend",
    summary="Send a failed mail again, as a new notification with its own Message-ID, sent "
    "in the background (admins); 409 unless it failed and was not resent yet",
    responses={202: NotificationRead},
    raises=[
        NotificationNotFoundError,
        NotificationNotFailedError,
        NotificationAlreadyResentError,
        NotificationNotResendableError,
    ],
    role=ADMIN,
    tags=["notifications"],
)
async def resend_notification(request: web.Request) -> web.Response:
    again = await request.app[SERVICE_KEY].resend(
        request.match_info["id"], correlation_id=correlation_id_var.get() or str(uuid.uuid4())
    )
    return json_response(NotificationRead.of(again), status=202)
