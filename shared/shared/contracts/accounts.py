"""Events the accounts service publishes."""

from datetime import datetime

from shared.events import EventPayload


class AccountRegisteredV1(EventPayload):
    TYPE = "account.registered.v1"

    account_id: str
    email: str
    full_name: str
    roles: list[str]
    registered_at: datetime
