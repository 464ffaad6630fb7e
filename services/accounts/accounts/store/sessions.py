"""Refresh sessions: one document per login, holding the current token's hash; a revocation
carries its event (every service then refuses the session's access tokens)."""

from datetime import datetime

from pymongo import DESCENDING

from accounts.domain import (
    Client,
    RefreshSession,
    SessionRevoked,
    SessionRotated,
    SessionStatus,
)
from shared.mongo import Database, Document
from shared.outbox import WITHOUT_OUTBOX, EventWriter

REFRESH_SESSIONS = "refresh_sessions"
_ACTIVE = str(SessionStatus.ACTIVE)


class SessionStore:
    def __init__(self, db: Database, *, events: EventWriter) -> None:
        self._sessions = db[REFRESH_SESSIONS]
        self._events = events

    async def insert_session(self, session: RefreshSession) -> None:
        await self._sessions.insert_one(
            {
                "_id": session.id,
                "account_id": session.account_id,
                "current_hash": session.current_hash,
                "used_hashes": list(session.used_hashes),
                "status": str(session.status),
                "created_at": session.created_at,
                "expires_at": session.expires_at,
                "client": {
                    "address": session.client.address,
                    "user_agent": session.client.user_agent,
                },
                "last_used_at": session.last_used_at,
            }
        )

    async def session_by_token(self, token_hash: str) -> RefreshSession | None:
        """The session whose current or an earlier (rotated) token has this hash."""
        found = await self._sessions.find_one(
            {"$or": [{"current_hash": token_hash}, {"used_hashes": token_hash}]}, WITHOUT_OUTBOX
        )
        return None if found is None else _session(found)

    async def session_by_id(self, session_id: str) -> RefreshSession | None:
        found = await self._sessions.find_one({"_id": session_id}, WITHOUT_OUTBOX)
        return None if found is None else _session(found)

    async def active_sessions(self, account_id: str, *, now: datetime) -> list[RefreshSession]:
        """The account's live sessions, the most recently used first."""
        found = self._sessions.find(
            {"account_id": account_id, "status": _ACTIVE, "expires_at": {"$gt": now}},
            WITHOUT_OUTBOX,
        ).sort([("last_used_at", DESCENDING), ("_id", DESCENDING)])
        return [_session(doc) async for doc in found]

    async def rotate(self, change: SessionRotated) -> bool:
        """Swap the current token in one conditional write; False if the old token is no
        longer the current one of an active session (another refresh won a race: a reuse)."""
        result = await self._sessions.update_one(
            {"_id": change.session_id, "current_hash": change.old_hash, "status": _ACTIVE},
            {
                "$set": {
                    "current_hash": change.new_hash,
                    "expires_at": change.expires_at,
                    "last_used_at": change.used_at,
                },
                "$push": {"used_hashes": change.old_hash},
            },
        )
        return result.matched_count == 1

    async def revoke(self, change: SessionRevoked) -> bool:
        """Revoke the session with its event, once (a revoked one keeps the time it was
        first revoked); False when it was not active any more."""
        revoked = await self._events.update(
            self._sessions,
            query={"_id": change.session_id, "status": _ACTIVE},
            update={
                "$set": {
                    "status": str(SessionStatus.REVOKED),
                    "revoked_at": change.revoked_at,
                    "revoked_for": str(change.reason),
                }
            },
            events=[change.event],
        )
        return revoked is not None


def _session(document: Document) -> RefreshSession:
    client = document.get("client") or {}
    return RefreshSession(
        id=document["_id"],
        account_id=document["account_id"],
        current_hash=document["current_hash"],
        used_hashes=tuple(document["used_hashes"]),
        status=SessionStatus(document["status"]),
        created_at=document["created_at"],
        expires_at=document["expires_at"],
        client=Client(
            address=client.get("address", "unknown"), user_agent=client.get("user_agent", "")
        ),
        last_used_at=document.get("last_used_at"),
        revoked_at=document.get("revoked_at"),
    )
