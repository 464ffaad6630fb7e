"""The accounts service's collections, their indexes and the stores over them: each domain
change in one write."""

from pymongo import ASCENDING, IndexModel

from accounts.store.accounts import ACCOUNTS, AccountStore
from accounts.store.sessions import REFRESH_SESSIONS, SessionStore
from accounts.store.throttles import THROTTLES, ThrottleStore
from shared.mongo import Indexes
from shared.outbox import outbox_index

INDEXES: Indexes = {
    ACCOUNTS: [
        # Unique on the normalized email: case-insensitive uniqueness that holds under races.
        IndexModel([("email_normalized", ASCENDING)], unique=True),
        # A link's token finds its account (only its hash is stored).
        IndexModel([("email_verification.token_hash", ASCENDING)], sparse=True),
        IndexModel([("password_reset.token_hash", ASCENDING)], sparse=True),
        outbox_index(),
    ],
    REFRESH_SESSIONS: [
        IndexModel([("current_hash", ASCENDING)], unique=True),
        IndexModel([("used_hashes", ASCENDING)]),
        IndexModel([("account_id", ASCENDING), ("status", ASCENDING)]),
        IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0),
        outbox_index(),
    ],
    THROTTLES: [IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0)],
}
# Collections whose documents carry outbox events (a session carries its revocation).
EVENT_SOURCES = [ACCOUNTS, REFRESH_SESSIONS]

__all__ = [
    "ACCOUNTS",
    "EVENT_SOURCES",
    "INDEXES",
    "REFRESH_SESSIONS",
    "THROTTLES",
    "AccountStore",
    "SessionStore",
    "ThrottleStore",
]
