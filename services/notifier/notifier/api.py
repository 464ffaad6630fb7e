"""HTTP handlers of the notifier and their request/response models."""

from datetime import datetime

from aiohttp import web
from pydantic import BaseModel, Field

from notifier.domain import NotificationStatus
from notifier.service import NotifierService
from notifier.store import Notification
from shared.auth import authenticate, require_role
from shared.contracts.workspaces import Decision
from shared.http import json_response, read_query
from shared.openapi import Api
from shared.pagination import next_page, page_after

api = Api(title="Mini Program Platform: notifier")

SERVICE_KEY = web.AppKey("notifier_service", NotifierService)


class NotificationQuery(BaseModel):
    account_id: str = Field(min_length=1, max_length=100)
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = None


class NotificationRead(BaseModel):
    id: str = Field(description="The id of the review event the mail is about")
    account_id: str
    email: str
    application_id: str
    decision: Decision
    status: NotificationStatus
    attempts: int
    last_error: str | None
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None

    @classmethod
    def of(cls, doc: Notification) -> "NotificationRead":
        return cls(
            id=doc["_id"],
            account_id=doc["account_id"],
            email=doc["email"],
            application_id=doc["application_id"],
            decision=doc["decision"],
            status=doc["status"],
            attempts=doc["attempts"],
            last_error=doc.get("last_error"),
            created_at=doc["created_at"],
            updated_at=doc["updated_at"],
            sent_at=doc.get("sent_at"),
        )


class NotificationPage(BaseModel):
    items: list[NotificationRead]
    next_cursor: str | None


@api.route(
    "GET",
    "/v1/notifications",
    summary="An account's review-result mails and their delivery, newest first (admins)",
    query=NotificationQuery,
    responses={200: NotificationPage},
    secured=True,
    tags=["notifications"],
)
async def list_notifications(request: web.Request) -> web.Response:
    require_role(await authenticate(request), "admin")
    query = read_query(request, NotificationQuery)
    page, next_cursor = next_page(
        await request.app[SERVICE_KEY].list_notifications(
            query.account_id, limit=query.limit + 1, after=page_after(query.cursor)
        ),
        limit=query.limit,
        at="created_at",
    )
    return json_response(
        NotificationPage(items=[NotificationRead.of(d) for d in page], next_cursor=next_cursor)
    )
